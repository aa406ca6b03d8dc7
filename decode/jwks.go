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
	keys, _, err := parseKeySet(data)
	return keys, err
}

// parseKeySet reads the usable keys and, by kid, the issuer each key names (an Entra extension to RFC 7517,
// for the signing-key issuer check), in one pass over the document.
func parseKeySet(data []byte) ([]jose.JSONWebKey, map[string]string, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
		Kty  string            `json:"kty"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, nil, fmt.Errorf("not a JWKS: %w", err)
	}
	raws := set.Keys
	if set.Kty != "" {
		raws = []json.RawMessage{data}
	}
	var keys []jose.JSONWebKey
	issuers := map[string]string{}
	var problems []string
	for i, raw := range raws {
		key, err := parseJWK(raw)
		if err != nil {
			problems = append(problems, fmt.Sprintf("key %d: %v", i, err))
			continue
		}
		keys = append(keys, key)
		var named struct {
			Issuer string `json:"issuer"`
		}
		if json.Unmarshal(raw, &named) == nil && key.KeyID != "" && named.Issuer != "" {
			issuers[key.KeyID] = named.Issuer
		}
	}
	if len(keys) == 0 {
		if len(problems) == 0 {
			return nil, nil, errors.New("no keys: expected {\"keys\":[...]} or a single JWK")
		}
		return nil, nil, errors.New("no usable keys (" + strings.Join(problems, "; ") + ")")
	}
	return keys, issuers, nil
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
