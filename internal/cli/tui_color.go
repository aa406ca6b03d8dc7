package cli

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
)

// tuiColorProfile is the colour profile the TUI starts with, found without delaying the first frame.
//
// Bubble Tea's own detection (colorprofile.Detect) runs `tmux info` inside tmux before the first frame, to
// learn whether tmux passes 24-bit colour through: a process start and a round trip to the tmux server.
// Outside tmux, and whenever the environment already settles the answer (a truecolor terminal, NO_COLOR, no
// terminal, TERM=dumb), this is exactly Detect, which then asks no one. Inside tmux otherwise, it is what
// the environment says, at least 256 colours (tmux always has them), and askTmux says to learn the rest
// afterwards, off the first frame's path (tmuxColors): tmux's answer and the terminfo entry's, whose look-up
// (the user's home directory from the user database, then the entry's file) Detect would also have made.
func tuiColorProfile(out term.File, env []string) (p colorprofile.Profile, askTmux bool) {
	if envValue(env, "TMUX") == "" {
		return colorprofile.Detect(out, env), false
	}
	withoutTmux := slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, "TMUX=") })
	forced, _ := strconv.ParseBool(envValue(env, "TTY_FORCE"))
	tty := forced || term.IsTerminal(out.Fd())
	noColor, _ := strconv.ParseBool(envValue(env, "NO_COLOR"))
	if !tty || noColor || envValue(env, "TERM") == "" || envValue(env, "TERM") == "dumb" {
		return colorprofile.Detect(out, withoutTmux), false // Detect would not have asked tmux either
	}
	if p = colorprofile.Env(withoutTmux); p == colorprofile.TrueColor {
		return p, false // nothing more is to be learnt
	}
	return max(p, colorprofile.ANSI256), true
}

// tmuxColors upgrades a running program to 24-bit colour once tmux says it passes it through.
type tmuxColors struct {
	best atomic.Uint32 // the best colorprofile.Profile learnt so far
}

// filter is the program's message filter: Bubble Tea announces its starting profile with a ColorProfileMsg
// that may arrive after the upgrade, and must not undo it.
func (c *tmuxColors) filter(_ tea.Model, msg tea.Msg) tea.Msg {
	if m, ok := msg.(tea.ColorProfileMsg); ok {
		m.Profile = max(m.Profile, colorprofile.Profile(c.best.Load()))
		return m
	}
	return msg
}

// ask learns whether the terminal has 24-bit colour (learn) and, if so, switches the program to it and
// repaints, so no cell keeps its 256-colour approximation.
func (c *tmuxColors) ask(p *tea.Program, env []string) {
	if c.learn(env) {
		p.Send(tea.ColorProfileMsg{Profile: colorprofile.TrueColor})
		p.Send(tea.ClearScreen())
	}
}

// learn reads what tuiColorProfile left for later, as Detect would have: the terminfo entry's Tc or RGB, then
// `tmux info`'s (asked only if the entry does not settle it). It reports whether that is 24-bit colour.
func (c *tmuxColors) learn(env []string) bool {
	if colorprofile.Terminfo(envValue(env, "TERM")) != colorprofile.TrueColor && colorprofile.Tmux(env) != colorprofile.TrueColor {
		return false
	}
	c.best.Store(uint32(colorprofile.TrueColor))
	return true
}

// envValue is the last value of name in env (as os.Environ lists it), or "".
func envValue(env []string, name string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v
		}
	}
	return ""
}

// stdoutFile is the terminal the TUI draws on (Bubble Tea's default output).
func stdoutFile() term.File { return os.Stdout }
