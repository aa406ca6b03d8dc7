package flows

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxPatternSecret bounds the secrets that get a per-character pattern: longer ones (a client assertion, a key)
// are base64-like, spelled the same in every encoding but a few, and would make a pattern of megabytes.
const maxPatternSecret = 256

// secretMatcher finds one secret in every encoding aadx's outputs carry a server's text in: literal,
// URL-encoded (query or path style, either hex case), JSON-escaped (\uXXXX in either case, surrogate pairs, the
// short escapes, an escaped solidus) and HTML character references. A server that echoes a secret back (an
// error_description quoting the form, a debug page) may use any of them, and may mix them within one string,
// so each character of the secret matches any of its spellings.
type secretMatcher struct {
	pattern *regexp.Regexp // nil for a long secret or one that is not UTF-8
	fixed   []string       // whole-secret spellings, used when there is no pattern
}

func newSecretMatcher(secret string) *secretMatcher {
	if len(secret) <= maxPatternSecret && utf8.ValidString(secret) {
		if p, err := regexp.Compile(secretPattern(secret)); err == nil {
			return &secretMatcher{pattern: p}
		}
	}
	goJSON, _ := json.Marshal(secret)
	spellings := []string{url.QueryEscape(secret), url.PathEscape(secret), string(goJSON[1 : len(goJSON)-1])}
	m := &secretMatcher{}
	for _, s := range spellings {
		if s != secret {
			m.fixed = append(m.fixed, s)
		}
	}
	return m
}

func (m *secretMatcher) replace(s string) string {
	if m.pattern != nil {
		return m.pattern.ReplaceAllLiteralString(s, Masked)
	}
	for _, spelled := range m.fixed {
		s = strings.ReplaceAll(s, spelled, Masked)
	}
	return s
}

// secretPattern is the regular expression for a UTF-8 secret: each character as any of its spellings.
func secretPattern(secret string) string {
	var b strings.Builder
	for i, c := range secret {
		size := utf8.RuneLen(c)
		b.WriteString("(?:" + strings.Join(runeSpellings(c, secret[i:i+size]), "|") + ")")
	}
	return b.String()
}

// runeSpellings lists the regular expressions for one character of a secret.
func runeSpellings(c rune, raw string) []string {
	alts := []string{regexp.QuoteMeta(raw)}
	// URL encoding: every byte as %XX; a space also as +.
	var pct strings.Builder
	for j := 0; j < len(raw); j++ {
		fmt.Fprintf(&pct, `%%(?i:%02x)`, raw[j])
	}
	alts = append(alts, pct.String())
	if c == ' ' {
		alts = append(alts, `\+`)
	}
	// JSON: \uXXXX (a surrogate pair above the BMP) and the short escapes.
	if c > 0xFFFF {
		hi, lo := 0xD800+((c-0x10000)>>10), 0xDC00+((c-0x10000)&0x3FF)
		alts = append(alts, fmt.Sprintf(`\\u(?i:%04x)\\u(?i:%04x)`, hi, lo))
	} else {
		alts = append(alts, fmt.Sprintf(`\\u(?i:%04x)`, c))
	}
	if short, ok := map[rune]string{'"': `\\"`, '\\': `\\\\`, '/': `\\/`, '\b': `\\b`, '\f': `\\f`, '\n': `\\n`, '\r': `\\r`, '\t': `\\t`}[c]; ok {
		alts = append(alts, short)
	}
	// HTML: numeric references (decimal with optional leading zeros, hex in either case) and the named few.
	alts = append(alts, fmt.Sprintf(`&#0*%d;`, c), fmt.Sprintf(`&#[xX]0*(?i:%x);`, c))
	if named, ok := map[rune]string{'"': `&quot;`, '&': `&amp;`, '<': `&lt;`, '>': `&gt;`, '\'': `&apos;`}[c]; ok {
		alts = append(alts, named)
	}
	return alts
}

// mayHoldEncodedSecret reports whether s could contain an encoded spelling of a secret; when it cannot, a plain
// substring search is enough (the common case, and much cheaper than the pattern).
func mayHoldEncodedSecret(s string) bool {
	return strings.ContainsAny(s, `\%+&`)
}
