package flows

import "strings"

// The recommendation matrix (DESIGN §1), row for row: a scenario, the flow recommended for it, what the
// scenario implies for the settings (the preset), why the flow fits and what the alternatives would cost.
// The picker shows these rows; the flows they point at are in the catalogue.

// Credential is the kind of client credential a scenario implies.
type Credential string

// The client credentials a preset can imply.
const (
	CredentialAny  Credential = ""                      // whatever the settings carry
	CredentialConf Credential = "secret or certificate" // a confidential client
	CredentialNone Credential = "none"                  // a public client: no secret, no certificate
)

// Preset is what a scenario implies for the settings of its flow.
type Preset struct {
	Platform   Platform   // the redirect URI's platform; "" where the flow has none
	Credential Credential // the client credential the scenario implies
	// RedirectURI is a redirect the scenario implies, used when none is given: a desktop app listens on
	// http://127.0.0.1 and Entra ID accepts any port on a loopback redirect (RFC 8252 §7.3).
	RedirectURI string
	Label       string // what the preset is, for the matrix column
	Short       string // Label abbreviated for narrow terminals
}

// PresetLabel is the matrix's preset column of a row: its choices' presets, or, abbreviated, a note
// that several are offered.
func (s Scenario) PresetLabel(short bool) string {
	if len(s.Choices) > 1 && short {
		return "both offered (←/→)"
	}
	labels := make([]string, len(s.Choices))
	for i, c := range s.Choices {
		labels[i] = c.Preset.Label
		if short {
			labels[i] = c.Preset.Short
		}
	}
	return strings.Join(labels, " | ")
}

// Apply returns s with the preset's platform and credential rule applied, and its redirect URI when s
// has none.
func (p Preset) Apply(s Settings) Settings {
	if p.Platform != "" {
		s.Platform = p.Platform
	}
	if p.RedirectURI != "" && s.RedirectURI == "" {
		s.RedirectURI = p.RedirectURI
	}
	if p.Credential == CredentialNone {
		s.ClientSecret, s.Certificate = "", nil
	}
	return s
}

// Choice is one flow a scenario recommends, with its preset and, where the scenario offers several,
// when to pick it.
type Choice struct {
	Flow   FlowID
	Preset Preset
	When   string
}

// Scenario is one row of the recommendation matrix.
type Scenario struct {
	Name      string // who, e.g. "server-side web app"
	FlowLabel string // the recommended flow as the matrix names it
	FlowShort string // FlowLabel abbreviated for narrow terminals
	Choices   []Choice
	// Why says why the flow fits the scenario; Alternatives what the other ways would cost.
	Why, Alternatives string
	// FollowUp marks a row that follows a run rather than a kind of app (refresh).
	FollowUp bool
}

var (
	presetWeb = Preset{Platform: PlatformWeb, Credential: CredentialConf,
		Label: "platform web, secret or certificate", Short: "web, secret or cert"}
	presetSPA = Preset{Platform: PlatformSPA, Credential: CredentialNone,
		Label: "platform SPA (Origin sent), no secret", Short: "SPA, Origin, no secret"}
	presetMobile = Preset{Platform: PlatformPublic, Credential: CredentialNone,
		Label: "platform public, no secret", Short: "public, no secret"}
	presetDesktop = Preset{Platform: PlatformPublic, Credential: CredentialNone, RedirectURI: "http://127.0.0.1",
		Label: "platform public, loopback, any port", Short: "public, any loopback port"}
	presetPublic = Preset{Credential: CredentialNone, Label: "public client", Short: "public client"}
	presetDaemon = Preset{Credential: CredentialConf, Label: "secret or certificate", Short: "secret or certificate"}
	presetOBO    = Preset{Credential: CredentialConf, Label: "confidential middle-tier API", Short: "confidential middle tier"}
	presetReuse  = Preset{Label: "follow-up: reuses a sign-in", Short: "reuses a sign-in"}
	presetMI     = Preset{Credential: CredentialNone, Label: "IMDS or App Service endpoint, no secret", Short: "host endpoint, no secret"}
	presetWIF    = Preset{Credential: CredentialNone, Label: "federated credential, no secret", Short: "federated, no secret"}
)

var matrix = []Scenario{
	{
		Name: "server-side web app", FlowLabel: "Authorization code", FlowShort: "Authorization code",
		Choices: []Choice{{Flow: FlowAuthCode, Preset: presetWeb}},
		Why: "The app has a back end that keeps a secret or certificate, so the one-time code is redeemed " +
			"server-side and the tokens never pass through the browser.",
		Alternatives: "Implicit would put tokens in the URL and give no refresh token; ROPC would hand the " +
			"password to the app and fails with MFA. Adding PKCE on top is still advised.",
	},
	{
		Name: "single-page app (SPA)", FlowLabel: "Authorization code + PKCE", FlowShort: "Auth code + PKCE",
		Choices: []Choice{{Flow: FlowPKCE, Preset: presetSPA}},
		Why: "Code in a browser cannot keep a secret: PKCE binds the code to a verifier only this page holds, " +
			"and the SPA platform lets the page redeem it cross-origin, with the Origin header.",
		Alternatives: "Implicit returns tokens in the URL fragment (history, referrers, no refresh token) and " +
			"its silent renewal breaks when third-party cookies are blocked. A SPA's refresh token lives 24 h.",
	},
	{
		Name: "mobile app", FlowLabel: "Authorization code + PKCE", FlowShort: "Auth code + PKCE",
		Choices: []Choice{{Flow: FlowPKCE, Preset: presetMobile}},
		Why: "An app on a phone can be unpacked, so it holds no secret; PKCE makes a redirect intercepted by " +
			"another app useless, and the system browser or broker gives single sign-on.",
		Alternatives: "A secret shipped in the app would be extracted; an embedded web view loses single " +
			"sign-on and lets the app see the password; ROPC fails with MFA.",
	},
	{
		Name: "desktop app", FlowLabel: "Authorization code + PKCE", FlowShort: "Auth code + PKCE",
		Choices: []Choice{{Flow: FlowPKCE, Preset: presetDesktop}},
		Why: "The app opens the system browser and catches the redirect on http://127.0.0.1 on any free port " +
			"(RFC 8252): Entra ID ignores a loopback redirect's port, so one registration fits every run.",
		Alternatives: "Device code works but costs the user a second screen and a typed code; ROPC puts the " +
			"password in the app and fails with MFA and personal accounts.",
	},
	{
		Name: "CLI tool", FlowLabel: "Device code", FlowShort: "Device code",
		Choices: []Choice{{Flow: FlowDeviceCode, Preset: presetPublic}},
		Why: "A terminal, often over SSH, may have no browser: the user opens the URL on any device, types " +
			"the short code and signs in there, with MFA, while the tool polls.",
		Alternatives: "ROPC would make the tool collect the password: no MFA, no federation, no personal " +
			"accounts. With a browser on the same machine, auth code + PKCE on loopback is smoother.",
	},
	{
		Name: "background service", FlowLabel: "Client credentials", FlowShort: "Client credentials",
		Choices: []Choice{{Flow: FlowClientCredentials, Preset: presetDaemon}},
		Why: "No user is there: the service proves who it is with its own secret or certificate and gets " +
			"the application permissions an admin granted, with {resource}/.default.",
		Alternatives: "A delegated flow would need someone to sign in, and a stored user refresh token ties " +
			"the service to that person. A certificate (or a managed identity) beats a secret.",
	},
	{
		Name: "API calling another API", FlowLabel: "On-behalf-of", FlowShort: "On-behalf-of",
		Choices: []Choice{{Flow: FlowOBO, Preset: presetOBO}},
		Why: "The middle tier keeps the caller's identity: it exchanges the user token it received for a token " +
			"to the downstream API, which then authorises the same user.",
		Alternatives: "Forwarding the incoming token fails, since its audience is the middle tier; client " +
			"credentials would lose the user and need broad application permissions.",
	},
	{
		Name: "IoT device", FlowLabel: "Device code or client credentials", FlowShort: "Device code / client creds",
		Choices: []Choice{
			{Flow: FlowDeviceCode, Preset: presetPublic,
				When: "when a person signs it in: its tokens carry that user"},
			{Flow: FlowClientCredentials, Preset: presetDaemon,
				When: "when it acts as itself (a sensor): it holds a certificate"},
		},
		Why: "A device without keyboard or browser cannot show a sign-in page.",
		Alternatives: "Device code needs the code typed again when the refresh token ends; client " +
			"credentials put a credential on every device to rotate.",
	},
	{
		Name: "app hosted on Azure", FlowLabel: "Managed identity", FlowShort: "Managed identity",
		Choices: []Choice{{Flow: FlowManagedIdentity, Preset: presetMI}},
		Why: "On a VM, App Service, Functions, Container Apps or AKS the platform holds the credential: the app " +
			"asks the host's identity endpoint for a token, and there is no secret to store, leak or rotate.",
		Alternatives: "Client credentials with a secret or certificate work anywhere, but someone stores and " +
			"rotates them; when the code runs on Azure, a managed identity replaces them.",
	},
	{
		Name: "CI/CD, outside Azure", FlowLabel: "Workload identity federation", FlowShort: "Workload identity fed.",
		Choices: []Choice{{Flow: FlowWorkloadIdentity, Preset: presetWIF}},
		Why: "GitHub Actions, Kubernetes and other clouds already issue the workload a signed token: a federated " +
			"credential on the app trusts that token's issuer, subject and audience, so no secret is kept.",
		Alternatives: "Client credentials with a secret in the pipeline's settings leak and expire; a federated " +
			"credential replaces them. The issuer, subject and audience must match exactly.",
	},
	{
		Name: "↳ renew a sign-in", FlowLabel: "Refresh token", FlowShort: "Refresh token",
		Choices:  []Choice{{Flow: FlowRefresh, Preset: presetReuse}},
		FollowUp: true,
		Why: "Not a kind of app: any run that returned a refresh token can trade it for new tokens when the " +
			"access token (about an hour) runs out, without asking the user again.",
		Alternatives: "Signing in again interrupts the user; a SPA's refresh token lasts 24 h and must be " +
			"redeemed with the same Origin.",
	},
}

// Matrix returns the rows of the recommendation matrix in display order: the scenarios, then the
// follow-up rows. The slice is a copy.
func Matrix() []Scenario {
	out := make([]Scenario, len(matrix))
	for i, s := range matrix {
		s.Choices = append([]Choice(nil), s.Choices...)
		out[i] = s
	}
	return out
}
