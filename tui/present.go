package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/aadx/aadx/flows"
)

// Presenter mode (aadx --present): each leg is narrated (what happens and why), legs may advance on
// their own after a delay, the layout gets margins on large screens, and secrets stay masked whatever
// is pressed, so nothing leaks onto a projector.

// narrationView is the presenter's box above the leg panel: the leg's title, where the run stands and
// the narration, plus the auto-advance countdown.
func (r *runScreen) narrationView(w int) string {
	if len(r.legs) == 0 {
		return ""
	}
	st := r.common.Styles
	i := min(r.selected, len(r.legs)-1)
	lv := r.legs[i]
	head := st.Title.Render("▶ " + lv.leg.Title)
	if r.finished {
		head = st.Title.Render("✓ "+r.flow.Title+" done") + st.Muted.Render(" · the claims show what the tokens say")
	}
	text := flows.Narration(r.flow.ID, lv.leg)
	if lv.state == legFailed {
		text = "This leg failed: the error below says what Entra ID answered, why, and the likely fix."
	}
	body := truncate(head, w-2) + "\n" + st.Text.Render(wrapBlock(text, max(20, w-2)))
	if p := r.common.Present; p != nil && p.delay > 0 && !r.finished {
		switch {
		case p.paused:
			body += "\n" + st.Muted.Render("auto-advance paused · space resumes")
		default:
			body += "\n" + st.Muted.Render("auto-advance every "+p.delay.String()+" · space pauses")
		}
	}
	return lipgloss.NewStyle().PaddingLeft(1).Border(lipgloss.NormalBorder(), false, false, false, true).
		BorderForeground(st.Key.GetForeground()).Render(body)
}

// presenter is presenter mode's state, shared through Common; nil when presenter mode is off.
type presenter struct {
	delay  time.Duration // auto-advance delay; 0 leaves every leg to the presenter
	paused bool
}

// autoAdvanceMsg is the auto-advance tick of one run.
type autoAdvanceMsg struct{ RunID int }

var pauseKey = key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "pause auto-advance"))

// autoAdvanceCmd waits the delay and ticks the run.
func autoAdvanceCmd(runID int, delay time.Duration) tea.Cmd {
	return tea.Tick(delay, func(time.Time) tea.Msg { return autoAdvanceMsg{RunID: runID} })
}

// advanceCmd starts the auto-advance ticks of the run just started.
func (m *Model) advanceCmd() tea.Cmd {
	p := m.common.Present
	if p == nil || p.delay <= 0 || m.run == nil || m.run.run == nil {
		return nil
	}
	return autoAdvanceCmd(m.run.id, p.delay)
}

// onAdvance is one auto-advance tick: it sends the prepared leg, or approves a waiting device code as
// the demo user, exactly as enter would; the ticks stop when the run is done or has failed.
func (r *runScreen) onAdvance() tea.Cmd {
	p := r.common.Present
	if p == nil || p.delay <= 0 || r.finished || (r.current < len(r.legs) && r.legs[r.current].state == legFailed) {
		return nil
	}
	var cmd tea.Cmd
	switch {
	case p.paused || r.editing || r.pasting || r.preparing:
	case r.busy && r.canApproveDevice():
		cmd = r.approveDevice()
	case !r.busy:
		cmd = r.send()
	}
	return tea.Batch(cmd, autoAdvanceCmd(r.id, p.delay))
}

// autoAdvance routes a tick to its run: dropped once the run is replaced or left (cancelled), held
// while the help or another screen (decode) covers the run.
func (m *Model) autoAdvance(msg autoAdvanceMsg) tea.Cmd {
	if m.run == nil || msg.RunID != m.run.id || m.run.left() {
		return nil
	}
	if m.screen != screenRun || m.showHelp {
		return autoAdvanceCmd(msg.RunID, m.common.Present.delay)
	}
	return m.run.onAdvance()
}

// left reports whether the root cancelled the run (its screen was left for the settings or picker).
func (r *runScreen) left() bool {
	select {
	case <-r.events.done:
		return true
	default:
		return false
	}
}

// handlePresentKey takes the root's keys that presenter mode changes: the reveal key only says that
// secrets stay hidden, and space pauses auto-advance.
func (m *Model) handlePresentKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	p := m.common.Present
	if p == nil {
		return nil, false
	}
	capturing := false
	if c, ok := m.current().(keyCapturer); ok {
		capturing = c.capturesKeys()
	}
	switch {
	case key.Matches(msg, settingsReveal) || (key.Matches(msg, m.common.KeyMap.Secrets) && !capturing):
		return m.setNotice("presenter mode: secrets stay hidden"), true
	case key.Matches(msg, pauseKey) && !capturing && m.screen == screenRun && p.delay > 0:
		p.paused = !p.paused
		if p.paused {
			return m.setNotice("auto-advance paused"), true
		}
		return m.setNotice("auto-advance resumed"), true
	}
	return nil, false
}

// presentMarginFrom is the width from which presenter mode leaves margins: below it, every column is
// needed (the claims pane sits beside the run only from claimsSplitWidth).
const presentMarginFrom = 120

// presentMargin is the blank margin on each side in presenter mode, on screens wide enough for it.
func (m *Model) presentMargin() int {
	if m.common.Present != nil && m.common.Width >= presentMarginFrom {
		return 2
	}
	return 0
}

// indentBlock shifts every line of a block right by n spaces.
func indentBlock(block string, n int) string {
	if n <= 0 {
		return block
	}
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(block, "\n", "\n"+pad)
}
