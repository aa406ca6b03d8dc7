package tui

import (
	"context"
	"errors"
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
)

// runDeps are the run screen's collaborators, handed over by the root.
type runDeps struct {
	HTTPClient  *http.Client
	Demo        *Demo
	Clipboard   clipboardWriter
	OpenBrowser func(url string) error
	Rand        io.Reader
	ExportDir   string // where e writes the HAR and Markdown exports
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
	req       *flows.Request // prepared, possibly edited
	exchanges []flows.Exchange
	err       error
	took      time.Duration
	note      string // e.g. "cancelled", "waiting for the browser"
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
	finished  bool
	ctx       context.Context
	cancelFn  context.CancelFunc

	focus      runFocus
	showClaims bool // below claimsSplitWidth the claims pane replaces the main column when toggled
	claims     *claimsPane
	detail     detailView

	paramCursor int
	editing     bool
	pasting     bool
	input       textinput.Model
	userIndex   int // demo user for "sign in here"
	approving   bool
	approvedAs  string
	now         time.Time

	width, height int
	qr            qrCache
}

// claimsSplitWidth is the width from which the claims pane sits beside the run instead of being toggled.
const claimsSplitWidth = 100

func newRunScreen(c *Common, id int, f flows.Flow, s flows.Settings, deps runDeps) *runScreen {
	r := &runScreen{common: c, id: id, flow: f, settings: s, deps: deps, events: newEventStream(),
		claims: newClaimsPane(c), now: c.Now()}
	r.ctx, r.cancelFn = context.WithCancel(context.Background())
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
	if r.cancelFn != nil {
		r.cancelFn()
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
	if r.busy {
		return []key.Binding{k.Enter, k.Back, k.Tab, k.Help}
	}
	return []key.Binding{k.Enter, k.RunAll, k.Tab, k.Copy, k.CopyCurl, k.Export, k.Claims, k.Back, k.Help}
}

func (r *runScreen) FullHelp() [][]key.Binding {
	k := r.common.KeyMap
	return [][]key.Binding{
		{k.Enter, k.RunAll, k.Resend, k.Back, k.Edit, k.Paste, k.Open},
		{k.Up, k.Down, k.Left, k.Right, k.Tab, k.PageUp, k.PageDown},
		{k.Copy, k.CopyCurl, k.Export, k.ExportTokens, k.Claims, k.PrevTab, k.NextTab},
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
		r.claims.SetTokens(msg.Views)
		if r.claims.Empty() {
			return r, nil
		}
		if r.width < claimsSplitWidth {
			r.showClaims = true
		}
		return r, func() tea.Msg { return noticeMsg{Text: "tokens decoded: [ ] switch token, t toggles the claims"} }
	case deviceApprovedMsg:
		r.approving = false
		if msg.Err != nil {
			r.legs[r.current].note = "approval failed: " + msg.Err.Error()
			return r, nil
		}
		r.approvedAs = msg.User
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
		return r, func() tea.Msg { return noticeMsg{Text: text} }
	case browserOpenedMsg:
		if msg.Err != nil && r.current < len(r.legs) {
			r.legs[r.current].note = "the browser could not be opened: copy the URL (c) or scan the QR code"
		}
		return r, nil
	case tickMsg:
		r.now = msg.At
		if r.busy && r.waitingOnPerson() {
			return r, tickCmd(r.id)
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
		for i := range lv.exchanges {
			if lv.exchanges[i].ID == ex.ID {
				lv.exchanges[i] = ex
				r.detail.invalidate(e.Leg)
				return
			}
		}
		lv.exchanges = append(lv.exchanges, ex)
		r.detail.invalidate(e.Leg)
	case flows.EventWaiting:
		lv.note = e.Message
	case flows.EventUserAction:
		if e.Action != nil {
			lv.note = e.Action.Message
		}
	}
}

func (r *runScreen) onPrepared(msg legPreparedMsg) tea.Cmd {
	r.preparing = false
	lv := &r.legs[msg.Leg]
	if msg.Err != nil {
		lv.state, lv.err = legFailed, msg.Err
		r.runAll = false
		return nil
	}
	lv.req, lv.state, lv.err = msg.Req, legPrepared, nil
	r.current, r.selected, r.paramCursor = msg.Leg, msg.Leg, 0
	r.detail.invalidate(msg.Leg)
	if r.runAll {
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
	lv.took = msg.Took
	r.detail.invalidate(msg.Leg)
	if msg.Err != nil {
		r.runAll = false
		if errors.Is(msg.Err, context.Canceled) || r.ctx.Err() != nil {
			// esc: the leg can be sent again with a fresh context.
			lv.state, lv.note, lv.err = legPrepared, "cancelled", nil
			r.ctx, r.cancelFn = context.WithCancel(context.Background())
			return nil
		}
		lv.state, lv.err = legFailed, msg.Err
		return nil
	}
	lv.state, lv.err, lv.note = legDone, nil, ""
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
	return decodeTokensCmd(r.id, st, r.settings, decode.HTTPFetcher(client), r.common.Now())
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
	ctx := r.ctx
	if lv.leg.Kind == flows.KindBrowser {
		if r.deps.Demo == nil || len(r.deps.Demo.Users) == 0 {
			r.runAll = false
			return r.openBrowser()
		}
		u := r.deps.Demo.Users[r.userIndex%len(r.deps.Demo.Users)]
		ctx = withBrowserChoice(ctx, browserChoice{mode: browserSignInHere, user: u})
		lv.note = "signing in as " + u.Username
	}
	r.busy = true
	lv.state, lv.err, lv.exchanges = legSending, nil, nil
	r.selected = r.current
	cmds := []tea.Cmd{sendCmd(ctx, r.id, r.run, lv.req.Clone())}
	if lv.leg.Kind == flows.KindPoll {
		lv.state = legWaiting
		r.now = r.common.Now()
		cmds = append(cmds, tickCmd(r.id))
	}
	return tea.Batch(cmds...)
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
