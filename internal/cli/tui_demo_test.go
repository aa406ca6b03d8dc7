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
// and stops.
type gatedStarter struct {
	gate          chan struct{}
	starts, stops atomic.Int32
	err           error
}

func (g *gatedStarter) start() (func() (*tui.Demo, error), func(), error) {
	g.starts.Add(1)
	<-g.gate
	stop := func() { g.stops.Add(1) }
	if g.err != nil {
		return nil, stop, g.err
	}
	return func() (*tui.Demo, error) {
		return &tui.Demo{Tenant: demo.Tenant{Authority: "http://127.0.0.1:1", TenantID: "t"}}, nil
	}, stop, nil
}

// --demo's options come back before the emulator is up; the TUI's StartDemo waits for it, as often as it is
// asked, and the cleanup stops the one emulator once.
func TestTUIDemoStartsInTheBackground(t *testing.T) {
	g := &gatedStarter{gate: make(chan struct{})}
	opts, cleanup, err := tuiOptions(tuiFlags{sessionFlags: sessionFlags{demo: true}}, envOf(nil), g.start, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *tui.Demo)
	go func() { d, _ := opts.StartDemo(); got <- d }()
	close(g.gate)
	for range 2 {
		if d := <-got; d == nil || d.Authority != "http://127.0.0.1:1" {
			t.Fatalf("StartDemo should return the emulator's tenant, got %+v", d)
		}
		go func() { d, _ := opts.StartDemo(); got <- d }()
	}
	<-got
	cleanup()
	cleanup()
	if g.starts.Load() != 1 || g.stops.Load() != 1 {
		t.Errorf("one emulator started and stopped once, got %d starts, %d stops", g.starts.Load(), g.stops.Load())
	}
}

// Quitting before the emulator is up: the cleanup waits for the start, then stops what it started.
func TestTUIDemoCleanupBeforeReady(t *testing.T) {
	g := &gatedStarter{gate: make(chan struct{})}
	_, cleanup, err := tuiOptions(tuiFlags{sessionFlags: sessionFlags{demo: true}}, envOf(nil), g.start, nil)
	if err != nil {
		t.Fatal(err)
	}
	cleaned := make(chan struct{})
	go func() { cleanup(); close(cleaned) }()
	close(g.gate)
	<-cleaned
	if g.stops.Load() != 1 {
		t.Errorf("the emulator started meanwhile should be stopped, %d stops", g.stops.Load())
	}
}

// An emulator that cannot start is said in the TUI (StartDemo's error), naming the emulator and the cause.
func TestTUIDemoStartFailureIsReported(t *testing.T) {
	g := &gatedStarter{gate: make(chan struct{}), err: errors.New("listen on 127.0.0.1:0: no ports")}
	close(g.gate)
	opts, cleanup, err := tuiOptions(tuiFlags{sessionFlags: sessionFlags{demo: true}}, envOf(nil), g.start, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	for range 2 {
		d, err := opts.StartDemo()
		if d != nil || err == nil || !strings.Contains(err.Error(), "the emulator did not start: listen on 127.0.0.1:0: no ports") {
			t.Errorf("StartDemo = %v, %v; want the start's error", d, err)
		}
	}
}
