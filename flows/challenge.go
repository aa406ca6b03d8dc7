package flows

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// Challenge is a parsed WWW-Authenticate header of a protected resource (RFC 6750 §3, RFC 9728, and Entra's
// claims challenge, reference EP §3.4 and entra-beyond-tokens §4.2).
type Challenge struct {
	Scheme           string // Bearer
	Realm            string
	Error            string // invalid_token, insufficient_claims, insufficient_scope, invalid_request
	ErrorDescription string
	Claims           string // the claims request, decoded from base64 (JSON), for insufficient_claims
	ClaimsEncoded    string // the claims parameter as sent
	AuthorizationURI string
	ClientID         string
	ResourceMetadata string // RFC 9728 protected resource metadata URL
	Scope            string
	Raw              string
}

// ParseChallenge reads the first challenge of a WWW-Authenticate header: a scheme and its auth-params,
// quoted or not. It is tolerant: unknown parameters are ignored, a broken one ends the parse.
func ParseChallenge(header string) (*Challenge, bool) {
	header = strings.TrimSpace(header)
	if header == "" {
		return nil, false
	}
	scheme, rest, _ := strings.Cut(header, " ")
	c := &Challenge{Scheme: scheme, Raw: header}
	for rest = strings.TrimSpace(rest); rest != ""; rest = strings.TrimLeft(strings.TrimSpace(rest), ", ") {
		name, after, ok := strings.Cut(rest, "=")
		if !ok {
			break
		}
		name = strings.ToLower(strings.TrimSpace(name))
		var value string
		if strings.HasPrefix(after, `"`) {
			end := closingQuote(after)
			if end < 0 {
				value, rest = after[1:], ""
			} else {
				value, rest = strings.ReplaceAll(after[1:end], `\"`, `"`), after[end+1:]
			}
		} else {
			value, rest, _ = strings.Cut(after, ",")
			value = strings.TrimSpace(value)
		}
		switch name {
		case "realm":
			c.Realm = value
		case "error":
			c.Error = value
		case "error_description":
			c.ErrorDescription = value
		case "claims":
			c.ClaimsEncoded = value
			c.Claims = decodeClaims(value)
		case "authorization_uri":
			c.AuthorizationURI = value
		case "client_id":
			c.ClientID = value
		case "resource_metadata":
			c.ResourceMetadata = value
		case "scope":
			c.Scope = value
		}
	}
	return c, true
}

// closingQuote finds the quote that ends a quoted-string starting at s[0].
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// decodeClaims decodes a claims parameter: base64 in any alphabet, padded or not; JSON passed as is.
func decodeClaims(v string) string {
	if strings.HasPrefix(strings.TrimSpace(v), "{") {
		return v
	}
	trimmed := strings.TrimRight(v, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(trimmed); err == nil && json.Valid(b) {
			return string(b)
		}
	}
	return ""
}

// Help says what the challenge means for the caller and what to do, in Entra terms.
func (c *Challenge) Help(status int) (what, fix string) {
	switch {
	case c == nil && status == 403:
		return "The API authenticated the token but refused the call: it lacks a scope or app role the API requires (403 has no WWW-Authenticate).",
			"Check the token's scp or roles against what the API requires (aadx decode TOKEN --api AUDIENCE --scope …); request the missing scope, or grant the app role and consent, then get a new token."
	case c == nil:
		return "The API refused the call without saying why (no WWW-Authenticate).", "Check the API's logs; decode the token with --api to see which rule it would fail."
	case c.Error == "insufficient_claims":
		what = "The API needs a token with more claims (continuous access evaluation: a revoked session, a changed location, or a Conditional Access authentication context)."
		if c.Claims != "" {
			what += " It asks for: " + c.Claims
		}
		return what, "Get a new token with this claims request (the claims parameter on /authorize, or on the token request for a silent refresh), then call the API again; MSAL: WithClaims / .claims(), azcore does it by itself. If a refresh fails with AADSTS50173 or interaction_required, the user must sign in again."
	case c.Error == "insufficient_scope":
		return "The token lacks the scope the API requires" + ifSet(" ("+c.Scope+")", c.Scope) + ".", "Request that scope (and have it consented), then call again."
	case c.Error == "invalid_token":
		return "The API rejected the token: " + orText(c.ErrorDescription, "no reason given (e.g. neither scp nor roles, IDW10201)") + ".", tokenFix(c.ErrorDescription)
	case c.Error == "":
		return "The API wants a bearer token: none was sent, or it could not be read.", "Send Authorization: Bearer <access token> for this API" + ifSet(" (its issuer: "+c.AuthorizationURI+")", c.AuthorizationURI) + "."
	}
	return "The API answered " + c.Error + ifSet(": "+c.ErrorDescription, c.ErrorDescription) + ".", ""
}

// tokenFix maps JwtBearer's error descriptions (reference §3.7) to what to change.
func tokenFix(desc string) string {
	switch {
	case strings.HasPrefix(desc, "The audience"):
		return "The token's audience is not the one the API validates (IDX10214). If the audience shown is the API's own client ID (a GUID, as in every v2.0 token), the API validates only its App ID URI (api://…): add the client ID to its valid audiences, or set accessTokenAcceptedVersion to match. Otherwise the token is for another resource: request this API's scope (api://<API>/<scope> or …/.default)."
	case strings.HasPrefix(desc, "The issuer"):
		return "The issuer is not one the API accepts (IDX40001/IDX10205): a v1.0 vs v2.0 mismatch (accessTokenAcceptedVersion in the API's manifest) or a tenant the API does not allow."
	case strings.HasPrefix(desc, "The token expired"):
		return "The token expired (IDX10223): get a new one; MSAL's silent call refreshes it."
	case strings.HasPrefix(desc, "The token is not valid before"):
		return "The token is not yet valid (IDX10222): the API's clock is behind; sync it with NTP."
	case strings.HasPrefix(desc, "The signature key was not found"):
		return "The token's kid is not in the API's keys (IDX10503): the keys rotated (refresh the API's metadata) or the token came from another authority."
	case strings.HasPrefix(desc, "The signature is invalid"):
		return "The signature does not verify (IDX10511): the token was altered, or it is a Graph token (nonce header) that only Graph can verify."
	}
	return "Decode the token with aadx decode TOKEN --api AUDIENCE to see which rule fails."
}

func ifSet(s, cond string) string {
	if cond == "" {
		return ""
	}
	return s
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// ClaimsChallenge returns the claims request an error asks the client to answer: an API's 401
// insufficient_claims, or the token endpoint's interaction_required with claims (MFA, Conditional Access).
func ClaimsChallenge(err error) (string, bool) {
	var apiErr *APIError
	if asAPIError(err, &apiErr) && apiErr.Challenge != nil && apiErr.Challenge.Error == "insufficient_claims" && apiErr.Challenge.Claims != "" {
		return apiErr.Challenge.Claims, true
	}
	var oe *OAuthError
	if asOAuthError(err, &oe) && oe.Claims != "" {
		return oe.Claims, true
	}
	return "", false
}
