package decode

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// ParseJWKS reads a JWK Set (RFC 7517 §5) or a single JWK. Keys that cannot be used are skipped, so one
// unknown key type does not hide the others; an error is returned only when no key is usable.
func ParseJWKS(data []byte) ([]jose.JSONWebKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
		Kty  string            `json:"kty"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("not a JWKS: %w", err)
	}
	raws := set.Keys
	if set.Kty != "" {
		raws = []json.RawMessage{data}
	}
	var keys []jose.JSONWebKey
	var problems []string
	for i, raw := range raws {
		key, err := parseJWK(raw)
		if err != nil {
			problems = append(problems, fmt.Sprintf("key %d: %v", i, err))
			continue
		}
		keys = append(keys, key)
	}
	if len(keys) == 0 {
		if len(problems) == 0 {
			return nil, errors.New("no keys: expected {\"keys\":[...]} or a single JWK")
		}
		return nil, errors.New("no usable keys (" + strings.Join(problems, "; ") + ")")
	}
	return keys, nil
}

// jwkIssuers reads the issuer each key of a JWKS names (an Entra extension to RFC 7517), by kid.
func jwkIssuers(data []byte) map[string]string {
	var set struct {
		Keys []struct {
			Kid    string `json:"kid"`
			Issuer string `json:"issuer"`
		} `json:"keys"`
	}
	if json.Unmarshal(data, &set) != nil {
		return nil
	}
	out := map[string]string{}
	for _, k := range set.Keys {
		if k.Kid != "" && k.Issuer != "" {
			out[k.Kid] = k.Issuer
		}
	}
	return out
}

// parseJWK reads one key; a key that carries only an x5c certificate gets its public key from it.
func parseJWK(raw json.RawMessage) (jose.JSONWebKey, error) {
	var key jose.JSONWebKey
	err := key.UnmarshalJSON(raw)
	if err == nil {
		return key, nil
	}
	var bare struct {
		Kid string   `json:"kid"`
		Alg string   `json:"alg"`
		Use string   `json:"use"`
		X5c []string `json:"x5c"`
	}
	if json.Unmarshal(raw, &bare) != nil || len(bare.X5c) == 0 {
		return key, err
	}
	der, derr := base64.StdEncoding.DecodeString(bare.X5c[0])
	if derr != nil {
		return key, err
	}
	cert, cerr := x509.ParseCertificate(der)
	if cerr != nil {
		return key, err
	}
	return jose.JSONWebKey{Key: cert.PublicKey, KeyID: bare.Kid, Algorithm: bare.Alg, Use: bare.Use, Certificates: []*x509.Certificate{cert}}, nil
}
