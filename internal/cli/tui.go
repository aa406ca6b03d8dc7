package cli

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/profiles"
	"github.com/aadx/aadx/tui"
)

// tuiFlags are the root command's flags: where the TUI's settings come from before the environment.
type tuiFlags struct {
	demo        bool
	authority   string
	cloud       string
	issuer      string
	tenant      string
	clientID    string
	redirectURI string
	platform    string
	cert        string
	scopes      []string
	timeout     time.Duration
	profile     string
	present     bool
	autoAdvance time.Duration
}

// demoDeviceInterval keeps the device code demo brisk; the emulator's default is Entra's 5 s.
const demoDeviceInterval = 2 * time.Second

// addTUIFlags adds the root command's flags and the action that starts the TUI: `aadx` and `aadx --demo`.
func addTUIFlags(root *cobra.Command) {
	var f tuiFlags
	fl := root.Flags()
	fl.BoolVar(&f.demo, "demo", false, "run against an Entra ID emulator started in-process, every setting filled from its demo tenant")
	fl.StringVar(&f.authority, "authority", "", "login host, e.g. https://login.microsoftonline.com (env AZURE_AUTHORITY_HOST)")
	fl.StringVar(&f.cloud, "cloud", "", "national cloud: public, usgov or china")
	fl.StringVar(&f.issuer, "issuer", "", "any OpenID provider's issuer URL, instead of --authority and --tenant")
	fl.StringVar(&f.tenant, "tenant", "", "tenant GUID or domain, or common, organizations, consumers (env AZURE_TENANT_ID)")
	fl.StringVar(&f.clientID, "client-id", "", "application (client) ID (env AZURE_CLIENT_ID)")
	fl.StringVar(&f.redirectURI, "redirect-uri", "", "redirect URI registered on the app")
	fl.StringVar(&f.platform, "platform", "", "redirect URI platform: web, spa or public")
	fl.StringVar(&f.cert, "cert", "", "client certificate: PEM (certificate + key) or PFX (env AZURE_CLIENT_CERTIFICATE_PATH)")
	fl.StringArrayVar(&f.scopes, "scope", nil, "scope to request (repeatable)")
	fl.DurationVar(&f.timeout, "timeout", 0, "timeout of each HTTP exchange (default 30s)")
	fl.StringVar(&f.profile, "profile", "", "saved profile to fill what flags and AZURE_* leave empty (default the active one)")
	fl.BoolVar(&f.present, "present", false, "presenter mode: each leg narrated, roomier layout, secrets always masked")
	fl.DurationVar(&f.autoAdvance, "auto-advance", 0, "in presenter mode, send each leg after this delay, e.g. 3s (implies --present)")
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		profile := func(s *flows.Settings) (string, error) { return tuiProfile(cmd, f.profile, s) }
		opts, cleanup, err := tuiOptions(f, os.LookupEnv, startDemo, profile)
		if err != nil {
			return err
		}
		defer cleanup()
		p := tea.NewProgram(tui.New(opts), tea.WithContext(cmd.Context()))
		if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
			return fmt.Errorf("the terminal interface stopped: %w", err)
		}
		return nil
	}
}

// tuiOptions turns flags, then AZURE_* variables, into the TUI's options. With --demo the emulator's
// demo tenant fills every setting and wins over other flags (the status bar says so). It returns a
// cleanup that stops any emulator it started.
func tuiOptions(f tuiFlags, env func(string) (string, bool), start demoStarter, profile profileFiller) (tui.Options, func(), error) {
	var opts tui.Options
	cleanups := []func(){}
	cleanup := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	s, err := settingsFromFlags(f, env)
	if err != nil {
		return opts, cleanup, err
	}
	if !f.demo && profile != nil {
		name, err := profile(&s)
		if err != nil {
			return opts, cleanup, err
		}
		if name != "" {
			opts.Notice = "profile " + name
		}
	}
	opts.Settings = s
	opts.CertPassword, _ = env("AZURE_CLIENT_CERTIFICATE_PASSWORD")
	opts.SaveProfile = saveTUIProfile(profiles.OpenDefault)
	if f.autoAdvance < 0 {
		return opts, cleanup, usageErrorf("--auto-advance %s is negative; give a delay such as 3s", f.autoAdvance)
	}
	opts.Present, opts.AutoAdvance = f.present || f.autoAdvance > 0, f.autoAdvance
	if store, err := profiles.OpenDefault(); err == nil {
		opts.Profiles = store // no user config directory: the profiles screen stays hidden
	}
	opts.OpenBrowser = flows.OpenSystemBrowser
	if f.demo {
		describe, stop, err := start()
		if err != nil {
			return opts, cleanup, networkError(fmt.Errorf("--demo: the emulator did not start: %w", err))
		}
		cleanups = append(cleanups, stop)
		// The emulator is listening; describing its tenant waits for its keys, so the TUI does it off
		// the first frame.
		opts.StartDemo, opts.DemoOnStart = describe, true
		if overridden := givenSettings(f); len(overridden) > 0 {
			opts.Notice = "--demo: the demo tenant replaces " + strings.Join(overridden, ", ")
		}
		return opts, cleanup, nil
	}
	// Nothing configured: offer the demo tenant (D on the picker), started only when accepted. The
	// cleanup runs after the TUI ends, when this Cmd can no longer run.
	var mu sync.Mutex
	opts.StartDemo = func() (*tui.Demo, error) {
		describe, stop, err := start()
		if err != nil {
			return nil, err
		}
		mu.Lock()
		cleanups = append(cleanups, stop)
		mu.Unlock()
		return describe()
	}
	return opts, func() { mu.Lock(); defer mu.Unlock(); cleanup() }, nil
}

// givenSettings names the setting flags that were given.
func givenSettings(f tuiFlags) []string {
	var out []string
	for _, kv := range []struct{ name, value string }{
		{"--authority", f.authority}, {"--cloud", f.cloud}, {"--issuer", f.issuer}, {"--tenant", f.tenant},
		{"--client-id", f.clientID}, {"--redirect-uri", f.redirectURI}, {"--platform", f.platform}, {"--cert", f.cert},
	} {
		if kv.value != "" {
			out = append(out, kv.name)
		}
	}
	if len(f.scopes) > 0 {
		out = append(out, "--scope")
	}
	return out
}

// settingsFromFlags applies flags over AZURE_* variables (azidentity's names) and checks each given
// value, so that a bad flag is a usage error naming it rather than a surprise in the TUI.
func settingsFromFlags(f tuiFlags, env func(string) (string, bool)) (flows.Settings, error) {
	pick := func(flag, name string) string {
		if flag != "" {
			return flag
		}
		v, _ := env(name)
		return strings.TrimSpace(v)
	}
	var s flows.Settings
	cloud, err := flows.ParseCloud(f.cloud)
	if err != nil {
		return s, usageErrorf("--cloud %q is not a cloud; use public, usgov or china", f.cloud)
	}
	if f.cloud != "" {
		s.Cloud = cloud // left empty otherwise, so a profile's authority may fill it (empty means public)
	}
	s.Authority = strings.TrimRight(pick(f.authority, "AZURE_AUTHORITY_HOST"), "/")
	if s.Authority != "" {
		if err := checkHTTPURL(s.Authority); err != nil {
			return s, usageErrorf("--authority %q %v; give the login host, e.g. https://login.microsoftonline.com", s.Authority, err)
		}
	}
	if f.issuer != "" {
		if err := checkHTTPURL(f.issuer); err != nil {
			return s, usageErrorf("--issuer %q %v; give the provider's issuer URL", f.issuer, err)
		}
		s.Issuer = f.issuer
	}
	s.Tenant = pick(f.tenant, "AZURE_TENANT_ID")
	s.ClientID = pick(f.clientID, "AZURE_CLIENT_ID")
	s.ClientSecret, _ = env("AZURE_CLIENT_SECRET")
	s.RedirectURI = f.redirectURI
	s.Scopes = f.scopes
	s.Timeout = f.timeout
	if f.timeout < 0 {
		return s, usageErrorf("--timeout %s is negative; give a duration such as 30s", f.timeout)
	}
	switch p := flows.Platform(f.platform); p {
	case "", flows.PlatformWeb, flows.PlatformSPA, flows.PlatformPublic:
		s.Platform = p
	default:
		return s, usageErrorf("--platform %q is not a platform; use web, spa or public", f.platform)
	}
	if err := checkGivenFields(s); err != nil {
		return s, err
	}
	if path := pick(f.cert, "AZURE_CLIENT_CERTIFICATE_PATH"); path != "" {
		password, _ := env("AZURE_CLIENT_CERTIFICATE_PASSWORD")
		c, err := flows.LoadCertificate(path, password)
		if err != nil {
			return s, usageErrorf("--cert: %v", err)
		}
		s.Certificate = c
	}
	return s, nil
}

// checkGivenFields runs the engine's rules and reports a problem only when it is about a value that was
// given (a missing client id is for the settings screen to ask, not an error here).
func checkGivenFields(s flows.Settings) error {
	err := s.Validate(flows.FlowClientCredentials)
	var fe *flows.FieldError
	if !errors.As(err, &fe) {
		return nil
	}
	given := map[string]string{"tenant": s.Tenant, "client-id": s.ClientID, "authority": s.Authority, "issuer": s.Issuer}
	if v, ok := given[fe.Field]; ok && v != "" {
		return usageErrorf("--%s: %v", fe.Field, fe)
	}
	return nil
}

func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return errors.New("is not an http(s) URL")
	}
	return nil
}

// demoStarter starts an emulator and returns how to describe its demo tenant (which may wait for its
// keys) and how to stop it.
type demoStarter func() (describe func() (*tui.Demo, error), stop func(), err error)

// startDemo starts the emulator on a random loopback port (a real listener, so the system browser works
// too).
func startDemo() (func() (*tui.Demo, error), func(), error) {
	srv, err := emulator.New(emulator.Options{DeviceInterval: demoDeviceInterval, KeyCache: emulator.UserKeyCache()})
	if err != nil {
		return nil, func() {}, err
	}
	return func() (*tui.Demo, error) { return demoFrom(srv), nil }, func() { _ = srv.Close() }, nil
}

// demoFrom copies what the TUI needs from the emulator, so the tui package does not import it.
func demoFrom(srv *emulator.Server) *tui.Demo {
	desc := srv.Description()
	app := func(a emulator.App) tui.DemoApp {
		return tui.DemoApp{ClientID: a.ClientID, ClientSecret: a.ClientSecret, RedirectURI: a.RedirectURI, CertFile: a.CertFile, Scope: a.Scope}
	}
	d := &tui.Demo{
		Authority: desc.Authority, TenantID: desc.TenantID, TenantDomain: desc.TenantDomain,
		HTTPClient:   srv.HTTPClient(),
		SetScenarios: srv.SetScenarios,
		Apps: tui.DemoApps{Web: app(desc.Apps.Web), SPA: app(desc.Apps.SPA), Public: app(desc.Apps.Public),
			Daemon: app(desc.Apps.Daemon), API: app(desc.Apps.API), Downstream: app(desc.Apps.Downstream)},
	}
	for _, u := range desc.Users {
		d.Users = append(d.Users, tui.DemoUser{Username: u.Username, Password: u.Password, Name: u.Name, Note: u.Note})
	}
	for _, sc := range emulator.Scenarios() {
		d.Scenarios = append(d.Scenarios, tui.DemoScenario{Name: sc.Name, Summary: sc.Summary, Flow: sc.Flow, Code: sc.Code})
	}
	return d
}

// profileFiller fills what flags and AZURE_* left empty from a saved profile and names the profile used.
type profileFiller func(s *flows.Settings) (name string, err error)

// tuiProfile applies the --profile (else the active) profile under flags and AZURE_*. Its secret source
// fills the secret only when it needs no prompt: the TUI's settings screen has a masked input for that.
func tuiProfile(cmd *cobra.Command, name string, s *flows.Settings) (string, error) {
	noPrompt := func(string) (string, error) { return "", errors.New("type the secret in the settings screen") }
	p, ok, err := applyProfile(cmd.Context(), cmd, name, s, false, nil)
	if err != nil || !ok {
		return "", err
	}
	if s.ClientSecret == "" && s.Certificate == nil {
		_ = profiles.Credential(cmd.Context(), p, s, os.Getenv("AZURE_CLIENT_CERTIFICATE_PASSWORD"), noPrompt)
	}
	return p.Name, nil
}

// saveTUIProfile saves settings typed in the TUI as a profile: FromSettings keeps only what is safe on
// disk and Store.Save refuses anything carrying a known secret. The secret is expected from
// AZURE_CLIENT_SECRET; `aadx profiles secret` can point it elsewhere.
func saveTUIProfile(open func() (*profiles.Store, error)) func(name string, s flows.Settings) error {
	return func(name string, s flows.Settings) error {
		if err := profiles.ValidateName(name); err != nil {
			return err
		}
		store, err := open()
		if err != nil {
			return err
		}
		return store.Save(profiles.FromSettings(name, s), profiles.KnownSecrets(s)...)
	}
}
