package tui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/aadx/aadx/flows"
)

// sizes are the terminal sizes every screen is checked at: the 80x24 minimum and a common larger one.
var sizes = []struct{ w, h int }{{100, 30}, {80, 24}}

// Golden screens: size, colours (none), clock and ids pinned. Regenerate with: go test ./tui -update

func TestGoldenSettings(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			tm, _ := startTUI(t, pinned(Options{Demo: demoOf(newEmulator(t))}, nil), sz.w, sz.h)
			press(tm, toRow("background service", "enter")...)
			waitFor(t, tm, "ready")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

func TestGoldenRunPrepared(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			tm, _ := startTUI(t, pinned(Options{Demo: demoOf(newEmulator(t))}, nil), sz.w, sz.h)
			press(tm, toRow("background service", "enter", "enter")...)
			waitFor(t, tm, "client_secret")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

func TestGoldenHelp(t *testing.T) {
	tm, _ := startTUI(t, pinned(Options{Demo: demoOf(newEmulator(t))}, nil), 100, 30)
	press(tm, toRow("background service", "enter", "enter")...)
	waitFor(t, tm, "client_secret")
	press(tm, "?")
	waitFor(t, tm, "closes this help")
	golden.RequireEqual(t, finalScreen(t, tm))
}

func TestGoldenDecode(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			opts := pinned(Options{HTTPClient: &http.Client{Transport: offlineTransport{}}}, nil)
			tm, _ := startTUI(t, opts, sz.w, sz.h)
			press(tm, "d")
			tm.Type(testToken(sampleClaims))
			press(tm, "enter")
			waitFor(t, tm, "unverifiable")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

func TestGoldenBrowserPanel(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			tm, _ := startTUI(t, pinned(Options{Demo: demoOf(newEmulator(t))}, nil), sz.w, sz.h)
			press(tm, "enter", "enter")
			waitFor(t, tm, "sign in here as")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

// syntheticRun opens a run screen whose legs are then driven by hand-made results, for screens that
// depend on values the emulator randomises (user codes, trace ids).
func syntheticRun(t *testing.T, id flows.FlowID, w, h int) *Model {
	t.Helper()
	m := New(pinned(Options{Settings: flows.Settings{Authority: "http://127.0.0.1:9", Tenant: "7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13",
		ClientID: "e2b7f4a9-6c3d-4f18-9b52-0a8d3c1e6f74", ClientSecret: "synthetic-secret-value",
		Scopes: []string{"api://6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68/.default"}}}, nil))
	update(m, tea.WindowSizeMsg{Width: w, Height: h})
	f, _ := flows.Lookup(string(id))
	m.startRun(f, m.opts.Settings)
	if m.run.initErr != nil {
		t.Fatal(m.run.initErr)
	}
	return m
}

func TestGoldenDevicePanel(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			m := syntheticRun(t, flows.FlowDeviceCode, sz.w, sz.h)
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
			golden.RequireEqual(t, plainView(m))
		})
	}
}

func TestGoldenErrorPanel(t *testing.T) {
	m := syntheticRun(t, flows.FlowClientCredentials, 100, 30)
	oe := &flows.OAuthError{Status: 401, Code: "invalid_client", Codes: []int{7000222},
		Message:     "The provided client secret keys for app 'e2b7f4a9-6c3d-4f18-9b52-0a8d3c1e6f74' are expired.",
		Description: "AADSTS7000222: The provided client secret keys for app 'e2b7f4a9-6c3d-4f18-9b52-0a8d3c1e6f74' are expired.",
		TraceID:     "0b2f7c1e-0000-4000-8000-000000000001", CorrelationID: "0b2f7c1e-0000-4000-8000-000000000002",
		Timestamp: "2026-11-23 23:00:00Z"}
	update(m, legSentMsg{RunID: m.run.id, Leg: 0, Err: oe, Took: 12 * time.Millisecond})
	screen := plainView(m)
	if strings.Contains(screen, "synthetic-secret-value") {
		t.Fatal("the error panel shows the client secret")
	}
	golden.RequireEqual(t, screen)
}
