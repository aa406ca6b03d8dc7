package flows

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

var aadstsInText = lazyRegexp(`AADSTS(\d{4,8})`)

// errorBody is the wire shape of an error response: RFC 6749 §5.2 plus Entra's fields (reference §3.1).
type errorBody struct {
	Error         string          `json:"error"`
	Description   string          `json:"error_description"`
	Codes         []json.Number   `json:"error_codes"`
	Timestamp     string          `json:"timestamp"`
	TraceID       string          `json:"trace_id"`
	CorrelationID string          `json:"correlation_id"`
	ErrorURI      string          `json:"error_uri"`
	Suberror      string          `json:"suberror"`
	Claims        json.RawMessage `json:"claims"`
}

// ParseError reads an OAuth error response body. ok is false when the body is not a JSON object with an
// "error" member, i.e. not an OAuth error at all.
func ParseError(status int, body []byte) (e *OAuthError, ok bool) {
	var b errorBody
	if err := json.Unmarshal(body, &b); err != nil || b.Error == "" {
		return nil, false
	}
	e = &OAuthError{Status: status, Code: b.Error, Description: b.Description, TraceID: b.TraceID,
		CorrelationID: b.CorrelationID, Timestamp: b.Timestamp, ErrorURI: b.ErrorURI, Suberror: b.Suberror, Body: string(body)}
	for _, n := range b.Codes {
		if c, err := strconv.Atoi(n.String()); err == nil {
			e.Codes = append(e.Codes, c)
		}
	}
	// claims is a JSON string holding a claims request; tolerate an object too.
	if len(b.Claims) > 0 {
		var s string
		if json.Unmarshal(b.Claims, &s) == nil {
			e.Claims = s
		} else if string(b.Claims) != "null" {
			e.Claims = string(b.Claims)
		}
	}
	fillFromDescription(e)
	return e, true
}

// ErrorFromParams reads an error delivered on a redirect (RFC 6749 §4.1.2.1).
func ErrorFromParams(p url.Values) *OAuthError {
	if p.Get("error") == "" {
		return nil
	}
	e := &OAuthError{Code: p.Get("error"), Description: p.Get("error_description"), ErrorURI: p.Get("error_uri"),
		Suberror: p.Get("suberror"), Claims: p.Get("claims"), TraceID: p.Get("trace_id"), CorrelationID: p.Get("correlation_id")}
	for _, c := range strings.Fields(strings.NewReplacer(",", " ", "[", " ", "]", " ").Replace(p.Get("error_codes"))) {
		if n, err := strconv.Atoi(c); err == nil {
			e.Codes = append(e.Codes, n)
		}
	}
	fillFromDescription(e)
	return e
}

// fillFromDescription takes the message, AADSTS code, Trace ID, Correlation ID and Timestamp out of an Entra
// error_description ("AADSTS70011: message\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …") when the
// body did not carry them as fields.
func fillFromDescription(e *OAuthError) {
	lines := strings.Split(strings.ReplaceAll(e.Description, "\r\n", "\n"), "\n")
	var msg []string
	for _, line := range lines {
		line = strings.TrimSpace(line)
		key, val, found := strings.Cut(line, ":")
		switch {
		case found && key == "Trace ID":
			setIfEmpty(&e.TraceID, strings.TrimSpace(val))
		case found && key == "Correlation ID":
			setIfEmpty(&e.CorrelationID, strings.TrimSpace(val))
		case found && key == "Timestamp":
			setIfEmpty(&e.Timestamp, strings.TrimSpace(val))
		case line != "":
			msg = append(msg, line)
		}
	}
	text := strings.Join(msg, " ")
	if m := aadstsInText().FindStringSubmatch(text); m != nil {
		if len(e.Codes) == 0 {
			if n, err := strconv.Atoi(m[1]); err == nil {
				e.Codes = []int{n}
			}
		}
		if strings.HasPrefix(text, m[0]+":") {
			text = strings.TrimSpace(strings.TrimPrefix(text, m[0]+":"))
		}
	}
	e.Message = text
}

func setIfEmpty(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// PageError turns an HTML error page (unknown client, bad redirect URI, wrong password) into an OAuthError
// carrying the AADSTS code it names.
func PageError(ex *Exchange) error {
	oe := &OAuthError{Status: ex.Status, Code: "invalid_request", Body: ex.ResponseBody}
	if m := aadstsInText().FindStringSubmatch(ex.ResponseBody); m != nil {
		n, _ := strconv.Atoi(m[1])
		oe.Codes = []int{n}
		if e, ok := LookupAADSTS(n); ok {
			oe.Code, oe.Message = e.Error, e.Cause
		}
		return oe
	}
	return &ProtocolError{Leg: ex.LegName, Problem: fmt.Sprintf("the sign-in page (%s) has no form to continue with", ex.StatusText)}
}
