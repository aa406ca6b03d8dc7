package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// helpGap separates help columns.
const helpGap = "    "

// renderHelpOverlay draws the full key help of the focused screen in a framed box. Its columns (the
// screen's FullHelp groups) flow onto further rows when the terminal is narrow, so no key is ever
// dropped, as bubbles/help drops the columns that do not fit.
func renderHelpOverlay(st *Styles, keys help.KeyMap, width, height int) string {
	inner := max(20, width-6)
	var cols []string
	for _, group := range keys.FullHelp() {
		if col := helpColumn(st, group, inner); col != "" {
			cols = append(cols, col)
		}
	}
	var rows []string
	var row []string
	rowWidth := 0
	for _, col := range cols {
		w := lipgloss.Width(col)
		if len(row) > 0 && rowWidth+len(helpGap)+w > inner {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowWidth = nil, 0
		}
		if len(row) > 0 {
			row = append(row, helpGap)
			rowWidth += len(helpGap)
		}
		row = append(row, col)
		rowWidth += w
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	body := st.Title.Render("Keys") + "\n\n" + strings.Join(rows, "\n\n") + "\n\n" + st.Muted.Render("? or esc closes this help")
	if lipgloss.Height(body)+2 > height {
		// Short terminals: the rows without blank lines between them.
		body = st.Title.Render("Keys") + "\n" + strings.Join(rows, "\n") + "\n" + st.Muted.Render("? or esc closes this help")
	}
	box := st.PaneFocused.Width(min(width, max(40, lipgloss.Width(body)+4))).Render(body)
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, box)
}

// helpColumn lays out one group of bindings as "key description" lines, descriptions cut to width.
func helpColumn(st *Styles, group []key.Binding, width int) string {
	keyWidth := 0
	for _, b := range group {
		if b.Enabled() {
			keyWidth = max(keyWidth, lipgloss.Width(b.Help().Key))
		}
	}
	var lines []string
	for _, b := range group {
		if !b.Enabled() {
			continue
		}
		k := b.Help().Key
		line := st.Help.FullKey.Render(k+strings.Repeat(" ", keyWidth-lipgloss.Width(k))) + " " + st.Help.FullDesc.Render(b.Help().Desc)
		lines = append(lines, truncate(line, width))
	}
	return strings.Join(lines, "\n")
}

// renderShortHelp draws the one-line key hints under a screen.
func renderShortHelp(st *Styles, keys help.KeyMap, width int) string {
	h := help.New()
	h.Styles = st.Help
	h.SetWidth(width)
	return h.View(keys)
}
