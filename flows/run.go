package flows

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// DefaultMaxBody limits how much of any response body is read.
const DefaultMaxBody = 1 << 20

// Options are a run's collaborators; every field is optional.
type Options struct {
	// HTTPClient supplies the transport (e.g. the emulator's in-memory one, or one trusting a private CA).
	// Its redirect policy and timeout are not used: the engine never follows redirects on its own and bounds
	// each exchange with Settings.Timeout.
	HTTPClient *http.Client
	// Now is the clock (assertion times, device code expiry); default time.Now.
	Now func() time.Time
	// Sleep waits between polls; default a timer that honours ctx.
	Sleep func(ctx context.Context, d time.Duration) error
	// Events receives every event synchronously, in order. It must not block for long. It is called from more
	// than one goroutine when browser.ApproveDevice runs while the poll leg polls.
	Events func(Event)
	// Browser completes browser legs in Send; default: none (Send on a browser leg fails, use ApplyRedirect).
	Browser Browser
	// Rand is the source of state, nonce, PKCE verifier and assertion IDs; default crypto/rand.
	Rand io.Reader
	// MaxBody limits response bodies; default DefaultMaxBody.
	MaxBody int64
}

// Run is one execution of a flow: its settings, its legs and the state they build up. A Run is safe for use by
// one goroutine at a time, except State, Status and Exchanges, which may be called concurrently.
type Run struct {
	flow     Flow
	legs     []Leg
	settings Settings
	opts     Options
	client   *http.Client
	redact   *Redactor

	mu        sync.Mutex
	state     State
	status    []LegStatus
	exchanges []Exchange
	nextID    int
	from      int // the first leg RunAll and Done consider: legs before an answered challenge stay as they ended
}

// NewRun validates the settings for the flow and returns a run with every leg pending.
func NewRun(id FlowID, s Settings, opts Options) (*Run, error) {
	flow, ok := Lookup(string(id))
	if !ok {
		return nil, &FieldError{Field: "flow", Value: string(id), Problem: "is not a flow", Fix: "use one of " + strings.Join(FlowIDs(), ", ")}
	}
	s = s.withDefaults(id)
	if err := s.Validate(id); err != nil {
		return nil, err
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleepCtx
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	r := &Run{flow: flow, settings: s, opts: opts}
	for _, l := range flow.Legs {
		if impl, ok := legImpls()[l.Name]; ok && impl.applies != nil && !impl.applies(s) {
			continue
		}
		if !l.Optional || s.Discover || s.Issuer != "" {
			r.legs = append(r.legs, l)
		}
	}
	if s.CallAPI != "" {
		r.legs = append(r.legs, legCallAPI) // the app uses the token: the last leg of every flow
	}
	r.status = make([]LegStatus, len(r.legs))
	r.redact = NewRedactor(s.ClientSecret)
	r.client = r.tracingClient()
	if s.Issuer == "" {
		r.state.Endpoints = entraEndpoints(s.authority(), s.Tenant)
	} else {
		r.state.Endpoints = Endpoints{Issuer: s.Issuer, Discovery: issuerDiscoveryURL(s.Issuer)}
	}
	return r, nil
}

// Flow returns the flow this run executes.
func (r *Run) Flow() Flow { return r.flow }

// Legs returns the legs of this run in order (optional legs only when enabled).
func (r *Run) Legs() []Leg { return append([]Leg(nil), r.legs...) }

// Now is the run's clock (Options.Now), for anything dated after the run, such as a report.
func (r *Run) Now() time.Time { return r.opts.Now() }

// Settings returns the validated settings, defaults filled in.
func (r *Run) Settings() Settings { return r.settings }

// Redactor returns the run's redactor, which knows the run's secrets (client secret, verifier, passwords).
func (r *Run) Redactor() *Redactor { return r.redact }

// State returns a copy of what the run has learnt so far.
func (r *Run) State() State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

// Status returns the status of leg i.
func (r *Run) Status(i int) LegStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i < 0 || i >= len(r.status) {
		return StatusPending
	}
	return r.status[i]
}

// Exchanges returns every HTTP exchange of the run so far, in order (raw: redact before showing).
func (r *Run) Exchanges() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Exchange(nil), r.exchanges...)
}

// Prepare builds the exact request of leg i from the settings and the state. It sends nothing. It returns
// ErrNotReady (wrapped, naming what is missing) when an earlier leg has not run.
func (r *Run) Prepare(i int) (*Request, error) {
	if i < 0 || i >= len(r.legs) {
		return nil, fmt.Errorf("leg %d: no such leg (the flow has %d)", i, len(r.legs))
	}
	leg := r.legs[i]
	impl, ok := legImpls()[leg.Name]
	if !ok {
		return nil, fmt.Errorf("leg %q: not implemented for %s", leg.Name, r.flow.ID)
	}
	req, err := impl.prepare(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", leg.Name, err)
	}
	req.Leg, req.Name, req.Kind = i, leg.Name, leg.Kind
	for _, p := range req.Params {
		if p.Secret {
			r.redact.AddSecret(p.Value)
		}
	}
	return req, nil
}

// Send performs a prepared (possibly edited) request and applies the result to the state. HTTP legs return
// their exchange; a poll leg returns its last exchange; a browser leg completes through Options.Browser and
// returns nil. An *OAuthError means the provider said no; a *NetworkError that it could not be reached.
// Sending a leg again re-sends it.
func (r *Run) Send(ctx context.Context, req *Request) (*Exchange, error) {
	if req == nil || req.Leg < 0 || req.Leg >= len(r.legs) || r.legs[req.Leg].Name != req.Name {
		return nil, errors.New("send: the request does not belong to a leg of this run; prepare it first")
	}
	for _, p := range req.Params {
		if p.Secret {
			r.redact.AddSecret(p.Value)
		}
	}
	r.setStatus(req.Leg, StatusRunning, nil)
	var ex *Exchange
	var err error
	switch req.Kind {
	case KindBrowser:
		err = r.sendBrowser(ctx, req)
	case KindPoll:
		ex, err = r.poll(ctx, req)
	default:
		ex, err = r.sendHTTP(ctx, req, "")
		if impl := legImpls()[req.Name]; err == nil {
			err = impl.apply(r, ex)
		} else if impl.failed != nil {
			err = impl.failed(r, err)
		}
	}
	r.finish(req, err)
	return ex, err
}

// RunAll prepares and sends every pending leg in order, stopping at the first error. It is the headless driver.
func (r *Run) RunAll(ctx context.Context) error {
	for i := r.firstLeg(); i < len(r.legs); i++ {
		if r.Status(i) == StatusDone {
			continue
		}
		req, err := r.Prepare(i)
		if err != nil {
			r.setStatus(i, StatusFailed, err)
			r.emit(Event{Kind: EventLegFailed, Leg: i, LegName: r.legs[i].Name, Err: err})
			return err
		}
		if _, err := r.Send(ctx, req); err != nil {
			return err
		}
	}
	return nil
}

// Done reports whether every leg completed.
func (r *Run) Done() bool {
	for i := r.firstLeg(); i < len(r.legs); i++ {
		if r.Status(i) != StatusDone {
			return false
		}
	}
	return true
}

func (r *Run) firstLeg() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.from
}

func (r *Run) finish(req *Request, err error) {
	if err != nil {
		r.setStatus(req.Leg, StatusFailed, err)
		r.emit(Event{Kind: EventLegFailed, Leg: req.Leg, LegName: req.Name, Err: err})
		return
	}
	r.setStatus(req.Leg, StatusDone, nil)
	r.emit(Event{Kind: EventLegDone, Leg: req.Leg, LegName: req.Name})
}

func (r *Run) setStatus(i int, s LegStatus, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status[i] = s
	if s != StatusRunning {
		r.state.Err = err
	}
}

// update changes the state under the lock.
func (r *Run) update(f func(*State)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.state)
}

func (r *Run) emit(e Event) {
	if r.opts.Events == nil {
		return
	}
	if e.Time.IsZero() {
		e.Time = r.opts.Now()
	}
	r.opts.Events(e)
}

func (r *Run) timeout() time.Duration {
	if r.settings.Timeout > 0 {
		return r.settings.Timeout
	}
	return DefaultTimeout
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
