package flows

import (
	"html"
)

// inputTag matches an HTML input element; sign-in and form_post pages carry codes and tokens in hidden inputs.
var (
	inputTag  = lazyRegexp(`(?is)<input\b[^>]*>`)
	nameAttr  = lazyRegexp(`(?is)\bname\s*=\s*["']([^"']*)["']`)
	valueAttr = lazyRegexp(`(?is)(\bvalue\s*=\s*["'])([^"']*)(["'])`)
)

// redactHTMLValues redacts the value attributes of inputs whose name marks a secret or a token.
func redactHTMLValues(page string, r *Redactor) string {
	return inputTag().ReplaceAllStringFunc(page, func(tag string) string {
		m := nameAttr().FindStringSubmatch(tag)
		if m == nil {
			return tag
		}
		name := html.UnescapeString(m[1])
		return valueAttr().ReplaceAllStringFunc(tag, func(attr string) string {
			parts := valueAttr().FindStringSubmatch(attr)
			red := r.Value(name, html.UnescapeString(parts[2]))
			return parts[1] + html.EscapeString(red) + parts[3]
		})
	})
}
