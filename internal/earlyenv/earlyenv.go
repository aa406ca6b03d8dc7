// Package earlyenv hides environment variables from package initialisation that make other packages' inits
// slow, and gives them back when the command line starts.
//
// $TMUX: charm.land/lipgloss/v2 sets up its package-level Writer at init with colorprofile.Detect, which
// inside tmux runs `tmux info` (a process start and a round trip to the tmux server, 10–20 ms) whenever
// stdout is a terminal: every aadx command would pay it before main, and aadx never prints through that
// Writer.
//
// $PATH: github.com/atotto/clipboard (linked in for the TUI's copy and bubbles' paste) looks for xclip, xsel,
// termux-clipboard-set and, under Wayland, wl-copy in every directory of $PATH at init (about 50 failed
// stat calls here). Only the TUI uses the clipboard, and the TUI runs only when the command line names no
// command (`aadx`, `aadx --demo`, ...). When the first argument names a command (`aadx decode`, `aadx
// version`, a typo alike), $PATH is hidden during package initialisation, the look-ups fail at once, and
// the clipboard package, never used by that process, is left believing it has no tool.
//
// Go initialises packages in import-path order among those whose imports are ready (the spec's rule since Go
// 1.21), and this package imports only os, so it runs before github.com/atotto/clipboard,
// github.com/charmbracelet/colorprofile and everything that imports them, lipgloss included. Restore puts
// the variables back before any command runs, so child processes, exec look-ups and the TUI's own colour
// detection (internal/cli) still see them.
package earlyenv

import (
	"os"
	"strings"
)

// hidden is one variable that was set (possibly to "") and is taken out of the environment during package
// initialisation.
type hidden struct{ name, value string }

var vars = hide(os.Args)

// hide unsets $TMUX, and $PATH when args name a command, returning what Restore puts back.
func hide(args []string) []hidden {
	names := []string{"TMUX"}
	if NamesCommand(args) {
		names = append(names, "PATH")
	}
	var out []hidden
	for _, name := range names {
		if value, ok := os.LookupEnv(name); ok {
			_ = os.Unsetenv(name)
			out = append(out, hidden{name: name, value: value})
		}
	}
	return out
}

// NamesCommand reports whether a command line (program name first) starts with a command or any other
// word that is not a flag: such a command line never starts the TUI.
func NamesCommand(args []string) bool {
	return len(args) > 1 && args[1] != "" && !strings.HasPrefix(args[1], "-")
}

// Restore gives the hidden variables back; call it first thing in the command line. It is safe to call more
// than once.
func Restore() {
	for _, v := range vars {
		_ = os.Setenv(v.name, v.value)
	}
}
