package browser

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// htmlForm is the one form of a sign-in, consent, device-code or form_post page (the emulator's sign-in
// contract): its action, method and inputs in document order.
type htmlForm struct {
	Action string
	Method string
	Inputs []htmlInput
}

type htmlInput struct {
	Type, Name, Value string
}

// The page patterns, compiled on first use so that commands which never walk a page do not pay for them.
var (
	inputTag  = lazyRegexp(`(?is)<input\b[^>]*>`)
	formTag   = lazyRegexp(`(?is)<form\b([^>]*)>(.*?)</form>`)
	buttonTag = lazyRegexp(`(?is)<button\b[^>]*>`)
	attrRe    = lazyRegexp(`(?is)([a-z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
)

// parseForm finds the first form of a page. ok is false when there is none.
func parseForm(page string) (f htmlForm, ok bool) {
	m := formTag().FindStringSubmatch(page)
	if m == nil {
		return f, false
	}
	attrs := parseAttrs(m[1])
	f.Action, f.Method = attrs["action"], strings.ToUpper(attrs["method"])
	if f.Method == "" {
		f.Method = "GET"
	}
	for _, tag := range append(inputTag().FindAllString(m[2], -1), buttonTag().FindAllString(m[2], -1)...) {
		a := parseAttrs(tag)
		if a["name"] == "" {
			continue
		}
		typ := strings.ToLower(a["type"])
		if strings.HasPrefix(strings.ToLower(tag), "<button") && typ == "" {
			typ = "submit"
		}
		f.Inputs = append(f.Inputs, htmlInput{Type: typ, Name: a["name"], Value: a["value"]})
	}
	return f, true
}

func parseAttrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range attrRe().FindAllStringSubmatch(s, -1) {
		out[strings.ToLower(m[1])] = html.UnescapeString(m[2] + m[3] + m[4])
	}
	return out
}

// has reports whether the form has an input called name.
func (f htmlForm) has(name string) bool {
	for _, in := range f.Inputs {
		if in.Name == name {
			return true
		}
	}
	return false
}

// values fills the form as a browser would: hidden and text inputs keep their values, fill overrides by name,
// and of the submit buttons only the one named in fill is sent.
func (f htmlForm) values(fill map[string]string) url.Values {
	v := url.Values{}
	for _, in := range f.Inputs {
		if in.Type == "submit" {
			continue
		}
		v.Set(in.Name, in.Value)
	}
	for k, val := range fill {
		if f.has(k) {
			v.Set(k, val)
		}
	}
	return v
}

func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
