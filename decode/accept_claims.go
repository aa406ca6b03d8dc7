package decode

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"
)

// graphAudiences are the aud values of Microsoft Graph tokens.
var graphAudiences = []string{"00000003-0000-0000-c000-000000000000", "https://graph.microsoft.com", "https://graph.microsoft.com/"}

// lifetime applies Validators.ValidateLifetime: exp required, nbf ≤ exp, nbf ≤ now+skew, exp ≥ now-skew.
func (c checker) lifetime() Check {
	exp, hasExp := c.instant("exp")
	nbf, hasNbf := c.instant("nbf")
	skew := c.api.Skew
	switch {
	case !hasExp:
		return fail(RuleLifetime, 401, "IDX10225", "IDX10225: Lifetime validation failed. The token is missing an Expiration Time. Tokentype: 'Microsoft.IdentityModel.JsonWebTokens.JsonWebToken'.",
			"Entra always sets exp: this token was not issued by Entra, or its claims were edited.").described("The token has no expiration")
	case hasNbf && nbf.After(exp):
		return fail(RuleLifetime, 401, "IDX10224", fmt.Sprintf("IDX10224: Lifetime validation failed. The NotBefore (UTC): '%s' is after Expires (UTC): '%s'.", dotnetTime(nbf), dotnetTime(exp)),
			"nbf is after exp: the token was not issued by Entra, or its claims were edited.").described("The token lifetime is invalid; NotBefore: '" + dotnetTime(nbf) + "', Expires: '" + dotnetTime(exp) + "'")
	case hasNbf && nbf.After(c.now.Add(skew)):
		return fail(RuleLifetime, 401, "IDX10222", fmt.Sprintf("IDX10222: Lifetime validation failed. The token is not yet valid. ValidFrom (UTC): '%s', Current time (UTC): '%s'.", dotnetTime(nbf), dotnetTime(c.now)),
			fmt.Sprintf("The token becomes valid %s from now, beyond the API's clock skew of %s: the API's clock is behind Entra's (or the issuer's clock is ahead). Sync the API host's clock with NTP; raising ClockSkew only hides it.", human(nbf.Sub(c.now)), human(skew))).described("The token is not valid before '" + dotnetTime(nbf) + "'")
	case exp.Before(c.now.Add(-skew)):
		return fail(RuleLifetime, 401, "IDX10223", fmt.Sprintf("IDX10223: Lifetime validation failed. The token is expired. ValidTo (UTC): '%s', Current time (UTC): '%s'.", dotnetTime(exp), dotnetTime(c.now)),
			fmt.Sprintf("The token expired %s ago (the API allows %s of clock skew). The client must get a new token: MSAL's AcquireTokenSilent refreshes it before it expires; don't cache access tokens yourself beyond expires_in.", human(c.now.Sub(exp)), human(skew))).described("The token expired at '" + dotnetTime(exp) + "'")
	}
	msg := "valid until " + exp.Format(time.RFC3339)
	if exp.Before(c.now) {
		msg += fmt.Sprintf(" (expired %s ago, within the clock skew of %s)", human(c.now.Sub(exp)), human(skew))
	}
	return pass(RuleLifetime, msg)
}

// instant reads a NumericDate claim; fractions are allowed (RFC 7519 §2).
func (c checker) instant(name string) (time.Time, bool) {
	v, ok := c.t.Claims.Number(name)
	if !ok || math.IsNaN(v) || math.Abs(v) > 1e12 {
		return time.Time{}, false
	}
	return time.Unix(int64(v), 0).UTC(), true
}

// audience applies ValidAudiences, or Microsoft.Identity.Web's ver-based default (reference §3.2).
func (c checker) audience() Check {
	auds := c.t.Claims.Strings("aud")
	valid := c.api.Audiences
	if len(valid) == 0 && c.api.ClientID != "" {
		switch c.version() {
		case "2.0":
			valid = []string{c.api.ClientID}
		case "1.0":
			valid = []string{"api://" + c.api.ClientID}
		default:
			return fail(RuleAudience, 401, "IDX10208", "IDX10208: Unable to validate audience. validationParameters.ValidAudience is null or whitespace and validationParameters.ValidAudiences is null.",
				"The token has no ver claim of 1.0 or 2.0, so Microsoft.Identity.Web picks no audience: configure Audience (or TokenValidationParameters.ValidAudiences) explicitly.")
		}
		if audienceMatches(auds, valid) {
			return pass(RuleAudience, "aud "+quoteList(auds)+" is the API (Microsoft.Identity.Web's default for a v"+c.version()+" token)")
		}
		return fail(RuleAudience, 401, "IDX10231", "IDX10231: Audience validation failed. Delegate returned false, securitytoken: '[PII is hidden]'.", c.audienceFix(auds, valid)).
			described("The audience '" + strings.Join(auds, ", ") + "' is invalid")
	}
	if len(valid) == 0 {
		return fail(RuleAudience, 401, "IDX10208", "IDX10208: Unable to validate audience. validationParameters.ValidAudience is null or whitespace and validationParameters.ValidAudiences is null.",
			"Configure the API's audience: its client ID (ClientId) and, for v1 tokens, its App ID URI.")
	}
	if audienceMatches(auds, valid) {
		return pass(RuleAudience, "aud "+quoteList(auds)+" is one of the API's audiences")
	}
	single, many := valid[0], "null"
	if len(valid) > 1 {
		single, many = "null", listOrNull(valid)
	}
	return fail(RuleAudience, 401, "IDX10214", fmt.Sprintf("IDX10214: Audience validation failed. Audiences: '%s'. Did not match: validationParameters.ValidAudience: '%s' or validationParameters.ValidAudiences: '%s'.", listOrNull(auds), single, many),
		c.audienceFix(auds, valid)).described("The audience '" + strings.Join(auds, ", ") + "' is invalid")
}

// audienceMatches compares ordinally, ignoring one trailing slash (IgnoreTrailingSlashWhenValidatingAudience).
func audienceMatches(auds, valid []string) bool {
	for _, a := range auds {
		for _, v := range valid {
			if a == v || strings.TrimSuffix(a, "/") == strings.TrimSuffix(v, "/") {
				return true
			}
		}
	}
	return false
}

// audienceFix names the usual causes: GUID vs App ID URI, a Graph token, a token for another API.
func (c checker) audienceFix(auds, valid []string) string {
	ver := c.version()
	for _, a := range auds {
		for _, v := range valid {
			switch {
			case "api://"+a == v || "api://"+strings.ToLower(a) == strings.ToLower(v):
				if ver == "2.0" {
					return "The token's aud is the GUID " + a + ", and your API validates " + v + ": v2.0 tokens always carry the API's client ID as aud, whatever App ID URI the client asked for. Add the GUID to the API's valid audiences (Microsoft.Identity.Web does this by itself when only ClientId is configured), or accept both."
				}
				return "The token's aud is the GUID " + a + ", and your API validates " + v + ": in a v1.0 token aud is the identifier the client requested. Add both to the valid audiences, or set accessTokenAcceptedVersion 2 in the API's manifest so every token carries the GUID."
			case a == "api://"+v || strings.EqualFold(a, "api://"+v):
				if ver == "1.0" {
					return "The token's aud is the App ID URI " + a + ", and your API validates the GUID " + v + ": this v1.0 token carries the identifier the client requested. Add " + a + " to the valid audiences (add both), or set accessTokenAcceptedVersion 2 in the API's manifest: v2.0 tokens always carry the GUID."
				}
				return "The token's aud is " + a + " and your API validates the GUID " + v + ": add both to the API's valid audiences."
			}
		}
		if slices.Contains(graphAudiences, a) {
			return "This token is for Microsoft Graph (aud " + a + "), not your API: the client asked for Graph scopes such as User.Read. Request a token for your API instead (scope " + scopeHint(valid) + "); call Graph with the Graph token and your API with its own."
		}
	}
	if c.api.ClientID != "" && len(c.api.Audiences) == 0 && ver == "1.0" {
		return "Microsoft.Identity.Web expects api://" + c.api.ClientID + " in v1.0 tokens, but aud is " + quoteList(auds) + " (a custom App ID URI, or the GUID). Configure Audience or ValidAudiences with it, or set accessTokenAcceptedVersion 2 in the API's manifest so aud is the client ID."
	}
	return "The token was issued for " + quoteList(auds) + ", not this API (" + strings.Join(valid, ", ") + "). The client must request the API's own scope (" + scopeHint(valid) + "), using the App ID URI shown under the API's Expose an API. If Entra then answers AADSTS500011, that resource is not registered in the user's tenant: a multi-tenant API needs admin consent there first."
}

func scopeHint(valid []string) string {
	for _, v := range valid {
		if strings.Contains(v, "://") {
			return strings.TrimSuffix(v, "/") + "/<scope> or " + strings.TrimSuffix(v, "/") + "/.default"
		}
	}
	if len(valid) > 0 {
		return "api://" + valid[0] + "/<scope>"
	}
	return "api://<API client ID>/<scope>"
}

// issuer applies AadIssuerValidator (or the literal comparison of plain JwtBearer) to iss (reference §3.3).
func (c checker) issuer() Check {
	iss, _ := c.t.Claims.String("iss")
	tid, hasTid := c.t.Claims.String("tid")
	candidates := c.issuerCandidates(iss)
	if c.api.Plain {
		if slices.Contains(candidates, iss) {
			return pass(RuleIssuer, "iss "+iss+" is a valid issuer")
		}
		return fail(RuleIssuer, 401, "IDX10205", fmt.Sprintf("IDX10205: Issuer validation failed. Issuer: '%s'. Did not match: validationParameters.ValidIssuer: 'null' or validationParameters.ValidIssuers: '%s' or validationParameters.ConfigurationManager.CurrentConfiguration.Issuer: 'null'. For more details, see https://aka.ms/IdentityModel/issuer-validation. ", iss, listOrNull(candidates)),
			c.issuerFix(iss, tid, candidates)).described("The issuer '" + iss + "' is invalid")
	}
	if !hasTid || tid == "" {
		return fail(RuleIssuer, 401, "IDX40003", "IDX40003: Neither `tid` nor `tenantId` claim is present in the token obtained from Microsoft identity platform. ",
			"Entra access tokens always carry tid: this token was not issued by Entra ID (or is an ID token of a personal-account-only flow). Accept only tokens issued for your API.")
	}
	for _, cand := range candidates {
		if strings.ReplaceAll(cand, "{tenantid}", tid) == iss {
			return pass(RuleIssuer, "iss "+iss+" matches "+cand)
		}
	}
	// AadIssuerValidator's exception sets no InvalidIssuer, so JwtBearer renders (null) (reference §3.7).
	return fail(RuleIssuer, 401, "IDX40001", "IDX40001: Issuer: '"+iss+"', does not match any of the valid issuers provided for this application. ",
		c.issuerFix(iss, tid, candidates)).described("The issuer '(null)' is invalid")
}

// issuerCandidates are the API's valid issuers: given ones, else its tenants' issuers for the versions it
// accepts. Microsoft.Identity.Web fetches the metadata of the token's own version, so both are candidates.
func (c checker) issuerCandidates(iss string) []string {
	if len(c.api.Issuers) > 0 {
		return c.api.Issuers
	}
	tenants := c.api.Tenants
	if len(tenants) == 0 {
		tenants = []string{"common"}
	}
	versions := []int{2, 1}
	switch {
	case c.api.Version != 0:
		versions = []int{c.api.Version}
	case c.api.Plain:
		versions = []int{2} // the metadata of a v2.0 authority
	}
	var out []string
	for _, tenant := range tenants {
		switch strings.ToLower(tenant) {
		case "common", "organizations":
			tenant = "{tenantid}"
		case "consumers":
			tenant = consumerTenant
		}
		for _, v := range versions {
			if v == 1 {
				out = append(out, "https://sts.windows.net/"+tenant+"/")
			} else {
				out = append(out, c.api.Host+"/"+tenant+"/v2.0")
			}
		}
	}
	return out
}

// issuerFix names the usual causes: v1 vs v2, a tenant not allowed, a template compared literally.
func (c checker) issuerFix(iss, tid string, candidates []string) string {
	u, err := url.Parse(iss)
	if iss == "" || err != nil || u.Host == "" {
		return "The token has no usable iss: it was not issued by Entra ID."
	}
	tokenV1 := u.Host == "sts.windows.net"
	tokenV2 := strings.HasSuffix(iss, "/v2.0")
	issTenant, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if !tokenV1 && !tokenV2 {
		return "The issuer " + iss + " is not a Microsoft Entra ID issuer (https://sts.windows.net/{tid}/ or https://login.microsoftonline.com/{tid}/v2.0): this token comes from another identity provider."
	}
	if tid != "" && !strings.EqualFold(issTenant, tid) {
		return "iss names tenant " + issTenant + " but tid is " + tid + ": AadIssuerValidator fills {tenantid} with tid, so the two must agree. Entra never issues such a token: it was altered (or is a redacted documentation sample)."
	}
	if c.api.Plain && slices.ContainsFunc(candidates, func(s string) bool { return strings.Contains(s, "{tenantid}") }) {
		return "The API's valid issuer is the common-endpoint template (" + candidates[0] + "), which plain JwtBearer compares literally, so no token ever matches. Use Microsoft.Identity.Web (AddMicrosoftIdentityWebApi, whose AadIssuerValidator fills in {tenantid}), or list each tenant's issuer in ValidIssuers."
	}
	wantV1, wantV2 := false, false
	for _, cand := range candidates {
		if strings.Contains(cand, "sts.windows.net") {
			wantV1 = true
		} else {
			wantV2 = true
		}
	}
	switch {
	case tokenV1 && !wantV1:
		return "This is a v1.0 token (iss https://sts.windows.net/" + issTenant + "/) because the API's app registration has accessTokenAcceptedVersion null or 1, and the API accepts only v2.0 issuers. Set \"accessTokenAcceptedVersion\": 2 in the API's manifest (App registrations → the API → Manifest) and get a new token, or add https://sts.windows.net/" + issTenant + "/ to the API's valid issuers."
	case tokenV2 && !wantV2:
		return "This is a v2.0 token (iss …/v2.0) because the API's app registration has accessTokenAcceptedVersion 2, and the API accepts only v1.0 issuers (https://sts.windows.net/{tid}/). Set accessTokenAcceptedVersion to null or 1 in the API's manifest and get a new token, or configure the API with the v2.0 authority so it accepts " + iss + "."
	}
	if strings.EqualFold(tid, consumerTenant) {
		return "The token was issued to a personal Microsoft account (tenant " + tid + "); the API accepts only " + strings.Join(candidates, ", ") + ". Allow personal accounts (signInAudience AzureADandPersonalMicrosoftAccount, tenant common) or sign in with a work or school account."
	}
	return "The token was issued by tenant " + issTenant + ", which the API does not accept (" + strings.Join(candidates, ", ") + "). A single-tenant API: the client signed in to the wrong tenant; use the authority https://login.microsoftonline.com/<API tenant>. A multi-tenant API: add that tenant's issuer to the valid issuers once you trust it."
}
