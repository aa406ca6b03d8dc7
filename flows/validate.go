package flows

import (
	"cmp"
	"net/url"
	"strings"
)

var (
	guidPattern   = lazyRegexp(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	domainPattern = lazyRegexp(`^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$`)
	jwtPattern    = lazyRegexp(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){2}$|^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}$`)
)

// flowOf is the descriptor of id; an unknown id gets an empty one (Validate still checks what every flow shares).
func flowOf(id FlowID) Flow {
	for _, f := range catalog() {
		if f.ID == id {
			return f
		}
	}
	return Flow{ID: id}
}

// withDefaults fills in what the settings leave empty for the flow.
func (s Settings) withDefaults(id FlowID) Settings {
	f := flowOf(id)
	s = s.secretlessDefaults(id)
	if len(s.Scopes) == 0 {
		s.Scopes = f.defaultScopes(s.Issuer)
	}
	if s.Platform == "" {
		s.Platform = cmp.Or(f.DefaultPlatform, PlatformWeb)
	}
	if s.ResponseMode == "" {
		s.ResponseMode = "query"
	}
	if s.AssertionAlg == "" {
		s.AssertionAlg = AssertionPS256
	}
	if s.Platform == PlatformSPA && s.Origin == "" {
		if u, err := url.Parse(s.RedirectURI); err == nil && u.Host != "" {
			s.Origin = u.Scheme + "://" + u.Host
		}
	}
	return s
}

// AuthorityURL is the login host in use: Authority, else the cloud's.
func (s Settings) AuthorityURL() string { return s.authority() }

// authority is the login host in use: Authority, else the cloud's.
func (s Settings) authority() string {
	if s.Authority != "" {
		return strings.TrimRight(s.Authority, "/")
	}
	return s.Cloud.Authority()
}

// Validate checks the settings a flow needs, before any request is sent, and returns the first problem as a
// *FieldError naming the field and the fix.
func (s Settings) Validate(id FlowID) error {
	s = s.withDefaults(id)
	f := flowOf(id)
	if id == FlowManagedIdentity || id == FlowWorkloadIdentity {
		return s.validateSecretless(id)
	}
	checks := []func() error{
		func() error { return s.validateProvider(f) },
		func() error { return s.validateClientID() },
		func() error { return s.validateScopes(f) },
		func() error { return s.validateRedirect(f) },
		func() error { return s.validateCredential(f) },
		func() error { return s.validateChain(f) },
		func() error { return s.validateCallAPI() },
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	if s.Timeout < 0 {
		return &FieldError{Field: "timeout", Value: s.Timeout.String(), Problem: "is negative", Fix: "give a duration such as 30s"}
	}
	return nil
}

// validateChain checks the token a chained flow starts from: on-behalf-of's user token, refresh's refresh token.
func (s Settings) validateChain(f Flow) error {
	switch {
	case f.ChainsFrom == nil:
		return nil
	case f.ChainsFrom.Token == ChainAccessToken && s.Assertion == "":
		return &FieldError{Field: "assertion", Problem: "is required for " + strings.ToLower(f.Title), Fix: "pass the user access token the API received (--assertion TOKEN or -)"}
	case f.ChainsFrom.Token == ChainAccessToken && !jwtPattern().MatchString(s.Assertion):
		return &FieldError{Field: "assertion", Problem: "is not a JWT (three or five base64url parts separated by dots)", Fix: "pass the raw access token, without \"Bearer \"", secret: true}
	case f.ChainsFrom.Token == ChainRefreshToken && s.RefreshToken == "":
		return &FieldError{Field: "refresh-token", Problem: "is required for the refresh flow", Fix: "pass a refresh token from an earlier run (--refresh-token)"}
	case f.ChainsFrom.Token == ChainRefreshToken && strings.ContainsAny(s.RefreshToken, " \t\r\n"):
		return &FieldError{Field: "refresh-token", Problem: "contains white space", Fix: "pass the token exactly as the token response gave it", secret: true}
	}
	return nil
}

func (s Settings) validateProvider(f Flow) error {
	if s.Issuer != "" {
		return validateEndpointURL("issuer", s.Issuer)
	}
	if s.Authority != "" {
		if err := validateEndpointURL("authority", s.Authority); err != nil {
			return err
		}
	}
	t := s.Tenant
	switch {
	case t == "":
		return &FieldError{Field: "tenant", Problem: "is required", Fix: "give the tenant GUID or domain (e.g. contoso.onmicrosoft.com), or set AZURE_TENANT_ID"}
	case f.AppOnly && (t == "common" || t == "consumers" || t == "organizations"):
		// An app acting as itself names the tenant it acts in (reference §2.5, AADSTS9001023).
		return &FieldError{Field: "tenant", Value: t, Problem: "cannot be used for " + strings.ToLower(f.Title), Fix: "give the tenant GUID or domain the app lives in"}
	}
	return checkTenant(t)
}

// checkTenant checks a tenant's form: a GUID, a domain, or one of the multi-tenant names.
func checkTenant(t string) error {
	if t == "common" || t == "organizations" || t == "consumers" || guidPattern().MatchString(t) || domainPattern().MatchString(t) {
		return nil
	}
	return &FieldError{Field: "tenant", Value: t, Problem: "is not a GUID, a domain, common, organizations or consumers", Fix: "copy the Directory (tenant) ID from the app registration's overview"}
}

func (s Settings) validateClientID() error {
	switch {
	case s.ClientID == "":
		return &FieldError{Field: "client-id", Problem: "is required", Fix: "give the Application (client) ID, or set AZURE_CLIENT_ID"}
	case s.Issuer == "" && !guidPattern().MatchString(s.ClientID):
		return &FieldError{Field: "client-id", Value: s.ClientID, Problem: "is not a GUID", Fix: "copy the Application (client) ID from the app registration's overview"}
	case strings.ContainsAny(s.ClientID, " \t\r\n"):
		return &FieldError{Field: "client-id", Value: s.ClientID, Problem: "contains white space", Fix: "give the client ID exactly as registered"}
	}
	return nil
}

func (s Settings) validateScopes(f Flow) error {
	if err := checkScopeSyntax(s.Scopes); err != nil {
		return err
	}
	if f.AppOnly && s.Issuer == "" {
		// An app acting as itself asks for exactly one {resource}/.default (reference §2.5, AADSTS70011/700022).
		if len(s.Scopes) != 1 || !strings.HasSuffix(s.Scopes[0], "/.default") {
			return &FieldError{Field: "scope", Value: strings.Join(s.Scopes, " "), Problem: "must be a single {resource}/.default scope for " + strings.ToLower(f.Title), Fix: "use e.g. --scope https://graph.microsoft.com/.default"}
		}
	}
	return nil
}

func (s Settings) validateRedirect(f Flow) error {
	if err := checkPlatform(s.Platform); err != nil {
		return err
	}
	if err := checkResponseMode(s.ResponseMode); err != nil {
		return err
	}
	if !f.SignsInWithBrowser() {
		return nil
	}
	if s.RedirectURI == "" {
		return &FieldError{Field: "redirect-uri", Problem: "is required for a browser sign-in", Fix: "give a redirect URI registered on the app, e.g. http://localhost"}
	}
	return s.checkRedirectURI()
}

func checkResponseMode(mode string) error {
	switch mode {
	case "query", "form_post":
		return nil
	}
	return &FieldError{Field: "response-mode", Value: mode, Problem: "is not supported", Fix: "use query or form_post (a fragment never reaches the app's server)"}
}

// checkRedirectURI checks the redirect URI's form and, for a SPA, the origin; a custom scheme is refused only
// when the platform is known not to be public.
func (s Settings) checkRedirectURI() error {
	u, err := url.Parse(s.RedirectURI)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "":
		return &FieldError{Field: "redirect-uri", Value: s.RedirectURI, Problem: "is not an absolute URL", Fix: "give it as registered, e.g. http://localhost:8400/callback"}
	case u.User != nil:
		return refuseUserinfo("redirect-uri", u)
	case u.Fragment != "":
		return &FieldError{Field: "redirect-uri", Value: s.RedirectURI, Problem: "has a fragment", Fix: "remove the #… part; redirect URIs cannot carry fragments (RFC 6749 §3.1.2)"}
	case u.Scheme == "http" && !isLoopbackHost(u.Hostname()):
		return &FieldError{Field: "redirect-uri", Value: s.RedirectURI, Problem: "uses http on a host that is not localhost", Fix: "use https, or http://localhost for a local app"}
	case u.Scheme != "http" && u.Scheme != "https" && s.Platform != PlatformPublic && s.Platform != "":
		return &FieldError{Field: "redirect-uri", Value: s.RedirectURI, Problem: "must be http(s) for the " + string(s.Platform) + " platform", Fix: "custom schemes are for public (mobile/desktop) clients"}
	}
	if s.Origin != "" {
		o, err := url.Parse(s.Origin)
		if err == nil && o.User != nil {
			return refuseUserinfo("origin", o)
		}
		if err != nil || o.Host == "" || (o.Path != "" && o.Path != "/") {
			return &FieldError{Field: "origin", Value: s.Origin, Problem: "is not scheme://host[:port]", Fix: "give the SPA's origin, e.g. http://localhost:3000"}
		}
	}
	return nil
}

func (s Settings) validateCredential(f Flow) error {
	if f.NeedsCredential(s) {
		return &FieldError{Field: "credential", Problem: "is missing: this flow needs a client secret or certificate", Fix: "set AZURE_CLIENT_SECRET, use --client-secret-file, or give --cert FILE"}
	}
	return checkAssertionAlg(s.AssertionAlg)
}

// checkScopeSyntax checks each scope's form, the rule every flow shares.
func checkScopeSyntax(scopes []string) error {
	for _, sc := range scopes {
		if sc == "" || strings.ContainsAny(sc, " \t\r\n\"\\") {
			return &FieldError{Field: "scope", Value: sc, Problem: "is empty or contains a space, quote or backslash", Fix: "repeat --scope once per scope, e.g. --scope openid --scope User.Read"}
		}
	}
	return nil
}

// CheckGiven checks every field that is set by the rules every flow applies to it, and returns the first
// problem as a *FieldError naming the field; a field left empty is no problem (whether a flow needs it is
// Validate's business). Command-line flags, saved profiles and the TUI's status bar use it, so a value is
// judged the same way before any flow is chosen.
func (s Settings) CheckGiven() error {
	checks := []struct {
		set   bool
		check func() error
	}{
		{s.Issuer != "", func() error { return validateEndpointURL("issuer", s.Issuer) }},
		{s.Authority != "", func() error { return validateEndpointURL("authority", s.Authority) }},
		{s.Cloud != "", func() error { _, err := ParseCloud(string(s.Cloud)); return err }},
		{s.Tenant != "", func() error { return checkTenant(s.Tenant) }},
		{s.ClientID != "", s.validateClientID},
		{len(s.Scopes) > 0, func() error { return checkScopeSyntax(s.Scopes) }},
		{s.Platform != "", func() error { return checkPlatform(s.Platform) }},
		{s.ResponseMode != "", func() error { return checkResponseMode(s.ResponseMode) }},
		{s.RedirectURI != "", s.checkRedirectURI},
		{s.AssertionAlg != "", func() error { return checkAssertionAlg(s.AssertionAlg) }},
		{s.Timeout < 0, func() error {
			return &FieldError{Field: "timeout", Value: s.Timeout.String(), Problem: "is negative", Fix: "give a duration such as 30s"}
		}},
	}
	for _, c := range checks {
		if c.set {
			if err := c.check(); err != nil {
				return err
			}
		}
	}
	return nil
}

// validateEndpointURL checks an authority or issuer: absolute, https (http only on loopback), no query.
func validateEndpointURL(field, raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "":
		return &FieldError{Field: field, Value: raw, Problem: "is not an absolute URL", Fix: "give e.g. https://login.microsoftonline.com"}
	case u.User != nil:
		return refuseUserinfo(field, u)
	case u.RawQuery != "" || u.Fragment != "":
		return &FieldError{Field: field, Value: raw, Problem: "has a query or fragment", Fix: "give only scheme, host and path"}
	case u.Scheme == "http" && !isLoopbackHost(u.Hostname()):
		return &FieldError{Field: field, Value: raw, Problem: "uses plain http on a host that is not loopback", Fix: "use https (http is only accepted for a local emulator)"}
	case u.Scheme != "http" && u.Scheme != "https":
		return &FieldError{Field: field, Value: raw, Problem: "is not http(s)", Fix: "use an https URL"}
	}
	return nil
}
