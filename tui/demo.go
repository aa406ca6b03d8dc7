package tui

import (
	tea "charm.land/bubbletea/v2"
	"net/http"
	"strings"

	"github.com/aadx/aadx/flows"
)

// Demo describes the emulator's demo tenant the TUI runs against (aadx --demo). The command line
// fills it from the emulator, so the TUI needs no import of the emulator package.
type Demo struct {
	Authority    string
	TenantID     string
	TenantDomain string
	Users        []DemoUser
	Apps         DemoApps
	// HTTPClient reaches the emulator (it trusts the emulator's CA when it serves TLS).
	HTTPClient *http.Client
	// Scenarios are the fault scenarios the emulator can switch on; SetScenarios switches them.
	Scenarios    []DemoScenario
	SetScenarios func(names []string) error
}

// DemoUser is a demo directory member the person can "sign in here" as.
type DemoUser struct {
	Username, Password, Name, Note string
}

// DemoApp is one demo app registration.
type DemoApp struct {
	ClientID, ClientSecret, RedirectURI, CertFile, Scope string
}

// DemoApps are the demo tenant's registrations (DESIGN.md §3).
type DemoApps struct {
	Web, SPA, Public, Daemon, API, Downstream DemoApp
}

// DemoScenario is one emulator fault scenario.
type DemoScenario struct {
	Name, Summary, Flow string
	Code                int // the AADSTS code it reproduces, or the HTTP status of a transport-level fault
}

// userScopes are the delegated scopes the demo user flows ask for: OpenID sign-in, a refresh token and
// the middle-tier API, so that the access token can later be exchanged on-behalf-of.
func (d *Demo) userScopes() []string {
	scopes := []string{"openid", "profile", "offline_access"}
	if d.Apps.API.Scope != "" {
		scopes = append(scopes, d.Apps.API.Scope)
	}
	return scopes
}

// settingsFor fills every setting a flow needs from the demo tenant; the session supplies the tokens
// that on-behalf-of and refresh chain from earlier runs.
func (d *Demo) settingsFor(id flows.FlowID, sess *session) flows.Settings {
	s := flows.Settings{Authority: d.Authority, Tenant: d.TenantID}
	switch id {
	case flows.FlowAuthCode:
		app := d.Apps.Web
		s.ClientID, s.ClientSecret, s.RedirectURI = app.ClientID, app.ClientSecret, app.RedirectURI
		s.Platform, s.Scopes = flows.PlatformWeb, d.userScopes()
	case flows.FlowPKCE:
		app := d.Apps.Public
		s.ClientID, s.RedirectURI, s.Platform, s.Scopes = app.ClientID, app.RedirectURI, flows.PlatformPublic, d.userScopes()
	case flows.FlowClientCredentials:
		app := d.Apps.Daemon
		s.ClientID, s.ClientSecret, s.Scopes = app.ClientID, app.ClientSecret, []string{app.Scope}
	case flows.FlowDeviceCode:
		s.ClientID, s.Scopes = d.Apps.Public.ClientID, d.userScopes()
	case flows.FlowOBO:
		app := d.Apps.API
		s.ClientID, s.ClientSecret, s.Scopes = app.ClientID, app.ClientSecret, []string{d.Apps.Downstream.Scope}
		if t, ok := sess.latestAccessFor(apiAudience(app)); ok {
			s.Assertion = t
		}
	case flows.FlowRefresh:
		if rt, ok := sess.latestRefresh(); ok {
			s.ClientID, s.ClientSecret, s.RefreshToken = rt.ClientID, rt.ClientSecret, rt.Token
			s.Scopes = rt.Scopes
		} else {
			s.ClientID, s.Scopes = d.Apps.Public.ClientID, d.userScopes()
		}
	}
	return s
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
