// Package demo fills a flow's settings from the emulator's demo tenant. It is the one place the TUI and
// `aadx run --demo` take demo settings from, so both ask for the same scopes with the same apps, and it holds
// plain data: the command line copies the emulator's description in, and the TUI never imports the emulator.
package demo

import (
	"cmp"
	"fmt"
	"time"

	"github.com/aadx/aadx/flows"
)

// DeviceInterval is the device code polling interval the demo emulator announces: brisk enough to watch,
// where Entra ID says 5 s.
const DeviceInterval = 2 * time.Second

// Tenant is the emulator's demo tenant: its login host, its users and its app registrations.
type Tenant struct {
	Authority    string
	TenantID     string
	TenantDomain string
	Users        []User
	Apps         Apps
	Secretless   Secretless
}

// User is a demo directory member who can sign in.
type User struct {
	Username, Password, Name, Note string
}

// App is one demo app registration. CertPEM is its certificate and key when it has one (CertFile holds the same).
type App struct {
	ClientID, ClientSecret, RedirectURI, CertFile, Scope string
	CertPEM                                              []byte
}

// Apps are the demo tenant's registrations, one of each kind a flow runs as (DESIGN.md §3).
type Apps struct {
	Web, SPA, Public, Daemon, API, Downstream App
	// Workload has federated credentials and no secret (workload identity federation).
	Workload App
}

// Scenario is one of the emulator's fault scenarios: what it reproduces and with which flow.
type Scenario struct {
	Name, Summary, Flow string
	Code                int // the AADSTS code it reproduces, or the HTTP status of a transport-level fault
}

// Options choose among what the demo tenant offers a flow.
type Options struct {
	// Platform is the redirect URI platform; empty means the flow's default. spa picks the SPA registration.
	Platform flows.Platform
	// Certificate sends the app's certificate instead of its secret, when it has one.
	Certificate bool
	// MISource picks the managed identity endpoint: IMDS (default) or App Service.
	MISource flows.MISource
	// ExternalIssuer picks the issuer a workload's token comes from: IssuerGitHub (default) or IssuerKubernetes.
	ExternalIssuer string
}

// UserScopes are the delegated scopes the demo's user sign-ins ask for: OpenID sign-in, a refresh token and
// the middle-tier API, so that the access token can later be exchanged on-behalf-of.
func (t Tenant) UserScopes() []string {
	scopes := []string{"openid", "profile", "offline_access"}
	if t.Apps.API.Scope != "" {
		scopes = append(scopes, t.Apps.API.Scope)
	}
	return scopes
}

// App is the registration a flow of the given kind runs as on platform p.
func (t Tenant) App(kind flows.ClientKind, p flows.Platform) App {
	switch kind {
	case flows.ClientWeb:
		return t.Apps.Web
	case flows.ClientDaemon:
		return t.Apps.Daemon
	case flows.ClientAPI:
		return t.Apps.API
	case flows.ClientWorkload:
		return t.Apps.Workload
	case flows.ClientManagedIdentity:
		return App{}
	}
	switch p {
	case flows.PlatformSPA:
		return t.Apps.SPA
	case flows.PlatformWeb: // a public client's flow run as a web app is the confidential web registration
		return t.Apps.Web
	}
	return t.Apps.Public
}

// Settings fills every setting flow f needs from the demo tenant: the app its client kind runs as, that app's
// redirect URI and credential, and the scopes it asks for (an app-only flow its resource's .default, the
// middle-tier API the downstream API, a user's flow UserScopes). The token a chained flow starts from comes
// from an earlier run (flows.Chain.Apply).
func (t Tenant) Settings(f flows.Flow, o Options) (flows.Settings, error) {
	s := flows.Settings{Authority: t.Authority, Tenant: t.TenantID}
	app := t.App(f.Client, o.Platform)
	s.ClientID = app.ClientID
	if f.SignsInWithBrowser() {
		s.RedirectURI, s.Platform = app.RedirectURI, cmp.Or(o.Platform, f.DefaultPlatform)
	}
	if f.TakesCredential() {
		if o.Certificate && len(app.CertPEM) > 0 {
			c, err := flows.ParseCertificate(app.CertPEM, "")
			if err != nil {
				return s, fmt.Errorf("demo certificate: %w", err)
			}
			s.Certificate = c
		} else {
			s.ClientSecret = app.ClientSecret
		}
	}
	switch {
	case f.AppOnly:
		s.Scopes = []string{app.Scope}
	case f.Client == flows.ClientAPI:
		s.Scopes = []string{t.Apps.Downstream.Scope}
	default:
		s.Scopes = t.UserScopes()
	}
	return t.secretlessSettings(f, o, s), nil
}
