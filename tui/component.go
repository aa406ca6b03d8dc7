package tui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// Component is a screen or pane: it updates on messages, renders into the size it was given and
// lists its keys for the help view (soft-serve's common.Component).
type Component interface {
	help.KeyMap
	Update(msg tea.Msg) (Component, tea.Cmd)
	View() string
	SetSize(width, height int)
}
