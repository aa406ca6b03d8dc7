package decode

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// graphNonceFix explains why nobody but Graph can verify a token whose header carries a nonce.
const graphNonceFix = "The header carries a nonce: this is a Microsoft Graph (or other Microsoft first-party) token, signed over a transformed nonce, so no third-party API can verify it, by design. Your API must not accept Graph tokens: have the client request a token for your API's own scope (api://<your API>/<scope> or …/.default), not User.Read."

// signature finds the key by kid and checks the signature, as JsonWebTokenHandler does (reference §3.4).
func (c checker) signature(ctx context.Context) Check {
	t := c.t
	kid := t.KeyID()
	if c.api.Keys == nil {
		if t.Header.Has("nonce") {
			return invalidSignature("IDX10511", idx10511("(the authority's keys)", kid), graphNonceFix)
		}
		return skipped(RuleSignature, "not checked: give the API's signing keys (a JWKS, or discovery) to check it")
	}
	set, err := c.api.Keys.KeySet(ctx, t)
	if err != nil {
		return fail(RuleSignature, 401, "IDX20803", "IDX20803: Unable to obtain configuration from: '"+keyOrigin(err)+"'. ("+err.Error()+")",
			"The API cannot fetch its authority's metadata or keys: check the Authority/Instance and TenantId settings and that the API can reach the authority.")
	}
	if len(set.Keys) == 0 {
		return fail(RuleSignature, 401, "IDX10500", "IDX10500: Signature validation failed. No security keys were provided to validate the signature.",
			"The API has no signing keys: point it at its authority's metadata (…/v2.0/.well-known/openid-configuration) so it loads the JWKS.")
	}
	if !signatureAlgs[t.Alg()] {
		return invalidSignature("IDX10511", idx10511(keyNames(set.Keys), kid), "alg "+t.Alg()+" is not a signature algorithm; Entra signs with RS256.")
	}
	jws, err := jose.ParseSignedCompact(unpadded(t), []jose.SignatureAlgorithm{jose.SignatureAlgorithm(t.Alg())})
	if err != nil {
		return invalidSignature("IDX10511", idx10511(keyNames(set.Keys), kid), "The token cannot be parsed for verification: "+err.Error())
	}
	tried := set.Keys
	if kid != "" {
		tried = nil
		for _, key := range set.Keys {
			if key.KeyID == kid {
				tried = append(tried, key)
			}
		}
		if len(tried) == 0 {
			return fail(RuleSignature, 401, "IDX10503",
				fmt.Sprintf("IDX10503: Signature validation failed. The token's kid is: '%s', but did not match any keys in TokenValidationParameters or Configuration. Keys tried: '%s'. See https://aka.ms/IDX10503 for details.", kid, keyNames(set.Keys)),
				c.keyNotFoundFix(kid, set)).described("The signature key was not found")
		}
	}
	for _, key := range tried {
		if _, err := jws.Verify(key.Key); err == nil {
			if failed, ok := c.signingKeyIssuer(key, set); !ok {
				return failed
			}
			return pass(RuleSignature, fmt.Sprintf("%s signature checked with key %s from %s", t.Alg(), keyName(key), set.Origin))
		}
	}
	switch {
	case t.Header.Has("nonce"):
		return invalidSignature("IDX10511", idx10511(keyNames(tried), kid), graphNonceFix)
	case kid == "":
		return invalidSignature("IDX10517",
			fmt.Sprintf("IDX10517: Signature validation failed. The token's kid is missing. Keys tried: '%s'.", keyNames(tried)),
			"The token names no kid and no key of "+set.Origin+" verifies it: it was not signed by this authority. Entra tokens always carry a kid.")
	}
	return invalidSignature("IDX10511", idx10511(keyNames(tried), kid),
		"Key "+kid+" from "+set.Origin+" does not verify the signature: the token was altered, or its payload was edited (e.g. pasted through a tool that re-encodes it). Use the token exactly as Entra issued it.")
}

// signingKeyIssuer is Microsoft.Identity.Web's signing-key issuer check (EnableAadSigningKeyIssuerValidation,
// reference §3.4): a key whose JWK names an issuer may only sign tokens of that issuer, its {tenantid} filled in
// with the token's tid. It lets the token's own iss through, or any issuer the API accepts (so a v1 token passes
// under v2 metadata). Plain JwtBearer has no such check.
func (c checker) signingKeyIssuer(key jose.JSONWebKey, set KeySet) (Check, bool) {
	keyIss, ok := set.Issuers[key.KeyID]
	if c.api.Plain || !ok {
		return Check{}, true
	}
	iss, _ := c.t.Claims.String("iss")
	tid, _ := c.t.Claims.String("tid")
	if tid == "" { // the issuer rule already refuses a token without tid (IDX40003), before keys are checked
		return Check{}, true
	}
	keyIss = strings.ReplaceAll(keyIss, "{tenantid}", tid)
	if keyIss == iss {
		return Check{}, true
	}
	for _, accepted := range c.issuerCandidates(iss) {
		if keyIss == strings.ReplaceAll(accepted, "{tenantid}", tid) {
			return Check{}, true
		}
	}
	return fail(RuleSignature, 401, "IDX40005", fmt.Sprintf("IDX40005: Token issuer: '%s', does not match the signing key issuer: '%s'.", iss, keyIss),
		"Key "+key.KeyID+" belongs to issuer "+keyIss+", but the token names "+iss+": the token comes from another authority or cloud than the keys (e.g. a national-cloud or another tenant's token checked against these keys), or it reuses a kid it has no right to. Validate it against its own authority's metadata."), false
}

func invalidSignature(code, msg, fix string) Check {
	return fail(RuleSignature, 401, code, msg, fix).described("The signature is invalid")
}

func idx10511(keys, kid string) string {
	return fmt.Sprintf("IDX10511: Signature validation failed. Keys tried: '%s'. kid: '%s'. See https://aka.ms/IDX10511 for details.", keys, kid)
}

// keyNotFoundFix explains an unknown kid: a rotated key, another cloud or tenant, or a token not from Entra.
func (c checker) keyNotFoundFix(kid string, set KeySet) string {
	iss, _ := c.t.Claims.String("iss")
	return "No key with kid " + kid + " in " + set.Origin + ". Entra rotates its signing keys: refresh the API's cached metadata (JwtBearer refetches on this error when RefreshOnIssuerKeyNotFound is on). If it persists, the token was signed by another authority (" + iss + "), or the app has a custom signing key (claims mapping): then the API must load the keys with ?appid=<app id>."
}

func keyNames(keys []jose.JSONWebKey) string {
	names := make([]string, len(keys))
	for i, key := range keys {
		names[i] = keyName(key)
	}
	return strings.Join(names, ", ")
}

// keyOrigin pulls the URL out of a key-source error for the IDX20803 text.
func keyOrigin(err error) string {
	for _, word := range strings.Fields(err.Error()) {
		if strings.Contains(word, "://") {
			return strings.TrimRight(word, ":,.")
		}
	}
	return "(the authority)"
}
