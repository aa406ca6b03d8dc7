package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// Styles holds every lipgloss style of the TUI; it is the only place styles are built (soft-serve's
// styles.Styles). Colours adapt to the terminal background; with NO_COLOR the renderer's colour
// profile drops them, so nothing here may rely on colour alone: selections also carry a marker and
// bold, states also carry a glyph.
type Styles struct {
	IsDark bool

	App       lipgloss.Style
	Title     lipgloss.Style
	Heading   lipgloss.Style
	Muted     lipgloss.Style
	Text      lipgloss.Style
	Bold      lipgloss.Style
	Selected  lipgloss.Style
	Key       lipgloss.Style
	Highlight lipgloss.Style

	Pane        lipgloss.Style
	PaneFocused lipgloss.Style
	PaneTitle   lipgloss.Style

	TableHeader lipgloss.Style
	TableCell   lipgloss.Style

	StatusBar      lipgloss.Style
	StatusLabel    lipgloss.Style
	StatusValue    lipgloss.Style
	StatusEmulator lipgloss.Style
	StatusSecrets  lipgloss.Style
	StatusNotice   lipgloss.Style

	OK      lipgloss.Style
	Warn    lipgloss.Style
	Error   lipgloss.Style
	Pending lipgloss.Style
	Active  lipgloss.Style

	Lane      lipgloss.Style
	Arrow     lipgloss.Style
	ArrowLit  lipgloss.Style
	ArrowDone lipgloss.Style

	Method     lipgloss.Style
	URL        lipgloss.Style
	HeaderName lipgloss.Style
	ParamName  lipgloss.Style
	ParamValue lipgloss.Style
	Explain    lipgloss.Style
	Secret     lipgloss.Style

	ClaimName  lipgloss.Style
	ClaimValue lipgloss.Style
	Tab        lipgloss.Style
	TabActive  lipgloss.Style

	UserCode lipgloss.Style
	QR       lipgloss.Style

	InputLabel      lipgloss.Style
	InputLabelFocus lipgloss.Style
	InputError      lipgloss.Style
	Input           textinput.Styles

	Help help.Styles
}

// NewStyles builds the styles for a dark or light terminal background.
func NewStyles(isDark bool) *Styles {
	ld := lipgloss.LightDark(isDark)
	var (
		fg      = ld(lipgloss.Color("#1F1F1F"), lipgloss.Color("#E4E4E4"))
		muted   = ld(lipgloss.Color("#5E5E5E"), lipgloss.Color("#9A9A9A")) // ≥ 4.5:1 on the page and on the status bar
		accent  = ld(lipgloss.Color("#005FB8"), lipgloss.Color("#4FC1FF"))
		accent2 = ld(lipgloss.Color("#8A3FB8"), lipgloss.Color("#C792EA"))
		green   = ld(lipgloss.Color("#0B7A28"), lipgloss.Color("#7FD88F"))
		yellow  = ld(lipgloss.Color("#8A6100"), lipgloss.Color("#E5C07B"))
		red     = ld(lipgloss.Color("#B00020"), lipgloss.Color("#FF6B6B"))
		border  = ld(lipgloss.Color("#B0B0B0"), lipgloss.Color("#4A4A4A"))
		barBg   = ld(lipgloss.Color("#E1E4E8"), lipgloss.Color("#262A33"))
		selBg   = ld(lipgloss.Color("#D6E8FA"), lipgloss.Color("#20344D"))
	)
	s := &Styles{IsDark: isDark}
	s.App = lipgloss.NewStyle()
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Heading = lipgloss.NewStyle().Bold(true).Foreground(accent2)
	s.Muted = lipgloss.NewStyle().Foreground(muted)
	s.Text = lipgloss.NewStyle().Foreground(fg)
	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Selected = lipgloss.NewStyle().Bold(true).Foreground(accent).Background(selBg)
	s.Key = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Highlight = lipgloss.NewStyle().Bold(true).Foreground(yellow)

	s.Pane = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1)
	s.PaneFocused = s.Pane.BorderForeground(accent)
	s.PaneTitle = lipgloss.NewStyle().Bold(true).Foreground(accent)

	s.TableHeader = lipgloss.NewStyle().Bold(true).Foreground(accent2)
	s.TableCell = lipgloss.NewStyle().Foreground(fg)

	s.StatusBar = lipgloss.NewStyle().Background(barBg).Foreground(fg)
	s.StatusLabel = lipgloss.NewStyle().Background(barBg).Foreground(muted)
	s.StatusValue = lipgloss.NewStyle().Background(barBg).Foreground(fg).Bold(true)
	s.StatusEmulator = lipgloss.NewStyle().Background(accent2).Foreground(lipgloss.Color("#FFFFFF")).Bold(true).Padding(0, 1)
	s.StatusSecrets = lipgloss.NewStyle().Background(red).Foreground(lipgloss.Color("#FFFFFF")).Bold(true).Padding(0, 1)
	s.StatusNotice = lipgloss.NewStyle().Background(barBg).Foreground(green).Bold(true)

	s.OK = lipgloss.NewStyle().Foreground(green)
	s.Warn = lipgloss.NewStyle().Foreground(yellow)
	s.Error = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.Pending = lipgloss.NewStyle().Foreground(muted)
	s.Active = lipgloss.NewStyle().Foreground(accent).Bold(true)

	s.Lane = lipgloss.NewStyle().Foreground(muted)
	s.Arrow = lipgloss.NewStyle().Foreground(muted)
	s.ArrowLit = lipgloss.NewStyle().Foreground(yellow).Bold(true)
	s.ArrowDone = lipgloss.NewStyle().Foreground(green)

	s.Method = lipgloss.NewStyle().Bold(true).Foreground(accent2)
	s.URL = lipgloss.NewStyle().Foreground(accent).Underline(false)
	s.HeaderName = lipgloss.NewStyle().Foreground(muted)
	s.ParamName = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.ParamValue = lipgloss.NewStyle().Foreground(fg)
	s.Explain = lipgloss.NewStyle().Foreground(muted).Italic(true)
	s.Secret = lipgloss.NewStyle().Foreground(red)

	s.ClaimName = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.ClaimValue = lipgloss.NewStyle().Foreground(fg)
	s.Tab = lipgloss.NewStyle().Foreground(muted).Padding(0, 1)
	s.TabActive = lipgloss.NewStyle().Bold(true).Foreground(accent).Underline(true).Padding(0, 1)

	s.UserCode = lipgloss.NewStyle().Bold(true).Foreground(yellow).Border(lipgloss.DoubleBorder()).BorderForeground(yellow).Padding(0, 2)
	s.QR = lipgloss.NewStyle()

	s.InputLabel = lipgloss.NewStyle().Foreground(muted)
	s.InputLabelFocus = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.InputError = lipgloss.NewStyle().Foreground(red)
	s.Input = inputStyles(isDark, accent, fg, muted)

	s.Help = help.DefaultStyles(isDark)
	s.Help.ShortKey = s.Key
	s.Help.FullKey = s.Key
	// bubbles/help's greys are under 2.2:1 on either background; the hints are read, so they are muted text.
	s.Help.ShortDesc = lipgloss.NewStyle().Foreground(muted)
	s.Help.FullDesc = lipgloss.NewStyle().Foreground(muted)
	s.Help.ShortSeparator = lipgloss.NewStyle().Foreground(muted)
	s.Help.FullSeparator = lipgloss.NewStyle().Foreground(muted)
	s.Help.Ellipsis = lipgloss.NewStyle().Foreground(muted)
	return s
}

func inputStyles(isDark bool, accent, fg, muted color.Color) textinput.Styles {
	st := textinput.DefaultStyles(isDark)
	st.Focused.Prompt = lipgloss.NewStyle().Foreground(accent)
	st.Focused.Text = lipgloss.NewStyle().Foreground(fg)
	st.Blurred.Text = lipgloss.NewStyle().Foreground(muted)
	st.Cursor.Blink = false
	return st
}
