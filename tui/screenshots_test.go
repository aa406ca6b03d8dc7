package tui

import (
	"context"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/flows"
)

// The README's pictures are these screens in colour: golden files like the others (pinned clock, ids
// and sizes; regenerate with go test ./tui -run TestScreenshots -update), which scripts/screenshots
// renders to images. A screen that changes fails here until its golden, and then its picture, is
// regenerated; the picture's text is compared with the screen's here, and CI's scripts/screenshots
// --check compares the pictures byte for byte.

// screenshot is the whole screen with its colours (dark background), as the terminal would get it.
func screenshot(m *Model) string { return m.View().Content }

func TestScreenshots(t *testing.T) {
	t.Run("picker", func(t *testing.T) {
		m := New(pinned(Options{Demo: demoOf(newEmulator(t))}, nil))
		update(m, tea.WindowSizeMsg{Width: 150, Height: 30})
		requirePicture(t, "picker", screenshot(m))
	})
	t.Run("run-claims", func(t *testing.T) {
		requirePicture(t, "run-claims", screenshot(finishedAuthCodeRun(t, 130, 34)))
	})
	t.Run("error-panel", func(t *testing.T) {
		m := syntheticRun(t, flows.FlowClientCredentials, 100, 24)
		update(m, legSentMsg{RunID: m.run.id, Leg: 0, Err: expiredSecretError(), Took: 12 * time.Millisecond})
		requirePicture(t, "error-panel", screenshot(m))
	})
	t.Run("device-code", func(t *testing.T) {
		requirePicture(t, "device-code", screenshot(waitingDeviceCodeRun(t, 100, 30)))
	})
}

// requirePicture compares the screen with its golden and, unless the goldens are being rewritten,
// the text of the README's picture with the screen's, so a screen changed without its picture fails
// here already, not only in CI's scripts/screenshots --check.
func requirePicture(t *testing.T, name, screen string) {
	t.Helper()
	golden.RequireEqual(t, screen)
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		return
	}
	svg, err := os.ReadFile(filepath.Join("..", "docs", "screenshots", name+".svg"))
	if err != nil {
		t.Fatalf("the README picture of %s: %v; run scripts/screenshots", name, err)
	}
	if got, want := pictureText(string(svg)), screenText(screen); !slices.Equal(got, want) {
		t.Errorf("docs/screenshots/%s.svg does not show this screen; run scripts/screenshots and commit the picture", name)
	}
}

var svgText = regexp.MustCompile(`(?s)<text[^>]*>(.*?)</text>`)
var svgTag = regexp.MustCompile(`<[^>]+>`)

// pictureText is the text a freeze SVG draws, line by line (it draws no blank lines).
func pictureText(svg string) []string {
	var lines []string
	for _, m := range svgText.FindAllStringSubmatch(svg, -1) {
		if line := strings.TrimRight(html.UnescapeString(svgTag.ReplaceAllString(m[1], "")), " "); line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// screenText is a screen's text without its colours, line by line, blank lines left out.
func screenText(screen string) []string {
	var lines []string
	for _, l := range strings.Split(ansi.Strip(screen), "\n") {
		if l = strings.TrimRight(l, " "); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// expiredSecretError is Entra ID's answer to an expired client secret, as the engine parses it.
func expiredSecretError() *flows.OAuthError {
	return &flows.OAuthError{Status: 401, Code: "invalid_client", Codes: []int{7000222},
		Message:     "The provided client secret keys for app 'e2b7f4a9-6c3d-4f18-9b52-0a8d3c1e6f74' are expired.",
		Description: "AADSTS7000222: The provided client secret keys for app 'e2b7f4a9-6c3d-4f18-9b52-0a8d3c1e6f74' are expired.",
		TraceID:     "0b2f7c1e-0000-4000-8000-000000000001", CorrelationID: "0b2f7c1e-0000-4000-8000-000000000002",
		Timestamp: "2026-11-23 23:00:00Z"}
}

// waitingDeviceCodeRun is a device code run polling while the user enters the code elsewhere.
func waitingDeviceCodeRun(t *testing.T, w, h int) *Model {
	t.Helper()
	m := syntheticRun(t, flows.FlowDeviceCode, w, h)
	r := m.run
	device := &flows.DeviceAuthorization{UserCode: "BX7K2MQPD", VerificationURI: "http://127.0.0.1:9/devicelogin",
		ExpiresIn: 900, Interval: 5, ExpiresAt: pinnedNow.Add(14*time.Minute + 21*time.Second)}
	update(m, legSentMsg{RunID: r.id, Leg: 0, State: flows.State{Device: device}, Took: 4 * time.Millisecond})
	r.current, r.selected, r.preparing, r.busy = 1, 1, false, true
	r.legs[1].state = legWaiting
	for i := 1; i <= 3; i++ {
		r.legs[1].exchanges = append(r.legs[1].exchanges, flows.Exchange{ID: i + 1, Leg: 1, Step: fmt.Sprintf("poll %d", i),
			Method: "POST", Status: 400, ResponseBody: `{"error":"authorization_pending"}`, Timing: flows.Timing{Total: 3 * time.Millisecond}})
	}
	return m
}

// finishedAuthCodeRun is an authorization code run whose tokens came back, the claims pane open beside it.
func finishedAuthCodeRun(t *testing.T, w, h int) *Model {
	t.Helper()
	m := New(pinned(Options{Settings: flows.Settings{Authority: "http://127.0.0.1:9", Tenant: "7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13",
		ClientID: "3f0c7d2e-8a14-4b6f-b5e9-1d2a7c4e9f30", ClientSecret: "synthetic-secret-value",
		RedirectURI: "http://localhost/callback", Scopes: []string{"openid", "profile", "offline_access"}}}, nil))
	update(m, tea.WindowSizeMsg{Width: w, Height: h})
	f, _ := flows.Lookup(string(flows.FlowAuthCode))
	m.startRun(f, m.opts.Settings)
	if m.run.initErr != nil {
		t.Fatal(m.run.initErr)
	}
	r := m.run
	update(m, legSentMsg{RunID: r.id, Leg: 0, Took: 41 * time.Millisecond})
	r.current, r.selected, r.preparing = 1, 1, false // as when the redeem leg's request is prepared
	access := testToken(sampleClaims)
	redeem := flows.Exchange{ID: 5, Leg: 1, LegName: flows.LegRedeem, Step: "token", Method: "POST",
		URL:    "http://127.0.0.1:9/7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13/oauth2/v2.0/token",
		Status: 200, StatusText: "200 OK", Timing: flows.Timing{Total: 9 * time.Millisecond},
		ResponseBody: `{"token_type":"Bearer","scope":"openid profile offline_access","expires_in":3599,"access_token":"` + access + `"}`}
	update(m, legSentMsg{RunID: r.id, Leg: 1, Took: 9 * time.Millisecond, Exchanges: []flows.Exchange{redeem},
		State: flows.State{Tokens: &flows.Tokens{AccessToken: access, TokenType: "Bearer", ExpiresIn: 3599}}})
	if !r.finished {
		t.Fatal("the synthetic run did not finish")
	}
	view := buildTokenView(context.Background(), "access", access, nil, decode.Expect{}, pinnedNow)
	update(m, tokensDecodedMsg{RunID: r.id, Seq: r.decodeSeq, Views: []tokenView{view}})
	return m
}
