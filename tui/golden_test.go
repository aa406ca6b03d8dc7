package tui

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// sizes are the terminal sizes every screen is checked at: the 80x24 minimum and a common larger one.
var sizes = []struct{ w, h int }{{100, 30}, {80, 24}}

// Golden screens: size, colours (none), clock and ids pinned. Regenerate with: go test ./tui -update

func TestGoldenPicker(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			tm, _ := startTUI(t, pinned(Options{Demo: demoOf(newEmulator(t))}, nil), sz.w, sz.h)
			press(tm, "down", "down")
			waitFor(t, tm, "app-only token")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

func TestGoldenSettings(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			tm, _ := startTUI(t, pinned(Options{Demo: demoOf(newEmulator(t))}, nil), sz.w, sz.h)
			press(tm, "down", "down", "enter")
			waitFor(t, tm, "ready")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

func TestGoldenRunPrepared(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			tm, _ := startTUI(t, pinned(Options{Demo: demoOf(newEmulator(t))}, nil), sz.w, sz.h)
			press(tm, "down", "down", "enter", "enter")
			waitFor(t, tm, "client_secret")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

func TestGoldenHelp(t *testing.T) {
	tm, _ := startTUI(t, pinned(Options{Demo: demoOf(newEmulator(t))}, nil), 100, 30)
	press(tm, "down", "down", "enter", "enter")
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
