package tui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/atotto/clipboard"
)

// clipboardWriter writes to the system clipboard; tests replace it so they never touch the real one.
type clipboardWriter func(text string) error

// systemClipboard is atotto/clipboard (xclip, xsel, wl-copy, pbcopy or the Windows API).
func systemClipboard(text string) error { return clipboard.WriteAll(text) }

// copyCmd copies text both to the system clipboard and through OSC 52 (tea.SetClipboard), which
// the terminal honours even when aadx runs over SSH with no local clipboard. what names the value
// for the confirmation.
func copyCmd(write clipboardWriter, what, text string) tea.Cmd {
	system := func() tea.Msg {
		err := write(text)
		return copiedMsg{What: what, System: err == nil}
	}
	return tea.Batch(tea.SetClipboard(text), system)
}
