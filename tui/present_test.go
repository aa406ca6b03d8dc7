package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/aadx/aadx/internal/demo"
)

func TestGoldenPresentRun(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			tm, _ := startTUI(t, pinned(Options{Demo: demoOf(newEmulator(t)), Present: true}, nil), sz.w, sz.h)
			press(tm, toRow("background service", "enter", "enter")...)
			waitFor(t, tm, "form body")
			waitFor(t, tm, "No user at all")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

// TestGoldenPresentWide: on a large screen presenter mode leaves margins on both sides.
func TestGoldenPresentWide(t *testing.T) {
	tm, _ := startTUI(t, pinned(Options{Demo: demoOf(newEmulator(t)), Present: true}, nil), 130, 36)
	waitFor(t, tm, "recommended flow")
	golden.RequireEqual(t, finalScreen(t, tm))
}

// TestPresentSecretsStayMasked: in presenter mode neither s nor ctrl+s reveals a secret; each says so.
func TestPresentSecretsStayMasked(t *testing.T) {
	demo := demoOf(newEmulator(t))
	secret := demo.Apps.Daemon.ClientSecret
	tm, m := startTUI(t, pinned(Options{Demo: demo, Present: true}, nil), 100, 30)
	press(tm, toRow("background service", "enter")...)
	waitFor(t, tm, "✓ ready")
	press(tm, "ctrl+s")
	waitFor(t, tm, "presenter mode: secrets stay hidden")
	if s := screenNow(t, tm); strings.Contains(s, secret) {
		t.Fatalf("ctrl+s revealed the client secret on the settings screen:\n%s", s)
	}
	press(tm, "enter")
	waitFor(t, tm, "client_secret")
	press(tm, "s")
	waitFor(t, tm, "presenter mode: secrets stay hidden")
	s := finalScreen(t, tm)
	if strings.Contains(s, secret) || !strings.Contains(s, "[redacted]") {
		t.Errorf("the client secret should stay masked:\n%s", s)
	}
	if m.common.ShowSecrets {
		t.Error("secrets were switched on in presenter mode")
	}
}

// TestAutoAdvance: with --auto-advance the legs send themselves, and a device code is approved as the
// demo user, until the tokens are decoded; no key is pressed after the run starts.
func TestAutoAdvance(t *testing.T) {
	cases := []struct {
		name string
		keys []string
	}{
		{"client credentials", toRow("background service", "enter", "enter")},
		{"device code", toRow("CLI tool", "enter", "enter")},
		{"authorization code", []string{"enter", "enter"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := liveOptions(demoOf(newEmulator(t)))
			opts.Present, opts.AutoAdvance = true, 20*time.Millisecond
			tm, _ := startTUI(t, opts, 100, 30)
			press(tm, tc.keys[:len(tc.keys)-1]...)
			waitFor(t, tm, "✓ ready")
			press(tm, tc.keys[len(tc.keys)-1])
			waitFor(t, tm, "[access]")
			waitFor(t, tm, "✓ valid")
			_ = finalScreen(t, tm)
		})
	}
}

// TestAutoAdvancePauses: space pauses auto-advance (the prepared leg stays unsent) and resumes it.
func TestAutoAdvancePauses(t *testing.T) {
	opts := liveOptions(demoOf(newEmulator(t)))
	opts.Present, opts.AutoAdvance = true, 300*time.Millisecond
	tm, _ := startTUI(t, opts, 100, 30)
	press(tm, toRow("background service", "enter")...)
	waitFor(t, tm, "✓ ready")
	press(tm, "enter", " ")
	waitFor(t, tm, "auto-advance paused · space resumes")
	time.Sleep(time.Second)
	if s := screenNow(t, tm); !strings.Contains(s, "Request a token · prepared") {
		t.Fatalf("a paused run should not send its leg:\n%s", s)
	}
	press(tm, " ")
	waitFor(t, tm, "[access]")
	_ = finalScreen(t, tm)
}

// BenchmarkPresentRunViewLargeTrace is one presenter-mode frame of the large run (200 legs, a 1 MiB
// body): the narration box must not make frames costly.
func BenchmarkPresentRunViewLargeTrace(b *testing.B) {
	m := largeRun(b)
	m.common.Present = &presenter{delay: 3 * time.Second}
	m.View()
	b.ReportAllocs()
	for b.Loop() {
		m.View()
	}
}

// BenchmarkScenarioListView is one frame of the "reproduce a problem" screen.
func BenchmarkScenarioListView(b *testing.B) {
	m := New(pinned(Options{Demo: &Demo{Tenant: demo.Tenant{Authority: "http://127.0.0.1:9"}, SetScenarios: func([]string) error { return nil },
		Scenarios: []DemoScenario{
			{Name: "mfa-required", Summary: "user token requests fail with interaction_required", Flow: "auth-code", Code: 50076},
			{Name: "secret-expired", Summary: "every client secret is expired", Flow: "client-credentials", Code: 7000222},
			{Name: "throttled", Summary: "HTTP 429 with Retry-After", Flow: "client-credentials", Code: 429},
		}}}, nil))
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.openScenarios()
	b.ReportAllocs()
	for b.Loop() {
		m.View()
	}
}

// TestAutoAdvanceStopsWhenTheRunIsLeft: esc back to the settings cancels the run, and no later tick
// sends its leg behind the person's back.
func TestAutoAdvanceStopsWhenTheRunIsLeft(t *testing.T) {
	opts := liveOptions(demoOf(newEmulator(t)))
	opts.Present, opts.AutoAdvance = true, 300*time.Millisecond
	tm, m := startTUI(t, opts, 100, 30)
	press(tm, toRow("background service", "enter")...)
	waitFor(t, tm, "✓ ready")
	press(tm, "enter", "esc")
	waitFor(t, tm, "Client credentials  settings")
	time.Sleep(time.Second)
	_ = finalScreen(t, tm)
	for _, lv := range m.run.legs {
		if len(lv.exchanges) > 0 {
			t.Fatalf("leg %s was sent after the run was left", lv.leg.Name)
		}
	}
}
