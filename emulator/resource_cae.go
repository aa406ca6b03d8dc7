package emulator

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Continuous access evaluation (reference §4.2-4.3, EP §3.4). Under the cae-challenge and session-revoked
// scenarios a critical event (a revoked session, a changed location) happens for a user just after the first
// token a resource sees: the resource answers 401 insufficient_claims with a claims request for a token
// newer than the event ({"access_token":{"nbf":{"essential":true,"value":"<event>"}}}). A token request that
// carries that claims request gets a token issued after the event, which the resource accepts. Under
// session-revoked the old refresh tokens die too (AADSTS50173): only a fresh sign-in gets the new token.

// maxRevocations bounds the users with a recorded event.
const maxRevocations = 10_000

// revocations records, per user object id, when the critical event happened.
type revocations struct {
	mu sync.Mutex
	at map[string]time.Time
}

// eventFor returns the user's event time, recording now for a user seen for the first time.
func (rv *revocations) eventFor(oid string, now time.Time) time.Time {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	if rv.at == nil || len(rv.at) >= maxRevocations {
		rv.at = make(map[string]time.Time)
	}
	at, ok := rv.at[oid]
	if !ok {
		at = now
		rv.at[oid] = at
	}
	return at
}

// revokedAt returns the user's event time, if one was recorded.
func (rv *revocations) revokedAt(oid string) (time.Time, bool) {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	at, ok := rv.at[oid]
	return at, ok
}

func (rv *revocations) reset() {
	rv.mu.Lock()
	rv.at = nil
	rv.mu.Unlock()
}

// caeOn reports whether a scenario makes resources evaluate access continuously.
func (s *Server) caeOn() bool {
	return s.scenarios.on(scenarioCAEChallenge) || s.scenarios.on(scenarioSessionRevoked)
}

// caeChallenge returns the claims request a resource answers with, or "" when the token is newer than the
// user's event. App-only tokens are not evaluated: CAE events are about users.
func (s *Server) caeChallenge(b bearer) string {
	if !s.caeOn() || b.claims["idtyp"] == "app" || b.claims["scp"] == nil {
		return ""
	}
	oid, _ := b.claims["oid"].(string)
	event := s.revocations.eventFor(oid, s.now())
	if b.iat > event.Unix() {
		return ""
	}
	return caeClaims(event.Unix())
}

// caeClaims is the base64 claims value of the challenge. azcore decodes it as base64url without padding, so
// the JSON is spaced until its standard base64 has no '+' or '/' (reference §4.3); Graph pads it.
func caeClaims(event int64) string {
	value := strconv.FormatInt(event, 10)
	for spaces := 0; spaces < 8; spaces++ {
		pad := strings.Repeat(" ", spaces)
		js := `{"access_token":{"nbf":{"essential":true,` + pad + ` "value":"` + value + `"}}}`
		enc := base64.StdEncoding.EncodeToString([]byte(js))
		if !strings.ContainsAny(enc, "+/") {
			return enc
		}
	}
	return base64.StdEncoding.EncodeToString([]byte(`{"access_token":{"nbf":{"essential":true, "value":"` + value + `"}}}`))
}

// caeIssueTime is when a token is dated: a token requested with an nbf claims request is dated after the
// event it names, as Entra issues a token newer than the revocation.
func caeIssueTime(claimsRequest string, now time.Time) time.Time {
	if claimsRequest == "" {
		return now
	}
	var req struct {
		AccessToken struct {
			Nbf struct {
				Value string `json:"value"`
			} `json:"nbf"`
		} `json:"access_token"`
	}
	if json.Unmarshal([]byte(claimsRequest), &req) != nil {
		return now
	}
	event, err := strconv.ParseInt(req.AccessToken.Nbf.Value, 10, 64)
	if err != nil || event < now.Unix() {
		return now
	}
	return time.Unix(event+1, 0)
}

// sessionRevoked refuses a refresh token from a sign-in before the user's event (session-revoked).
func (s *Server) sessionRevoked(g grant, req tokenRequest) *entraError {
	if !s.scenarios.on(scenarioSessionRevoked) || g.User == nil || req.form.Get("grant_type") != grantRefreshToken {
		return nil
	}
	at, ok := s.revocations.revokedAt(g.User.OID)
	if !ok || g.AuthTime.After(at) {
		return nil
	}
	return &entraError{Err: "invalid_grant", Code: 50173, Suberror: "bad_token",
		Message: fmt.Sprintf("The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '%s' and the TokensValidFrom date (before which tokens are not valid) for this user is '%s'.",
			g.AuthTime.UTC().Format("2006-01-02T15:04:05.0000000Z"), at.UTC().Format("2006-01-02T15:04:05.0000000Z"))}
}
