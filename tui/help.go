package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// renderHelpOverlay draws the full key help of the focused screen (bubbles/help) in a framed box.
func renderHelpOverlay(st *Styles, keys help.KeyMap, width, height int) string {
	h := help.New()
	h.Styles = st.Help
	h.ShowAll = true
	h.SetWidth(max(20, width-6))
	body := st.Title.Render("Keys") + "\n\n" + h.View(keys) + "\n\n" + st.Muted.Render("? or esc closes this help")
	box := st.PaneFocused.Width(min(width, max(40, lipgloss.Width(body)+4))).Render(body)
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, box)
}

// renderShortHelp draws the one-line key hints under a screen.
func renderShortHelp(st *Styles, keys help.KeyMap, width int) string {
	h := help.New()
	h.Styles = st.Help
	h.SetWidth(width)
	return h.View(keys)
}
