package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// stopSignals end aadx the orderly way, so the demo emulator's temporary key files are removed: Ctrl-C, a
// service manager's or kill's SIGTERM, and SIGHUP when the terminal closes.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// signalContext is cancelled by any of stopSignals.
func signalContext(parent context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(parent, stopSignals...)
}
