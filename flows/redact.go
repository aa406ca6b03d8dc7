package flows

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// Masked replaces a secret value in redacted output.
const Masked = "[redacted]"

// secretParams are masked entirely: credentials and proofs (DESIGN §6).
var secretParams = map[string]bool{
	"client_secret": true, "password": true, "passwd": true, "code_verifier": true,
}

// tokenParams are bearer artefacts: shortened unless tokens are included.
var tokenParams = map[string]bool{
	"access_token": true, "id_token": true, "refresh_token": true, "assertion": true, "code": true,
	"device_code": true, "client_info": false, "spa_code": true,
}

func isSecretParam(name string) bool {
	return secretParams[strings.ToLower(name)] || strings.EqualFold(name, "client_assertion")
}

func isSecretHeader(name string) bool {
	for _, h := range [...]string{"Authorization", "Cookie", "Set-Cookie", "Proxy-Authorization", "X-IDENTITY-HEADER", "Secret"} {
		if strings.EqualFold(name, h) {
			return true
		}
	}
	return false
}

// Redactor masks secrets and shortens tokens in everything that leaves the engine. The zero value is not
// usable; make one with NewRedactor. Known secret values (the client secret, a password, a PKCE verifier) are
// also scrubbed wherever they appear, as a second line of defence.
type Redactor struct {
	// Reveal shows secrets and full tokens (the user pressed "reveal"). Exports never set it.
	Reveal bool
	// IncludeTokens keeps tokens whole while still masking secrets (--include-tokens).
	IncludeTokens bool

	mu       sync.Mutex
	secrets  []string
	matchers map[string]*secretMatcher // each secret in every encoding, built when first needed
}

// NewRedactor returns a redactor that also scrubs the given literal secret values.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	for _, s := range secrets {
		r.AddSecret(s)
	}
	return r
}

// AddSecret teaches the redactor one more literal secret value (values shorter than 6 characters are ignored,
// so that scrubbing cannot mangle ordinary text).
func (r *Redactor) AddSecret(s string) {
	if len(s) < 6 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range r.secrets {
		if k == s {
			return
		}
	}
	r.secrets = append(r.secrets, s)
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// With returns a copy with the given reveal and token settings and the same known secrets.
func (r *Redactor) With(reveal, includeTokens bool) *Redactor {
	r.mu.Lock()
	defer r.mu.Unlock()
	matchers := make(map[string]*secretMatcher, len(r.matchers)) // matchers are immutable and shared, the map is not
	for k, v := range r.matchers {
		matchers[k] = v
	}
	return &Redactor{Reveal: reveal, IncludeTokens: includeTokens, secrets: append([]string(nil), r.secrets...), matchers: matchers}
}

// Value redacts one named value: a form/query parameter or a JSON field.
func (r *Redactor) Value(name, value string) string {
	if r.Reveal || value == "" {
		return value
	}
	lower := strings.ToLower(name)
	switch {
	case lower == "client_assertion":
		return maskSignature(value)
	case secretParams[lower]:
		return Masked
	case tokenParams[lower]:
		if r.IncludeTokens {
			return value
		}
		return ShortenToken(value)
	}
	return r.Text(value)
}

// Header redacts one header value.
func (r *Redactor) Header(name, value string) string {
	if r.Reveal {
		return value
	}
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization":
		if scheme, _, ok := strings.Cut(value, " "); ok {
			return scheme + " " + Masked
		}
		return Masked
	case "cookie", "set-cookie":
		return Masked
	case "location", "referer":
		return r.URL(value)
	}
	return r.Text(value)
}

// Text scrubs known secret values out of free text.
func (r *Redactor) Text(s string) string {
	if r.Reveal || s == "" {
		return s
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	encoded := mayHoldEncodedSecret(s)
	for _, secret := range r.secrets {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, Masked)
		}
		if encoded {
			s = r.matcher(secret).replace(s)
		}
	}
	return s
}

// matcher returns the secret's every-encoding matcher; r.mu is held.
func (r *Redactor) matcher(secret string) *secretMatcher {
	m, ok := r.matchers[secret]
	if !ok {
		if r.matchers == nil {
			r.matchers = map[string]*secretMatcher{}
		}
		m = newSecretMatcher(secret)
		r.matchers[secret] = m
	}
	return m
}

// URL redacts the query and fragment parameters of a URL by name.
func (r *Redactor) URL(raw string) string {
	if r.Reveal {
		return raw
	}
	base, frag, hasFrag := strings.Cut(raw, "#")
	path, query, hasQuery := strings.Cut(base, "?")
	out := path
	if hasQuery {
		out += "?" + r.Form(query)
	}
	if hasFrag {
		out += "#" + r.Form(frag)
	}
	return r.Text(out)
}

// Form redacts a form-encoded string, keeping the parameter order.
func (r *Redactor) Form(encoded string) string {
	if r.Reveal || encoded == "" {
		return encoded
	}
	parts := strings.Split(encoded, "&")
	for i, part := range parts {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		name, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			continue
		}
		if red := r.Value(name, value); red != value {
			parts[i] = k + "=" + readableMarker(red)
		}
	}
	return r.Text(strings.Join(parts, "&"))
}

// readableMarker form-encodes a redacted value but leaves its marker ("[redacted]", "…[70 chars]") as it
// is: redacted output is read by people, and %E2%80%A6%5B70+chars%5D is unreadable. The marker keeps a
// redacted URL from being used by mistake anyway.
func readableMarker(red string) string {
	kept, marker := red, ""
	switch {
	case strings.HasSuffix(red, Masked):
		kept, marker = strings.TrimSuffix(red, Masked), Masked
	default:
		if i := strings.LastIndex(red, "…["); i >= 0 && strings.HasSuffix(red, " chars]") {
			kept, marker = red[:i], red[i:]
		}
	}
	return url.QueryEscape(kept) + marker
}

// Body redacts a request or response body by its content type: JSON fields and form parameters by name,
// anything else by scrubbing known secrets and hidden form fields of sign-in pages.
func (r *Redactor) Body(contentType, body string) string {
	if r.Reveal || body == "" {
		return body
	}
	ct := strings.ToLower(contentType)
	trimmed := strings.TrimSpace(body)
	switch {
	case strings.Contains(ct, "json") || strings.HasPrefix(trimmed, "{"):
		if out, ok := r.jsonBody(body); ok {
			return out
		}
	case strings.Contains(ct, "x-www-form-urlencoded"):
		return r.Form(body)
	case strings.Contains(ct, "html"):
		return r.Text(redactHTMLValues(body, r))
	}
	return r.Text(body)
}

// jsonBody redacts string members of a JSON object by name, in place, so the body keeps its order and layout.
func (r *Redactor) jsonBody(body string) (string, bool) {
	if !json.Valid([]byte(body)) {
		return "", false
	}
	out := jsonStringMember().ReplaceAllStringFunc(body, func(m string) string {
		parts := jsonStringMember().FindStringSubmatch(m)
		var value string
		if json.Unmarshal([]byte(`"`+parts[3]+`"`), &value) != nil {
			return m
		}
		red := r.Value(parts[2], value)
		if red == value {
			return m
		}
		enc, _ := json.Marshal(red)
		return parts[1] + string(enc)
	})
	if r.hasSecrets() {
		// Every other string (array items, members of any name, text escaped twice) is scrubbed as its
		// decoded value, whatever escapes the server chose.
		out = jsonStringLiteral().ReplaceAllStringFunc(out, func(m string) string {
			var value string
			if json.Unmarshal([]byte(m), &value) != nil {
				return m
			}
			if red := r.Text(value); red != value {
				enc, _ := json.Marshal(red)
				return string(enc)
			}
			return m
		})
	}
	return r.Text(out), true
}

func (r *Redactor) hasSecrets() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.secrets) > 0
}

// jsonStringLiteral matches one JSON string literal (escapes included).
var jsonStringLiteral = lazyRegexp(`"(?:[^"\\]|\\.)*"`)

// jsonStringMember matches "name": "string value" (escapes included).
var jsonStringMember = lazyRegexp(`("([A-Za-z_]+)"\s*:\s*)"((?:[^"\\]|\\.)*)"`)

// Exchange returns a redacted copy of an exchange.
func (r *Redactor) Exchange(ex Exchange) Exchange {
	if r.Reveal {
		return ex
	}
	out := ex
	out.URL = r.URL(ex.URL)
	out.RequestHeaders = r.headers(ex.RequestHeaders)
	out.ResponseHeaders = r.headers(ex.ResponseHeaders)
	out.RequestBody = r.Body(headerValue(ex.RequestHeaders, "Content-Type"), ex.RequestBody)
	out.ResponseBody = r.Body(headerValue(ex.ResponseHeaders, "Content-Type"), ex.ResponseBody)
	if ex.Err != nil {
		out.Err = fmt.Errorf("%s", r.Text(ex.Err.Error()))
	}
	return out
}

// Request returns a redacted copy of a prepared request (for display and curl).
func (r *Redactor) Request(req *Request) *Request {
	c := req.Clone()
	if r.Reveal {
		return c
	}
	for i, p := range c.Params {
		if p.Secret && !strings.EqualFold(p.Name, "client_assertion") {
			c.Params[i].Value = Masked
			continue
		}
		c.Params[i].Value = r.Value(p.Name, p.Value)
	}
	for i, h := range c.Headers {
		c.Headers[i].Value = r.Header(h.Name, h.Value)
	}
	return c
}

func (r *Redactor) headers(hs []Header) []Header {
	out := make([]Header, len(hs))
	for i, h := range hs {
		out[i] = Header{Name: h.Name, Value: r.Header(h.Name, h.Value), Secret: h.Secret}
	}
	return out
}

func headerValue(hs []Header, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// ShortenToken keeps enough of a token to recognise it and says how long it was.
func ShortenToken(t string) string {
	if len(t) <= 16 {
		return Masked
	}
	return fmt.Sprintf("%s…[%d chars]", t[:10], len(t))
}

// maskSignature keeps a JWT's header and payload (useful to read) and masks its signature (a credential).
func maskSignature(jwt string) string {
	if i := strings.LastIndexByte(jwt, '.'); i > 0 && strings.Count(jwt, ".") == 2 {
		return jwt[:i+1] + Masked
	}
	return Masked
}
