package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// statusInfo is what the status bar shows about the session.
type statusInfo struct {
	Authority string
	Tenant    string
	ClientID  string
	Emulator  bool
	Scenario  string // the emulator fault scenario switched on, if any
	Secrets   bool   // secrets shown on screen
	Notice    string // a short confirmation (copied, exported, ...)
}

// renderStatusBar draws the one-line status bar: the emulator marker, authority, tenant, client,
// whether secrets are shown and, on the right, the latest notice.
func renderStatusBar(st *Styles, info statusInfo, width int) string {
	if width <= 0 {
		return ""
	}
	var left []string
	if info.Emulator {
		marker := "emulator"
		if info.Scenario != "" {
			marker += " · " + info.Scenario
		}
		left = append(left, st.StatusEmulator.Render(marker))
	}
	if info.Secrets {
		left = append(left, st.StatusSecrets.Render("secrets shown"))
	}
	field := func(label, value string) string {
		if value == "" {
			value = "—"
		}
		return st.StatusLabel.Render(" "+label+" ") + st.StatusValue.Render(value)
	}
	left = append(left,
		field("authority", strings.TrimPrefix(strings.TrimPrefix(info.Authority, "https://"), "http://")),
		field("tenant", shortID(info.Tenant)),
		field("client", shortID(info.ClientID)))
	line := strings.Join(left, st.StatusBar.Render(" "))
	if info.Notice != "" {
		notice := st.StatusNotice.Render(" " + truncate(info.Notice, max(10, width*3/5)) + " ")
		room := width - lipgloss.Width(notice)
		if room > 10 {
			line = ansi.Truncate(line, room, "…")
			pad := room - lipgloss.Width(line)
			return line + st.StatusBar.Render(strings.Repeat(" ", max(0, pad))) + notice
		}
	}
	line = ansi.Truncate(line, width, "…")
	return line + st.StatusBar.Render(strings.Repeat(" ", max(0, width-lipgloss.Width(line))))
}

// shortID shortens a GUID to its first block so the bar fits at 80 columns; other values pass.
func shortID(s string) string {
	if len(s) == 36 && strings.Count(s, "-") == 4 {
		return s[:8] + "…"
	}
	return s
}
