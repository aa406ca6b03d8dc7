package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/flows"
	"github.com/spf13/cobra"
)

// prepareDemo starts an in-process emulator and fills the settings from its demo tenant for the flow; flags
// given explicitly still win. Browser legs complete headless through the emulator's sign-in pages as the demo
// user; the device code is approved by the same scripted user; obo and refresh first obtain their token
// with a chained pkce run.
func (o *runOptions) prepareDemo(ctx context.Context, cmd *cobra.Command, id flows.FlowID, tr *tracer) (*runEnv, error) {
	given, err := o.given()
	if err != nil {
		return nil, err
	}
	srv, err := emulator.New(emulator.Options{NoListener: true, DeviceInterval: time.Second, Scenarios: o.scenarios, KeyCache: emulator.UserKeyCache()})
	if err != nil {
		if len(o.scenarios) > 0 {
			return nil, usageErrorf("--scenario: %v", err)
		}
		return nil, fmt.Errorf("starting the demo emulator: %w", err)
	}
	env := &runEnv{client: srv.HTTPClient(), closers: []func(){func() { _ = srv.Close() }}, bind: func(*flows.Run) {}}
	d := srv.Description()
	user, err := demoUser(d, firstNonEmpty(o.user, o.loginHint))
	if err != nil {
		env.close()
		return nil, err
	}
	apps := d.Apps
	s := flows.Settings{Authority: d.Authority, Tenant: d.TenantID, Timeout: o.timeout, Discover: o.discover,
		ResponseMode: o.responseMode, AssertionAlg: given.AssertionAlg, Platform: given.Platform}
	switch id {
	case flows.FlowClientCredentials:
		s.ClientID, s.Scopes = apps.Daemon.ClientID, []string{apps.Daemon.Scope}
		if o.credential == "cert" {
			if s.Certificate, err = flows.ParseCertificate(apps.Daemon.CertPEM, ""); err != nil {
				env.close()
				return nil, fmt.Errorf("demo certificate: %w", err)
			}
		} else {
			s.ClientSecret = apps.Daemon.ClientSecret
		}
	case flows.FlowAuthCode:
		s.ClientID, s.ClientSecret, s.RedirectURI = apps.Web.ClientID, apps.Web.ClientSecret, apps.Web.RedirectURI
		s.Scopes = []string{"openid", "profile", "offline_access", "User.Read"}
	case flows.FlowPKCE:
		s.ClientID, s.RedirectURI = apps.Public.ClientID, apps.Public.RedirectURI
		if s.Platform == flows.PlatformSPA {
			s.ClientID, s.RedirectURI = apps.SPA.ClientID, apps.SPA.RedirectURI
		}
		s.Scopes = []string{"openid", "profile", "offline_access", "User.Read"}
	case flows.FlowDeviceCode:
		s.ClientID, s.Scopes = apps.Public.ClientID, []string{"openid", "profile", "offline_access", "User.Read"}
	case flows.FlowOBO:
		s.ClientID, s.ClientSecret, s.Scopes = apps.API.ClientID, apps.API.ClientSecret, []string{apps.Downstream.Scope}
	case flows.FlowRefresh:
		s.ClientID, s.Platform = apps.Public.ClientID, flows.PlatformPublic
	}
	if len(given.Scopes) > 0 {
		s.Scopes = given.Scopes
	}
	if err := o.readTokens(cmd, &s); err != nil {
		env.close()
		return nil, err
	}
	if (id == flows.FlowOBO && s.Assertion == "") || (id == flows.FlowRefresh && s.RefreshToken == "") {
		scope := apps.API.Scope
		if id == flows.FlowRefresh {
			scope = "offline_access User.Read"
		}
		tok, err := demoUserToken(ctx, env, d, user, strings.Fields("openid "+scope), tr)
		if err != nil {
			env.close()
			return nil, err
		}
		s.Assertion, s.RefreshToken = tok.AccessToken, tok.RefreshToken
	}
	env.settings = s
	env.target = d.Authority + "/" + d.TenantID + " (demo emulator)"
	if id != flows.FlowClientCredentials && id != flows.FlowOBO {
		env.target = d.Authority + "/" + d.TenantID + " (demo emulator, signing in as " + user.Username + ")"
	}
	var run *flows.Run
	env.browser = flows.BrowserFunc(func(ctx context.Context, authURL, redirect string) (*flows.Redirect, error) {
		return run.SignIn(user.Username, user.Password).Visit(ctx, authURL, redirect)
	})
	env.bind = func(r *flows.Run) {
		run = r
		tr.onDeviceCode = func(ctx context.Context) {
			// The demo user approves on "another device" while the run polls.
			if err := r.DeviceSignIn(ctx, user.Username, user.Password, true); err != nil {
				tr.warn("the demo device sign-in failed: " + err.Error())
			}
		}
	}
	return env, nil
}

// demoUser picks a demo user by username or its first part; empty means the first (plain) user.
func demoUser(d emulator.Description, name string) (emulator.User, error) {
	if name == "" {
		return d.Users[0], nil
	}
	var names []string
	for _, u := range d.Users {
		if strings.EqualFold(u.Username, name) || strings.EqualFold(strings.SplitN(u.Username, "@", 2)[0], name) {
			return u, nil
		}
		names = append(names, strings.SplitN(u.Username, "@", 2)[0])
	}
	return emulator.User{}, usageErrorf("--user %q is not a demo user: use one of %s", name, strings.Join(names, ", "))
}

// demoUserToken signs the demo user in with the public client (a chained pkce run, traced as setup) to get
// the token an obo or refresh run starts from.
func demoUserToken(ctx context.Context, env *runEnv, d emulator.Description, user emulator.User, scopes []string, tr *tracer) (*flows.Tokens, error) {
	s := flows.Settings{Authority: d.Authority, Tenant: d.TenantID, ClientID: d.Apps.Public.ClientID,
		RedirectURI: d.Apps.Public.RedirectURI, Scopes: scopes}
	var run *flows.Run
	browser := flows.BrowserFunc(func(ctx context.Context, authURL, redirect string) (*flows.Redirect, error) {
		return run.SignIn(user.Username, user.Password).Visit(ctx, authURL, redirect)
	})
	setup := tr.setup()
	run, err := flows.NewRun(flows.FlowPKCE, s, flows.Options{HTTPClient: env.client, Browser: browser, Events: setup.event})
	if err != nil {
		return nil, err
	}
	setup.run = run
	setup.start(run, "a sign-in as "+user.Username+" for the token this flow starts from")
	err = run.RunAll(ctx)
	setup.finish(run, err)
	if err != nil {
		return nil, classifyRunError(errors.Join(errors.New("the setup sign-in failed"), err))
	}
	return run.State().Tokens, nil
}
