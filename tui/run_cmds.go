package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/flows"
)

// The commands of a run. Each captures the values it needs (never the screen), does its I/O off the
// Update loop and returns one message tagged with the run id.

// eventBuffer is how many trace events may queue before the engine waits for the TUI to read them.
const eventBuffer = 1024

// eventStream carries a run's trace events from the engine (which calls Options.Events synchronously)
// to the TUI. done is closed when the run screen goes away so neither side blocks forever.
type eventStream struct {
	ch   chan flows.Event
	done chan struct{}
}

func newEventStream() *eventStream {
	return &eventStream{ch: make(chan flows.Event, eventBuffer), done: make(chan struct{})}
}

// emit is the engine's Options.Events.
func (s *eventStream) emit(e flows.Event) {
	select {
	case s.ch <- e:
	case <-s.done:
	}
}

// waitEventCmd reads one event and returns it; the run screen re-arms it after every event.
func waitEventCmd(runID int, s *eventStream) tea.Cmd {
	return func() tea.Msg {
		select {
		case e := <-s.ch:
			return runEventMsg{RunID: runID, Event: e}
		case <-s.done:
			return nil
		}
	}
}

func prepareCmd(runID int, run *flows.Run, leg int) tea.Cmd {
	return func() tea.Msg {
		req, err := run.Prepare(leg)
		return legPreparedMsg{RunID: runID, Leg: leg, Req: req, Err: err}
	}
}

// sendCmd sends a prepared (possibly edited) leg; ctx carries the cancellation of esc and, for a
// browser leg, how the person chose to complete it.
func sendCmd(ctx context.Context, runID int, run *flows.Run, req *flows.Request) tea.Cmd {
	return func() tea.Msg {
		start := time.Now()
		_, err := run.Send(ctx, req)
		return legSentMsg{RunID: runID, Leg: req.Leg, State: run.State(), Err: err, Took: time.Since(start), Exchanges: run.Exchanges()}
	}
}

// applyRedirectCmd completes the browser leg with a redirect URL pasted by the person.
func applyRedirectCmd(runID int, run *flows.Run, leg int, url string) tea.Cmd {
	return func() tea.Msg {
		start := time.Now()
		err := run.ApplyRedirect(url)
		return legSentMsg{RunID: runID, Leg: leg, State: run.State(), Err: err, Took: time.Since(start), Exchanges: run.Exchanges()}
	}
}

func openBrowserCmd(runID int, open func(string) error, url string) tea.Cmd {
	return func() tea.Msg { return browserOpenedMsg{RunID: runID, Err: open(url)} }
}

// decodeTokensCmd decodes the run's tokens (and the client assertion it built) for the claims pane,
// checking signatures against the provider's key set.
//
// ctx ends with the run or with a re-send that supersedes these tokens, stopping a slow key set download.
func decodeTokensCmd(ctx context.Context, runID, seq int, st flows.State, s flows.Settings, fetch decode.Fetcher, now time.Time) tea.Cmd {
	return func() tea.Msg {
		var keys decode.KeySource
		if st.Endpoints.JWKS != "" {
			keys = decode.RemoteJWKS(st.Endpoints.JWKS, fetch)
		}
		var views []tokenView
		if t := st.Tokens; t != nil {
			if t.AccessToken != "" {
				views = append(views, buildTokenView(ctx, "access", t.AccessToken, keys, decode.Expect{}, now))
			}
			if t.IDToken != "" {
				views = append(views, buildTokenView(ctx, "id", t.IDToken, keys,
					decode.Expect{Audience: s.ClientID, Nonce: st.Nonce}, now))
			}
		}
		if st.ClientAssertion != "" {
			// Signed with the client's own key, which the provider's key set does not hold.
			views = append(views, buildTokenView(ctx, "assertion", st.ClientAssertion, nil, decode.Expect{}, now))
		}
		return tokensDecodedMsg{RunID: runID, Seq: seq, Views: views}
	}
}
