package decode

import (
	"context"
	"strings"
	"time"
)

// API is what a protected web API checks on the access tokens it receives, modelled on ASP.NET Core's
// JwtBearer handler with Microsoft.Identity.Web (AddMicrosoftIdentityWebApi), the validator most Entra-protected
// APIs run and whose IDX error texts people search for. Empty fields take Microsoft.Identity.Web's defaults.
type API struct {
	// Name is how verdicts name the API (e.g. its App ID URI); defaults to the first audience.
	Name string
	// Audiences the API accepts (ValidAudiences). With none given and ClientID set, Microsoft.Identity.Web's
	// default applies: one audience chosen by the token's ver, "2.0" → ClientID, "1.0" → api://ClientID.
	Audiences []string
	ClientID  string
	// Tenants whose tokens the API accepts: tenant GUIDs, or "common"/"organizations" for any tenant (the
	// {tenantid} template of the common metadata). Empty means any tenant, as a multi-tenant API configured
	// with the common authority does.
	Tenants []string
	// Issuers, when given, replace the issuers derived from Tenants (ValidIssuers); "{tenantid}" is filled in
	// with the token's tid, as AadIssuerValidator does.
	Issuers []string
	// Version is the token version the API's configuration accepts: 1 (https://sts.windows.net/{tid}/ issuers),
	// 2 (https://{host}/{tid}/v2.0) or 0 for either.
	Version int
	// Scopes and Roles the API requires: any one of them ([RequiredScope], [RequiredScopeOrAppPermission]).
	Scopes []string
	Roles  []string
	// Groups the API authorizes by (a policy on the groups claim): the caller must be in one of them.
	Groups []string
	// ClientApps are the client application IDs allowed to call (azp, or appid in v1 tokens); empty: any.
	ClientApps []string
	// Skew is the clock skew tolerated on nbf and exp; zero means IdentityModel's default of 5 minutes.
	Skew time.Duration
	// Keys are the API's signing keys (its authority's JWKS); nil leaves the signature unchecked.
	Keys KeySource
	// Host is the authority host of v2 issuers; defaults to login.microsoftonline.com. The emulator's tokens
	// name its own address (e.g. http://127.0.0.1:8080).
	Host string
	// Plain models JwtBearer without Microsoft.Identity.Web: the issuer is compared literally (IDX10205, no
	// {tenantid} templating) and tokens without scp or roles are not refused at authentication.
	Plain bool
}

// Rules, in the order a JwtBearer API checks them.
const (
	RuleFormat     = "format"
	RuleSignature  = "signature"
	RuleLifetime   = "lifetime"
	RuleAudience   = "audience"
	RuleIssuer     = "issuer"
	RuleScpOrRoles = "scp-or-roles"
	RulePermission = "permission"
	RuleGroup      = "group"
	RuleClientApp  = "client-app"
)

// Check is one rule an API applies to a token.
type Check struct {
	Rule    string `json:"rule"`
	OK      bool   `json:"ok"`
	Skipped bool   `json:"skipped,omitempty"` // not checked (e.g. no keys given); OK is then true
	Code    string `json:"code,omitempty"`    // IDX…/IDW… as IdentityModel and Microsoft.Identity.Web log it, or "403"
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"` // what to change, in Entra terms; empty when OK
	status  int    // the HTTP status a failure of this rule leads to
	desc    string // JwtBearer's error_description for this failure, if it has one
}

// Verdict says whether an API would accept a token, and why not.
type Verdict struct {
	API      string
	Accepted bool
	// Status is the HTTP status the API would answer: 200, 401 (authentication failed) or 403 (authorization).
	Status int
	// Checks lists every rule, in the API's order; rules after the first failure are still evaluated so that
	// every problem shows at once.
	Checks []Check
	// Decisive is the index in Checks of the failure the API reports, -1 when accepted. It is not always the
	// first failure: when the token's kid names no known key, IdentityModel reports a lifetime, issuer or
	// audience failure first (§3.1 of the reference), so an expired token signed by a rotated key says IDX10223.
	Decisive int
	// WWWAuthenticate is the header JwtBearer sends with a 401; empty otherwise.
	WWWAuthenticate string
}

// Failure returns the failure the API reports.
func (v Verdict) Failure() (Check, bool) {
	if v.Decisive < 0 || v.Decisive >= len(v.Checks) {
		return Check{}, false
	}
	return v.Checks[v.Decisive], true
}

// WouldAccept checks t the way api would, as of now, and returns every rule's outcome.
func WouldAccept(ctx context.Context, t *Token, api API, now time.Time) Verdict {
	if api.Skew == 0 {
		api.Skew = 5 * time.Minute
	}
	if api.Host == "" {
		api.Host = "https://login.microsoftonline.com"
	} else if !strings.Contains(api.Host, "://") {
		api.Host = "https://" + api.Host
	}
	api.Host = strings.TrimSuffix(api.Host, "/")
	v := Verdict{API: api.displayName(t), Decisive: -1, Status: 200}
	if c, ok := formatCheck(t); !ok {
		v.Checks = []Check{c}
		return v.decide()
	}
	c := checker{t: t, api: api, now: now.UTC()}
	v.Checks = []Check{
		c.signature(ctx),
		c.lifetime(),
		c.audience(),
		c.issuer(),
	}
	if !api.Plain {
		v.Checks = append(v.Checks, c.scpOrRoles())
	}
	if len(api.Scopes) > 0 || len(api.Roles) > 0 {
		v.Checks = append(v.Checks, c.permission())
	}
	if len(api.Groups) > 0 {
		v.Checks = append(v.Checks, c.group())
	}
	if len(api.ClientApps) > 0 {
		v.Checks = append(v.Checks, c.clientApp())
	}
	return v.decide()
}

// decide picks the reported failure, the status and the challenge.
func (v Verdict) decide() Verdict {
	first := -1
	for i, c := range v.Checks {
		if !c.OK {
			first = i
			break
		}
	}
	if first < 0 {
		v.Accepted = true
		return v
	}
	v.Decisive = first
	if code := v.Checks[first].Code; code == "IDX10503" || code == "IDX40005" {
		// ValidateAfterSignatureFailed: lifetime, then issuer, then audience are reported before the key; the
		// signing key's issuer is checked only once the payload is valid.
		for _, rule := range []string{RuleLifetime, RuleIssuer, RuleAudience} {
			if i := v.index(rule); i >= 0 && !v.Checks[i].OK {
				v.Decisive = i
				break
			}
		}
	}
	failed := v.Checks[v.Decisive]
	v.Status = failed.status
	if v.Status == 401 {
		v.WWWAuthenticate = failed.challenge()
	}
	return v
}

func (v Verdict) index(rule string) int {
	for i, c := range v.Checks {
		if c.Rule == rule {
			return i
		}
	}
	return -1
}

// displayName is the API's name in verdicts: its Name, first audience or client ID, else the token's aud.
func (api API) displayName(t *Token) string {
	switch {
	case api.Name != "":
		return api.Name
	case len(api.Audiences) > 0:
		return api.Audiences[0]
	case api.ClientID != "":
		return api.ClientID
	}
	if auds := t.Claims.Strings("aud"); len(auds) > 0 {
		return auds[0]
	}
	return "the API"
}

// formatCheck refuses what JwtBearer cannot even read as a signed JWT.
func formatCheck(t *Token) (Check, bool) {
	switch {
	case t.Encrypted:
		return fail(RuleFormat, 401, "", "The token is encrypted (JWE); the API needs its decryption key to read it.",
			"The token is encrypted (JWE): Entra encrypts access tokens only for APIs with a token encryption key; configure TokenDecryptionKey in the API, or stop encrypting."), false
	case strings.EqualFold(t.Alg(), "none"):
		return fail(RuleFormat, 401, "IDX10504", "IDX10504: Unable to validate signature, token does not have a signature: '[PII is hidden]'.",
			"The token is unsigned (alg none): nothing may accept it. Get a real token from Entra."), false
	}
	return pass(RuleFormat, "a signed JWT"), true
}

func pass(rule, msg string) Check { return Check{Rule: rule, OK: true, Message: msg} }

func fail(rule string, status int, code, msg, fix string) Check {
	return Check{Rule: rule, Code: code, Message: msg, Fix: fix, status: status}
}

// described adds JwtBearer's error_description for the failure.
func (c Check) described(desc string) Check {
	c.desc = desc
	return c
}

func skipped(rule, msg string) Check { return Check{Rule: rule, OK: true, Skipped: true, Message: msg} }

// checker carries the token and expectations through the rules.
type checker struct {
	t   *Token
	api API
	now time.Time
}

// version is the token's ver claim, "1.0" or "2.0" for Entra tokens.
func (c checker) version() string {
	ver, _ := c.t.Claims.String("ver")
	return ver
}

// appOnly reports an app-only token (client credentials): roles and no scp, or idtyp app.
func (c checker) appOnly() bool {
	if idtyp, _ := c.t.Claims.String("idtyp"); idtyp == "app" {
		return true
	}
	return !c.t.Claims.Has("scp") && c.t.Claims.Has("roles")
}

// clientApp is the calling application: azp in v2 tokens, appid in v1.
func (c checker) clientAppID() string {
	if azp, ok := c.t.Claims.String("azp"); ok {
		return azp
	}
	appid, _ := c.t.Claims.String("appid")
	return appid
}

// dotnetTime renders a time as IdentityModel's messages do (DateTime with the invariant culture).
func dotnetTime(t time.Time) string { return t.UTC().Format("01/02/2006 15:04:05") }

// listOrNull renders a list the way IdentityModel's messages do: comma-separated, or null.
func listOrNull(v []string) string {
	if len(v) == 0 {
		return "null"
	}
	return strings.Join(v, ", ")
}
