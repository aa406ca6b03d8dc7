package cli

import (
	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/internal/demo"
	"github.com/aadx/aadx/tui"
)

// demoTenant copies the emulator's description into the plain demo.Tenant that the TUI and `aadx run --demo`
// fill settings from (so neither front end reads the emulator's types).
func demoTenant(desc emulator.Description) demo.Tenant {
	app := func(a emulator.App) demo.App {
		return demo.App{ClientID: a.ClientID, ClientSecret: a.ClientSecret, RedirectURI: a.RedirectURI, CertFile: a.CertFile,
			Scope: a.Scope, CertPEM: a.CertPEM}
	}
	t := demo.Tenant{Authority: desc.Authority, TenantID: desc.TenantID, TenantDomain: desc.TenantDomain,
		Apps: demo.Apps{Web: app(desc.Apps.Web), SPA: app(desc.Apps.SPA), Public: app(desc.Apps.Public),
			Daemon: app(desc.Apps.Daemon), API: app(desc.Apps.API), Downstream: app(desc.Apps.Downstream)}}
	for _, u := range desc.Users {
		t.Users = append(t.Users, demo.User{Username: u.Username, Password: u.Password, Name: u.Name, Note: u.Note})
	}
	return t
}

// demoFrom copies what the TUI needs from the emulator, so the tui package does not import it.
func demoFrom(srv *emulator.Server) *tui.Demo {
	t := demoTenant(srv.Description())
	d := &tui.Demo{Authority: t.Authority, TenantID: t.TenantID, TenantDomain: t.TenantDomain, Users: t.Users, Apps: t.Apps,
		HTTPClient: srv.HTTPClient(), SetScenarios: srv.SetScenarios}
	for _, sc := range emulator.Scenarios() {
		d.Scenarios = append(d.Scenarios, tui.DemoScenario{Name: sc.Name, Summary: sc.Summary, Flow: sc.Flow, Code: sc.Code})
	}
	return d
}
