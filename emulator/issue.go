package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// grant is everything a token is issued from: who (user, or nil for app-only), which client and how it
// authenticated, for which resource with which permissions.
type grant struct {
	TenantID string
	User     *user
	Client   *app
	AzpACR   string // client authentication: "0" public, "1" secret, "2" certificate [ATC]
	Resource *resource
	Scopes   []string // delegated permission names
	Roles    []string // application permissions
	OIDC     []string // openid, profile, email, offline_access as requested
	Default  bool     // the request asked for {resource}/.default, which the response echoes [§7]
	Bare     bool     // answer Graph scope names without the resource URI, as they were asked
	Nonce    string
	AuthTime time.Time
	MFA      bool // the sign-in satisfied multi-factor authentication
	// SPAIssued is when a SPA's refresh token chain began (zero on the first sign-in).
	SPAIssued time.Time
	Claims    string // the claims request of the authorize or token request (e.g. a CAE challenge answered)
}

// tokenResponse is the token endpoint's success body, fields in Entra's order [§2.9].
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	ExtExpiresIn int    `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	ClientInfo   string `json:"client_info,omitempty"`
}

// clockSkew is how far ahead the clock-skew scenario dates tokens.
const clockSkew = 10 * time.Minute

// tokenTime is "now" for token timestamps, shifted by the clock-skew scenario.
func (s *Server) tokenTime() time.Time {
	now := s.now()
	if s.scenarios.on(scenarioClockSkew) {
		now = now.Add(clockSkew)
	}
	return now
}

// currentSigner is the key tokens are signed with: the rotated-in key under the key-rotated scenario.
func (s *Server) currentSigner() (*signingKey, error) {
	if s.scenarios.on(scenarioKeyRotated) {
		return s.rotated.wait()
	}
	return s.signing.wait()
}

// respond issues the access token (and id_token, refresh token, client_info as the request asked).
func (s *Server) respond(g grant, wantClientInfo bool, spa bool) (tokenResponse, error) {
	at, err := s.accessToken(g)
	if err != nil {
		return tokenResponse{}, err
	}
	resp := tokenResponse{TokenType: "Bearer", ExpiresIn: int(accessTokenLifetime / time.Second),
		ExtExpiresIn: int(accessTokenLifetime / time.Second), AccessToken: at}
	if g.User == nil {
		return resp, nil
	}
	granted := qualified(g.Resource, g.Scopes)
	if g.Bare {
		granted = g.Scopes
	}
	if g.Default {
		granted = append(granted, g.Resource.URI+"/.default")
	}
	resp.Scope = strings.Join(append(granted, g.OIDC...), " ")
	if has(g.OIDC, "openid") {
		if resp.IDToken, err = s.idToken(g); err != nil {
			return tokenResponse{}, err
		}
	}
	if has(g.OIDC, "offline_access") {
		resp.RefreshToken = s.newRefreshToken(g, spa)
	}
	if wantClientInfo {
		resp.ClientInfo = clientInfo(g.User.OID, g.TenantID)
	}
	return resp, nil
}

func (s *Server) accessToken(g grant) (string, error) {
	now := caeIssueTime(g.Claims, s.tokenTime())
	c := map[string]any{
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(accessTokenLifetime).Unix(),
		"tid": g.TenantID, "uti": randomID(16), "rh": "0.aadx-emulator", "aio": randomID(24),
	}
	v1 := g.Resource.TokenV1
	if v1 {
		c["aud"], c["iss"], c["ver"] = g.Resource.URI, "https://sts.windows.net/"+g.TenantID+"/", "1.0"
		c["appid"], c["appidacr"] = g.Client.ClientID, g.AzpACR
	} else {
		c["aud"], c["iss"], c["ver"] = g.Resource.AppID, s.issuerV2(g.TenantID), "2.0"
		c["azp"], c["azpacr"] = g.Client.ClientID, g.AzpACR
	}
	if g.User == nil {
		spOID := servicePrincipalID(g.Client.ClientID)
		c["oid"], c["sub"], c["idtyp"] = spOID, spOID, "app"
		if len(g.Roles) > 0 {
			c["roles"] = g.Roles
		}
	} else {
		u := g.User
		c["oid"], c["sub"], c["name"] = u.OID, pairwiseSub(u.OID, g.Client.ClientID), u.Name
		c["scp"] = strings.Join(g.Scopes, " ")
		if v1 {
			c["upn"], c["unique_name"], c["amr"] = u.Username, u.Username, amr(g.MFA)
		} else {
			c["preferred_username"] = u.Username
		}
		if g.Resource.GroupClaims {
			s.addGroups(c, u, g.TenantID)
		}
	}
	key, err := s.currentSigner()
	if err != nil {
		return "", err
	}
	if v1 {
		return signClaims(key.signerV1, c)
	}
	return signClaims(key.signer, c)
}

// addGroups puts the user's groups in the token, or the overage indirection when there are too many [ATC].
func (s *Server) addGroups(c map[string]any, u *user, tid string) {
	if len(u.Groups) <= groupClaimLimit && !s.scenarios.on(scenarioGroupOverage) {
		c["groups"] = u.Groups
		return
	}
	c["_claim_names"] = map[string]string{"groups": "src1"}
	c["_claim_sources"] = map[string]any{"src1": map[string]string{
		"endpoint": "https://graph.windows.net/" + tid + "/users/" + u.OID + "/getMemberObjects"}}
}

func (s *Server) idToken(g grant) (string, error) {
	now := s.tokenTime()
	u := g.User
	c := map[string]any{
		"aud": g.Client.ClientID, "iss": s.issuerV2(g.TenantID), "iat": now.Unix(), "nbf": now.Unix(),
		"exp": now.Add(idTokenLifetime).Unix(), "sub": pairwiseSub(u.OID, g.Client.ClientID), "tid": g.TenantID,
		"oid": u.OID, "ver": "2.0", "uti": randomID(16), "rh": "0.aadx-emulator", "aio": randomID(24),
		"auth_time": g.AuthTime.Unix(),
	}
	if has(g.OIDC, "profile") {
		c["name"], c["preferred_username"] = u.Name, u.Username
	}
	if has(g.OIDC, "email") {
		c["email"] = u.Username
	}
	if g.Nonce != "" {
		c["nonce"] = g.Nonce
	}
	key, err := s.currentSigner()
	if err != nil {
		return "", err
	}
	return signClaims(key.signer, c)
}

func signClaims(signer jose.Signer, c map[string]any) (string, error) {
	payload, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("encode claims: %w", err)
	}
	var jws *jose.JSONWebSignature
	signers().do(func() { jws, err = signer.Sign(payload) })
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return jws.CompactSerialize()
}

func amr(mfa bool) []string {
	if mfa {
		return []string{"pwd", "mfa"}
	}
	return []string{"pwd"}
}

// pairwiseSub is the subject for (user, app): stable, different per app [ATC].
func pairwiseSub(oid, clientID string) string {
	sum := sha256.Sum256([]byte(oid + "|" + clientID))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:43]
}

// servicePrincipalID is the app's service principal object id in the demo tenant, derived from its client id.
func servicePrincipalID(clientID string) string {
	sum := sha256.Sum256([]byte("sp|" + clientID))
	b := sum[:16]
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// clientInfo is base64url JSON {"uid","utid"} without padding, MSAL's home account id [§7].
func clientInfo(oid, tid string) string {
	b, _ := json.Marshal(map[string]string{"uid": oid, "utid": tid})
	return base64.RawURLEncoding.EncodeToString(b)
}

// randomID is an opaque random string of n bytes (codes, refresh tokens, token ids).
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
