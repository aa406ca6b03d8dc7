package flows

import (
	"net/url"
	"strings"
)

// Param is one form or query parameter of a prepared request, in the order it will be sent.
type Param struct {
	Name        string
	Value       string
	Explanation string
	// Secret marks a value that is masked unless revealed (client_secret, code_verifier, client_assertion, ...).
	Secret bool
}

// Header is one HTTP header; headers are kept in a stable order.
type Header struct {
	Name   string
	Value  string
	Secret bool
}

// Request is a prepared leg: the exact request the engine will send (or, for a browser leg, the URL the browser
// will visit, its query in Params). The caller may edit it before passing it to Run.Send.
type Request struct {
	Leg     int     // index into Run.Legs
	Name    string  // the leg's name
	Kind    LegKind // http, browser or poll
	Method  string  // GET or POST
	URL     string  // without the query of a browser leg
	Headers []Header
	Params  []Param // form body of a POST; query of a GET or browser leg
}

// Get returns the value of the first parameter called name, or "".
func (r *Request) Get(name string) string {
	for _, p := range r.Params {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

// Set replaces the value of parameter name, or appends it (explained when aadx knows it) when absent.
func (r *Request) Set(name, value string) {
	for i := range r.Params {
		if r.Params[i].Name == name {
			r.Params[i].Value = value
			return
		}
	}
	r.Params = append(r.Params, param(name, value))
}

// Del removes every parameter called name.
func (r *Request) Del(name string) {
	kept := r.Params[:0]
	for _, p := range r.Params {
		if p.Name != name {
			kept = append(kept, p)
		}
	}
	r.Params = kept
}

// SetHeader replaces or appends a header (names compared case-insensitively).
func (r *Request) SetHeader(name, value string) {
	for i := range r.Headers {
		if strings.EqualFold(r.Headers[i].Name, name) {
			r.Headers[i].Value = value
			return
		}
	}
	r.Headers = append(r.Headers, Header{Name: name, Value: value, Secret: isSecretHeader(name)})
}

// Encode returns the parameters form-encoded in their order (url.Values.Encode would sort them).
func (r *Request) Encode() string {
	var b strings.Builder
	for i, p := range r.Params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.Name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.Value))
	}
	return b.String()
}

// FullURL is the URL with the parameters as its query for GET and browser legs, and URL otherwise.
func (r *Request) FullURL() string {
	if r.Method == "POST" || len(r.Params) == 0 {
		return r.URL
	}
	sep := "?"
	if strings.Contains(r.URL, "?") {
		sep = "&"
	}
	return r.URL + sep + r.Encode()
}

// Clone returns a deep copy, so an edited request can be compared with the prepared one.
func (r *Request) Clone() *Request {
	c := *r
	c.Headers = append([]Header(nil), r.Headers...)
	c.Params = append([]Param(nil), r.Params...)
	return &c
}
