package cli

import (
	"bytes"
	"strings"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
)

// paintFirstFrame draws the TUI's first view on the terminal itself, at once, before Bubble Tea starts.
//
// Bubble Tea v2 (v2.1.1) writes to the terminal only on its frame ticker: the view it renders at start waits
// for the first tick (8 ms at 120 frames a second, more on a busy machine) and that tick's flush then lays out
// the whole screen; no option paints at once. So the first view is painted here, from the same model at the
// terminal's size and the same colour profile, in one write: the alternate screen, the cursor hidden, each line
// at its row. Bubble Tea's first flush then enters the same alternate screen (a no-op), erases it and paints the
// same view, and owns the screen from there. It reports whether it painted: only an alternate-screen view on a
// terminal whose size is known is painted, so anything else is left to Bubble Tea alone.
func paintFirstFrame(out *screenOut, m tea.Model, profile colorprofile.Profile, env []string) bool {
	if profile <= colorprofile.NoTTY || !term.IsTerminal(out.Fd()) {
		return false
	}
	if t := envValue(env, "TERM"); t == "" || t == "dumb" {
		return false
	}
	width, height, err := term.GetSize(out.Fd())
	if err != nil || width <= 0 || height <= 0 {
		return false
	}
	frame, ok := renderFirstFrame(m, profile, width, height)
	if !ok {
		return false
	}
	if _, err := out.Write(frame); err != nil {
		return false
	}
	out.painted.Store(true)
	return true
}

// renderFirstFrame is the model's first view at width × height as the escape sequence paintFirstFrame writes
// (firstFrame); ok is false for a view left to Bubble Tea: not on the alternate screen, or empty.
func renderFirstFrame(m tea.Model, profile colorprofile.Profile, width, height int) (frame []byte, ok bool) {
	m.Update(tea.WindowSizeMsg{Width: width, Height: height}) // Bubble Tea sends the same size when it starts
	v := m.View()
	if !v.AltScreen || v.Content == "" {
		return nil, false
	}
	return firstFrame(v.Content, profile, width, height), true
}

// firstFrame is the escape sequence that shows content on the alternate screen, cursor hidden, each line cut
// at the width and placed at its row (no newline, which the terminal's output settings could turn into
// anything), its colours brought down to the profile.
func firstFrame(content string, profile colorprofile.Profile, width, height int) []byte {
	var b bytes.Buffer
	b.WriteString(ansi.SetModeAltScreenSaveCursor + ansi.ResetModeTextCursorEnable + ansi.EraseEntireScreen)
	colors := &colorprofile.Writer{Forward: &b, Profile: profile}
	for i, line := range strings.SplitN(content, "\n", height+1) {
		if i == height {
			break
		}
		b.WriteString(ansi.CursorPosition(1, i+1))
		_, _ = colors.Write([]byte(ansi.Truncate(line, width, "")))
		b.WriteString(ansi.ResetStyle)
	}
	return b.Bytes()
}

// screenOut is the terminal the TUI draws on, as Bubble Tea's output. It notes whether Bubble Tea left the
// alternate screen, so that a first frame painted before Bubble Tea drew anything (it was stopped before its
// first tick) does not stay on screen after aadx ends.
type screenOut struct {
	term.File
	painted atomic.Bool // paintFirstFrame entered the alternate screen
	left    atomic.Bool // Bubble Tea wrote the sequence that leaves it
}

func (s *screenOut) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(ansi.ResetModeAltScreenSaveCursor)) {
		s.left.Store(true)
	}
	return s.File.Write(p)
}

// restore leaves the alternate screen and shows the cursor if the first frame entered it and Bubble Tea did
// not leave it.
func (s *screenOut) restore() {
	if s.painted.Load() && !s.left.Load() {
		_, _ = s.File.Write([]byte(ansi.ResetModeAltScreenSaveCursor + ansi.SetModeTextCursorEnable))
	}
}
