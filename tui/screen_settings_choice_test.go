package tui

import (
	"strings"
	"testing"
)

// TestPlatformIsAChoiceThatFillsTheDemoApp: the platform is chosen among web, SPA and public (never
// typed), and on the demo tenant choosing it fills that platform's app and its registered redirect.
func TestPlatformIsAChoiceThatFillsTheDemoApp(t *testing.T) {
	demo := demoOf(newEmulator(t))
	for _, size := range []struct{ w, h int }{{100, 30}, {80, 24}} {
		tm, _ := startTUI(t, live(Options{Demo: demo}), size.w, size.h)
		press(tm, toRow("mobile app", "enter")...)
		waitFor(t, tm, "Redirect URI")
		press(tm, "down", "down") // tenant → client id → platform
		waitFor(t, tm, "(•) public")
		screen := screenNow(t, tm)
		for _, want := range []string{"( ) web", "( ) spa", demo.Apps.Public.ClientID} {
			if !strings.Contains(screen, want) {
				t.Errorf("%dx%d: the platform choice should show %q:\n%s", size.w, size.h, want, screen)
			}
		}
		press(tm, "left") // public → spa
		waitFor(t, tm, "(•) spa")
		screen = screenNow(t, tm)
		for _, want := range []string{demo.Apps.SPA.ClientID, demo.Apps.SPA.RedirectURI} {
			if !strings.Contains(screen, want) {
				t.Errorf("%dx%d: choosing spa should fill the demo SPA app's %q:\n%s", size.w, size.h, want, screen)
			}
		}
		press(tm, "x")              // a letter is not typed into a choice
		press(tm, "right", "right") // spa → public → web
		waitFor(t, tm, "(•) web")
		press(tm, "space") // web → spa, a second time
		waitFor(t, tm, "(•) spa")
		if s := screenNow(t, tm); !strings.Contains(s, demo.Apps.SPA.ClientID) || strings.Contains(s, "x") && strings.Contains(s, "spax") {
			t.Errorf("%dx%d: back on spa the SPA app is filled again:\n%s", size.w, size.h, s)
		}
		finalScreen(t, tm)
	}
}

// TestDemoCertificateIsOneKeyAway: on the demo tenant ctrl+t swaps the secret for the app's certificate,
// whose file is shown, and back.
func TestDemoCertificateIsOneKeyAway(t *testing.T) {
	demo := demoOf(newEmulator(t))
	tm, _ := startTUI(t, live(Options{Demo: demo}), 100, 30)
	press(tm, toRow("background service", "enter")...)
	waitFor(t, tm, "ctrl+t")
	press(tm, "ctrl+t")
	waitFor(t, tm, demo.Apps.Daemon.CertFile)
	press(tm, "ctrl+t")
	waitFor(t, tm, "ctrl+t")
	if s := screenNow(t, tm); strings.Contains(s, demo.Apps.Daemon.CertFile) {
		t.Errorf("ctrl+t a second time goes back to the secret:\n%s", s)
	}
	press(tm, "ctrl+t", "enter")
	waitFor(t, tm, "client_assertion")
	finalScreen(t, tm)
}

// TestSettingsSurviveGoingBackToThePicker: an edit stays when the person goes back to the flows and
// comes to the same row again.
func TestSettingsSurviveGoingBackToThePicker(t *testing.T) {
	demo := demoOf(newEmulator(t))
	tm, _ := startTUI(t, live(Options{Demo: demo}), 100, 30)
	press(tm, toRow("background service", "enter")...)
	waitFor(t, tm, "Client secret")
	press(tm, "down", "down", "down", "down") // the scopes
	tm.Type(" edited-scope")
	waitFor(t, tm, "edited-scope")
	for range 2 {
		press(tm, "esc")
		waitFor(t, tm, "background service")
		press(tm, "enter")
		waitFor(t, tm, "Client secret")
		if s := screenNow(t, tm); !strings.Contains(s, "edited-scope") {
			t.Fatalf("the edit is lost after going back to the picker:\n%s", s)
		}
	}
	finalScreen(t, tm)
}

// On a row whose preset names a redirect (the desktop app's loopback), choosing another platform and
// coming back to the row's own gives the row's redirect again, as the picker filled it.
func TestPlatformChoiceComesBackToTheRowsPreset(t *testing.T) {
	demo := demoOf(newEmulator(t))
	tm, _ := startTUI(t, live(Options{Demo: demo}), 100, 30)
	press(tm, toRow("desktop app", "enter")...)
	waitFor(t, tm, "Redirect URI")
	first := lineWith(screenNow(t, tm), "Redirect URI")
	press(tm, "down", "down", "left") // public → spa
	waitFor(t, tm, demo.Apps.SPA.RedirectURI)
	press(tm, "right") // back to public
	waitFor(t, tm, "(•) public")
	if again := lineWith(screenNow(t, tm), "Redirect URI"); again != first {
		t.Errorf("back on the row's platform the redirect should be the row's again:\nfirst %q\nagain %q", first, again)
	}
	finalScreen(t, tm)
}

// TestPKCEOnTheWebPlatformSendsTheWebAppsSecret: PKCE run as a web app is a confidential client: choosing web on
// the demo tenant fills the web app's secret and the redemption sends it and gets tokens; back on spa the secret
// is gone and none is sent; then web again.
func TestPKCEOnTheWebPlatformSendsTheWebAppsSecret(t *testing.T) {
	demo := demoOf(newEmulator(t))
	tm, _ := startTUI(t, live(Options{Demo: demo}), 100, 30)
	press(tm, toRow("single-page app (SPA)", "enter")...)
	waitFor(t, tm, "(•) spa")
	press(tm, "down", "down") // tenant → client id → platform
	for _, p := range []string{"web", "spa", "web"} {
		if p == "web" {
			press(tm, "left")
		} else {
			press(tm, "right")
		}
		waitFor(t, tm, "(•) "+p)
		press(tm, "enter") // start the run
		waitFor(t, tm, "sign in here as")
		press(tm, "enter") // as the demo user
		waitFor(t, tm, "✓ [1]")
		press(tm, "enter") // redeem the code
		waitFor(t, tm, "[access]")
		sent := strings.Contains(screenNow(t, tm), "client_secret=[redacted]")
		if sent != (p == "web") {
			t.Errorf("on %s the redemption sent a secret: %v\n%s", p, sent, screenNow(t, tm))
		}
		press(tm, "esc") // back to the settings, the platform still focused
		waitFor(t, tm, "Client secret")
	}
}
