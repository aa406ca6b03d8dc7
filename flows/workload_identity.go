package flows

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// FederatedAudience is the audience a federated credential must name in Azure's public cloud (US Gov:
// api://AzureADTokenExchangeUSGov, China: api://AzureADTokenExchangeChina) [beyond-tokens §2.1].
const FederatedAudience = "api://AzureADTokenExchange"

// FederatedCredential is a federated identity credential of an app registration or user-assigned identity:
// Entra exchanges an external token whose iss, sub and aud equal these exactly.
type FederatedCredential struct {
	Name     string
	Issuer   string
	Subject  string
	Audience string // empty means FederatedAudience
}

// WorkloadSettings configure the workload-identity flow.
type WorkloadSettings struct {
	// Token is the external (subject) token, e.g. the contents of AZURE_FEDERATED_TOKEN_FILE. When empty, the
	// external-token leg fetches one from TokenURL.
	Token string
	// TokenURL is an issuer's token endpoint answering {"value": "<jwt>"} (GitHub Actions' ID-token request
	// URL, or the emulator's issuers). Audience is sent as ?audience=.
	TokenURL string
	// TokenRequestToken is sent as "Authorization: bearer …" to TokenURL (GitHub's ACTIONS_ID_TOKEN_REQUEST_TOKEN).
	TokenRequestToken string
	// Audience asked of TokenURL; empty means FederatedAudience.
	Audience string
	// Credentials are the app's federated credentials as the user believes them to be; the token is compared
	// with the one that fits it best before it is sent. Empty: only the audience is compared.
	Credentials []FederatedCredential
}

func (w WorkloadSettings) withDefaults() WorkloadSettings {
	if w.Audience == "" {
		w.Audience = FederatedAudience
	}
	return w
}

func (w WorkloadSettings) validate() error {
	if w.Token == "" && w.TokenURL == "" {
		return &FieldError{Field: "federated-token", Problem: "is required: the workload's external token", Fix: "set AZURE_FEDERATED_TOKEN_FILE, or pass --federated-token-file FILE (- for stdin), or --federated-token-url URL"}
	}
	if w.Token != "" && !jwtPattern().MatchString(strings.TrimSpace(w.Token)) {
		return &FieldError{Field: "federated-token", Problem: "is not a JWT (three base64url parts separated by dots)", Fix: "give the token file's contents exactly, e.g. the file AZURE_FEDERATED_TOKEN_FILE names", secret: true}
	}
	if w.TokenURL != "" {
		if err := validateEndpointURL("federated-token-url", w.TokenURL); err != nil {
			return err
		}
	}
	for _, c := range w.Credentials {
		if c.Issuer != strings.TrimSpace(c.Issuer) || c.Subject != strings.TrimSpace(c.Subject) {
			return &FieldError{Field: "fic-issuer", Value: c.Issuer, Problem: "has leading or trailing white space", Fix: "Entra compares issuer and subject exactly: remove the spaces"}
		}
	}
	return nil
}

// prepareExternalToken asks the external issuer for a token whose audience is the one Entra accepts.
func (r *Run) prepareExternalToken() (*Request, error) {
	w := r.settings.Workload
	req := &Request{Method: http.MethodGet, URL: w.TokenURL, Params: []Param{{Name: "audience", Value: w.Audience,
		Explanation: "The audience the external token is minted for: Entra accepts only api://AzureADTokenExchange (GitHub's default is the owner URL)."}},
		Headers: []Header{{Name: "Accept", Value: "application/json"}}}
	if w.TokenRequestToken != "" {
		r.redact.AddSecret(w.TokenRequestToken)
		req.Headers = append(req.Headers, Header{Name: "Authorization", Value: "bearer " + w.TokenRequestToken, Secret: true})
	}
	return req, nil
}

func (r *Run) applyExternalToken(ex *Exchange) error {
	if ex.Status != http.StatusOK {
		return &ProtocolError{Leg: ex.LegName, Problem: fmt.Sprintf("the external issuer answered %s, not a token", ex.StatusText)}
	}
	var body struct {
		Value  string `json:"value"` // GitHub Actions
		Token  string `json:"token"`
		Status struct {
			Token string `json:"token"` // Kubernetes TokenRequest
		} `json:"status"`
	}
	if err := json.Unmarshal([]byte(ex.ResponseBody), &body); err != nil {
		return &ProtocolError{Leg: ex.LegName, Problem: "the external issuer's answer is not JSON", Err: err}
	}
	tok := firstNonEmpty(body.Value, body.Token, body.Status.Token)
	if !jwtPattern().MatchString(tok) {
		return &ProtocolError{Leg: ex.LegName, Problem: "the external issuer's answer holds no JWT in value, token or status.token"}
	}
	r.update(func(s *State) { s.ExternalToken = tok })
	return nil
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// prepareFederatedToken compares the external token with the federated credential, then builds the
// client-credentials request that presents it as the client assertion [beyond-tokens §2.3].
func (r *Run) prepareFederatedToken() (*Request, error) {
	s := r.settings
	tok := strings.TrimSpace(s.Workload.Token)
	if tok == "" {
		tok = r.State().ExternalToken
	}
	if tok == "" {
		return nil, fmt.Errorf("%w: the external token comes from the external-token leg", ErrNotReady)
	}
	r.redact.AddSecret(tok)
	check := CompareFederated(tok, s.Workload.Credentials, r.opts.Now())
	r.update(func(st *State) { st.Federation = check })
	req, err := r.tokenRequest([]Param{
		param("client_id", s.ClientID),
		param("scope", strings.Join(s.Scopes, " ")),
		param("grant_type", "client_credentials"),
		{Name: "client_assertion_type", Value: ClientAssertionType,
			Explanation: "jwt-bearer: the client authenticates with a JWT; here the external token, not one signed by the app."},
		{Name: "client_assertion", Value: tok, Secret: true, Explanation: check.Summary()},
	}, false)
	return req, err
}

func (r *Run) applyFederatedToken(ex *Exchange) error {
	err := r.applyTokens(ex)
	var oe *OAuthError
	if errors.As(err, &oe) {
		oe.Detail = explainFederationError(oe, r.State().Federation)
	}
	return err
}

// FederationCheck is the external token compared, field by field, with the federated credential it should match.
type FederationCheck struct {
	Credential string            // the credential compared with ("" when none was given)
	Fields     []FieldComparison // issuer, subject, audience, lifetime
	Claims     map[string]any    // the external token's claims, for display
}

// FieldComparison is one field of the comparison.
type FieldComparison struct {
	Field      string // issuer, subject, audience or lifetime
	Token      string // the token's value
	Credential string // what the credential says ("" when unknown)
	Match      bool
	Problem    string // why they differ, in Entra's terms
	Fix        string // how it must be written
}

// OK reports whether every compared field matches.
func (c *FederationCheck) OK() bool {
	if c == nil {
		return false
	}
	for _, f := range c.Fields {
		if !f.Match {
			return false
		}
	}
	return true
}

// Mismatch returns the first field that does not match, in the order Entra checks them.
func (c *FederationCheck) Mismatch(field string) (FieldComparison, bool) {
	if c == nil { // no comparison was made: the external token never arrived
		return FieldComparison{}, false
	}
	for _, f := range c.Fields {
		if !f.Match && (field == "" || f.Field == field) {
			return f, true
		}
	}
	return FieldComparison{}, false
}

// Summary is the comparison in a few lines, for the client_assertion parameter's explanation.
func (c *FederationCheck) Summary() string {
	head := "The external token, sent verbatim: its iss, sub and aud are the external issuer's and must equal a federated credential's exactly."
	if c.Credential != "" {
		head += " Compared with credential " + c.Credential + ":"
	}
	return strings.Join(append([]string{head}, c.Lines()...), "\n")
}

// Lines are the comparison, one field a line: ✓ or ✗, the token's value and, when they differ, the
// credential's and why.
func (c *FederationCheck) Lines() []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, f := range c.Fields {
		if f.Match {
			out = append(out, fmt.Sprintf("✓ %s %q", f.Field, f.Token))
			continue
		}
		line := fmt.Sprintf("✗ %s %q", f.Field, f.Token)
		if f.Credential != "" {
			line += fmt.Sprintf(" ≠ %q", f.Credential)
		}
		out = append(out, line+": "+f.Problem)
	}
	return out
}

// CompareFederated decodes the external token (without verifying it: Entra does that) and compares it with the
// credential in creds that fits it best: the same issuer, else the one differing least.
func CompareFederated(token string, creds []FederatedCredential, now time.Time) *FederationCheck {
	claims := jwtClaims(token)
	iss, _ := claims["iss"].(string)
	sub, _ := claims["sub"].(string)
	auds := audiences(claims["aud"])
	c := &FederationCheck{Claims: claims}
	cred, found := bestCredential(creds, iss, sub)
	if found {
		c.Credential = cred.Name
		c.Fields = append(c.Fields, compareIssuer(iss, cred.Issuer), compareSubject(sub, cred.Subject))
	}
	want := cred.Audience
	if want == "" {
		want = FederatedAudience
	}
	c.Fields = append(c.Fields, compareAudience(auds, want))
	if exp, ok := claims["exp"].(float64); ok {
		at := time.Unix(int64(exp), 0)
		f := FieldComparison{Field: "lifetime", Token: "exp " + at.UTC().Format(time.RFC3339), Match: now.Before(at)}
		if !f.Match {
			f.Problem = fmt.Sprintf("expired %s ago: Entra refuses it (AADSTS700024)", now.Sub(at).Round(time.Second))
			f.Fix = "Fetch a fresh token: GitHub tokens live 5 minutes, Kubernetes projected tokens are rotated by the kubelet (read the file again)."
		}
		c.Fields = append(c.Fields, f)
	}
	return c
}

func bestCredential(creds []FederatedCredential, iss, sub string) (FederatedCredential, bool) {
	if len(creds) == 0 {
		return FederatedCredential{}, false
	}
	score := func(f FederatedCredential) int {
		n := 0
		switch {
		case f.Issuer == iss:
			n += 8
		case normalIssuer(f.Issuer) == normalIssuer(iss):
			n += 4
		}
		switch {
		case f.Subject == sub:
			n += 2
		case strings.EqualFold(f.Subject, sub) || subjectPrefix(f.Subject) == subjectPrefix(sub):
			n++
		}
		return n
	}
	best := creds[0]
	for _, f := range creds[1:] {
		if score(f) > score(best) {
			best = f
		}
	}
	return best, true
}

func normalIssuer(s string) string {
	return strings.ToLower(strings.TrimRight(strings.TrimSpace(s), "/"))
}

// subjectPrefix is the part of a subject naming the workload without its context: repo:ORG/REPO, or
// system:serviceaccount:NS.
func subjectPrefix(s string) string {
	parts := strings.Split(strings.ToLower(s), ":")
	if len(parts) >= 2 {
		return parts[0] + ":" + parts[1]
	}
	return strings.ToLower(s)
}

func compareIssuer(tok, cred string) FieldComparison {
	f := FieldComparison{Field: "issuer", Token: tok, Credential: cred, Match: tok == cred}
	if f.Match {
		return f
	}
	f.Fix = fmt.Sprintf("Write the credential's issuer exactly as the token's iss: %q.", tok)
	switch {
	case strings.TrimRight(tok, "/") == strings.TrimRight(cred, "/"):
		f.Problem = "differs only by a trailing slash, and Entra compares issuers exactly (AKS issuers end in /)"
	case strings.EqualFold(tok, cred):
		f.Problem = "differs only in letter case, and Entra compares issuers exactly"
	case strings.TrimSpace(cred) != cred || strings.TrimSpace(tok) != tok:
		f.Problem = "has leading or trailing white space, which blocks the exchange"
	default:
		f.Problem = "is another issuer: no credential trusts tokens from it"
		f.Fix = fmt.Sprintf("Add a federated credential with issuer %q, or send a token from %q.", tok, cred)
	}
	return f
}

func compareSubject(tok, cred string) FieldComparison {
	f := FieldComparison{Field: "subject", Token: tok, Credential: cred, Match: tok == cred}
	if f.Match {
		return f
	}
	f.Fix = fmt.Sprintf("Write the credential's subject exactly as the token's sub: %q, or change the workload so its token says %q.", tok, cred)
	switch {
	case strings.EqualFold(tok, cred):
		f.Problem = "differs only in letter case, and Entra compares subjects case-sensitively (AADSTS7002138)"
	case strings.HasPrefix(tok, "repo:") && strings.HasPrefix(cred, "repo:"):
		f.Problem = "is another GitHub context: the token is " + githubContext(tok) + ", the credential expects " + githubContext(cred)
		if _, env, ok := strings.Cut(cred, ":environment:"); ok && !strings.Contains(tok, ":environment:") {
			f.Fix = fmt.Sprintf("Give the job the environment the credential names (environment: %s in the workflow), or add a federated credential with subject %q.", env, tok)
		}
	case strings.HasPrefix(tok, "system:serviceaccount:") && strings.HasPrefix(cred, "system:serviceaccount:"):
		f.Problem = "is another Kubernetes service account: the token is " + k8sAccount(tok) + ", the credential expects " + k8sAccount(cred)
	default:
		f.Problem = "is another subject: Entra matches it exactly, with no wildcards"
	}
	return f
}

// githubContext describes a GitHub Actions subject [GH-OIDC]: repo:ORG/REPO:environment:NAME, :pull_request,
// :ref:refs/heads/BRANCH or :ref:refs/tags/TAG.
func githubContext(sub string) string {
	rest := strings.TrimPrefix(sub, "repo:")
	repo, ctx, _ := strings.Cut(rest, ":")
	switch {
	case strings.HasPrefix(ctx, "environment:"):
		return fmt.Sprintf("a job of %s in environment %q", repo, strings.TrimPrefix(ctx, "environment:"))
	case ctx == "pull_request":
		return "a pull_request run of " + repo
	case strings.HasPrefix(ctx, "ref:refs/heads/"):
		return fmt.Sprintf("a job of %s on branch %q with no environment", repo, strings.TrimPrefix(ctx, "ref:refs/heads/"))
	case strings.HasPrefix(ctx, "ref:refs/tags/"):
		return fmt.Sprintf("a job of %s on tag %q with no environment", repo, strings.TrimPrefix(ctx, "ref:refs/tags/"))
	}
	return fmt.Sprintf("%s (%s)", repo, ctx)
}

func k8sAccount(sub string) string {
	parts := strings.Split(strings.TrimPrefix(sub, "system:serviceaccount:"), ":")
	if len(parts) == 2 {
		return fmt.Sprintf("%q in namespace %q", parts[1], parts[0])
	}
	return sub
}

func compareAudience(auds []string, want string) FieldComparison {
	f := FieldComparison{Field: "audience", Token: strings.Join(auds, ","), Credential: want}
	for _, a := range auds {
		f.Match = f.Match || a == want
	}
	if !f.Match {
		f.Problem = "does not include " + want + ", the one audience Entra accepts"
		f.Fix = "Mint the token for " + want + ": GitHub's azure/login does, or core.getIDToken('" + want + "'); Kubernetes: the projected token's audience."
	}
	return f
}

func audiences(v any) []string {
	switch a := v.(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, x := range a {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// jwtClaims reads a JWT's payload without verifying it; a malformed token yields an empty map.
func jwtClaims(jwt string) map[string]any {
	claims := map[string]any{}
	parts := strings.Split(jwt, ".")
	if len(parts) < 2 {
		return claims
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err == nil {
		_ = json.Unmarshal(b, &claims)
	}
	return claims
}

// explainFederationError says which field Entra found no match for and how it must be written, using the
// comparison made before sending.
func explainFederationError(oe *OAuthError, c *FederationCheck) *AADSTSEntry {
	field := map[int]string{700211: "issuer", 700212: "audience", 700213: "subject", 7002138: "subject", 70021: "", 700024: "lifetime"}
	want, ok := field[oe.AADSTS()]
	if !ok || c == nil {
		return nil
	}
	e := &AADSTSEntry{Code: oe.AADSTS(), Error: oe.Code}
	if base, ok := LookupAADSTS(oe.AADSTS()); ok {
		e.Name = base.Name
	}
	if f, ok := c.Mismatch(want); ok {
		e.Cause = fmt.Sprintf("The token's %s %q", f.Field, f.Token)
		if f.Credential != "" {
			e.Cause += fmt.Sprintf(" does not equal the credential's %q: it %s.", f.Credential, f.Problem)
		} else {
			e.Cause += ": it " + f.Problem + "."
		}
		e.Fix = f.Fix
		return e
	}
	// Locally everything matched (or nothing was known to compare): the credential Entra holds differs from
	// the one given, or was added minutes ago and has not propagated.
	tokenValue := map[string]string{"issuer": claimString(c.Claims, "iss"), "subject": claimString(c.Claims, "sub"), "audience": strings.Join(audiences(c.Claims["aud"]), ",")}[want]
	if want == "" {
		e.Cause = "No federated credential on the app matches the token's issuer, subject and audience together."
		e.Fix = "Compare the app's federated credentials (Certificates & secrets → Federated credentials) with the token's iss, sub and aud, character for character; a new credential takes a few minutes to apply."
		return e
	}
	e.Cause = fmt.Sprintf("Entra has no federated credential on this app whose %s is %q (compared exactly).", want, tokenValue)
	e.Fix = fmt.Sprintf("Add or correct a federated credential so that its %s is exactly %q; a new credential takes a few minutes to apply.", want, tokenValue)
	return e
}

func claimString(c map[string]any, name string) string {
	s, _ := c[name].(string)
	return s
}
