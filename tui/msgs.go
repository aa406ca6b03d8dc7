package tui

import (
	"time"

	"github.com/aadx/aadx/flows"
)

// Every asynchronous result carries the id of the run that asked for it; the run screen drops results
// whose run id is not the current one (a cancelled or replaced run), as gh-dash's SectionMsg does.

// legPreparedMsg brings a prepared leg (the exact request to be sent) back to the run screen.
type legPreparedMsg struct {
	RunID int
	Leg   int
	Req   *flows.Request
	Err   error
}

// legSentMsg reports that a leg was sent and its response applied; State is a copy of the run state.
type legSentMsg struct {
	RunID int
	Leg   int
	State flows.State
	Err   error
	Took  time.Duration
	// Exchanges are all of the run's exchanges so far: the trace events may still be on their way.
	Exchanges []flows.Exchange
}

// runEventMsg streams one trace event of a run (an exchange started or finished, a poll waiting, a
// user action), read by a re-arming command from the run's event channel (glow's findNextLocalFile).
type runEventMsg struct {
	RunID int
	Event flows.Event
}

// deviceApprovedMsg reports that the device code Code was approved in the terminal as a demo user.
type deviceApprovedMsg struct {
	RunID int
	Code  string
	User  string
	Err   error
}

// tokensDecodedMsg carries the decoded tokens of a run for the claims pane, signatures checked.
type tokensDecodedMsg struct {
	RunID int
	Seq   int // which decode of the run: a re-send supersedes the earlier ones
	Views []tokenView
}

// decodedMsg carries a token decoded on the decode screen.
type decodedMsg struct {
	Seq  int
	View tokenView
	Err  error
}

// copiedMsg confirms a copy; System is false when only OSC 52 could be used (no system clipboard).
type copiedMsg struct {
	What   string
	System bool
}

// browserOpenedMsg reports the result of opening the system browser.
type browserOpenedMsg struct {
	RunID int
	Err   error
}

// noticeExpiredMsg clears the status bar notice it belongs to.
type noticeExpiredMsg struct{ ID int }

// scenarioSetMsg reports that the emulator's fault scenarios were switched.
type scenarioSetMsg struct {
	Names []string
	Err   error
}

// noticeMsg asks the root to show a short confirmation in the status bar.
type noticeMsg struct{ Text string }

// demoStartedMsg brings the demo tenant started on request (plain aadx with nothing configured).
type demoStartedMsg struct {
	Demo *Demo
	Err  error
}

// runFinishedMsg hands what a finished run obtained to the session, for chaining.
type runFinishedMsg struct {
	RunID int
	Run   sessionRun
}

// certLoadedMsg brings a certificate read from disk back to the settings screen.
type certLoadedMsg struct {
	Path string
	Cert *flows.Certificate
	Err  error
}

// exportedMsg reports the files an export wrote.
type exportedMsg struct {
	RunID int
	Files []string
	Err   error
}

// profileSavedMsg reports saving the settings as a profile.
type profileSavedMsg struct {
	Name string
	Err  error
}

// runResult is a message that belongs to one run; the root drops it when that run is no longer on show
// (cancelled or replaced).
type runResult interface{ runID() int }

func (m legPreparedMsg) runID() int    { return m.RunID }
func (m legSentMsg) runID() int        { return m.RunID }
func (m runEventMsg) runID() int       { return m.RunID }
func (m deviceApprovedMsg) runID() int { return m.RunID }
func (m tokensDecodedMsg) runID() int  { return m.RunID }
func (m browserOpenedMsg) runID() int  { return m.RunID }
func (m exportedMsg) runID() int       { return m.RunID }

// clockTickMsg re-renders what depends on the time (relative token times, the device code countdown).
// A test sends one with gen 0 after moving its clock.
type clockTickMsg struct{ gen int }
