package cli

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/profiles"
	"github.com/spf13/cobra"
)

// runEnv is everything a run needs besides its flow: settings, the HTTP client, the browser, and what to
// release afterwards.
type runEnv struct {
	settings flows.Settings
	client   *http.Client
	browser  flows.Browser
	target   string           // where the run goes, for the trace header
	origin   string           // where the run goes, for the Markdown report: the emulator and its scenarios; "" otherwise
	bind     func(*flows.Run) // late wiring that needs the run (demo sign-in)
	closers  []func()
}

func (e *runEnv) close() {
	for i := len(e.closers) - 1; i >= 0; i-- {
		e.closers[i]()
	}
}

// prepare builds the settings in aadx's order of precedence (resolveSettings: flags, AZURE_* variables, the
// profile), or from the demo tenant with --demo.
func (o *runOptions) prepare(ctx context.Context, cmd *cobra.Command, id flows.FlowID, tr *tracer) (*runEnv, error) {
	if o.demo {
		return o.prepareDemo(ctx, cmd, id, tr)
	}
	if len(o.scenarios) > 0 {
		return nil, usageErrorf("--scenario needs --demo: scenarios are faults of the built-in emulator")
	}
	env := &runEnv{bind: func(*flows.Run) {}}
	var profile profiles.Profile
	var fromProfile bool
	fill := func(s *flows.Settings) (name string, err error) {
		profile, fromProfile, err = applyProfile(ctx, o.profile, s, false, nil)
		return profile.Name, err
	}
	s, _, err := resolveSettings(o.settingsFlags, o.givenTimeout(cmd), os.LookupEnv, fill)
	if err != nil {
		return nil, err
	}
	if err := o.secretlessFlags.apply(cmd, &s); err != nil {
		return nil, err
	}
	s.ResponseMode, s.LoginHint, s.Discover = o.responseMode, o.loginHint, o.discover
	o.apiRunFlags.apply(&s)
	if err := o.readTokens(cmd, &s); err != nil {
		return nil, err
	}
	// --client-secret and --client-secret-file outrank AZURE_CLIENT_SECRET; a profile's own secret source
	// (which may prompt) only fills the gap.
	if err := o.readCredential(cmd, id, &s, tr, !fromProfile); err != nil {
		return nil, err
	}
	if fromProfile && needsCredential(id, s) {
		if err := profiles.Credential(ctx, profile, &s, os.Getenv("AZURE_CLIENT_CERTIFICATE_PASSWORD"), o.secretPrompt(cmd)); err != nil {
			return nil, usageErrorf("--profile %s: %v", profile.Name, err)
		}
	}
	if err := s.Validate(id); err != nil {
		return nil, o.inputError(cmd, err)
	}
	env.settings = s
	env.target = firstNonEmpty(s.Issuer, strings.TrimRight(firstNonEmpty(s.Authority, s.Cloud.Authority()), "/")+"/"+s.Tenant)
	f, _ := flows.Lookup(string(id))
	if f.Client == flows.ClientManagedIdentity {
		env.target = firstNonEmpty(s.ManagedIdentity.Endpoint, flows.IMDSEndpoint) + " (the host's managed identity endpoint)"
	}
	if f.SignsInWithBrowser() {
		if err := o.chooseBrowser(cmd, env, tr); err != nil {
			return nil, err
		}
	}
	return env, nil
}

// readTokens reads --assertion and --refresh-token, "-" meaning stdin.
func (o *runOptions) readTokens(cmd *cobra.Command, s *flows.Settings) error {
	for _, t := range []struct {
		flag string
		val  string
		dst  *string
	}{{"assertion", o.assertion, &s.Assertion}, {"refresh-token", o.refreshToken, &s.RefreshToken}} {
		if t.val != "-" {
			*t.dst = strings.TrimSpace(t.val)
			continue
		}
		v, err := readLimited(cmd.InOrStdin(), 64<<10)
		if errors.Is(err, errTooLong) {
			return usageErrorf("--%s -: stdin %v; pipe in the token alone", t.flag, err)
		}
		if err != nil || strings.TrimSpace(v) == "" {
			return usageErrorf("--%s -: nothing could be read from stdin; pipe the token in", t.flag)
		}
		*t.dst = strings.TrimPrefix(strings.TrimSpace(v), "Bearer ")
	}
	return nil
}

// givenTimeout is --timeout when given, else 0, so that each flow's own default applies (a managed identity's
// IMDS request gives up after a few seconds off Azure; every other exchange gets flows.DefaultTimeout).
func (o *runOptions) givenTimeout(cmd *cobra.Command) time.Duration {
	if cmd.Flags().Changed("timeout") {
		return o.timeout
	}
	return 0
}
