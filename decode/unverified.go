package decode

import (
	"encoding/base64"
	"slices"
	"strings"
	"unsafe"
)

// maxTokenLen bounds the input: real Entra tokens stay well under 16 KB even with many groups.
const maxTokenLen = 1 << 20

// Unverified decodes a compact token WITHOUT checking its signature. It is tolerant of what people paste:
// surrounding whitespace, a "Bearer " prefix, base64url with or without '=' padding (Microsoft's published
// samples carry padding) and the standard base64 alphabet. A five-part token is recognised as encrypted
// (JWE). Anything else that cannot be read returns a *MalformedError naming the segment.
func Unverified(raw string) (*Token, error) {
	raw = trimToken(raw)
	switch {
	case raw == "":
		return nil, malformed(SegmentToken, nil, "is empty")
	case len(raw) > maxTokenLen:
		return nil, malformed(SegmentToken, nil, "is %d bytes, over the %d byte limit", len(raw), maxTokenLen)
	}
	dots := strings.Count(raw, ".")
	switch dots {
	case 2:
	case 4:
		return unverifiedJWE(raw)
	case 0:
		return nil, malformed(SegmentToken, nil, "has no '.' separators: it is not a JWT (refresh tokens and some Microsoft account tokens are opaque and cannot be decoded)")
	case 1:
		return nil, malformed(SegmentToken, nil, "has 2 parts; a signed token (JWS) has 3 (header.payload.signature). Refresh tokens look like this and are opaque: they cannot be decoded")
	default:
		return nil, malformed(SegmentToken, nil, "has %d parts; a signed token (JWS) has 3 (header.payload.signature) and an encrypted one (JWE) 5", dots+1)
	}
	h, rest, _ := strings.Cut(raw, ".")
	p, s, _ := strings.Cut(rest, ".")
	t := &Token{Raw: raw, Padded: strings.HasSuffix(h, "=") || strings.HasSuffix(p, "=") || strings.HasSuffix(s, "=")}

	// One buffer holds all three decoded segments: values in Header and Claims are slices of it.
	buf := make([]byte, 0, base64.RawURLEncoding.DecodedLen(len(h))+base64.RawURLEncoding.DecodedLen(len(p))+base64.RawURLEncoding.DecodedLen(len(s)))
	var err error
	var hb, pb []byte
	if buf, hb, err = appendSegment(buf, SegmentHeader, h); err != nil {
		return nil, err
	}
	if buf, pb, err = appendSegment(buf, SegmentPayload, p); err != nil {
		return nil, err
	}
	if _, t.Signature, err = appendSegment(buf, SegmentSignature, s); err != nil {
		return nil, err
	}
	if len(hb) == 0 {
		return nil, malformed(SegmentHeader, nil, "is empty; it must be a JSON object holding at least alg")
	}
	if t.Header, err = parseObject(hb); err != nil {
		return nil, malformed(SegmentHeader, err, "%s", err.Error())
	}
	if len(pb) == 0 {
		return nil, malformed(SegmentPayload, nil, "is empty; a JWT payload is a JSON object of claims")
	}
	if t.Claims, err = parseObject(pb); err != nil {
		return nil, malformed(SegmentPayload, err, "%s", err.Error())
	}
	if !t.Header.Has("alg") {
		return nil, malformed(SegmentHeader, nil, "has no alg parameter (RFC 7515 §4.1.1 requires it)")
	}
	t.Kind = guessKind(t.Header, t.Claims)
	return t, nil
}

// unverifiedJWE reads the protected header of an encrypted token; the rest needs the recipient's key.
func unverifiedJWE(raw string) (*Token, error) {
	h, _, _ := strings.Cut(raw, ".")
	_, hb, err := appendSegment(nil, SegmentHeader, h)
	if err != nil {
		return nil, err
	}
	t := &Token{Raw: raw, Encrypted: true, Kind: KindUnknown, Padded: strings.Contains(raw, "=")}
	if t.Header, err = parseObject(hb); err != nil {
		return nil, malformed(SegmentHeader, err, "%s", err.Error())
	}
	if !t.Header.Has("enc") {
		return nil, malformed(SegmentHeader, nil, "has 5 parts but no enc parameter: it is neither a JWS nor a JWE (RFC 7516 §4.1.2)")
	}
	return t, nil
}

// trimToken removes what surrounds a token when it is copied from a header, a log or a terminal.
// trimToken finds the token in what people paste: around it whitespace, quotes, a trailing comma, a
// curl "-H", an "Authorization:" header name and a "Bearer " scheme; inside it the line breaks of a
// wrapped paste (a compact token holds no whitespace, RFC 7515 §7.1).
func trimToken(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimPrefix(s, "-H "))
	s = strings.TrimRight(s, ",;")
	s = strings.Trim(s, "\"'`")
	s = strings.TrimSpace(s)
	if len(s) > 14 && strings.EqualFold(s[:14], "authorization:") {
		s = strings.TrimSpace(s[14:])
	}
	if len(s) > 7 && strings.EqualFold(s[:7], "bearer ") {
		s = strings.TrimSpace(s[7:])
	}
	if strings.ContainsAny(s, " \t\r\n") {
		s = strings.Join(strings.Fields(s), "")
	}
	return s
}

// appendSegment decodes one base64url segment onto buf and returns buf and the decoded part.
// Padding and the standard alphabet are accepted: tolerance on input, RFC 7515 §2 on output.
func appendSegment(buf []byte, seg Segment, s string) ([]byte, []byte, error) {
	s = strings.TrimRight(s, "=")
	start := len(buf)
	buf = slices.Grow(buf, base64.RawURLEncoding.DecodedLen(len(s)))
	// Decode only reads its source: viewing the string's bytes saves a copy of every segment.
	src := unsafe.Slice(unsafe.StringData(s), len(s))
	n, err := base64.RawURLEncoding.Decode(buf[start:start+base64.RawURLEncoding.DecodedLen(len(s))], src)
	if err != nil && strings.ContainsAny(s, "+/") { // the standard alphabet, seen in hand-made tokens
		n, err = base64.RawStdEncoding.Decode(buf[start:start+base64.RawStdEncoding.DecodedLen(len(s))], src)
	}
	if err != nil {
		return buf[:start], nil, malformed(seg, err, "is not base64url: %v", err)
	}
	buf = buf[:start+n]
	return buf, buf[start : start+n : start+n], nil
}
