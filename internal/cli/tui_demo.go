package cli

import (
	"errors"
	"fmt"
	"sync"

	"github.com/aadx/aadx/tui"
)

// backgroundDemo starts the demo emulator (its listener, its keys, the daemon's certificate file) when the TUI
// first asks for its tenant, instead of before the TUI starts, so that `aadx --demo` paints its first frame
// without waiting for it. The TUI asks from Init, in a Cmd (tui.Options.StartDemo): after the first frame,
// which is painted before Bubble Tea runs Init (paintFirstFrame). Starting it any earlier, beside the first
// frame, does not help on two cores: its key parsing takes the processor the first frame needs. A flow picked
// meanwhile opens once the emulator is ready, so no setting is ever filled before its address is known.
type backgroundDemo struct {
	start    demoStarter
	begin    sync.Once     // the start, or its cancellation by close
	done     chan struct{} // closed when the start has finished, well or not, or was cancelled
	demo     *tui.Demo
	stop     func()
	err      error
	shutdown sync.Once
}

// errDemoStopped is what waiting for an emulator that close cancelled before it started returns.
var errDemoStopped = errors.New("the emulator was stopped before it started")

func newBackgroundDemo(start demoStarter) *backgroundDemo {
	return &backgroundDemo{start: start, done: make(chan struct{}), stop: func() {}}
}

// wait starts the emulator if it is not started yet, blocks until it is ready and returns its demo tenant, or
// why it did not start. It is called from a tea.Cmd, never from Update or View.
func (b *backgroundDemo) wait() (*tui.Demo, error) {
	b.begin.Do(func() { go b.run() })
	<-b.done
	return b.demo, b.err
}

func (b *backgroundDemo) run() {
	defer close(b.done)
	describe, stop, err := b.start()
	if stop != nil {
		b.stop = stop
	}
	if err != nil {
		b.err = fmt.Errorf("the emulator did not start: %w", err)
		return
	}
	b.demo, b.err = describe()
}

// close stops the emulator: one never started is not started any more, one starting is waited for (the person
// may quit at once) and then stopped. Later calls do nothing.
func (b *backgroundDemo) close() {
	b.shutdown.Do(func() {
		b.begin.Do(func() { b.err = errDemoStopped; close(b.done) })
		<-b.done
		b.stop()
	})
}
