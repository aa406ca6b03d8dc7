package tui

import (
	"strings"
	"testing"

	"github.com/aadx/aadx/emulator"
)

// TestSignInLegNamesItsStepsAndOpensEach: the scripted sign-in's exchanges are named for what they are
// (sign-in page, credentials, consent, the redirect back) and n / N open each of them, there and back.
// The second sign-in finds consent already given, so its credentials lead straight to the redirect.
func TestSignInLegNamesItsStepsAndOpensEach(t *testing.T) {
	srv, err := emulator.New(emulator.Options{NoListener: true}) // its own: consent is remembered per user
	if err != nil {
		t.Fatal(err)
	}
	demo := demoOf(srv)
	for i, size := range []struct{ w, h int }{{100, 30}, {80, 24}} {
		steps := []struct{ row, name string }{{"#1 ", "sign-in page"}, {"#2 ", "credentials"}, {"#3 ", "consent"}, {"#3 ", "302 redirect → localhost/callback"}}
		last := "▸ #3"
		if i == 1 {
			steps = []struct{ row, name string }{{"#1 ", "sign-in page"}, {"#2 ", "credentials"}, {"#2 ", "302 redirect → localhost/callback"}}
			last = "▸ #2"
		}
		tm, _ := startTUI(t, live(Options{Demo: demo}), size.w, size.h)
		press(tm, "enter", "enter") // auth-code, settings prefilled
		waitFor(t, tm, "sign in here as")
		press(tm, "enter") // sign in here as the first demo user
		waitFor(t, tm, "2 Redeem the code · prepared")
		press(tm, "up") // the sign-in leg
		waitFor(t, tm, "1 Sign in (browser) · done")
		screen := screenNow(t, tm)
		for _, want := range steps {
			if row := lineWith(screen, want.row); !strings.Contains(row, want.name) {
				t.Errorf("%dx%d: the sign-in leg's step %s should be named %q, is %q:\n%s", size.w, size.h, want.row, want.name, row, screen)
			}
		}
		if !strings.Contains(screen, last) {
			t.Errorf("%dx%d: the last step is open at first (%q):\n%s", size.w, size.h, last, screen)
		}
		press(tm, "N", "N", "N") // back to the first step, and no further: the sign-in page
		waitFor(t, tm, "▸ #1")
		if s := screenNow(t, tm); !strings.Contains(s, "GET ") || !strings.Contains(s, "/authorize") {
			t.Errorf("%dx%d: the opened step is the GET of the sign-in page:\n%s", size.w, size.h, s)
		}
		press(tm, "n") // the credentials, the password masked
		waitFor(t, tm, "▸ #2")
		if s := screenNow(t, tm); !strings.Contains(s, "passwd=[redacted]") {
			t.Errorf("%dx%d: the opened step is the credentials POST, password redacted:\n%s", size.w, size.h, s)
		}
		press(tm, "n", "n", "n") // past the last: stays on it
		waitFor(t, tm, last)
		finalScreen(t, tm)
	}
}

// lineWith is the first line of screen containing marker, or "".
func lineWith(screen, marker string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, marker) {
			return l
		}
	}
	return ""
}
