package cli

import (
	"errors"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadx/aadx/flows"
)

// settingsFlags are the flags that fill flows.Settings. They are defined once, here, and added to `aadx`,
// `aadx run` and `aadx profiles save`, so the three show the same names, defaults and help and check a value
// with the same message. None has a default value: a flag left empty was not given, and the next source in
// the order of precedence (AZURE_* variables, then the profile) fills it.
type settingsFlags struct {
	authority, cloud, issuer, tenant, clientID string
	redirectURI, platform, cert, assertionAlg  string
	scopes                                     []string
}

// settingsHelp is the part of each command's long help that says where settings come from.
const settingsHelp = `Settings come from flags, then AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
AZURE_CLIENT_CERTIFICATE_PATH, AZURE_CLIENT_CERTIFICATE_PASSWORD and AZURE_AUTHORITY_HOST, then the
profile (--profile, else the active one; see aadx profiles).`

func addSettingsFlags(cmd *cobra.Command, f *settingsFlags) {
	fs := cmd.Flags()
	fs.StringVar(&f.authority, "authority", "", "login host (default the cloud's, e.g. https://login.microsoftonline.com)")
	fs.StringVar(&f.cloud, "cloud", "", "national cloud: public (the default), usgov or china")
	fs.StringVar(&f.issuer, "issuer", "", "any OpenID provider's issuer URL, instead of --authority and --tenant")
	fs.StringVar(&f.tenant, "tenant", "", "tenant GUID or domain, or common, organizations or consumers")
	fs.StringVar(&f.clientID, "client-id", "", "application (client) ID")
	fs.StringVar(&f.redirectURI, "redirect-uri", "", "redirect URI registered on the app")
	fs.StringVar(&f.platform, "platform", "", "redirect URI platform: web, spa or public")
	fs.StringArrayVar(&f.scopes, "scope", nil, "scope to request (repeatable)")
	fs.StringVar(&f.cert, "cert", "", "client certificate and key, PEM or PFX (a profile keeps only its path)")
	fs.StringVar(&f.assertionAlg, "assertion-alg", "", "client assertion signature: PS256 (x5t#S256, the default) or RS256 (x5t)")
	// An issuer names the provider on its own: with --tenant or --authority it would be ambiguous.
	cmd.MarkFlagsMutuallyExclusive("issuer", "tenant")
	cmd.MarkFlagsMutuallyExclusive("issuer", "authority")
}

// sessionFlags are the flags of the commands that run flows, `aadx` and `aadx run`: where the settings
// come from besides flags and the environment, and how long an exchange may take.
type sessionFlags struct {
	demo    bool
	profile string
	timeout time.Duration
}

func addSessionFlags(cmd *cobra.Command, f *sessionFlags) {
	fs := cmd.Flags()
	fs.BoolVar(&f.demo, "demo", false, "run against an Entra ID emulator started in-process, every setting filled from its demo tenant")
	fs.StringVar(&f.profile, "profile", "", "saved profile to fill what flags and AZURE_* leave empty (default the active one)")
	fs.DurationVar(&f.timeout, "timeout", flows.DefaultTimeout, "limit for each HTTP exchange")
}

// given returns the settings the flags name, each given value checked by the rules every flow applies to it
// (flows.Settings.CheckGiven), so that a bad flag is a usage error naming it whichever command it was given
// to. The certificate is left as a path: loading it is for the commands that use it.
func (f *settingsFlags) given() (flows.Settings, error) {
	s := flows.Settings{
		Authority: strings.TrimRight(strings.TrimSpace(f.authority), "/"), Issuer: strings.TrimSpace(f.issuer),
		Tenant: strings.TrimSpace(f.tenant), ClientID: strings.TrimSpace(f.clientID), RedirectURI: strings.TrimSpace(f.redirectURI),
		Scopes: f.scopes,
	}
	var err error
	if f.cloud != "" {
		if s.Cloud, err = flows.ParseCloud(f.cloud); err != nil {
			return s, flagError(err)
		}
	}
	if f.platform != "" {
		if s.Platform, err = flows.ParsePlatform(f.platform); err != nil {
			return s, flagError(err)
		}
	}
	if f.assertionAlg != "" {
		if s.AssertionAlg, err = flows.ParseAssertionAlg(f.assertionAlg); err != nil {
			return s, flagError(err)
		}
	}
	return s, flagError(s.CheckGiven())
}

// names lists the settings flags that were given, for a notice saying what the demo tenant replaced.
func (f *settingsFlags) names() []string {
	var out []string
	for _, kv := range []struct{ name, value string }{
		{"--authority", f.authority}, {"--cloud", f.cloud}, {"--issuer", f.issuer}, {"--tenant", f.tenant},
		{"--client-id", f.clientID}, {"--redirect-uri", f.redirectURI}, {"--platform", f.platform}, {"--cert", f.cert},
		{"--assertion-alg", f.assertionAlg},
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

// lookupEnv reads an environment variable; os.LookupEnv, or a map in tests.
type lookupEnv func(string) (string, bool)

// profileFiller fills what flags and AZURE_* left empty from a saved profile and names the profile used
// ("" when none applies).
type profileFiller func(s *flows.Settings) (name string, err error)

// resolveSettings is aadx's one order of precedence, used by `aadx` and `aadx run`: flags, then AZURE_*
// variables (azidentity's names), then the profile (--profile, else the active one). What is still empty is
// for the settings screen, a flow's defaults or the demo tenant. The credential comes from --cert or
// AZURE_CLIENT_CERTIFICATE_PATH, else AZURE_CLIENT_SECRET; a profile's own secret source (which may prompt)
// is left to the caller, which knows whether it may ask. profile nil skips the profile (--demo).
func resolveSettings(f settingsFlags, timeout time.Duration, env lookupEnv, profile profileFiller) (s flows.Settings, profileName string, err error) {
	if s, err = f.given(); err != nil {
		return s, "", err
	}
	fromEnv := func(dst *string, name string) {
		if *dst == "" {
			v, _ := env(name)
			*dst = strings.TrimSpace(v)
		}
	}
	if s.Issuer == "" { // an issuer replaces the authority and tenant, whichever source names them
		fromEnv(&s.Authority, "AZURE_AUTHORITY_HOST")
		s.Authority = strings.TrimRight(s.Authority, "/")
		fromEnv(&s.Tenant, "AZURE_TENANT_ID")
	}
	fromEnv(&s.ClientID, "AZURE_CLIENT_ID")
	s.Timeout = timeout
	if err := flagError(s.CheckGiven()); err != nil {
		return s, "", err // AZURE_* values are checked too, named by the flag that would replace them
	}
	certPath := f.cert
	fromEnv(&certPath, "AZURE_CLIENT_CERTIFICATE_PATH")
	if certPath != "" {
		password, _ := env("AZURE_CLIENT_CERTIFICATE_PASSWORD")
		if s.Certificate, err = flows.LoadCertificate(certPath, password); err != nil {
			return s, "", flagError(err)
		}
	} else {
		s.ClientSecret, _ = env("AZURE_CLIENT_SECRET")
	}
	if profile != nil {
		profileName, err = profile(&s)
	}
	return s, profileName, err
}

// flagError turns a settings problem into a one-line usage error naming the flag: the same message on every
// command, e.g. `--cloud "mars" is not a known cloud; use public, usgov or china`.
func flagError(err error) error {
	if err == nil {
		return nil
	}
	var fe *flows.FieldError
	if errors.As(err, &fe) {
		return usageErrorf("--%s", fe.Error())
	}
	return usageError(err)
}
