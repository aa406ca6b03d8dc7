package cli

import (
	"fmt"
	"sync"

	"github.com/aadx/aadx/tui"
)

// backgroundDemo starts the demo emulator (its listener, its keys, the daemon's certificate file) beside the
// TUI's start instead of before it, so that `aadx --demo` paints its first frame without waiting for it.
// The TUI asks for the tenant in a Cmd (tui.Options.StartDemo) that waits here until it is ready; a flow
// picked meanwhile opens once it is, so no setting is ever filled before the emulator's address is known.
type backgroundDemo struct {
	done chan struct{} // closed when the start has finished, well or not
	demo *tui.Demo
	stop func()
	err  error
	once sync.Once
}

// startDemoInBackground calls start, then its describe, on a goroutine of their own.
func startDemoInBackground(start demoStarter) *backgroundDemo {
	b := &backgroundDemo{done: make(chan struct{}), stop: func() {}}
	go func() {
		defer close(b.done)
		describe, stop, err := start()
		if stop != nil {
			b.stop = stop
		}
		if err != nil {
			b.err = fmt.Errorf("the emulator did not start: %w", err)
			return
		}
		b.demo, b.err = describe()
	}()
	return b
}

// wait blocks until the emulator is ready and returns its demo tenant, or why it did not start. It is
// called from a tea.Cmd, never from Update or View.
func (b *backgroundDemo) wait() (*tui.Demo, error) {
	<-b.done
	return b.demo, b.err
}

// close waits for a start still under way (the person may quit before it is done), then stops the
// emulator; later calls do nothing.
func (b *backgroundDemo) close() {
	b.once.Do(func() {
		<-b.done
		b.stop()
	})
}
