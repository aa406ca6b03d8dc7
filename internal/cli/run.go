package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/flows/browser"
	"github.com/aadx/aadx/flows/export"
	"github.com/spf13/cobra"
)

// runOptions are the flags of `aadx run` (DESIGN.md §3).
type runOptions struct {
	settingsFlags
	sessionFlags
	apiRunFlags
	secretlessFlags
	noBrowser, jsonOut, includeTokens, discover bool
	clientSecret, clientSecretFile, credential  string
	responseMode, loginHint                     string
	assertion, refreshToken, user               string
	harFile, markdownFile                       string
	scenarios                                   []string
	browserTimeout                              time.Duration
}

func newRunCmd() *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run FLOW",
		Short: "Run one flow headless: " + strings.Join(flows.FlowIDs(), " | "),
		Long: `Run one OAuth 2.0 flow headless, every leg traced on stderr.

FLOW is one of: ` + strings.Join(flows.FlowIDs(), ", ") + `.

` + settingsHelp + `
A client secret comes from --client-secret-file, AZURE_CLIENT_SECRET, the profile or a prompt on a terminal.
--demo runs against a built-in Entra ID emulator with its demo tenant and needs no other flag.

Exit codes: 0 success, 1 the identity provider said no, 2 invalid input, 3 network, TLS or timeout.`,
		Example: `  aadx run client-credentials --demo
  aadx run device-code --demo --json
  aadx run client-credentials --tenant contoso.onmicrosoft.com --client-id GUID \
      --scope https://graph.microsoft.com/.default --cert app.pem --har trace.har
  aadx run pkce --tenant GUID --client-id GUID --redirect-uri http://localhost --no-browser
  aadx run auth-code --demo --scenario cae-challenge --call-api api --json
  aadx run managed-identity --resource https://vault.azure.net --mi-client-id GUID
  aadx run workload-identity --demo --scenario fic-subject-branch`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("run needs one FLOW: %s", strings.Join(flows.FlowIDs(), ", "))
			}
			if _, ok := flows.Lookup(args[0]); !ok {
				return usageErrorf("%q is not a flow: use one of %s", args[0], strings.Join(flows.FlowIDs(), ", "))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signalContext(cmd.Context())
			defer stop()
			return o.run(ctx, cmd, flows.FlowID(args[0]))
		},
	}
	addSettingsFlags(cmd, &o.settingsFlags)
	addSessionFlags(cmd, &o.sessionFlags)
	f := cmd.Flags()
	o.apiRunFlags.register(f)
	o.secretlessFlags.register(f)
	f.StringVar(&o.clientSecret, "client-secret", "", "client secret (avoid: visible to other users; prefer AZURE_CLIENT_SECRET)")
	f.StringVar(&o.clientSecretFile, "client-secret-file", "", "file holding the client secret")
	f.StringVar(&o.credential, "credential", "", "with --demo: secret or cert")
	f.StringVar(&o.responseMode, "response-mode", "", "authorization response mode: query or form_post")
	f.StringVar(&o.loginHint, "login-hint", "", "username to pre-fill on the sign-in page")
	f.StringVar(&o.assertion, "assertion", "", "on-behalf-of: the incoming user token, or - to read it from stdin")
	f.StringVar(&o.refreshToken, "refresh-token", "", "refresh flow: the refresh token, or - to read it from stdin")
	f.StringVar(&o.user, "user", "", "with --demo: the demo user who signs in (username or its first part)")
	f.StringArrayVar(&o.scenarios, "scenario", nil, "with --demo: an emulator fault scenario to reproduce (repeatable), e.g. secret-expired")
	f.BoolVar(&o.discover, "discover", false, "start with the discovery and JWKS legs")
	f.BoolVar(&o.noBrowser, "no-browser", false, "print the sign-in URL on stderr instead of opening a browser")
	f.BoolVar(&o.jsonOut, "json", false, "print one JSON object with legs, tokens, claims and error on stdout")
	f.StringVar(&o.harFile, "har", "", "write a redacted HAR 1.2 trace to FILE")
	f.StringVar(&o.markdownFile, "markdown", "", "write a redacted Markdown report to FILE")
	f.BoolVar(&o.includeTokens, "include-tokens", false, "keep tokens whole in traces and exports (secrets stay masked)")
	f.DurationVar(&o.browserTimeout, "browser-timeout", browser.DefaultTimeout, "how long to wait for the browser sign-in")
	return cmd
}

// run executes the flow and renders its outcome; the returned error carries the exit code.
func (o *runOptions) run(ctx context.Context, cmd *cobra.Command, id flows.FlowID) error {
	if err := o.apiRunFlags.check(); err != nil {
		return err
	}
	tr := newTracer(cmd.ErrOrStderr())
	tr.ctx = ctx
	if err := o.checkRunFlags(cmd, tr); err != nil {
		return err
	}
	env, err := o.prepare(ctx, cmd, id, tr)
	if err != nil {
		return err
	}
	defer env.close()
	run, err := flows.NewRun(id, env.settings, flows.Options{HTTPClient: env.client, Events: tr.event, Browser: env.browser})
	if err != nil {
		return o.inputError(cmd, err)
	}
	tr.run = run
	env.bind(run)
	tr.start(run, env.target)
	runErr := o.runWithChallenge(ctx, run, tr)
	tr.finish(run, runErr)
	if err := o.export(run, env.origin); err != nil {
		return err
	}
	if o.jsonOut {
		if err := writeRunJSON(cmd.OutOrStdout(), run, runErr, o.includeTokens); err != nil {
			return err
		}
	} else if runErr == nil {
		writeTokens(cmd.OutOrStdout(), run.State().Tokens, o.includeTokens)
		writeAPIAnswer(cmd.OutOrStdout(), run.State().API)
	}
	return classifyRunError(runErr)
}

// export writes the HAR and Markdown files, redacted; origin says where the run went (the emulator).
func (o *runOptions) export(run *flows.Run, origin string) error {
	opts := export.Options{Redactor: run.Redactor(), IncludeTokens: o.includeTokens, Version: buildVersion(), Origin: origin}
	write := func(path string, fn func(io.Writer) error) error {
		if path == "" {
			return nil
		}
		f, err := createExport(path)
		if err != nil {
			return usageErrorf("cannot write %s: %v", path, err)
		}
		if err := fn(f); err != nil {
			f.Close()
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return f.Close()
	}
	if err := write(o.harFile, func(w io.Writer) error { return export.HAR(w, run.Exchanges(), opts) }); err != nil {
		return err
	}
	return write(o.markdownFile, func(w io.Writer) error { return export.Markdown(w, run, opts) })
}

// classifyRunError maps the engine's typed errors to exit codes (DESIGN.md §3). The message was already
// written by the tracer, so the error is silent.
func classifyRunError(err error) error {
	if err == nil {
		return nil
	}
	var fe *flows.FieldError
	switch {
	case flows.IsNetwork(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return silent(exitNetwork, err)
	case errors.As(err, &fe):
		return silent(exitUsage, err)
	default: // *OAuthError, *ProtocolError (malformed or refused response)
		return silent(exitDenied, err)
	}
}

// inputError turns a settings problem into a one-line usage error naming the flag.
func (o *runOptions) inputError(cmd *cobra.Command, err error) error {
	var fe *flows.FieldError
	if errors.As(err, &fe) && cmd.Flags().Lookup(fe.Field) != nil {
		return usageErrorf("--%s", err.Error())
	}
	return usageError(err)
}
