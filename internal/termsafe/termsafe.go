// Package termsafe keeps text aadx does not control (token claims, HTTP headers and bodies, error_description,
// a device code message, a pasted body) from acting on the terminal. Printed raw, an ESC or BEL sequence in such
// text can set the clipboard (OSC 52), retitle the window or clear the screen; escaped, it is shown as text.
package termsafe

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Escape writes every character a terminal would act on as a visible escape: C0 controls but newline and tab,
// DEL and C1 controls as \u00XX, the bidirectional overrides and isolates (which reorder what is shown) as
// \uXXXX, and bytes that are not UTF-8 as \xNN. Other text is returned unchanged (and unallocated).
func Escape(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	appendEscaped(&b, s)
	return b.String()
}

// clean reports whether s needs no escaping (the common case, checked without allocating).
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 {
			if c < 0x80 {
				return false
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if unsafeRune(r, size) {
				return false
			}
			i += size - 1
		}
	}
	return true
}

func unsafeRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size <= 1: // not UTF-8
		return true
	case r < 0x20:
		return r != '\n' && r != '\t'
	case r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

func appendEscaped(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case !unsafeRune(r, size):
			b.WriteString(s[i : i+size])
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(b, `\x%02x`, s[i])
		default:
			fmt.Fprintf(b, `\u%04x`, r)
		}
		i += size
	}
}

// Writer escapes, as Escape does, everything written through it except the SGR sequences (ESC [ … m: colour
// and weight) aadx's own styling writes. It is the last line of defence for the command line's outputs; the
// \uXXXX form keeps JSON valid and equal in meaning.
type Writer struct{ w io.Writer }

// NewWriter wraps w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Unwrap returns the writer underneath, for terminal detection.
func (t *Writer) Unwrap() io.Writer { return t.w }

func (t *Writer) Write(p []byte) (int, error) {
	s := string(p)
	if clean(s) {
		return t.w.Write(p)
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for len(s) > 0 {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			appendEscaped(&b, s)
			break
		}
		appendEscaped(&b, s[:i])
		if n := sgrLen(s[i:]); n > 0 {
			b.WriteString(s[i : i+n])
			s = s[i+n:]
			continue
		}
		b.WriteString(`\u001b`)
		s = s[i+1:]
	}
	if _, err := io.WriteString(t.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// sgrLen is the length of the SGR sequence s starts with (ESC [ digits and ; or : … m), else 0.
func sgrLen(s string) int {
	if len(s) < 3 || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s) && i < 64; i++ {
		switch c := s[i]; {
		case c == 'm':
			return i + 1
		case c >= '0' && c <= '9', c == ';', c == ':':
		default:
			return 0
		}
	}
	return 0
}

// Underlying returns the writer beneath any Writer wrapping, so a caller can ask whether it is a terminal.
func Underlying(w io.Writer) io.Writer {
	for {
		t, ok := w.(*Writer)
		if !ok {
			return w
		}
		w = t.w
	}
}
