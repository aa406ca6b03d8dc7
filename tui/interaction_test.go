package tui

import (
	"strings"
	"testing"

	"github.com/aadx/aadx/decode"
)

func TestPastedRedirectWithWrongStateIsRefused(t *testing.T) {
	tm, m := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 100, 30)
	press(tm, "enter", "enter")
	waitFor(t, tm, "paste the redirect URL")
	press(tm, "p")
	waitFor(t, tm, "redirect URL ›")
	tm.Type("http://localhost/callback?code=pasted-code&state=not-the-state-sent")
	press(tm, "enter")
	waitFor(t, tm, "✗ failed")
	screen := finalScreen(t, tm)
	if !strings.Contains(screen, "state") {
		t.Errorf("the refusal should name the state check:\n%s", screen)
	}
	if m.run.state.Code != "" {
		t.Error("a redirect with the wrong state must not yield a code (RFC 6749 §10.12)")
	}
}

func TestEditedParameterIsSent(t *testing.T) {
	tm, m := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 100, 30)
	press(tm, toRow("background service", "enter", "enter")...)
	waitFor(t, tm, "client_secret")
	press(tm, "tab", "down") // focus the request, move to scope
	waitFor(t, tm, "▸ scope")
	press(tm, "i", "ctrl+u")
	tm.Type("https://graph.microsoft.com/.default")
	press(tm, "enter")
	waitFor(t, tm, "edited scope")
	press(tm, "enter")
	waitFor(t, tm, "[access]")
	finalScreen(t, tm)
	exs := m.run.legs[0].exchanges
	if len(exs) == 0 || !strings.Contains(exs[len(exs)-1].RequestBody, "graph.microsoft.com") {
		t.Fatalf("the edited scope was not sent: %+v", exs)
	}
	tok, err := decode.Unverified(m.run.state.Tokens.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if aud := tok.Claims.Strings("aud"); len(aud) == 0 || !strings.Contains(aud[0], "graph") && aud[0] != "00000003-0000-0000-c000-000000000000" {
		t.Errorf("the token should be for Graph after the edit, aud %v", aud)
	}
}

func TestCertificateCredentialShowsTheAssertionMasked(t *testing.T) {
	demo := demoOf(newEmulator(t))
	if demo.Apps.Daemon.CertFile == "" {
		t.Fatal("the emulator wrote no daemon certificate: the demo tenant's certificate credential is broken")
	}
	clip := &fakeClipboard{}
	opts := live(Options{Demo: demo})
	opts.Clipboard = clip.write
	tm, m := startTUI(t, opts, 100, 30)
	press(tm, toRow("background service", "enter")...)
	waitFor(t, tm, "Client secret")
	// Replace the secret by the certificate file: the settings screen reads and checks it on enter.
	press(tm, "down", "down", "ctrl+u", "down")
	tm.Type(demo.Apps.Daemon.CertFile)
	press(tm, "enter")
	waitFor(t, tm, "client_assertion_type") // the leg is prepared (the diagram names client_assertion sooner)
	press(tm, "enter")
	waitFor(t, tm, "[access]  assertion")
	press(tm, "]")
	waitFor(t, tm, "[assertion]")
	press(tm, "c")
	waitFor(t, tm, "copied assertion token")
	finalScreen(t, tm)
	copied := clip.last()
	raw := m.run.state.ClientAssertion
	if raw == "" || copied == raw {
		t.Errorf("the client assertion is a credential: it must be copied with its signature masked")
	}
	if !strings.HasSuffix(copied, ".REDACTED") {
		t.Errorf("copied assertion %q should end in .REDACTED", copied)
	}
}
