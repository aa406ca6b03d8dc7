package cli

import (
	"context"
	"errors"
	"fmt"
	"github.com/aadx/aadx/internal/termsafe"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/profiles"
	"github.com/spf13/cobra"
)

// newProfilesCmd is `aadx profiles`: named settings per customer tenant, kept in the user config directory and
// holding no secrets (DESIGN.md §6).
func newProfilesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "Save, list and switch named settings per customer tenant (no secrets are stored)",
		Long: `A profile is a customer's tenant and app registration under a name: authority or issuer, tenant,
client ID, redirect URI, platform, scopes, certificate path and a note. Profiles hold no secrets: a profile
says where its client secret comes from (an environment variable, a prompt, or the OS keyring).

Settings precedence: flags, then AZURE_* environment variables, then the profile (--profile NAME, else the
active one), then the built-in demo tenant.

Profiles live in one file, profiles.json, in aadx's user config directory ($XDG_CONFIG_HOME/aadx on Linux).`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newProfilesListCmd(), newProfilesShowCmd(), newProfilesSaveCmd(), newProfilesUseCmd(),
		newProfilesDeleteCmd(), newProfilesSecretCmd())
	return cmd
}

// profilesListJSON is `aadx profiles list --json`.
type profilesListJSON struct {
	Active   string             `json:"active"`
	Profiles []profiles.Profile `json:"profiles"`
}

func newProfilesListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List profiles; * marks the active one",
		Example: "  aadx profiles list\n  aadx profiles list --json",
		Args:    noArgs("list"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := profiles.OpenDefault()
			if err != nil {
				return usageError(err)
			}
			all, active, err := store.List()
			if err != nil {
				return usageError(err)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, profilesListJSON{Active: active, Profiles: append([]profiles.Profile{}, all...)})
			}
			if len(all) == 0 {
				_, err := fmt.Fprintln(out, "No profiles yet. Save one with: aadx profiles save NAME --tenant TENANT --client-id ID")
				return err
			}
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "  NAME\tTENANT\tCLIENT ID\tAUTHORITY")
			for _, p := range all {
				mark := " "
				if p.Name == active {
					mark = "*"
				}
				fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\n", mark, p.Name, orDash(p.Tenant), orDash(p.ClientID), profileAuthority(p))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the profiles and the active name as JSON")
	return cmd
}

func newProfilesShowCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "show NAME",
		Short:   "Show one profile",
		Example: "  aadx profiles show contoso-prod",
		Args:    oneName("show"),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, p, err := openProfile(args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), p)
			}
			_, active, _ := store.List()
			return writeProfile(cmd.OutOrStdout(), p, p.Name == active)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the profile as JSON")
	return cmd
}

// writeProfile prints a profile as aligned "field value" lines, leaving out empty fields.
func writeProfile(w io.Writer, p profiles.Profile, active bool) error {
	name := p.Name
	if active {
		name += " (active)"
	}
	secret := p.Secret.String()
	if p.Secret.Kind == profiles.SecretEnv {
		// Say whether it is set, never what it is.
		if os.Getenv(p.Secret.Env) == "" {
			secret += " (not set)"
		} else {
			secret += " (set)"
		}
	}
	if p.Secret.Kind == profiles.SecretKeyring {
		secret += fmt.Sprintf(" (service %s, account %s)", profiles.KeyringService, p.Name)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range [][2]string{
		{"Profile", name}, {"Issuer", p.Issuer}, {"Authority", profileAuthority(p)}, {"Tenant", p.Tenant},
		{"Client ID", p.ClientID}, {"Redirect URI", p.RedirectURI}, {"Platform", string(p.Platform)},
		{"Scopes", strings.Join(p.Scopes, " ")}, {"Certificate", p.CertFile}, {"Assertion alg", string(p.AssertionAlg)},
		{"Client secret", secret}, {"Note", p.Note},
	} {
		if row[1] != "" && (row[0] != "Authority" || p.Issuer == "") {
			fmt.Fprintf(tw, "%s\t%s\n", row[0], termsafe.Escape(row[1])) // a profile file may be hand-edited or shared
		}
	}
	return tw.Flush()
}

// profileSaveFlags are the flags of `aadx profiles save`: the settings flags shared with `aadx` and `aadx run`,
// where the secret comes from, a note, and whether to make the profile the active one.
type profileSaveFlags struct {
	settingsFlags
	note, secretEnv                              string
	secretPrompt, secretKeyring, secretNone, use bool
}

func newProfilesSaveCmd() *cobra.Command {
	var o profileSaveFlags
	cmd := &cobra.Command{
		Use:   "save NAME",
		Short: "Create a profile, or change the given fields of an existing one",
		Long: `Create a profile, or change the given fields of an existing one (fields not given are kept).

Secrets are never saved. Choose where the client secret comes from with --secret-env VAR (default
AZURE_CLIENT_SECRET), --secret-prompt, --secret-keyring (store it with: aadx profiles secret NAME) or
--secret-none. A certificate is saved as its path; its password comes from AZURE_CLIENT_CERTIFICATE_PASSWORD.`,
		Example: `  aadx profiles save contoso-prod --tenant contoso.onmicrosoft.com \
      --client-id 535fb089-9ff3-47b6-9bfb-4f1264799865 --redirect-uri http://localhost:8400 \
      --secret-env CONTOSO_SECRET --note "ticket 4711" --use
  aadx profiles save contoso-prod --note "ticket 4712"`,
		Args: oneName("save"),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, err := profiles.OpenDefault()
			if err != nil {
				return usageError(err)
			}
			p, err := store.Get(args[0])
			if err != nil && !errors.Is(err, profiles.ErrNotFound) {
				return usageError(err)
			}
			p.Name = args[0]
			if err := o.apply(cmd, &p); err != nil {
				return err
			}
			if err := store.Save(p, knownSecretValues(p)...); err != nil {
				return profileInputError(cmd, err)
			}
			msg := fmt.Sprintf("Saved profile %s in %s.", p.Name, store.Path())
			if o.use {
				if err := store.SetActive(p.Name); err != nil {
					return usageError(err)
				}
				msg += " It is now the active profile."
			}
			if o.secretKeyring {
				msg += "\nStore its client secret in the OS keyring with: aadx profiles secret " + p.Name
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), msg)
			return err
		},
	}
	addSettingsFlags(cmd, &o.settingsFlags)
	f := cmd.Flags()
	f.StringVar(&o.secretEnv, "secret-env", "", "read the client secret from this environment variable")
	f.BoolVar(&o.secretPrompt, "secret-prompt", false, "ask for the client secret each time")
	f.BoolVar(&o.secretKeyring, "secret-keyring", false, "read the client secret from the OS keyring")
	f.BoolVar(&o.secretNone, "secret-none", false, "no client secret (public client or certificate)")
	f.StringVar(&o.note, "note", "", "free text, e.g. a ticket number (never a secret)")
	f.BoolVar(&o.use, "use", false, "make this the active profile")
	cmd.MarkFlagsMutuallyExclusive("secret-env", "secret-prompt", "secret-keyring", "secret-none")
	return cmd
}

// apply sets the fields whose flags were given. An issuer replaces the authority and tenant, and the other
// way round, so a profile never holds both kinds of provider.
func (o *profileSaveFlags) apply(cmd *cobra.Command, p *profiles.Profile) error {
	changed := cmd.Flags().Changed
	given, err := o.given()
	if err != nil {
		return err
	}
	if changed("cloud") {
		p.Cloud = given.Cloud
		if !changed("authority") {
			p.Authority = "" // a cloud names its own authority
		}
	}
	if changed("issuer") {
		p.Issuer, p.Tenant, p.Authority, p.Cloud = given.Issuer, "", "", ""
	}
	if changed("tenant") || changed("authority") {
		p.Issuer = ""
	}
	fields := map[string]struct {
		dst   *string
		value string
	}{
		"tenant": {&p.Tenant, given.Tenant}, "client-id": {&p.ClientID, given.ClientID}, "authority": {&p.Authority, given.Authority},
		"redirect-uri": {&p.RedirectURI, given.RedirectURI}, "note": {&p.Note, strings.TrimSpace(o.note)},
	}
	for flag, field := range fields {
		if changed(flag) {
			*field.dst = field.value
		}
	}
	if changed("platform") {
		p.Platform = given.Platform
	}
	if changed("scope") {
		p.Scopes = given.Scopes
	}
	if changed("assertion-alg") {
		p.AssertionAlg = given.AssertionAlg
	}
	if changed("cert") {
		path, err := certPath(o.cert)
		if err != nil {
			return err
		}
		p.CertFile = path
	}
	switch {
	case changed("secret-env"):
		p.Secret = profiles.SecretSource{Kind: profiles.SecretEnv, Env: o.secretEnv}
	case o.secretPrompt:
		p.Secret = profiles.SecretSource{Kind: profiles.SecretPrompt}
	case o.secretKeyring:
		p.Secret = profiles.SecretSource{Kind: profiles.SecretKeyring}
	case o.secretNone:
		p.Secret = profiles.SecretSource{Kind: profiles.SecretNone}
	}
	return nil
}

// certPath makes --cert absolute, so the profile works from any directory, and checks that the file is there.
func certPath(raw string) (string, error) {
	if raw == "" {
		return "", nil // clears the certificate
	}
	path, err := filepath.Abs(raw)
	if err != nil {
		return "", usageErrorf("--cert %q: %v", raw, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.IsDir() {
		return "", usageErrorf("--cert %q is not a readable file; give the PEM or PFX file's path", raw)
	}
	return path, nil
}

// knownSecretValues are the secrets this process can see, so that a value pasted by mistake into a field is
// refused rather than saved.
func knownSecretValues(p profiles.Profile) []string {
	known := []string{os.Getenv("AZURE_CLIENT_SECRET"), os.Getenv("AZURE_CLIENT_CERTIFICATE_PASSWORD")}
	if p.Secret.Kind == profiles.SecretEnv && p.Secret.Env != "" {
		known = append(known, os.Getenv(p.Secret.Env))
	}
	return known
}

func newProfilesUseCmd() *cobra.Command {
	var clear bool
	cmd := &cobra.Command{
		Use:     "use NAME",
		Short:   "Make a profile the active one (used when no --profile is given)",
		Example: "  aadx profiles use contoso-prod\n  aadx profiles use --clear",
		Args: func(_ *cobra.Command, args []string) error {
			if clear && len(args) == 0 {
				return nil
			}
			return oneName("use")(nil, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if clear && len(args) > 0 {
				return usageErrorf("--clear takes no NAME; give either NAME or --clear")
			}
			store, err := profiles.OpenDefault()
			if err != nil {
				return usageError(err)
			}
			name, msg := "", "No profile is active now; aadx falls back to the demo tenant."
			if !clear {
				name, msg = args[0], fmt.Sprintf("Profile %s is now active.", args[0])
			}
			if err := store.SetActive(name); err != nil {
				return usageError(err)
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), msg)
			return err
		},
	}
	cmd.Flags().BoolVar(&clear, "clear", false, "make no profile active")
	return cmd
}

func newProfilesDeleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "delete NAME",
		Short:   "Delete a profile (and its secret in the OS keyring, if it keeps one there)",
		Example: "  aadx profiles delete contoso-prod",
		Args:    oneName("delete"),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, p, err := openProfile(args[0])
			if err != nil {
				return err
			}
			if err := store.Delete(p.Name); err != nil {
				return usageError(err)
			}
			if p.Secret.Kind == profiles.SecretKeyring {
				if err := profiles.DeleteSecretFromKeyring(ctxOf(cmd), p.Name); err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "aadx: warning: the keyring entry of %s was not removed: %v\n", p.Name, err)
				}
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "Deleted profile %s.\n", p.Name)
			return err
		},
	}
}

func newProfilesSecretCmd() *cobra.Command {
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "secret NAME",
		Short: "Store a profile's client secret in the OS keyring (from a hidden prompt, or stdin with --stdin)",
		Long: `Store a profile's client secret in the OS keyring (service "aadx", account NAME) and make the
keyring the profile's secret source. The secret is read from a hidden prompt, or from stdin with --stdin.
Where no keyring exists (e.g. Linux without a Secret Service), use --secret-env VAR instead.`,
		Example: "  aadx profiles secret contoso-prod\n  pass show contoso | aadx profiles secret contoso-prod --stdin",
		Args:    oneName("secret"),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, p, err := openProfile(args[0])
			if err != nil {
				return err
			}
			secret, err := readSecretInput(cmd, fromStdin)
			if err != nil {
				return err
			}
			if err := profiles.StoreSecretInKeyring(ctxOf(cmd), p.Name, secret); err != nil {
				return usageError(err)
			}
			if p.Secret.Kind != profiles.SecretKeyring {
				p.Secret = profiles.SecretSource{Kind: profiles.SecretKeyring}
				if err := store.Save(p, secret); err != nil {
					return usageError(err)
				}
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "Stored the client secret of %s in the OS keyring (service %s, account %s).\n",
				p.Name, profiles.KeyringService, p.Name)
			return err
		},
	}
	cmd.Flags().BoolVar(&fromStdin, "stdin", false, "read the secret from stdin instead of a prompt")
	return cmd
}

// readSecretInput reads a secret from stdin (size-limited) when asked to, else from a hidden prompt. Without
// --stdin and without a terminal it fails at once rather than wait on an input no one will close.
func readSecretInput(cmd *cobra.Command, fromStdin bool) (string, error) {
	in := cmd.InOrStdin()
	if fromStdin {
		v, err := readLimited(in, 16<<10)
		if errors.Is(err, errTooLong) {
			return "", usageErrorf("--stdin: stdin %v; pipe in the secret alone", err)
		}
		if err != nil || strings.TrimSpace(v) == "" {
			return "", usageErrorf("--stdin: no secret could be read from stdin; pipe it in")
		}
		return strings.TrimSpace(v), nil
	}
	if !readerIsTerminal(in) {
		return "", usageErrorf("stdin is not a terminal, so the secret cannot be prompted for; pipe it in with --stdin")
	}
	s, err := promptSecret(cmd.ErrOrStderr(), in.(*os.File), "Client secret")
	if err != nil {
		return "", usageErrorf("the client secret could not be read from the terminal: %v", err)
	}
	if s == "" {
		return "", usageErrorf("nothing was entered; type the client secret, or pipe it in with --stdin")
	}
	return s, nil
}

// profileInputError turns a profile's validation error into a usage error that names the flag.
func profileInputError(cmd *cobra.Command, err error) error {
	var fe *flows.FieldError
	if errors.As(err, &fe) && cmd.Flags().Lookup(fe.Field) != nil {
		return usageErrorf("--%s", err.Error())
	}
	var se *profiles.SecretError
	if errors.As(err, &se) && cmd.Flags().Lookup(se.Field) != nil {
		return usageErrorf("--%s", err.Error())
	}
	return usageError(err)
}

// profileAuthority is what a profile signs in against: its issuer, authority, or cloud's authority.
func profileAuthority(p profiles.Profile) string {
	switch {
	case p.Issuer != "":
		return p.Issuer
	case p.Authority != "":
		return p.Authority
	default:
		return p.Cloud.Authority()
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func ctxOf(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// oneName checks that a subcommand got exactly one profile name.
func oneName(sub string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usageErrorf("profiles %s needs one profile NAME (see aadx profiles list)", sub)
		}
		if err := profiles.ValidateName(args[0]); err != nil {
			return usageError(err)
		}
		return nil
	}
}

func noArgs(sub string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != 0 {
			return usageErrorf("profiles %s takes no arguments", sub)
		}
		return nil
	}
}

// applyProfile is --profile for `aadx run` and the TUI. It fills what flags and AZURE_* variables left empty in
// s from the named profile, else from the active one (precedence: flags > environment > profile > demo tenant),
// and, when withCredential is set and s has no secret or certificate yet, the profile's credential (its
// certificate, or its secret from the env variable, prompt or keyring). ok is false when no profile applies:
// the caller falls back to the demo tenant. Errors are usage errors naming --profile. The settings flags have
// no default values, so whatever s holds was given and outranks the profile.
func applyProfile(ctx context.Context, name string, s *flows.Settings, withCredential bool, prompt profiles.PromptFunc) (p profiles.Profile, ok bool, err error) {
	store, err := profiles.OpenDefault()
	if err != nil {
		return p, false, usageError(err)
	}
	p, ok, err = store.Select(name)
	if err != nil {
		return p, false, usageErrorf("--profile: %w", err)
	}
	if !ok {
		return p, false, nil
	}
	profiles.Apply(p, s)
	if withCredential {
		if err := profiles.Credential(ctx, p, s, os.Getenv("AZURE_CLIENT_CERTIFICATE_PASSWORD"), prompt); err != nil {
			return p, true, usageErrorf("--profile %s: %w", p.Name, err)
		}
	}
	return p, true, nil
}

// openProfile opens the user's profile store and gets the named profile; either failing is a usage error.
func openProfile(name string) (*profiles.Store, profiles.Profile, error) {
	store, err := profiles.OpenDefault()
	if err != nil {
		return nil, profiles.Profile{}, usageError(err)
	}
	p, err := store.Get(name)
	if err != nil {
		return nil, profiles.Profile{}, usageError(err)
	}
	return store, p, nil
}
