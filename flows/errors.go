package flows

import (
	"errors"
	"fmt"
	"strings"
)

// FieldError is invalid input caught before any request is sent. Field is the setting's name as on the command
// line (tenant, client-id, scope, redirect-uri, cert, assertion, ...), so a caller can point at the flag or field.
type FieldError struct {
	Field   string
	Value   string // the offending value, omitted from the message when it may be secret
	Problem string // what is wrong, e.g. "is not a GUID or a domain"
	Fix     string // how to fix it
	secret  bool
}

func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.Field)
	if e.Value != "" && !e.secret {
		fmt.Fprintf(&b, " %q", e.Value)
	}
	b.WriteString(" " + e.Problem)
	if e.Fix != "" {
		b.WriteString("; " + e.Fix)
	}
	return b.String()
}

// OAuthError is an error response from the identity provider: RFC 6749 §5.2 fields plus Entra's extensions
// (reference §3.1). It is returned by Send when the provider said no.
type OAuthError struct {
	Status        int    // HTTP status, 0 for an error delivered on a redirect
	Code          string // the "error" field, e.g. invalid_client
	Description   string // error_description as sent
	Message       string // the description's first line without the "AADSTSnnn: " prefix
	Codes         []int  // error_codes, or the AADSTS code found in the description
	TraceID       string
	CorrelationID string
	Timestamp     string
	ErrorURI      string
	Suberror      string
	Claims        string // a claims challenge to send back on /authorize
	RetryAfter    string // the Retry-After header of a throttled or unavailable answer (RFC 9110 §10.2.3)
	Body          string // the raw response body
	// Detail, when set, explains this very error better than the catalogue can: which field of a federated
	// credential mismatched, which managed identity is missing. Explain returns it.
	Detail *AADSTSEntry
}

// AADSTS returns the first AADSTS code of the error, or 0 when the provider gave none.
func (e *OAuthError) AADSTS() int {
	if len(e.Codes) == 0 {
		return 0
	}
	return e.Codes[0]
}

func (e *OAuthError) Error() string {
	msg := e.Code
	if code := e.AADSTS(); code != 0 {
		msg += fmt.Sprintf(": AADSTS%d", code)
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RetryAfter != "" { // when to come back is the one thing a throttled caller needs
		msg += " (Retry-After " + e.RetryAfter + ")"
	}
	return msg
}

// NetworkError is a failure to reach the identity provider or read its answer: DNS, connect, TLS, timeout or a
// cancelled context. Callers exit with the network code rather than the "provider said no" code.
type NetworkError struct {
	Op      string // e.g. "POST https://…/token"
	Timeout bool
	Err     error
}

func (e *NetworkError) Error() string {
	if e.Timeout {
		return e.Op + ": timed out: " + e.Err.Error()
	}
	return e.Op + ": " + e.Err.Error()
}

func (e *NetworkError) Unwrap() error { return e.Err }

// ProtocolError is a response the engine could not use: not JSON, a missing field, a redirect without a code,
// a state that does not match. The provider answered, but not as the protocol says.
type ProtocolError struct {
	Leg     string
	Problem string
	Err     error
}

func (e *ProtocolError) Error() string {
	s := e.Leg + ": " + e.Problem
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *ProtocolError) Unwrap() error { return e.Err }

// ErrNotReady is returned by Prepare when an earlier leg has not produced what this leg needs.
var ErrNotReady = errors.New("an earlier leg has not completed")

// ErrStateMismatch means the redirect's state did not match the one sent: the response is not for this run
// (RFC 6749 §10.12, CSRF).
var ErrStateMismatch = errors.New("state in the redirect does not match the state sent")

// IsNetwork reports whether err is a network, TLS or timeout failure (including a cancelled context).
func IsNetwork(err error) bool {
	var ne *NetworkError
	return errors.As(err, &ne)
}
