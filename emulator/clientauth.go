package emulator

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

const assertionTypeJWT = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionSkew is the clock skew tolerated on client assertion nbf/exp.
const assertionSkew = 5 * time.Minute

// authenticatedClient is a client after authentication, with Entra's azpacr value.
type authenticatedClient struct {
	app *app
	acr string // "0" public, "1" secret, "2" certificate
}

// authenticateClient identifies and authenticates the caller of /token: client_secret in the body or HTTP
// Basic (RFC 6749 §2.3.1), or a private_key_jwt assertion (RFC 7523 §3); public clients must send neither.
func (s *Server) authenticateClient(r *http.Request, form url.Values, tenantKind tenantKind) (authenticatedClient, *entraError) {
	clientID := form.Get("client_id")
	basicID, basicSecret, hasBasic := r.BasicAuth()
	if hasBasic {
		basicID, _ = url.QueryUnescape(basicID)
		basicSecret, _ = url.QueryUnescape(basicSecret)
		if clientID == "" {
			clientID = basicID
		}
	}
	if clientID == "" {
		return authenticatedClient{}, errMissingParam("client_id")
	}
	a := s.tenant.appByID(clientID)
	if a == nil {
		return authenticatedClient{}, errUnknownClient(clientID)
	}
	if s.scenarios.on(scenarioAppDisabled) {
		return authenticatedClient{}, errAppDisabled(a)
	}
	if tenantKind == tenantConsumers {
		return authenticatedClient{}, errConsumersNotAllowed(a)
	}
	secret := form.Get("client_secret")
	if secret == "" && hasBasic {
		secret = basicSecret
	}
	assertion := form.Get("client_assertion")
	if a.Public {
		if secret != "" || assertion != "" {
			return authenticatedClient{}, errPublicWithCredential()
		}
		return authenticatedClient{app: a, acr: "0"}, nil
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		return authenticatedClient{}, errOriginNotSPA(origin) // client credentials are refused cross-origin [§2.3]
	}
	switch {
	case assertion != "":
		if t := form.Get("client_assertion_type"); t != assertionTypeJWT {
			return authenticatedClient{}, &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 7000219,
				Message: "'client_assertion_type' must be '" + assertionTypeJWT + "'."}
		}
		if e := s.checkAssertion(a, assertion, r.PathValue("tenant")); e != nil {
			return authenticatedClient{}, e
		}
		return authenticatedClient{app: a, acr: "2"}, nil
	case secret != "":
		if s.scenarios.on(scenarioSecretExpired) {
			return authenticatedClient{}, errSecretExpired(a.ClientID)
		}
		if subtle.ConstantTimeCompare([]byte(secret), []byte(a.Secret)) != 1 {
			return authenticatedClient{}, errBadSecret(a.ClientID)
		}
		return authenticatedClient{app: a, acr: "1"}, nil
	}
	return authenticatedClient{}, errCredentialRequired()
}

// assertionClaims are the claims Entra checks in a client assertion [§2.6]; times are NumericDates.
type assertionClaims struct {
	Aud audience `json:"aud"`
	Iss string   `json:"iss"`
	Sub string   `json:"sub"`
	Jti string   `json:"jti"`
	Nbf *numericDate
	Exp *numericDate
}

// audience accepts aud as a string or an array (RFC 7519 §4.1.3).
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	err := json.Unmarshal(b, &many)
	*a = many
	return err
}

// checkAssertion validates a private_key_jwt client assertion against the app's registered certificate.
func (s *Server) checkAssertion(a *app, raw, tenantSeg string) *entraError {
	if fics := s.federatedCredentialsOf(a); len(fics) > 0 {
		return s.checkFederatedAssertion(fics, raw) // workload identity federation: an external token
	}
	if a.ClientID != daemonClientID {
		return errAssertionSignature("No certificate is registered for the application '" + a.ClientID + "'.")
	}
	cred, err := s.daemon.wait()
	if err != nil {
		return errServer(err)
	}
	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.RS256, jose.PS256})
	if err != nil || len(jws.Signatures) != 1 {
		return errAssertionInvalid("The client assertion is not a compact JWS signed with RS256 or PS256.")
	}
	h := jws.Signatures[0].Header
	if !thumbprintMatches(h.ExtraHeaders["x5t"], cred.x5t) && !thumbprintMatches(h.ExtraHeaders["x5t#S256"], cred.x5t256) {
		return errAssertionSignature("The key used (x5t or x5t#S256 in the header) does not match a certificate registered for the application '" + a.ClientID + "'.")
	}
	payload, err := jws.Verify(&cred.key.PublicKey)
	if err != nil {
		return errAssertionSignature("The signature does not verify with the registered certificate '" + cred.x5t + "'.")
	}
	var c assertionClaims
	if err := decodeClaims(payload, map[string]any{"aud": &c.Aud, "iss": &c.Iss, "sub": &c.Sub, "jti": &c.Jti,
		"nbf": &c.Nbf, "exp": &c.Exp}); err != nil {
		return errAssertionInvalid("In the client assertion, " + err.Error() + ".")
	}
	if c.Sub != c.Iss {
		return errAssertionSubject()
	}
	if c.Iss != a.ClientID {
		return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 700021,
			Message: "Client assertion application identifier doesn't match 'client_id' parameter."}
	}
	if want, ok := s.assertionAudienceOK(c.Aud, tenantSeg); !ok {
		return errAssertionAudience(strings.Join(c.Aud, " "), want)
	}
	now := s.now()
	if c.Exp == nil {
		return errAssertionInvalid("The client assertion has no exp claim.")
	}
	exp, nbf := c.Exp.Time, time.Unix(0, 0)
	if c.Nbf != nil {
		nbf = c.Nbf.Time
	}
	if now.Add(assertionSkew).Before(nbf) || !now.Add(-assertionSkew).Before(exp) {
		return errAssertionTime(now, nbf, exp)
	}
	if c.Jti == "" {
		return errAssertionInvalid("The client assertion has no jti claim.")
	}
	if _, used := s.jtis.get(c.Jti); used {
		return errAssertionReplayed()
	}
	s.jtis.put(c.Jti, struct{}{}, exp.Sub(now)+assertionSkew)
	return nil
}

// assertionAudienceOK: aud must be this token endpoint, for the tenant's GUID, its domain or the segment used.
func (s *Server) assertionAudienceOK(aud audience, tenantSeg string) (string, bool) {
	want := s.url + "/" + s.tenant.ID + "/oauth2/v2.0/token"
	for _, a := range aud {
		for _, seg := range []string{s.tenant.ID, s.tenant.Domain, tenantSeg} {
			if strings.EqualFold(strings.TrimSuffix(a, "/"), s.url+"/"+seg+"/oauth2/v2.0/token") ||
				strings.EqualFold(strings.TrimSuffix(a, "/"), s.url+"/"+seg+"/oauth2/token") {
				return want, true
			}
		}
	}
	return want, false
}

// thumbprintMatches compares a header thumbprint in any base64 variant (std or url, padded or not: MSAL Go
// sends standard padded base64 [§2.6]) with the expected base64url value.
func thumbprintMatches(header any, want string) bool {
	got, ok := header.(string)
	if !ok || got == "" {
		return false
	}
	got = strings.TrimRight(strings.NewReplacer("+", "-", "/", "_").Replace(got), "=")
	wantBytes, err1 := base64.RawURLEncoding.DecodeString(want)
	gotBytes, err2 := base64.RawURLEncoding.DecodeString(got)
	return err1 == nil && err2 == nil && subtle.ConstantTimeCompare(wantBytes, gotBytes) == 1
}
