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
// Outside tmux, and whenever the environment or terminfo already settle the answer (a truecolor terminal,
// NO_COLOR, no terminal, TERM=dumb), this is exactly Detect, which then asks no one. Inside tmux otherwise,
// it is Detect without the tmux query, at least 256 colours (tmux always has them), and askTmux says to
// ask tmux afterwards (tmuxColors), off the first frame's path.
func tuiColorProfile(out term.File, env []string) (p colorprofile.Profile, askTmux bool) {
	if envValue(env, "TMUX") == "" {
		return colorprofile.Detect(out, env), false
	}
	withoutTmux := slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, "TMUX=") })
	p = colorprofile.Detect(out, withoutTmux)
	forced, _ := strconv.ParseBool(envValue(env, "TTY_FORCE"))
	tty := forced || term.IsTerminal(out.Fd())
	noColor, _ := strconv.ParseBool(envValue(env, "NO_COLOR"))
	if !tty || noColor || envValue(env, "TERM") == "" || envValue(env, "TERM") == "dumb" || p == colorprofile.TrueColor {
		return p, false // Detect would not have asked tmux either, or nothing more is to be learnt
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

// ask runs `tmux info` (Tc or RGB) and, if tmux passes 24-bit colour through, switches the program to it and
// repaints, so no cell keeps its 256-colour approximation.
func (c *tmuxColors) ask(p *tea.Program, env []string) {
	if colorprofile.Tmux(env) == colorprofile.TrueColor {
		c.best.Store(uint32(colorprofile.TrueColor))
		p.Send(tea.ColorProfileMsg{Profile: colorprofile.TrueColor})
		p.Send(tea.ClearScreen())
	}
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
