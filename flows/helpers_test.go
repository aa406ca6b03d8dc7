package flows

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/internal/testkit"
)

// testEmulator starts an in-memory emulator for one test.
func testEmulator(t *testing.T, opts emulator.Options) (*emulator.Server, emulator.Description) {
	t.Helper()
	opts.NoListener = true
	if opts.DeviceInterval == 0 {
		opts.DeviceInterval = 10 * time.Millisecond
	}
	srv := testkit.Emulator(t, opts)
	return srv, srv.Description()
}

// eventLog collects events from a run, safely across goroutines.
type eventLog struct {
	mu     sync.Mutex
	events []Event
}

func (l *eventLog) add(e Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

func (l *eventLog) kinds() []EventKind {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []EventKind
	for _, e := range l.events {
		out = append(out, e.Kind)
	}
	return out
}

func (l *eventLog) count(k EventKind) int {
	n := 0
	for _, got := range l.kinds() {
		if got == k {
			n++
		}
	}
	return n
}

// fastSleep records requested waits and returns at once (unless ctx is done).
type fastSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fastSleep) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	time.Sleep(2 * time.Millisecond)
	return ctx.Err()
}

func (f *fastSleep) recorded() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

func demoSettings(d emulator.Description) Settings {
	// The timeout is the engine's default: a loaded machine under -race may take seconds for the emulator's first
	// key, and these tests are about behaviour, not speed.
	return Settings{Authority: d.Authority, Tenant: d.TenantID, Timeout: 30 * time.Second}
}
