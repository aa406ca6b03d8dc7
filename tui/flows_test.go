package tui

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every flow of the matrix runs against the in-memory emulator from the TUI, pressing what a person
// would, to decoded claims.

func TestAuthCodeSignInHereToClaims(t *testing.T) {
	tm, m := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 100, 30)
	press(tm, "enter", "enter") // auth-code, settings prefilled
	waitFor(t, tm, "sign in here as")
	press(tm, "enter") // sign in here as the first demo user
	waitFor(t, tm, "Redeem the code · prepared")
	press(tm, "enter")
	waitFor(t, tm, "[access]")
	screen := finalScreen(t, tm)
	for _, want := range []string{"[access]", "id", "✓ valid", "aud", "Audience"} {
		if !strings.Contains(screen, want) {
			t.Errorf("claims pane lacks %q:\n%s", want, screen)
		}
	}
	if n := len(m.run.legs[0].exchanges); n < 2 {
		t.Errorf("sign in here should be traced as exchanges of the browser leg, got %d", n)
	}
	if len(m.sess.runs) != 1 || m.sess.runs[0].RefreshToken == "" {
		t.Error("the finished run's tokens were not kept for chaining")
	}
}

func TestPKCERunAllToClaims(t *testing.T) {
	tm, _ := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 100, 30)
	press(tm, toRow("mobile app", "enter", "enter")...)
	waitFor(t, tm, "sign in here as")
	press(tm, "a") // run the remaining legs: sign in here, then redeem with the verifier
	waitFor(t, tm, "[access]")
	screen := finalScreen(t, tm)
	if !strings.Contains(screen, "code_verifier") {
		t.Errorf("the redeem leg should show the code_verifier it sent:\n%s", screen)
	}
}

func TestDeviceCodeApprovedInTerminal(t *testing.T) {
	tm, m := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 100, 30)
	press(tm, toRow("CLI tool", "enter", "enter")...)
	waitFor(t, tm, "Get a device code · prepared")
	press(tm, "enter")
	waitFor(t, tm, "Poll for tokens · prepared")
	press(tm, "enter")
	waitFor(t, tm, "approve here as")
	press(tm, "enter")
	waitFor(t, tm, "[access]")
	screen := finalScreen(t, tm)
	if !strings.Contains(screen, "authorization_pending") && !strings.Contains(screen, "poll") {
		t.Errorf("the polls should be listed:\n%s", screen)
	}
	if m.run.approvedAs == "" {
		t.Error("the device code was not approved in the terminal")
	}
}

func TestOnBehalfOfChainsFromAnEarlierRun(t *testing.T) {
	tm, m := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 100, 30)
	press(tm, "enter", "enter")
	waitFor(t, tm, "sign in here as")
	press(tm, "a")
	waitFor(t, tm, "[access]")
	press(tm, "esc", "esc")
	press(tm, toRow("API calling another API", "enter")...)
	waitFor(t, tm, "On-behalf-of")
	if m.settings == nil || m.settings.field("assertion").input.Value() == "" {
		t.Fatal("the on-behalf-of settings did not take the earlier run's access token")
	}
	press(tm, "enter")
	waitFor(t, tm, "Exchange the user token · prepared")
	press(tm, "enter")
	waitFor(t, tm, "[access]")
	screen := finalScreen(t, tm)
	if !strings.Contains(screen, "on_behalf_of") {
		t.Errorf("the OBO leg should show requested_token_use=on_behalf_of:\n%s", screen)
	}
}

func TestRefreshChainsFromAnEarlierRun(t *testing.T) {
	tm, _ := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 100, 30)
	press(tm, "enter", "enter")
	waitFor(t, tm, "sign in here as")
	press(tm, "a")
	waitFor(t, tm, "[access]")
	press(tm, "esc", "esc")
	press(tm, toRow("↳ renew a sign-in", "enter", "enter")...)
	waitFor(t, tm, "Redeem the refresh token · prepared")
	press(tm, "enter")
	waitFor(t, tm, "[access]")
	screen := finalScreen(t, tm)
	if !strings.Contains(screen, "grant_type=refresh_token") {
		t.Errorf("the refresh leg should show its grant:\n%s", screen)
	}
}

func TestErrorPanelExplainsAADSTS(t *testing.T) {
	srv := newEmulator(t)
	if err := srv.SetScenarios([]string{"secret-expired"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.SetScenarios(nil) })
	tm, _ := startTUI(t, live(Options{Demo: demoOf(srv)}), 100, 30)
	press(tm, toRow("background service", "enter", "enter")...)
	waitFor(t, tm, "client_secret")
	press(tm, "enter")
	waitFor(t, tm, "fix:")
	screen := finalScreen(t, tm)
	for _, want := range []string{"AADSTS7000222", "✗ failed", "fix:"} {
		if !strings.Contains(screen, want) {
			t.Errorf("error panel lacks %q:\n%s", want, screen)
		}
	}
}

// live pins the palette but keeps the real clock (the emulator's tokens carry real times) and real
// randomness (the emulator, shared between tests, refuses a replayed assertion id, as Entra does).
func live(opts Options) Options {
	opts = pinned(opts, nil)
	opts.Now, opts.Rand = nil, nil
	return opts
}

func TestExportWritesRedactedHARAndMarkdown(t *testing.T) {
	dir := t.TempDir()
	demo := demoOf(newEmulator(t))
	opts := live(Options{Demo: demo})
	opts.ExportDir = dir
	tm, _ := startTUI(t, opts, 100, 30)
	press(tm, toRow("background service", "enter", "enter")...)
	waitFor(t, tm, "client_secret")
	press(tm, "enter")
	waitFor(t, tm, "[access]")
	press(tm, "e")
	waitFor(t, tm, "exported")
	finalScreen(t, tm)
	for _, ext := range []string{".har", ".md"} {
		matches, _ := filepath.Glob(filepath.Join(dir, "aadx-client-credentials-*"+ext))
		if len(matches) != 1 {
			t.Fatalf("want one %s export in %s, got %v", ext, dir, matches)
		}
		info, err := os.Stat(matches[0])
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", matches[0], info.Mode().Perm())
		}
		data, _ := os.ReadFile(matches[0])
		if strings.Contains(string(data), demo.Apps.Daemon.ClientSecret) {
			t.Errorf("%s contains the client secret", matches[0])
		}
		if !strings.Contains(string(data), "client_credentials") {
			t.Errorf("%s does not hold the trace", matches[0])
		}
	}
}

func TestSystemBrowserIsCaughtOnTheLoopbackListener(t *testing.T) {
	opened := make(chan string, 1)
	// The "browser" follows the authorize URL's redirect_uri back with a code, as Entra would after sign-in.
	browser := func(authorize string) error {
		u, err := url.Parse(authorize)
		if err != nil {
			return err
		}
		q := u.Query()
		back := q.Get("redirect_uri") + "?code=from-the-browser&state=" + url.QueryEscape(q.Get("state"))
		opened <- q.Get("redirect_uri")
		go func() {
			if resp, err := http.Get(back); err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	opts := live(Options{Demo: demoOf(newEmulator(t))})
	opts.OpenBrowser = browser
	tm, m := startTUI(t, opts, 100, 30)
	press(tm, "enter", "enter")
	waitFor(t, tm, "sign in here as")
	press(tm, "o")
	waitFor(t, tm, "Redeem the code · prepared")
	finalScreen(t, tm)
	redirect := <-opened
	if u, _ := url.Parse(redirect); u == nil || u.Port() == "" {
		t.Errorf("the authorize URL should carry the listener's port, got redirect_uri %q", redirect)
	}
	if m.run.legs[0].state != legDone || m.run.state.Code != "from-the-browser" {
		t.Errorf("the browser leg should be done with the code the listener caught (state %s, code %q)",
			m.run.legs[0].state, m.run.state.Code)
	}
}
