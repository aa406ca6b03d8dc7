package tui

import (
	"context"
	"errors"
	"github.com/aadx/aadx/internal/termsafe"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/flows/export"
)

// runDeps are the run screen's collaborators, handed over by the root.
type runDeps struct {
	HTTPClient  *http.Client
	Demo        *Demo
	Clipboard   clipboardWriter
	OpenBrowser func(url string) error
	Rand        io.Reader
	ExportDir   string // where e writes the HAR and Markdown exports
	// Scenario names the emulator fault scenario switched on ("" none), for the export's report.
	Scenario func() string
}

// runFocus is which part of the run screen takes the arrow keys.
type runFocus int

const (
	focusLegs runFocus = iota
	focusDetail
	focusClaims
)

func (f runFocus) String() string { return [...]string{"legs", "detail", "claims"}[f] }

// legView is what the run screen knows about one leg.
type legView struct {
	leg       flows.Leg
	state     legState
	req       *flows.Request   // prepared, possibly edited
	exchanges []flows.Exchange // of the latest send only
	// history holds the exchanges of earlier sends of this leg, oldest first; since is the last exchange id
	// the run had made when the latest send started, so late trace events of earlier sends go there.
	history []flows.Exchange
	since   int
	err     error
	took    time.Duration
	// note says what is happening now ("signing in as …", "waiting 2s before poll 3"); it ends with the
	// state it describes, so every change of state clears it.
	note string
	// opened is the exchange shown in full, counted from 1 (n / N); 0 follows the latest.
	opened int
	// sentURL is the authorize URL the browser was sent: the loopback listener binds a port of its own
	// (RFC 8252 §7.3), so it differs from the prepared request's redirect_uri.
	sentURL string
}

// authorizeURL is the URL a browser leg shows and copies: while it waits, the one the browser was sent, which
// is the one that completes the leg if opened by hand; otherwise the prepared one.
func (lv legView) authorizeURL() string {
	if lv.state == legWaiting && lv.sentURL != "" {
		return lv.sentURL
	}
	return lv.req.FullURL()
}

// runScreen steps through one run of a flow: the sequence diagram with the current leg lit, the leg
// list with status and timing, the prepared request (editable) or the response, an error explainer,
// the browser and device-code panels, and the claims pane.
type runScreen struct {
	common   *Common
	id       int
	flow     flows.Flow
	settings flows.Settings
	deps     runDeps
	run      *flows.Run
	initErr  error
	events   *eventStream

	legs     []legView
	current  int // the next leg to send
	selected int // the leg the detail panel shows
	state    flows.State

	busy      bool // a leg is being sent: esc cancels it
	preparing bool // a leg is being prepared (no I/O): esc still goes back
	runAll    bool
	// sendWhenPrepared is an enter pressed while the leg was being prepared: onPrepared sends it.
	sendWhenPrepared bool
	finished         bool
	// life lasts as long as the run screen; ctx is the current send's (esc cancels it and a new one is made).
	life       context.Context
	lifeCancel context.CancelFunc
	ctx        context.Context
	cancelFn   context.CancelFunc
	// decodeSeq numbers the claims decodes; only the latest one's result is shown, and a re-send cancels it.
	decodeSeq    int
	decodeCancel context.CancelFunc

	focus      runFocus
	showClaims bool // below claimsSplitWidth the claims pane replaces the main column when toggled
	// claimsHidden hides the claims pane that sits beside the run from claimsSplitWidth columns (t).
	claimsHidden bool
	claims       *claimsPane
	detail       detailView

	full        *fullValue // the full-value view (v), nil when closed
	paramCursor int        // len(params) is the "add a parameter" row
	editing     bool
	adding      bool // editing a new name=value rather than an existing parameter

	pasting bool
	// pendingRedirect is a redirect pasted while the browser leg waited; it is applied once the wait ends.
	pendingRedirect string
	input           textinput.Model
	userIndex       int // demo user for "sign in here"
	// approving and approvedAs concern the device code approvedCode only: a new code starts unapproved.
	approving    bool
	approvedAs   string
	approvedCode string

	width, height int
	qr            qrCache
}

// claimsSplitWidth is the width from which the claims pane sits beside the run instead of being toggled.
const claimsSplitWidth = 100

func newRunScreen(c *Common, id int, f flows.Flow, s flows.Settings, deps runDeps) *runScreen {
	r := &runScreen{common: c, id: id, flow: f, settings: s, deps: deps, events: newEventStream(),
		claims: newClaimsPane(c)}
	r.life, r.lifeCancel = context.WithCancel(context.Background())
	r.ctx, r.cancelFn = context.WithCancel(r.life)
	r.detail.common = c
	in := textinput.New()
	in.Prompt = "› "
	in.CharLimit = 64 << 10
	in.SetStyles(c.Styles.Input)
	r.input = in
	browser := &browserDispatch{}
	run, err := flows.NewRun(f.ID, s, flows.Options{
		HTTPClient: deps.HTTPClient,
		Now:        c.Now,
		Events:     r.events.emit,
		Browser:    browser,
		Rand:       deps.Rand,
	})
	if err != nil {
		r.initErr = err
		return r
	}
	browser.run = run
	r.run = run
	r.settings = run.Settings()
	for _, l := range run.Legs() {
		r.legs = append(r.legs, legView{leg: l})
	}
	return r
}

// Init prepares the first leg and starts reading the trace.
func (r *runScreen) Init() tea.Cmd {
	if r.run == nil {
		return nil
	}
	return tea.Batch(waitEventCmd(r.id, r.events), r.prepare(0))
}

func (r *runScreen) prepare(i int) tea.Cmd {
	if i >= len(r.legs) {
		return nil
	}
	r.preparing = true
	return prepareCmd(r.id, r.run, i)
}

// cancel stops whatever the run is doing and releases the trace reader; the root calls it when the
// run screen goes away.
func (r *runScreen) cancel() {
	if r.lifeCancel != nil {
		r.lifeCancel() // the send, the device approval and the claims decode
	}
	select {
	case <-r.events.done:
	default:
		close(r.events.done)
	}
}

func (r *runScreen) invalidate() {
	r.claims.invalidate()
	r.detail.invalidateAll()
	r.input.SetStyles(r.common.Styles.Input)
}

func (r *runScreen) capturesKeys() bool { return r.editing || r.pasting }

func (r *runScreen) SetSize(width, height int) {
	r.width, r.height = width, height
	r.input.SetWidth(max(10, width-6))
}

func (r *runScreen) ShortHelp() []key.Binding {
	k := r.common.KeyMap
	if r.editing || r.pasting {
		return []key.Binding{k.Enter, k.Back}
	}
	if r.full != nil {
		return []key.Binding{k.Copy, k.Up, k.Down, k.FullValue, k.Back}
	}
	if r.busy {
		return []key.Binding{k.Enter, k.Back, k.Tab, k.Help}
	}
	return []key.Binding{k.Enter, k.RunAll, k.Tab, k.Copy, k.CopyCurl, k.Export, k.Claims, k.Back, k.Help}
}

func (r *runScreen) FullHelp() [][]key.Binding {
	k := r.common.KeyMap
	return [][]key.Binding{
		{k.Enter, k.RunAll, k.Resend, k.Back, k.Edit, k.Paste, k.Open, k.Challenge, k.UseToken},
		{k.Up, k.Down, k.Left, k.Right, k.Tab, k.ShiftTab, k.PageUp, k.PageDown, k.Steps},
		{k.Copy, k.FullValue, k.Wrap, k.CopyCurl, k.Export, k.ExportTokens, k.Claims, k.PrevTab, k.NextTab},
		{k.Secrets, k.Decode, k.Help, k.Quit},
	}
}

// Update handles the run's asynchronous results and its keys.
func (r *runScreen) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case runEventMsg:
		r.applyEvent(msg.Event)
		return r, waitEventCmd(r.id, r.events)
	case legPreparedMsg:
		return r, r.onPrepared(msg)
	case legSentMsg:
		return r, r.onSent(msg)
	case tokensDecodedMsg:
		if msg.Seq != r.decodeSeq || !r.finished {
			return r, nil // the tokens of a send that was superseded
		}
		r.claims.SetTokens(msg.Views)
		if r.claims.Empty() {
			return r, nil
		}
		if r.width < claimsSplitWidth {
			r.showClaims, r.focus = true, focusClaims // it replaces the run: its keys scroll it at once
		}
		return r, r.common.notify("tokens decoded: [ ] switch token, t toggles the claims")
	case deviceApprovedMsg:
		if r.state.Device == nil || msg.Code != r.state.Device.UserCode {
			return r, nil // the approval of a code that was replaced
		}
		r.approving = false
		lv := &r.legs[r.current]
		if lv.state != legWaiting {
			return r, nil // the poll ended meanwhile: its own result says how
		}
		if msg.Err != nil {
			lv.note = "approval failed: " + msg.Err.Error()
			return r, nil
		}
		r.approvedAs, r.approvedCode, lv.note = msg.User, msg.Code, ""
		return r, nil
	case exportedMsg:
		names := make([]string, len(msg.Files))
		for i, f := range msg.Files {
			names[i] = filepath.Base(f)
		}
		text := "exported " + strings.Join(names, " and ")
		if msg.Err != nil {
			text = msg.Err.Error()
		}
		return r, r.common.notify(text)
	case browserOpenedMsg:
		if msg.Err != nil && r.current < len(r.legs) {
			r.legs[r.current].note = "the browser could not be opened: copy the URL (c) or scan the QR code"
		}
		return r, nil
	case tea.PasteMsg:
		if r.editing || r.pasting {
			var cmd tea.Cmd
			r.input, cmd = r.input.Update(msg)
			return r, cmd
		}
		return r, nil
	case tea.KeyPressMsg:
		return r, r.handleKey(msg)
	}
	return r, nil
}

// applyEvent records a trace event on its leg.
func (r *runScreen) applyEvent(e flows.Event) {
	if e.Leg < 0 || e.Leg >= len(r.legs) {
		return
	}
	lv := &r.legs[e.Leg]
	switch e.Kind {
	case flows.EventExchangeStarted, flows.EventExchangeFinished:
		if e.Exchange == nil {
			return
		}
		ex := *e.Exchange
		if ex.ID <= lv.since {
			lv.history = upsertExchange(lv.history, ex)
		} else {
			lv.exchanges = upsertExchange(lv.exchanges, ex)
		}
		r.detail.invalidate(e.Leg)
	case flows.EventWaiting, flows.EventUserAction:
		// A status note describes a leg in flight; one arriving after the leg ended is already untrue.
		if lv.state != legSending && lv.state != legWaiting {
			return
		}
		lv.note = termsafe.Escape(e.Message)
		if e.Kind == flows.EventUserAction && e.Action != nil {
			lv.note = termsafe.Escape(e.Action.Message) // the provider's device code message
			if lv.leg.Kind == flows.KindBrowser {
				lv.sentURL = e.Action.URL
			}
		}
	}
}

// finished reports whether an exchange record is complete (a response or an error).
func finished(ex flows.Exchange) bool { return ex.Status != 0 || ex.Err != nil }

// upsertExchange puts ex into list, replacing the record with its id, keeping the list in id order.
func upsertExchange(list []flows.Exchange, ex flows.Exchange) []flows.Exchange {
	for i := range list {
		switch {
		case list[i].ID == ex.ID:
			// The finished record may have come with the leg's result before the started event was read.
			if !finished(list[i]) || finished(ex) {
				list[i] = ex
			}
			return list
		case list[i].ID > ex.ID:
			return append(list[:i], append([]flows.Exchange{ex}, list[i:]...)...)
		}
	}
	return append(list, ex)
}

func (r *runScreen) onPrepared(msg legPreparedMsg) tea.Cmd {
	r.preparing = false
	lv := &r.legs[msg.Leg]
	lv.note, lv.took = "", 0
	sendNow := r.runAll || r.sendWhenPrepared
	r.sendWhenPrepared = false
	if msg.Err != nil {
		lv.state, lv.err = legFailed, msg.Err
		r.runAll = false
		return nil
	}
	lv.req, lv.state, lv.err = msg.Req, legPrepared, nil
	r.current, r.selected, r.paramCursor = msg.Leg, msg.Leg, 0
	r.detail.invalidate(msg.Leg)
	if sendNow {
		return r.send()
	}
	return nil
}

func (r *runScreen) onSent(msg legSentMsg) tea.Cmd {
	r.busy = false
	r.state = msg.State
	for _, ex := range msg.Exchanges {
		r.applyEvent(flows.Event{Kind: flows.EventExchangeFinished, Leg: ex.Leg, Exchange: &ex})
	}
	lv := &r.legs[msg.Leg]
	lv.took, lv.note = msg.Took, ""
	r.approving = false
	r.detail.invalidate(msg.Leg)
	if msg.Err != nil {
		r.runAll = false
		if errors.Is(msg.Err, context.Canceled) || r.ctx.Err() != nil {
			// esc: the leg can be sent again with a fresh context.
			lv.state, lv.note, lv.err = legPrepared, "cancelled", nil
			r.ctx, r.cancelFn = context.WithCancel(r.life)
			if url := r.pendingRedirect; url != "" && msg.Leg == r.current {
				r.pendingRedirect = ""
				return r.applyRedirect(url)
			}
			return nil
		}
		lv.state, lv.err, lv.note = legFailed, msg.Err, msg.State.LegOutcome(lv.leg.Name, r.common.Now())
		return nil
	}
	lv.state, lv.err, lv.note = legDone, nil, msg.State.LegOutcome(lv.leg.Name, r.common.Now())
	if msg.Leg+1 < len(r.legs) {
		return r.prepare(msg.Leg + 1)
	}
	r.finished, r.runAll = true, false
	return tea.Batch(r.decodeTokens(), r.finishedCmd())
}

func (r *runScreen) decodeTokens() tea.Cmd {
	client := r.deps.HTTPClient
	if client == nil {
		client = &http.Client{}
	}
	st := r.state
	if st.ClientAssertion == "" {
		// The engine may not keep the assertion in its state; the request that carried it has it.
		for i := len(r.legs) - 1; i >= 0 && st.ClientAssertion == ""; i-- {
			if req := r.legs[i].req; req != nil {
				st.ClientAssertion = req.Get("client_assertion")
			}
		}
	}
	r.stopDecode()
	ctx, cancel := context.WithCancel(r.life)
	r.decodeSeq++
	r.decodeCancel = cancel
	return decodeTokensCmd(ctx, r.id, r.decodeSeq, st, r.settings, decode.HTTPFetcher(client), r.common.Now())
}

// stopDecode cancels a claims decode still on its way.
func (r *runScreen) stopDecode() {
	if r.decodeCancel != nil {
		r.decodeCancel()
		r.decodeCancel = nil
	}
}

// retire makes leg i's re-send the truth: what leg i and the legs after it showed came from the earlier
// send, so their exchanges become history, the later legs wait again and the tokens they led to leave
// the claims pane (until the run finishes again).
func (r *runScreen) retire(i int) {
	last := 0
	if ex := r.run.Exchanges(); len(ex) > 0 {
		last = ex[len(ex)-1].ID
	}
	for _, lv := range r.legs { // and any the trace has shown that the run's copy has not caught up with
		for _, ex := range append(lv.history, lv.exchanges...) {
			last = max(last, ex.ID)
		}
	}
	for j := i; j < len(r.legs); j++ {
		lv := &r.legs[j]
		lv.history = append(lv.history, lv.exchanges...)
		lv.exchanges, lv.since, lv.err, lv.note, lv.took, lv.opened, lv.sentURL = nil, last, nil, "", 0, 0, ""
		if j > i {
			lv.state, lv.req = legPending, nil
		}
		r.detail.invalidate(j)
	}
	r.stopDecode()
	r.decodeSeq++
	r.claims.SetTokens(nil)
	r.finished = false
	if r.focus == focusClaims {
		r.focus = focusLegs
	}
	if r.width < claimsSplitWidth {
		r.showClaims = false
	}
}

// finishedCmd hands the run's tokens to the session so on-behalf-of and refresh can chain from them.
func (r *runScreen) finishedCmd() tea.Cmd {
	t := r.state.Tokens
	if t == nil {
		return nil
	}
	sr := sessionRun{Flow: string(r.flow.ID), ClientID: r.settings.ClientID, ClientSecret: r.settings.ClientSecret,
		Scopes: r.settings.Scopes, AccessToken: t.AccessToken, RefreshToken: t.RefreshToken}
	id := r.id
	return func() tea.Msg { return runFinishedMsg{RunID: id, Run: sr} }
}

// send sends the current prepared leg; a browser leg is completed as the person chose (sign in here
// against the emulator by default).
func (r *runScreen) send() tea.Cmd {
	if r.busy || r.preparing || r.current >= len(r.legs) {
		return nil
	}
	lv := &r.legs[r.current]
	if lv.req == nil || lv.state == legDone {
		return nil
	}
	if lv.state == legFailed && r.retryFrom(r.current) != r.current {
		r.runAll = true // a spent device code: get a new one, then poll again
		return r.prepare(r.retryFrom(r.current))
	}
	ctx := r.ctx
	if lv.leg.Kind == flows.KindBrowser && (r.deps.Demo == nil || len(r.deps.Demo.Users) == 0) {
		r.runAll = false
		return r.openBrowser()
	}
	r.retire(r.current)
	r.busy = true
	lv.state = legSending
	r.selected = r.current
	switch lv.leg.Kind {
	case flows.KindBrowser:
		u := r.deps.Demo.Users[r.userIndex%len(r.deps.Demo.Users)]
		ctx = withBrowserChoice(ctx, browserChoice{mode: browserSignInHere, user: u})
		lv.note = "signing in as " + u.Username
	case flows.KindPoll:
		lv.state = legWaiting
	}
	return sendCmd(ctx, r.id, r.run, lv.req.Clone())
}

// retryFrom is the leg a retry of leg i starts from: a poll that failed spent the code it polled for
// (declined, expired), so it starts again from the leg that asked for the code.
func (r *runScreen) retryFrom(i int) int {
	if i > 0 && i < len(r.legs) && r.legs[i].leg.Kind == flows.KindPoll && r.legs[i].state == legFailed {
		return i - 1
	}
	return i
}

// showsTimes reports whether the screen shows times that move: token times or a countdown.
func (r *runScreen) showsTimes() bool {
	return !r.claims.Empty() || (r.busy && r.waitingOnPerson())
}

// openBrowser opens the system browser on the authorize URL and waits on the loopback listener.
func (r *runScreen) openBrowser() tea.Cmd {
	lv := &r.legs[r.current]
	if lv.leg.Kind != flows.KindBrowser || lv.req == nil || r.busy {
		return nil
	}
	if r.deps.OpenBrowser == nil {
		lv.note = "no browser available: copy the URL (c), then paste the redirect (p)"
		return nil
	}
	r.retire(r.current)
	r.busy = true
	lv.state, lv.note = legWaiting, "waiting for the browser to come back to the redirect URI… (esc cancels)"
	return systemBrowserCmd(r.ctx, r.id, r.run, lv.req.Clone(), r.deps.OpenBrowser)
}

func (r *runScreen) waitingOnPerson() bool {
	if r.current >= len(r.legs) {
		return false
	}
	return r.legs[r.current].state == legWaiting
}

// origin says, for the export's report, whether the run went to the emulator and with which scenario.
func (r *runScreen) origin() string {
	d := r.deps.Demo
	if d == nil || r.settings.Authority != d.Authority {
		return ""
	}
	scenario := ""
	if r.deps.Scenario != nil {
		scenario = r.deps.Scenario()
	}
	return export.EmulatorOrigin(d.Authority, scenario)
}
