package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/flows/browser"
	"github.com/aadx/aadx/flows/export"
	"github.com/aadx/aadx/internal/demo"
	"github.com/aadx/aadx/internal/demo/emulated"
	"github.com/spf13/cobra"
)

// prepareDemo starts an in-process emulator and fills the settings from its demo tenant for the flow
// (internal/demo, as the TUI does); the flags that choose among what the tenant offers still win. Browser legs
// complete headless through the emulator's sign-in pages as the demo user; the device code is approved by the
// same scripted user; a chained flow (obo, refresh) first obtains its token with a run of the flow it chains
// from.
func (o *runOptions) prepareDemo(ctx context.Context, cmd *cobra.Command, id flows.FlowID, tr *tracer) (*runEnv, error) {
	given, err := o.given()
	if err != nil {
		return nil, err
	}
	srv, err := emulator.New(emulator.Options{NoListener: true, DeviceInterval: demo.DeviceInterval, Scenarios: o.scenarios, KeyCache: emulator.UserKeyCache()})
	if err != nil {
		if len(o.scenarios) > 0 {
			return nil, usageErrorf("--scenario: %v", err)
		}
		return nil, fmt.Errorf("starting the demo emulator: %w", err)
	}
	env := &runEnv{client: srv.HTTPClient(), closers: []func(){func() { _ = srv.Close() }}, bind: func(*flows.Run) {}}
	desc := srv.DescriptionWithoutCertificate() // a secret-only run needs no daemon key: none is loaded
	if o.credential == "cert" {
		desc = srv.Description()
	}
	tenant := emulated.Tenant(desc)
	user, err := demoUser(tenant, firstNonEmpty(o.user, o.loginHint))
	if err != nil {
		env.close()
		return nil, err
	}
	f, _ := flows.Lookup(string(id))
	opts := demo.Options{Platform: given.Platform, Certificate: o.credential == "cert"}
	if err := o.secretlessFlags.demoOptions(&opts); err != nil {
		env.close()
		return nil, err
	}
	s, err := tenant.Settings(f, opts)
	if err != nil {
		env.close()
		return nil, err
	}
	if err := o.secretlessFlags.apply(cmd, &s); err != nil {
		env.close()
		return nil, err
	}
	s.Timeout, s.Discover, s.ResponseMode = o.timeout, o.discover, o.responseMode
	s.AssertionAlg = given.AssertionAlg
	if given.Platform != "" {
		s.Platform = given.Platform
	}
	if len(given.Scopes) > 0 {
		s.Scopes = given.Scopes
	}
	if err := o.readTokens(cmd, &s); err != nil {
		env.close()
		return nil, err
	}
	if c := f.ChainsFrom; c != nil && !c.Given(s) {
		if err := chainDemoToken(ctx, env, tenant, user, *c, &s, tr); err != nil {
			env.close()
			return nil, err
		}
	}
	// After the chain, which copies the scopes of the token it starts from: the API call picks its own.
	o.apiRunFlags.applyDemo(&s, desc, f, len(given.Scopes) > 0)
	env.settings = s
	env.target = tenant.Authority + "/" + tenant.TenantID + " (demo emulator)"
	env.origin = export.EmulatorOrigin(tenant.Authority, o.scenarios...)
	if f.UserSignsIn() {
		env.target = tenant.Authority + "/" + tenant.TenantID + " (demo emulator, signing in as " + user.Username + ")"
	}
	var run *flows.Run
	env.browser = flows.BrowserFunc(func(ctx context.Context, authURL, redirect string) (*flows.Redirect, error) {
		return browser.Scripted(run, user.Username, user.Password).Visit(ctx, authURL, redirect)
	})
	env.bind = func(r *flows.Run) {
		run = r
		tr.onDeviceCode = func(ctx context.Context) {
			// The demo user approves on "another device" while the run polls.
			if err := browser.ApproveDevice(ctx, r, user.Username, user.Password, true); err != nil {
				tr.warn("the demo device sign-in failed: " + err.Error())
			}
		}
	}
	return env, nil
}

// demoUser picks a demo user by username or its first part; empty means the first (plain) user.
func demoUser(d demo.Tenant, name string) (demo.User, error) {
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
	return demo.User{}, usageErrorf("--user %q is not a demo user: use one of %s", name, strings.Join(names, ", "))
}

// chainDemoToken runs the flow chain c comes from as the demo user (traced as setup) and hands its token to s:
// the user token an obo run exchanges, the refresh token a refresh run redeems.
func chainDemoToken(ctx context.Context, env *runEnv, tenant demo.Tenant, user demo.User, c flows.Chain, s *flows.Settings, tr *tracer) error {
	from, _ := flows.Lookup(string(c.From))
	fs, err := tenant.Settings(from, demo.Options{})
	if err != nil {
		return err
	}
	var run *flows.Run
	browser := flows.BrowserFunc(func(ctx context.Context, authURL, redirect string) (*flows.Redirect, error) {
		return browser.Scripted(run, user.Username, user.Password).Visit(ctx, authURL, redirect)
	})
	setup := tr.setup()
	run, err = flows.NewRun(from.ID, fs, flows.Options{HTTPClient: env.client, Browser: browser, Events: setup.event})
	if err != nil {
		return err
	}
	setup.run = run
	setup.start(run, "a sign-in as "+user.Username+" for the token this flow starts from")
	err = run.RunAll(ctx)
	setup.finish(run, err)
	if err != nil {
		return classifyRunError(errors.Join(errors.New("the setup sign-in failed"), err))
	}
	if !c.Apply(s, fs, run.State().Tokens) {
		return fmt.Errorf("the setup sign-in gave no %s", c.Token)
	}
	return nil
}
