package emulator

import (
	"fmt"
	"net/url"
)

// Entra documents no per-parameter limits; over-long requests fail with AADSTS90015 "Requested query string is
// too long" (reported for state values near 1,800 characters). These caps are far above what MSAL sends
// (claims a few hundred bytes, state under 500) and keep one stored code, device code or session small: the
// emulator is reachable by any page the user opens while it runs.
var paramLimits = map[string]int{
	"claims":         8 << 10,
	"state":          4 << 10,
	"login_hint":     1 << 10,
	"domain_hint":    256,
	"nonce":          1 << 10,
	"scope":          4 << 10,
	"redirect_uri":   2 << 10,
	"code_challenge": 256, // 43–128 are valid; longer ones are refused by size below
	"client_id":      256,
	"client_info":    16,
	"prompt":         64,
	"response_type":  64,
	"response_mode":  64,
}

// checkParamLimits refuses the first parameter in v longer than its cap.
func checkParamLimits(v url.Values) *entraError {
	for name, max := range paramLimits {
		for _, val := range v[name] {
			if len(val) > max {
				return errParamTooLong(name, max)
			}
		}
	}
	return nil
}

func errParamTooLong(name string, max int) *entraError {
	return &entraError{Err: "invalid_request", Code: 90015, Message: fmt.Sprintf("Requested query string is too long. The parameter '%s' is longer than %d characters.", name, max)}
}

// Stored request data is counted against each store's byte cap.
func (c authCode) size() int {
	r := c.Req
	return len(r.TenantSeg) + len(r.RedirectURI) + len(r.State) + len(r.Nonce) + len(r.Prompt) + len(r.LoginHint) +
		len(r.Challenge) + len(r.Method) + len(r.Claims) + len(r.Mode) + r.Scopes.size()
}

func (g *deviceGrant) size() int {
	return len(g.ClientID) + len(g.UserCode) + len(g.Claims) + g.Scopes.size()
}

func (r scopeRequest) size() int {
	n := 0
	for _, list := range [][]string{r.OIDC, r.Names} {
		for _, s := range list {
			n += len(s) + 16
		}
	}
	return n
}

// errStoreFull: a store of pending items is full (a flood); new requests wait rather than evicting the
// codes of people in the middle of signing in.
func errStoreFull() *entraError {
	e := errThrottled()
	e.Header = e.Header.Clone()
	e.Header.Set("Retry-After", "60")
	return e
}
