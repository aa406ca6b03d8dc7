package tui

// legState is where a leg of a run stands.
type legState int

const (
	legPending  legState = iota // not reached yet
	legPrepared                 // prepared and shown, waiting for enter
	legSending                  // in flight
	legWaiting                  // waiting on a person (browser sign-in, device code approval)
	legDone                     // response applied
	legFailed                   // the identity provider said no, or the request failed
	legSkipped                  // not needed (e.g. optional discovery)
)

func (s legState) String() string {
	switch s {
	case legPending:
		return "pending"
	case legPrepared:
		return "prepared"
	case legSending:
		return "sending"
	case legWaiting:
		return "waiting"
	case legDone:
		return "done"
	case legFailed:
		return "failed"
	case legSkipped:
		return "skipped"
	}
	return "unknown"
}

// glyph marks a state without colour, so NO_COLOR screens still read.
func (s legState) glyph() string {
	switch s {
	case legPrepared:
		return "▸"
	case legSending, legWaiting:
		return "…"
	case legDone:
		return "✓"
	case legFailed:
		return "✗"
	case legSkipped:
		return "-"
	}
	return "·"
}

// focusMark marks the focused part of the run screen (the selected leg, the detail panel or the claims
// tabs) in a way that reads without colour.
const focusMark = "»"
