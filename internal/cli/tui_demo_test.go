package cli

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aadx/aadx/internal/demo"
	"github.com/aadx/aadx/tui"
)

// gatedStarter is a demoStarter whose emulator is up only when the test opens the gate; it counts starts
// and stops, and entered says a start is under way.
type gatedStarter struct {
	gate, entered chan struct{}
	starts, stops atomic.Int32
	err           error
}

func newGatedStarter(err error) *gatedStarter {
	return &gatedStarter{gate: make(chan struct{}), entered: make(chan struct{}, 8), err: err}
}

func (g *gatedStarter) start() (func() (*tui.Demo, error), func(), error) {
	g.starts.Add(1)
	g.entered <- struct{}{}
	<-g.gate
	stop := func() { g.stops.Add(1) }
	if g.err != nil {
		return nil, stop, g.err
	}
	return func() (*tui.Demo, error) {
		return &tui.Demo{Tenant: demo.Tenant{Authority: "http://127.0.0.1:1", TenantID: "t"}}, nil
	}, stop, nil
}

func demoOptions(t *testing.T, g *gatedStarter) (tui.Options, func()) {
	t.Helper()
	opts, cleanup, err := tuiOptions(tuiFlags{sessionFlags: sessionFlags{demo: true}}, envOf(nil), g.start, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !opts.DemoOnStart || opts.StartDemo == nil {
		t.Fatal("--demo should have the TUI start the demo tenant at once")
	}
	return opts, cleanup
}

// --demo's options come back with no emulator started: the TUI's first StartDemo starts it, after the first
// frame, and every StartDemo waits for the same one; the cleanup stops it once.
func TestTUIDemoStartsWhenTheTUIAsks(t *testing.T) {
	g := newGatedStarter(nil)
	opts, cleanup := demoOptions(t, g)
	if n := g.starts.Load(); n != 0 {
		t.Fatalf("the emulator started before the TUI asked (%d starts)", n)
	}
	got := make(chan *tui.Demo)
	ask := func() { d, _ := opts.StartDemo(); got <- d }
	go ask()
	<-g.entered
	go ask()
	close(g.gate)
	for range 2 {
		if d := <-got; d == nil || d.Authority != "http://127.0.0.1:1" {
			t.Fatalf("StartDemo should return the emulator's tenant, got %+v", d)
		}
	}
	go ask()
	<-got
	cleanup()
	cleanup()
	if g.starts.Load() != 1 || g.stops.Load() != 1 {
		t.Errorf("one emulator started and stopped once, got %d starts, %d stops", g.starts.Load(), g.stops.Load())
	}
}

// Quitting while the emulator starts: the cleanup waits for the start, then stops what it started.
func TestTUIDemoCleanupWhileStarting(t *testing.T) {
	g := newGatedStarter(nil)
	opts, cleanup := demoOptions(t, g)
	go func() { _, _ = opts.StartDemo() }()
	<-g.entered
	cleaned := make(chan struct{})
	go func() { cleanup(); close(cleaned) }()
	close(g.gate)
	<-cleaned
	if g.stops.Load() != 1 {
		t.Errorf("the emulator started meanwhile should be stopped, %d stops", g.stops.Load())
	}
}

// Quitting before the TUI asked: nothing starts, then or later, and StartDemo says so instead of hanging.
func TestTUIDemoCleanupBeforeStart(t *testing.T) {
	g := newGatedStarter(nil)
	opts, cleanup := demoOptions(t, g)
	cleanup()
	for range 2 {
		if d, err := opts.StartDemo(); d != nil || !errors.Is(err, errDemoStopped) {
			t.Errorf("StartDemo after the cleanup = %v, %v; want %v", d, err, errDemoStopped)
		}
	}
	if g.starts.Load() != 0 || g.stops.Load() != 0 {
		t.Errorf("nothing should start or stop, got %d starts, %d stops", g.starts.Load(), g.stops.Load())
	}
}

// An emulator that cannot start is said in the TUI (StartDemo's error), naming the emulator and the cause,
// as often as it is asked, with one attempt.
func TestTUIDemoStartFailureIsReported(t *testing.T) {
	g := newGatedStarter(errors.New("listen on 127.0.0.1:0: no ports"))
	close(g.gate)
	opts, cleanup := demoOptions(t, g)
	defer cleanup()
	for range 2 {
		d, err := opts.StartDemo()
		if d != nil || err == nil || !strings.Contains(err.Error(), "the emulator did not start: listen on 127.0.0.1:0: no ports") {
			t.Errorf("StartDemo = %v, %v; want the start's error", d, err)
		}
	}
	if g.starts.Load() != 1 {
		t.Errorf("%d starts, want 1", g.starts.Load())
	}
}
