package decode

import "fmt"

// Segment names the part of a compact token that an error is about.
type Segment string

// The segments of a compact serialization (RFC 7515 §7.1, RFC 7516 §7.1).
const (
	SegmentToken      Segment = "token"
	SegmentHeader     Segment = "header"
	SegmentPayload    Segment = "payload"
	SegmentSignature  Segment = "signature"
	SegmentClientInfo Segment = "client_info" // the client_info field of a token response
)

// MalformedError reports a token that cannot be decoded, naming the segment and what is wrong with it.
type MalformedError struct {
	Segment Segment
	Reason  string
	Err     error // the underlying base64 or JSON error, if any
}

func (e *MalformedError) Error() string {
	if e.Segment == SegmentToken {
		return "malformed token: " + e.Reason
	}
	return fmt.Sprintf("malformed token: %s segment %s", e.Segment, e.Reason)
}

func (e *MalformedError) Unwrap() error { return e.Err }

func malformed(seg Segment, err error, format string, args ...any) *MalformedError {
	return &MalformedError{Segment: seg, Reason: fmt.Sprintf(format, args...), Err: err}
}
