package tui

import "time"

// Common is shared by reference between the root model and every component (soft-serve's
// common.Common): the size the component may draw in, the styles, the keys and the session-wide
// switches. No globals.
type Common struct {
	Width, Height int
	Styles        *Styles
	KeyMap        *KeyMap
	// Now is the clock; tests pin it so golden screens do not move.
	Now func() time.Time
	// ShowSecrets reveals secrets on screen (key s); they are masked by default (DESIGN.md §6).
	ShowSecrets bool
	// clipboard writes the system clipboard; OSC 52 is sent as well.
	clipboard clipboardWriter
}

// SetSize records the size a component may draw in.
func (c *Common) SetSize(width, height int) {
	c.Width, c.Height = width, height
}
