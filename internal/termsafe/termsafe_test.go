package termsafe

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestEscape(t *testing.T) {
	tests := map[string]string{
		"plain text, ünïcödé … and emoji 😀\n\tnext": "plain text, ünïcödé … and emoji 😀\n\tnext",
		"\x1b]52;c;ZXZpbA==\x07":                    `\u001b]52;c;ZXZpbA==\u0007`,
		"a\rb\x7fc\u009bd\u202ee\xff":               `a\u000db\u007fc\u009bd\u202ee\xff`,
	}
	for in, want := range tests {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
		if got := Escape(Escape(in)); got != want {
			t.Errorf("Escape twice (%q) = %q, want %q", in, got, want)
		}
	}
}

// The writer keeps aadx's own colours, escapes everything else, and leaves JSON valid and equal in meaning.
func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	in := "\x1b[1;31mred\x1b[0m \x1b[2J\x1b]0;t\x07 \u009b"
	if _, err := w.Write([]byte(in)); err != nil {
		t.Fatal(err)
	}
	if want := "\x1b[1;31mred\x1b[0m \\u001b[2J\\u001b]0;t\\u0007 \\u009b"; b.String() != want {
		t.Errorf("Writer wrote %q, want %q", b.String(), want)
	}
	b.Reset()
	doc, _ := json.Marshal(map[string]string{"v": "x\u009by\u202e\x7f"})
	_, _ = w.Write(doc)
	var v map[string]string
	if err := json.Unmarshal(b.Bytes(), &v); err != nil || v["v"] != "x\u009by\u202e\x7f" {
		t.Errorf("JSON through the writer: %s (%v)", b.String(), err)
	}
	if Underlying(w) != &b {
		t.Error("Underlying does not unwrap the writer")
	}
}
