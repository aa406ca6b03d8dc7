package flows

import (
	"time"
)

// Timing splits an exchange's duration the way browser devtools do (from net/http/httptrace).
// A phase that did not happen (a reused connection has no DNS, connect or TLS) is zero.
type Timing struct {
	DNS       time.Duration
	Connect   time.Duration
	TLS       time.Duration
	FirstByte time.Duration // from the request being written to the first response byte (wait)
	Total     time.Duration
}

// Exchange is the record of one HTTP request and its response. Values are raw: pass it through a Redactor
// before showing or exporting it.
type Exchange struct {
	ID      int    // sequence number within the run, from 1
	Leg     int    // index into Run.Legs
	LegName string // the leg's name
	Step    string // what this exchange is within the leg, e.g. "poll 3" or "sign-in form"
	Started time.Time

	Method         string
	URL            string
	RequestHeaders []Header
	RequestBody    string

	Status          int    // 0 when no response arrived
	StatusText      string // e.g. "400 Bad Request"
	Proto           string // e.g. "HTTP/1.1"
	ResponseHeaders []Header
	ResponseBody    string
	Truncated       bool // the body was longer than the read limit and was cut

	Timing Timing
	Err    error // a network error, when there was no response
}

// RequestHeader is the first value of the named request header (any case), or "".
func (e Exchange) RequestHeader(name string) string { return headerValue(e.RequestHeaders, name) }

// ResponseHeader is the first value of the named response header (any case), or "".
func (e Exchange) ResponseHeader(name string) string { return headerValue(e.ResponseHeaders, name) }

// EventKind says what happened.
type EventKind int

// The events a run emits, in the order they can happen for a leg.
const (
	EventExchangeStarted  EventKind = iota // an HTTP request is about to be sent (Exchange has the request)
	EventExchangeFinished                  // its response arrived or it failed (Exchange complete)
	EventWaiting                           // a poll leg waits before its next attempt (Wait, Message)
	EventUserAction                        // the user must act: open a URL or enter a code (Action)
	EventLegDone                           // a leg finished and its result was applied to the state
	EventLegFailed                         // a leg ended with an error (Err)
)

func (k EventKind) String() string {
	return [...]string{"exchange-started", "exchange-finished", "waiting", "user-action", "leg-done", "leg-failed"}[k]
}

// UserAction is what a person has to do for the flow to continue.
type UserAction struct {
	URL      string   // the authorize URL or the device verification URI
	UserCode string   // the device flow's user code, when there is one
	Message  string   // the provider's or the engine's instruction
	Notes    []string // what aadx replaced in the provider's answer, to show next to the instruction
}

// Event is one notification from a run, delivered synchronously to Options.Events.
type Event struct {
	Kind     EventKind
	Time     time.Time
	Leg      int
	LegName  string
	Exchange *Exchange     // for exchange events; do not modify
	Action   *UserAction   // for EventUserAction
	Wait     time.Duration // for EventWaiting
	Message  string
	Err      error
}
