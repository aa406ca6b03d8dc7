package decode

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// Status is the outcome of a signature check.
type Status string

// Signature statuses. Valid is only ever reported after a signature was checked against a key.
const (
	StatusUnverified   Status = "unverified"   // no check was asked for
	StatusValid        Status = "valid"        // the signature matches a key of the key set
	StatusInvalid      Status = "invalid"      // the signature does not match, or the token is unsigned
	StatusUnverifiable Status = "unverifiable" // no check was possible: no matching key, keys unreachable, JWE, ...
)

// Signature reports a signature check.
type Signature struct {
	Status Status
	KeyID  string // the key that verified the token, else the kid the token names
	Reason string
}

// signatureAlgs are the algorithms go-jose may check (RFC 7518 §3.1).
var signatureAlgs = map[string]bool{
	"RS256": true, "RS384": true, "RS512": true, "PS256": true, "PS384": true, "PS512": true,
	"ES256": true, "ES384": true, "ES512": true, "EdDSA": true, "HS256": true, "HS384": true, "HS512": true,
}

// Verify checks t's signature against the keys of keys. A nil keys reports StatusUnverified.
func Verify(ctx context.Context, t *Token, keys KeySource) Signature {
	kid := t.KeyID()
	alg := t.Alg()
	switch {
	case t.Encrypted:
		return Signature{StatusUnverifiable, kid, "the token is encrypted (JWE); only its recipient can decrypt and check it"}
	case strings.EqualFold(alg, "none"):
		return Signature{StatusInvalid, kid, "alg is none: the token carries no signature"}
	case keys == nil:
		return Signature{StatusUnverified, kid, "no keys given: pass a JWKS or ask for discovery to check the signature"}
	case !signatureAlgs[alg]:
		return Signature{StatusUnverifiable, kid, fmt.Sprintf("alg %q is not a JWS signature algorithm this tool can check", alg)}
	}
	set, err := keys.KeySet(ctx, t)
	if err != nil {
		return Signature{StatusUnverifiable, kid, err.Error()}
	}
	candidates := candidateKeys(set.Keys, t)
	if len(candidates) == 0 {
		return Signature{StatusUnverifiable, kid, noKeyReason(set, t)}
	}
	jws, err := jose.ParseSignedCompact(unpadded(t), []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
	if err != nil {
		return Signature{StatusUnverifiable, kid, "the token cannot be parsed for verification: " + err.Error()}
	}
	for _, key := range candidates {
		if _, err := jws.Verify(key.Key); err == nil {
			return Signature{StatusValid, key.KeyID, fmt.Sprintf("%s signature checked with key %s from %s", alg, keyName(key), set.Origin)}
		}
	}
	// A padded token is also checked over its bytes as given: its signer may have kept the padding.
	if t.Padded {
		for _, key := range candidates {
			if signedOverGivenBytes(key, alg, t) {
				return Signature{StatusValid, key.KeyID, fmt.Sprintf("%s signature checked with key %s from %s over the segments as given, '=' padding included; RFC 7515 §7.1 signs the unpadded form, so strict libraries will reject this token", alg, keyName(key), set.Origin)}
			}
		}
	}
	names := make([]string, len(candidates))
	for i, key := range candidates {
		names[i] = keyName(key)
	}
	if t.Header.Has("nonce") {
		return Signature{StatusUnverifiable, kid, "the header nonce marks a Microsoft Graph token, signed over a transformed nonce: only Graph can verify it"}
	}
	reason := fmt.Sprintf("the signature does not match key %s from %s: the token was altered or signed by someone else", strings.Join(names, ", "), set.Origin)
	if t.Padded {
		reason += "; the segments carry '=' padding, and it matches neither over the unpadded form (RFC 7515 §7.1) nor over the bytes as given"
	}
	return Signature{StatusInvalid, kid, reason}
}

// unpadded returns the compact form go-jose reads: RFC 7515 §2 base64url has no padding.
func unpadded(t *Token) string {
	if !t.Padded {
		return t.Raw
	}
	parts := strings.Split(t.Raw, ".")
	for i := range parts {
		parts[i] = strings.TrimRight(parts[i], "=")
	}
	return strings.Join(parts, ".")
}

// candidateKeys picks the keys that may have signed t: by kid, else by certificate thumbprint (x5t or
// x5t#S256), else every signing key (RFC 7515 §4.1.4: kid is only a hint).
func candidateKeys(keys []jose.JSONWebKey, t *Token) []jose.JSONWebKey {
	kid := t.KeyID()
	x5t, _ := t.Header.String("x5t")
	x5tS256, _ := t.Header.String("x5t#S256")
	alg := t.Alg()
	var out []jose.JSONWebKey
	for _, key := range keys {
		if key.Use == "enc" || (key.Algorithm != "" && key.Algorithm != alg) {
			continue
		}
		switch {
		case kid != "":
			if key.KeyID != kid {
				continue
			}
		case x5t != "":
			if key.KeyID != x5t && !thumbprintMatches(key, x5t, false) {
				continue
			}
		case x5tS256 != "":
			if !thumbprintMatches(key, x5tS256, true) {
				continue
			}
		}
		out = append(out, key)
	}
	return out
}

// thumbprintMatches compares a certificate thumbprint header with the key's certificate. MSAL clients
// write thumbprints in standard base64 with padding, so both alphabets are accepted.
func thumbprintMatches(key jose.JSONWebKey, thumbprint string, sha256Sum bool) bool {
	if len(key.Certificates) == 0 {
		return false
	}
	var sum []byte
	if sha256Sum {
		s := sha256.Sum256(key.Certificates[0].Raw)
		sum = s[:]
	} else {
		s := sha1.Sum(key.Certificates[0].Raw)
		sum = s[:]
	}
	normalized := strings.NewReplacer("+", "-", "/", "_", "=", "").Replace(thumbprint)
	return base64.RawURLEncoding.EncodeToString(sum) == normalized
}

func noKeyReason(set KeySet, t *Token) string {
	var kids []string
	for _, key := range set.Keys {
		kids = append(kids, keyName(key))
	}
	if kid := t.KeyID(); kid != "" {
		return fmt.Sprintf("no key with kid %s among the %d key(s) from %s (%s): the signing key may have been rotated, so fetch the issuer's current keys", kid, len(set.Keys), set.Origin, strings.Join(kids, ", "))
	}
	for _, param := range []string{"x5t", "x5t#S256"} {
		if v, ok := t.Header.String(param); ok {
			return fmt.Sprintf("none of the %d key(s) from %s has a certificate with %s %s", len(set.Keys), set.Origin, param, v)
		}
	}
	return fmt.Sprintf("none of the %d key(s) from %s can check an %s signature", len(set.Keys), set.Origin, t.Alg())
}

func keyName(key jose.JSONWebKey) string {
	if key.KeyID != "" {
		return key.KeyID
	}
	return "(no kid)"
}
