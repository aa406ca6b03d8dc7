package emulator

import (
	"encoding/json"
	"slices"
	"strings"
)

// mfaPolicyID is the conditional access policy the MFA challenge names (capolids in mfaClaimsChallenge).
const mfaPolicyID = "5a3e9c1b-7d24-4f86-b0e1-9c2d7a4f3e58"

// mfaAuthContexts are the authentication context class references that a step-up to MFA satisfies: a
// protected resource may challenge with acrs instead of capolids [EP §3.4].
var mfaAuthContexts = []string{"c1"}

// claimsAnswerMFA reports whether an authorize request's claims parameter answers the MFA challenge: it asks
// access_token capolids naming the policy, or acrs naming an authentication context MFA satisfies. Anything
// else (MSAL JS's id_token members, client capabilities alone, another policy) leaves MFA unanswered.
func claimsAnswerMFA(claims string) bool {
	if claims == "" {
		return false
	}
	var req map[string]map[string]json.RawMessage
	if json.Unmarshal([]byte(claims), &req) != nil {
		return false
	}
	at := req["access_token"]
	if slices.Contains(claimValues(at["capolids"]), mfaPolicyID) {
		return true
	}
	return slices.ContainsFunc(claimValues(at["acrs"]), func(v string) bool {
		return slices.Contains(mfaAuthContexts, strings.ToLower(v))
	})
}

// claimValues reads an OIDC individual claim request ({"essential":…, "value":…} or {"values":[…]}).
func claimValues(raw json.RawMessage) []string {
	var c struct {
		Value  *string  `json:"value"`
		Values []string `json:"values"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &c) != nil {
		return nil
	}
	if c.Value != nil {
		return append(c.Values, *c.Value)
	}
	return c.Values
}
