package decode

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

// Severity ranks a warning.
type Severity string

// Severities, from a fact worth knowing to a token that must be refused.
const (
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
	SeverityError   Severity = "error"
)

// Warning is one thing wrong or surprising about a token.
type Warning struct {
	Code     string // stable identifier, e.g. "expired"
	Severity Severity
	Message  string
}

// Expect holds what the caller knows the token should say; empty fields are not checked.
type Expect struct {
	Audience string
	Nonce    string
	Issuer   string
	Skew     time.Duration // tolerated clock difference; defaults to 5 minutes, as Microsoft's validators do
}

// Lint checks t against what an Entra token should look like and against expect, as of now.
func Lint(t *Token, expect Expect, now time.Time) []Warning {
	var ws []Warning
	add := func(code string, sev Severity, msg string) {
		ws = append(ws, Warning{Code: code, Severity: sev, Message: msg})
	}
	if t.Encrypted {
		add("encrypted", SeverityInfo, "The token is encrypted (JWE): only its header can be read; the claims need the recipient's private key.")
		return ws
	}
	if expect.Skew == 0 {
		expect.Skew = 5 * time.Minute
	}
	alg := t.Alg()
	switch {
	case strings.EqualFold(alg, "none"):
		add("alg-none", SeverityError, "alg is none: the token is unsigned and anyone could have written it. Refuse it.")
	case strings.HasPrefix(alg, "HS") && looksEntra(t):
		add("hs-entra", SeverityError, "alg is "+alg+" (a shared secret), but Entra signs its tokens with RS256 and publishes the keys: this token was not issued by Entra, or was forged.")
	}
	if t.Padded {
		add("padded", SeverityWarning, "Segments carry '=' padding, which compact JWS forbids (RFC 7515 §2); strict libraries will reject the token.")
	}
	if t.Header.Has("nonce") {
		add("graph-nonce", SeverityWarning, "The header carries a nonce: this is a Microsoft Graph (or other Microsoft first-party) access token. Its signature is over a transformed nonce, so third parties cannot verify it, and clients should not parse it: its format may change. Only Graph should read it.")
	}
	lintTimes(t, expect.Skew, now, add)
	if ver, _ := t.Claims.String("ver"); ver == "1.0" {
		add("v1-token", SeverityInfo, "This is a v1.0 token: the resource chose the v1 format (accessTokenAcceptedVersion null or 1 in its manifest). Expect iss https://sts.windows.net/{tid}/, appid instead of azp, and upn/unique_name instead of preferred_username; validate it with the v1 metadata.")
	}
	lintTenant(t, add)
	lintGroups(t, add)
	lintExpect(t, expect, add)
	if t.Kind == KindAssertion {
		lintAssertion(t, add)
	}
	seen := make(map[string]int, len(t.Claims))
	for _, f := range t.Claims {
		if seen[f.Name]++; seen[f.Name] == 2 {
			add("duplicate-claim", SeverityWarning, "The claim "+f.Name+" appears more than once; libraries disagree on which one counts (RFC 7519 §4).")
		}
	}
	return ws
}

func lintTimes(t *Token, skew time.Duration, now time.Time, add func(string, Severity, string)) {
	tl := Times(t, now)
	for _, in := range tl.Instants {
		if in.Err != "" {
			add("bad-time", SeverityError, in.Err+".")
		}
	}
	if exp, ok := tl.Get("exp"); ok && exp.Err == "" && !now.Before(exp.Time) {
		add("expired", SeverityError, "The token "+exp.Relative+" ("+exp.Time.Format(time.RFC3339)+"); get a new one.")
	}
	if nbf, ok := tl.Get("nbf"); ok && nbf.Err == "" && nbf.Time.After(now) {
		sev := SeverityWarning
		if nbf.Time.After(now.Add(skew)) {
			sev = SeverityError
		}
		add("not-yet-valid", sev, "The token is "+nbf.Relative+": the issuer's clock and this machine's disagree (clock skew). Check both clocks.")
	}
	if iat, ok := tl.Get("iat"); ok && iat.Err == "" && iat.Time.After(now.Add(skew)) {
		add("issued-in-future", SeverityWarning, "The token was "+iat.Relative+".")
	}
}

// lintTenant checks that the tenant in iss is the tid claim (Microsoft's issuer validation rule).
func lintTenant(t *Token, add func(string, Severity, string)) {
	iss, _ := t.Claims.String("iss")
	tid, hasTid := t.Claims.String("tid")
	if iss == "" || !hasTid {
		return
	}
	u, err := url.Parse(iss)
	if err != nil {
		return
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if isGUID(first) && !strings.EqualFold(first, tid) {
		add("issuer-tenant-mismatch", SeverityError, "iss names tenant "+first+" but tid is "+tid+": Entra always issues both for the same tenant, so the token is forged or altered.")
	}
}

func lintGroups(t *Token, add func(string, Severity, string)) {
	names := mustObject(t.Claims, "_claim_names")
	if names.Has("groups") {
		add("group-overage", SeverityWarning, "Group overage: the user is in more groups than a token carries (200), so groups is replaced by _claim_names. Fetch the groups from Microsoft Graph (/users/{oid}/getMemberObjects).")
	} else if b, ok := t.Claims.Get("hasgroups"); ok && string(b) == "true" {
		add("group-overage", SeverityWarning, "hasgroups is true: the groups were left out to keep the token short. Fetch them from Microsoft Graph.")
	}
}

func lintExpect(t *Token, expect Expect, add func(string, Severity, string)) {
	if expect.Audience != "" {
		auds := t.Claims.Strings("aud")
		if !slices.Contains(auds, expect.Audience) {
			add("audience-mismatch", SeverityError, "aud is "+quoteList(auds)+", not the expected "+expect.Audience+". v1 tokens carry the App ID URI or the client ID as requested; v2 tokens the client ID.")
		}
	}
	if expect.Nonce != "" {
		if nonce, _ := t.Claims.String("nonce"); nonce != expect.Nonce {
			add("nonce-mismatch", SeverityError, "nonce is "+quoteList([]string{nonce})+", not the one sent on the authorize request: the ID token may be replayed.")
		}
	}
	if expect.Issuer != "" {
		if iss, _ := t.Claims.String("iss"); iss != expect.Issuer {
			add("issuer-mismatch", SeverityError, "iss is "+quoteList([]string{iss})+", not the expected "+expect.Issuer+".")
		}
	}
}

// lintAssertion applies Entra's rules for client assertions (certificate credentials).
func lintAssertion(t *Token, add func(string, Severity, string)) {
	if !t.Header.Has("x5t") && !t.Header.Has("x5t#S256") && !t.Header.Has("kid") {
		add("assertion-no-thumbprint", SeverityError, "The client assertion names no certificate (x5t#S256 or x5t): Entra cannot find the key (AADSTS700027).")
	}
	aud, _ := t.Claims.String("aud")
	if aud != "" && !strings.HasSuffix(strings.TrimSuffix(aud, "/"), "/token") {
		add("assertion-audience", SeverityWarning, "The client assertion's aud should be the tenant's token endpoint (…/oauth2/v2.0/token).")
	}
	if !t.Claims.Has("exp") {
		add("assertion-no-exp", SeverityError, "The client assertion has no exp; Entra requires one (AADSTS700024).")
	}
}

// looksEntra reports whether the token claims to come from Entra.
func looksEntra(t *Token) bool {
	iss, _ := t.Claims.String("iss")
	return t.Claims.Has("tid") || strings.Contains(iss, "login.microsoftonline") || strings.Contains(iss, "sts.windows.net")
}

func quoteList(v []string) string {
	if len(v) == 0 {
		return "missing"
	}
	return `"` + strings.Join(v, `", "`) + `"`
}
