package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// The emulator's resources (the demo API and the Graph-shaped /v1.0) check bearer tokens the way real ones
// do: ASP.NET Core JwtBearer with Microsoft.Identity.Web for the demo API, Graph's own front door for /v1.0
// (reference entra-beyond-tokens §3, §4). The checks are the emulator's own code, so that a resource never
// trusts the client library under test.

// resourceClockSkew is IdentityModel's default ClockSkew.
const resourceClockSkew = 5 * time.Minute

// bearer is a token that passed signature, lifetime, audience and issuer checks.
type bearer struct {
	claims map[string]any
	iat    int64
}

// bearerFailure is why a token was refused: the rule and JwtBearer's error_description.
type bearerFailure struct {
	rule string // "missing", "signature", "lifetime", "audience", "issuer", "scp-or-roles"
	desc string // JwtBearer's error_description ("" for none)
}

// audienceRule and issuerRule say what a resource accepts.
type resourceRules struct {
	audiences []string
	issuers   func(tid string) []string
}

// readBearer takes the token from the Authorization header and checks it in IdentityModel's order:
// signature (an unknown kid reports lifetime, issuer or audience first), lifetime, audience, issuer.
func (s *Server) readBearer(r *http.Request, rules resourceRules) (bearer, *bearerFailure) {
	scheme, raw, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	raw = strings.TrimSpace(raw)
	if !strings.EqualFold(scheme, "Bearer") || raw == "" {
		return bearer{}, &bearerFailure{rule: "missing"}
	}
	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(jws.Signatures) != 1 {
		return bearer{}, &bearerFailure{rule: "signature", desc: "The signature is invalid"}
	}
	payload := jws.UnsafePayloadWithoutVerification()
	var claims map[string]any
	if json.Unmarshal(payload, &claims) != nil {
		return bearer{}, &bearerFailure{rule: "signature", desc: "The signature is invalid"}
	}
	b := bearer{claims: claims, iat: int64(number(claims["iat"]))}
	kid := jws.Signatures[0].Header.KeyID
	key := s.resourceKey(kid)
	if key != nil {
		if _, err := jws.Verify(&key.key.PublicKey); err != nil {
			return bearer{}, &bearerFailure{rule: "signature", desc: "The signature is invalid"}
		}
	}
	checks := []func() *bearerFailure{
		func() *bearerFailure { return lifetimeFailure(claims, s.now()) },
		func() *bearerFailure { return audienceFailure(claims, rules.audiences) },
		func() *bearerFailure { return issuerFailure(claims, rules.issuers) },
	}
	if key == nil {
		// ValidateAfterSignatureFailed: lifetime, then issuer, then audience, then the missing key.
		checks[1], checks[2] = checks[2], checks[1]
		for _, check := range checks {
			if f := check(); f != nil {
				return bearer{}, f
			}
		}
		return bearer{}, &bearerFailure{rule: "signature", desc: "The signature key was not found"}
	}
	for _, check := range checks {
		if f := check(); f != nil {
			return bearer{}, f
		}
	}
	return b, nil
}

// resourceKey finds the signing key by kid among the keys the emulator publishes: a resource refreshes
// its metadata, so the rotated key counts once it exists.
func (s *Server) resourceKey(kid string) *signingKey {
	if k, err := s.signing.wait(); err == nil && k.x5t == kid {
		return k
	}
	if s.rotated.started() {
		if k, err := s.rotated.wait(); err == nil && k.x5t == kid {
			return k
		}
	}
	return nil
}

func lifetimeFailure(c map[string]any, now time.Time) *bearerFailure {
	exp, hasExp := c["exp"]
	if !hasExp {
		return &bearerFailure{rule: "lifetime", desc: "The token has no expiration"}
	}
	if nbf, ok := c["nbf"]; ok && time.Unix(int64(number(nbf)), 0).After(now.Add(resourceClockSkew)) {
		return &bearerFailure{rule: "lifetime", desc: "The token is not valid before '" + dotnet(int64(number(nbf))) + "'"}
	}
	if time.Unix(int64(number(exp)), 0).Before(now.Add(-resourceClockSkew)) {
		return &bearerFailure{rule: "lifetime", desc: "The token expired at '" + dotnet(int64(number(exp))) + "'"}
	}
	return nil
}

func audienceFailure(c map[string]any, valid []string) *bearerFailure {
	auds := stringsOf(c["aud"])
	for _, a := range auds {
		if slices.Contains(valid, strings.TrimSuffix(a, "/")) || slices.Contains(valid, a) {
			return nil
		}
	}
	return &bearerFailure{rule: "audience", desc: "The audience '" + strings.Join(auds, ", ") + "' is invalid"}
}

// issuerFailure applies AadIssuerValidator: the candidates for the token's tid, compared exactly. Its
// exception names no issuer, so JwtBearer renders '(null)'.
func issuerFailure(c map[string]any, issuers func(tid string) []string) *bearerFailure {
	tid, _ := c["tid"].(string)
	iss, _ := c["iss"].(string)
	if tid != "" && slices.Contains(issuers(tid), iss) {
		return nil
	}
	return &bearerFailure{rule: "issuer", desc: "The issuer '(null)' is invalid"}
}

// jwtBearerChallenge is the WWW-Authenticate of an ASP.NET Core API for a failure (reference §3.7).
func jwtBearerChallenge(f *bearerFailure) string {
	switch {
	case f.rule == "missing":
		return "Bearer"
	case f.desc == "":
		return `Bearer error="invalid_token"`
	}
	return `Bearer error="invalid_token", error_description="` + f.desc + `"`
}

func dotnet(unix int64) string { return time.Unix(unix, 0).UTC().Format("01/02/2006 15:04:05") }

func number(v any) float64 {
	f, _ := v.(float64)
	return f
}

// stringsOf reads a claim that is a string or an array of strings (aud, roles).
func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
