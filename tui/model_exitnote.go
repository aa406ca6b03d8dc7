package tui

import (
	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/internal/termsafe"
)

// ExitNote is what the command line prints on the normal screen after the TUI has closed: the authorize URL
// a browser leg was waiting on when the person quit, whole, so it can be opened or kept without a clipboard
// or OSC 52. It is empty when nothing was waiting.
func (m *Model) ExitNote() string {
	if m.exitNote == "" && !m.quitting {
		m.noteExit() // ended from outside (a signal): what waits now is what was waiting
	}
	return m.exitNote
}

// noteExit records, as the TUI quits, what the person may still need from the screen that is closing.
func (m *Model) noteExit() {
	m.exitNote = ""
	if m.run == nil || m.screen != screenRun {
		return
	}
	if url := m.run.waitingAuthorizeURL(); url != "" {
		m.exitNote = "aadx: the browser sign-in was still waiting; the authorize URL it was sent:\n" +
			termsafe.Escape(url) + "\n"
	}
}

// waitingAuthorizeURL is the authorize URL of a browser leg waiting on the person: the one the browser was
// sent (with the loopback listener's port), else the prepared one.
func (r *runScreen) waitingAuthorizeURL() string {
	if r.current >= len(r.legs) {
		return ""
	}
	lv := r.legs[r.current]
	if lv.leg.Kind != flows.KindBrowser || lv.state != legWaiting || lv.req == nil {
		return ""
	}
	if sent := r.run.State().AuthorizeURL; sent != "" {
		return sent
	}
	return lv.req.FullURL()
}
