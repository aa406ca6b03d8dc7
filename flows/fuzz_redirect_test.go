package flows

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseRedirect feeds arbitrary pasted text to the redirect parser: it must return a redirect or a
// *FieldError naming the redirect, never panic, and never invent a code or an error that the URL lacks.
func FuzzParseRedirect(f *testing.F) {
	for _, seed := range []string{
		"http://localhost:8400/callback?code=0.AXoA-abc&state=s1&session_state=x",
		"http://localhost/#code=abc&state=s1",
		"https://app.example.com/cb?error=access_denied&error_description=AADSTS65004%3A+declined&state=s",
		"  http://127.0.0.1:1/?code=a%20b  ",
		"msal00000000-0000-0000-0000-000000000000://auth?code=x",
		"localhost/callback?code=abc",
		"http://[::1]:%zz/?code=x",
		"http://h/?code=&error=&#code=frag",
		"%",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		red, err := ParseRedirect(raw)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "redirect" || !strings.Contains(err.Error(), "paste") {
				t.Fatalf("ParseRedirect(%q): error %v (%T) does not name the redirect field and the fix", raw, err, err)
			}
			return
		}
		if red == nil || red.Params == nil {
			t.Fatalf("ParseRedirect(%q) = %+v, nil: no params", raw, red)
		}
		for _, name := range []string{"code", "error"} {
			if v := red.Params.Get(name); v != "" && !strings.Contains(raw, name+"=") {
				t.Fatalf("ParseRedirect(%q): %s %q appears from nowhere", raw, name, v)
			}
		}
	})
}
