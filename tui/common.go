package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/flows"
)

// Common is shared by reference between the root model and every component (soft-serve's
// common.Common): the terminal size, the styles, the keys and the session-wide switches. No globals.
// Components keep the size they may draw in themselves (SetSize), since they share this struct.
type Common struct {
	Width, Height int // the terminal
	Styles        *Styles
	KeyMap        *KeyMap
	// Now is the clock; tests pin it so golden screens do not move.
	Now func() time.Time
	// ShowSecrets reveals secrets on screen (key s); they are masked by default (DESIGN.md §6).
	ShowSecrets bool
	// WrapValues wraps long parameter values on the run screen instead of cutting them (w); it stays for the session.
	WrapValues bool
	// Present is presenter mode (aadx --present): nil when off. Secrets then stay masked.
	Present *presenter
	// clipboard writes the system clipboard; OSC 52 is sent as well.
	clipboard clipboardWriter
	// nav switches screens synchronously, so keys typed quickly land on the screen they were meant for.
	nav navigator
}

// navigator is the root's screen switching, called by screens from their Update.
type navigator interface {
	openSettings(f flows.Flow, preset flows.Preset) tea.Cmd
	startRun(f flows.Flow, s flows.Settings) tea.Cmd
	back() tea.Cmd
	// showNotice shows text in the status bar at once, so it cannot land after a later notice.
	showNotice(text string) tea.Cmd
}

// notify shows text in the status bar (nothing when no root is attached, as in component tests).
func (c *Common) notify(text string) tea.Cmd {
	if c.nav == nil {
		return nil
	}
	return c.nav.showNotice(text)
}
