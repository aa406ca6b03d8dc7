package tui

import (
	"strings"
	"sync/atomic"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// slowDemo is a demo tenant whose emulator is ready only when the test says so, counting its starts.
type slowDemo struct {
	t       *testing.T
	release chan struct{}
	starts  atomic.Int32
}

func newSlowDemo(t *testing.T) *slowDemo { return &slowDemo{t: t, release: make(chan struct{})} }

func (d *slowDemo) start() (*Demo, error) {
	d.starts.Add(1)
	<-d.release
	return demoOf(newEmulator(d.t)), nil
}

// slowDemoOptions are live options whose demo tenant comes from d: legs go to its emulator once it is up.
func slowDemoOptions(d *slowDemo, onStart bool) Options {
	opts := live(Options{StartDemo: d.start, DemoOnStart: onStart})
	opts.HTTPClient = nil // the demo's own client, once there is a demo
	return opts
}

// assertStarting checks what the picker shows while the emulator starts: that it is starting, and no
// authority, rather than the public cloud's a flow would not be sent to.
func assertStarting(t *testing.T, screen string) {
	t.Helper()
	if !strings.Contains(screen, "pick a flow") || !strings.Contains(screen, "starting the demo tenant…") {
		t.Fatalf("the picker should say the demo tenant is starting:\n%s", screen)
	}
	if strings.Contains(screen, "login.microsoftonline.com") || !strings.Contains(screen, "authority —") {
		t.Errorf("no authority is known while the emulator starts:\n%s", screen)
	}
}

// aadx --demo paints the picker before its emulator is up. Keys pressed meanwhile: a flow picked opens,
// filled from the demo tenant, once the emulator is ready (the last pick wins); the scenario keys say to
// wait. Then the flow runs against the emulator, and picking again, ready, opens at once.
func TestDemoKeysBeforeTheEmulatorIsReady(t *testing.T) {
	d := newSlowDemo(t)
	tm, _ := startTUI(t, slowDemoOptions(d, true), 100, 30)
	assertStarting(t, screenNow(t, tm))

	press(tm, toRow("background service", "enter")...)
	assertStarting(t, screenNow(t, tm))
	press(tm, "x")
	waitFor(t, tm, "the demo tenant is starting; try again in a moment")
	press(tm, "R")
	assertStarting(t, screenNow(t, tm))
	press(tm, "up", "up", "enter", "down", "down", "enter") // picked again: still background service
	assertStarting(t, screenNow(t, tm))

	close(d.release)
	waitFor(t, tm, "Client credentials  settings")
	screen := screenNow(t, tm)
	if !strings.Contains(screen, "✓ ready") || !strings.Contains(screen, "127.0.0.1") || strings.Contains(screen, "starting the demo tenant") {
		t.Fatalf("the flow picked before the emulator was up should open ready, on the emulator:\n%s", screen)
	}
	press(tm, "enter")
	waitFor(t, tm, "Request a token · prepared")
	press(tm, "enter")
	waitFor(t, tm, "[access]")

	press(tm, "esc", "esc") // back to the picker, and the same again: no waiting now
	waitFor(t, tm, "pick a flow")
	press(tm, "enter")
	waitFor(t, tm, "Client credentials  settings")
	if n := d.starts.Load(); n != 1 {
		t.Errorf("the emulator was started %d times, want once", n)
	}
	finalScreen(t, tm)
}

// Plain aadx with nothing configured starts the demo tenant on D. Pressing D again while it starts starts
// no second emulator; a flow picked meanwhile opens once it is up, and D does nothing after that.
func TestDemoOfferPressedTwiceStartsOneEmulator(t *testing.T) {
	d := newSlowDemo(t)
	tm, _ := startTUI(t, slowDemoOptions(d, false), 100, 30)
	waitFor(t, tm, "nothing configured: press D for the built-in demo tenant")

	press(tm, "D", "D")
	assertStarting(t, screenNow(t, tm))
	press(tm, toRow("background service", "enter")...)
	assertStarting(t, screenNow(t, tm))

	close(d.release)
	waitFor(t, tm, "Client credentials  settings")
	if screen := screenNow(t, tm); !strings.Contains(screen, "✓ ready") || !strings.Contains(screen, "127.0.0.1") {
		t.Fatalf("the flow picked while the demo tenant started should open on it:\n%s", screen)
	}
	press(tm, "esc", "D")
	waitFor(t, tm, "pick a flow")
	if screen := screenNow(t, tm); strings.Contains(screen, "starting the demo tenant") || strings.Contains(screen, "press D") {
		t.Errorf("with the demo tenant up, D has nothing left to start:\n%s", screen)
	}
	if n := d.starts.Load(); n != 1 {
		t.Errorf("the emulator was started %d times, want once", n)
	}
	finalScreen(t, tm)
}

// The first view, which aadx may paint before Init runs, already says the demo tenant is starting.
func TestDemoStartingShowsInTheFirstView(t *testing.T) {
	m := New(slowDemoOptions(newSlowDemo(t), true))
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	assertStarting(t, ansi.Strip(m.View().Content))
}
