package tui

import (
	"net/http"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/internal/demo"
)

// Demo describes the emulator's demo tenant the TUI runs against (aadx --demo). The command line
// fills it from the emulator, so the TUI needs no import of the emulator package.
type Demo struct {
	demo.Tenant // login host, tenant, users and apps; settings per flow come from it (internal/demo)
	// HTTPClient reaches the emulator (it trusts the emulator's CA when it serves TLS).
	HTTPClient *http.Client
	// Scenarios are the fault scenarios the emulator can switch on; SetScenarios switches them.
	Scenarios    []DemoScenario
	SetScenarios func(names []string) error
}

// DemoUser is a demo directory member the person can "sign in here" as.
type DemoUser = demo.User

// DemoApp is one demo app registration.
type DemoApp = demo.App

// DemoApps are the demo tenant's registrations (DESIGN.md §3).
type DemoApps = demo.Apps

// DemoScenario is one emulator fault scenario.
type DemoScenario = demo.Scenario

// settingsFor fills every setting a flow needs from the demo tenant (internal/demo, as `aadx run --demo`
// does); the session supplies the token a chained flow (on-behalf-of, refresh) starts from.
func (d *Demo) settingsFor(id flows.FlowID, sess *session) flows.Settings {
	f, _ := flows.Lookup(string(id))
	s, _ := d.Settings(f, demo.Options{}) // only a certificate can fail, and none is asked for
	if f.ChainsFrom == nil {
		return s
	}
	switch f.ChainsFrom.Token {
	case flows.ChainAccessToken:
		if t, ok := sess.latestAccessFor(apiAudience(d.App(f.Client, ""))); ok {
			s.Assertion = t
		}
	case flows.ChainRefreshToken:
		if rt, ok := sess.latestRefresh(); ok {
			s.ClientID, s.ClientSecret, s.RefreshToken = rt.ClientID, rt.ClientSecret, rt.Token
			s.Scopes = rt.Scopes
		}
	}
	return s
}

// appOn is the demo registration whose redirect is registered on platform p (web, SPA or public).
func (d *Demo) appOn(p flows.Platform) DemoApp {
	switch p {
	case flows.PlatformWeb:
		return d.Apps.Web
	case flows.PlatformSPA:
		return d.Apps.SPA
	}
	return d.Apps.Public
}

// apiAudience lists the audiences a token for the middle-tier API may carry: its client id or its
// application ID URI (v1 tokens use the URI, v2 tokens the id).
func apiAudience(app DemoApp) []string {
	auds := []string{app.ClientID}
	if app.Scope != "" {
		if i := strings.LastIndex(app.Scope, "/"); i > 0 {
			auds = append(auds, app.Scope[:i])
		}
	}
	return auds
}

// startDemoCmd starts the emulator (a listener: I/O, so in a Cmd) when the person accepts the offer.
func startDemoCmd(start func() (*Demo, error)) tea.Cmd {
	return func() tea.Msg {
		d, err := start()
		return demoStartedMsg{Demo: d, Err: err}
	}
}
