// Package earlyenv hides $TMUX from package initialisation, and gives it back when the command line starts.
//
// charm.land/lipgloss/v2 sets up its package-level Writer at init with colorprofile.Detect, which inside
// tmux runs `tmux info` (a process start and a round trip to the tmux server, 10–20 ms) whenever stdout is a
// terminal: every aadx command would pay it before main, and aadx never prints through that Writer. Go
// initialises packages in import-path order among those whose imports are ready (the spec's rule since Go
// 1.21), and this package imports only os, so it runs before github.com/charmbracelet/colorprofile and
// everything that imports it, lipgloss included. Without $TMUX the Detect at init skips the tmux query;
// Restore puts the variable back before any command runs, so child processes and the TUI's own colour
// detection (internal/cli) still see it.
package earlyenv

import "os"

var tmux, hadTmux = os.LookupEnv("TMUX")

func init() {
	if hadTmux {
		_ = os.Unsetenv("TMUX")
	}
}

// Restore gives $TMUX back; call it first thing in the command line. It is safe to call more than once.
func Restore() {
	if hadTmux {
		_ = os.Setenv("TMUX", tmux)
	}
}
