package tui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/flows/browser"
)

// browserMode is how the person chose to complete a browser leg.
type browserMode int

const (
	browserSignInHere browserMode = iota // sign in over HTTP as a demo user (emulator only), traced
	browserSystem                        // the system browser, caught on the loopback listener
)

// browserChoice travels with the send's context, so the run's single Browser can do what the person
// picked for this send without sharing state with the Update loop.
type browserChoice struct {
	mode     browserMode
	user     DemoUser
	open     func(url string) error
	listener *browser.Listener // bound before the authorize URL was finished, so it carries the real port
}

type browserChoiceKey struct{}

func withBrowserChoice(ctx context.Context, c browserChoice) context.Context {
	return context.WithValue(ctx, browserChoiceKey{}, c)
}

// browserDispatch is the run's flows.Browser: it completes the authorize leg the way the context says.
type browserDispatch struct {
	run *flows.Run
}

// Visit implements flows.Browser.
func (b *browserDispatch) Visit(ctx context.Context, authorizeURL, redirectURI string) (*flows.Redirect, error) {
	choice, ok := ctx.Value(browserChoiceKey{}).(browserChoice)
	if !ok || b.run == nil {
		return nil, errors.New("no way to complete the browser leg was chosen")
	}
	switch choice.mode {
	case browserSystem:
		if choice.listener == nil {
			return nil, errors.New("no loopback listener is bound for the redirect")
		}
		lb := &browser.Loopback{Listener: choice.listener, Open: choice.open}
		return lb.Visit(ctx, authorizeURL, redirectURI)
	default:
		return browser.Scripted(b.run, choice.user.Username, choice.user.Password).Visit(ctx, authorizeURL, redirectURI)
	}
}

// approveDeviceCmd plays the user of a device code flow in the terminal, as a demo user, while the
// poll leg keeps polling; its pages are traced on the poll leg.
func approveDeviceCmd(ctx context.Context, runID int, run *flows.Run, code string, u DemoUser) tea.Cmd {
	return func() tea.Msg {
		err := browser.ApproveDevice(ctx, run, u.Username, u.Password, true)
		return deviceApprovedMsg{RunID: runID, Code: code, User: u.Username, Err: err}
	}
}

// systemBrowserCmd binds the loopback listener first (RFC 8252 §7.3: a random port when the redirect URI
// has none; Entra ignores the port of localhost redirect URIs), puts its real address in the authorize
// request, then opens the browser and waits for the redirect, until esc or the listener's timeout.
func systemBrowserCmd(ctx context.Context, runID int, run *flows.Run, req *flows.Request, open func(string) error) tea.Cmd {
	return func() tea.Msg {
		start := time.Now()
		ln, err := browser.Listen(req.Get("redirect_uri"))
		if err != nil {
			return legSentMsg{RunID: runID, Leg: req.Leg, State: run.State(), Err: err, Exchanges: run.Exchanges()}
		}
		req.Set("redirect_uri", ln.RedirectURI())
		ctx := withBrowserChoice(ctx, browserChoice{mode: browserSystem, open: open, listener: ln})
		_, err = run.Send(ctx, req)
		return legSentMsg{RunID: runID, Leg: req.Leg, State: run.State(), Err: err, Took: time.Since(start), Exchanges: run.Exchanges()}
	}
}
