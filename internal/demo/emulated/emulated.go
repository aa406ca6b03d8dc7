// Package emulated copies the built-in emulator's description into the plain demo.Tenant the front ends fill
// settings from, so that neither the TUI nor the demo package imports the emulator. The command line uses
// it, and so do the tests that run the TUI against an emulator.
package emulated

import (
	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/internal/demo"
)

// Tenant is the emulator's demo tenant as internal/demo describes it.
func Tenant(desc emulator.Description) demo.Tenant {
	app := func(a emulator.App) demo.App {
		return demo.App{ClientID: a.ClientID, ClientSecret: a.ClientSecret, RedirectURI: a.RedirectURI, CertFile: a.CertFile,
			Scope: a.Scope, CertPEM: a.CertPEM}
	}
	t := demo.Tenant{Authority: desc.Authority, TenantID: desc.TenantID, TenantDomain: desc.TenantDomain,
		Apps: demo.Apps{Web: app(desc.Apps.Web), SPA: app(desc.Apps.SPA), Public: app(desc.Apps.Public),
			Daemon: app(desc.Apps.Daemon), API: app(desc.Apps.API), Downstream: app(desc.Apps.Downstream),
			Workload: demo.App{ClientID: desc.WorkloadIdentity.ClientID, Scope: desc.WorkloadIdentity.Scope}},
		Secretless: secretless(desc)}
	for _, u := range desc.Users {
		t.Users = append(t.Users, demo.User{Username: u.Username, Password: u.Password, Name: u.Name, Note: u.Note})
	}
	return t
}

// Scenarios are the emulator's fault scenarios.
func Scenarios() []demo.Scenario {
	var out []demo.Scenario
	for _, sc := range emulator.Scenarios() {
		out = append(out, demo.Scenario{Name: sc.Name, Summary: sc.Summary, Flow: sc.Flow, Code: sc.Code})
	}
	return out
}

// secretless copies the emulator's managed identity endpoints and external issuers with the workload app's
// federated credentials.
func secretless(desc emulator.Description) demo.Secretless {
	mi, w := desc.ManagedIdentity, desc.WorkloadIdentity
	s := demo.Secretless{IMDSEndpoint: mi.IMDSEndpoint, IdentityEndpoint: mi.IdentityEndpoint, IdentityHeader: mi.IdentityHeader,
		Resource: mi.Resource, UserAssignedClientID: mi.UserAssigned.ClientID,
		GitHubTokenURL: w.Issuers.GitHub.TokenURL, KubernetesTokenURL: w.Issuers.Kubernetes.TokenURL}
	for _, f := range w.FederatedCredentials {
		c := flows.FederatedCredential{Name: f.Name, Issuer: f.Issuer, Subject: f.Subject}
		if len(f.Audiences) > 0 {
			c.Audience = f.Audiences[0]
		}
		s.Credentials = append(s.Credentials, c)
	}
	return s
}
