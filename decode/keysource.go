package decode

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// Fetcher gets the body of an https (or loopback http) URL. The caller supplies it and owns its timeout,
// size limit and TLS settings: this package opens no connections of its own.
type Fetcher func(ctx context.Context, url string) ([]byte, error)

// KeySet is a set of public keys and where they came from.
type KeySet struct {
	Keys   []jose.JSONWebKey
	Origin string // a file name or URL, for messages
}

// KeySource finds the keys that may have signed a token.
type KeySource interface {
	KeySet(ctx context.Context, t *Token) (KeySet, error)
}

type staticKeys KeySet

func (s staticKeys) KeySet(context.Context, *Token) (KeySet, error) { return KeySet(s), nil }

// StaticJWKS parses a JWKS document (or a single JWK) held in memory; origin names it in messages.
func StaticJWKS(data []byte, origin string) (KeySource, error) {
	keys, err := ParseJWKS(data)
	if err != nil {
		return nil, err
	}
	return staticKeys{Keys: keys, Origin: origin}, nil
}

type remoteKeys struct {
	url   string
	fetch Fetcher
}

// RemoteJWKS fetches a JWKS from url through fetch when a token is verified.
func RemoteJWKS(url string, fetch Fetcher) KeySource { return remoteKeys{url: url, fetch: fetch} }

func (r remoteKeys) KeySet(ctx context.Context, _ *Token) (KeySet, error) {
	return fetchJWKS(ctx, r.fetch, r.url)
}

type discoveredKeys struct{ fetch Fetcher }

// DiscoveredJWKS finds the keys through the token's own issuer: {iss}/.well-known/openid-configuration,
// then its jwks_uri (OpenID Connect Discovery 1.0 §4). A valid signature then proves that the issuer named
// in the token signed it: whether that issuer is one you trust is for you to judge.
func DiscoveredJWKS(fetch Fetcher) KeySource { return discoveredKeys{fetch: fetch} }

func (d discoveredKeys) KeySet(ctx context.Context, t *Token) (KeySet, error) {
	iss, _ := t.Claims.String("iss")
	if iss == "" {
		return KeySet{}, errors.New("the token has no iss claim to discover keys from; pass a JWKS instead")
	}
	if err := CheckFetchURL(iss); err != nil {
		return KeySet{}, fmt.Errorf("the issuer %s %w", iss, err)
	}
	configURL := strings.TrimSuffix(iss, "/") + "/.well-known/openid-configuration"
	body, err := d.fetch(ctx, configURL)
	if err != nil {
		return KeySet{}, fmt.Errorf("discovery from %s failed: %w", configURL, err)
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return KeySet{}, fmt.Errorf("discovery document %s is not JSON: %w", configURL, err)
	}
	// OIDC Discovery §4.3: the document's issuer must be the token's. Entra's tenant-independent documents
	// carry the template https://login.microsoftonline.com/{tenantid}/v2.0, filled in with tid.
	tid, _ := t.Claims.String("tid")
	if doc.Issuer != iss && strings.Replace(doc.Issuer, "{tenantid}", tid, 1) != iss {
		return KeySet{}, fmt.Errorf("discovery document %s names issuer %q, not the token's %q", configURL, doc.Issuer, iss)
	}
	if doc.JWKSURI == "" {
		return KeySet{}, fmt.Errorf("discovery document %s has no jwks_uri", configURL)
	}
	if err := CheckFetchURL(doc.JWKSURI); err != nil {
		return KeySet{}, fmt.Errorf("the jwks_uri %s %w", doc.JWKSURI, err)
	}
	return fetchJWKS(ctx, d.fetch, doc.JWKSURI)
}

func fetchJWKS(ctx context.Context, fetch Fetcher, u string) (KeySet, error) {
	if err := CheckFetchURL(u); err != nil {
		return KeySet{}, fmt.Errorf("the JWKS URL %s %w", u, err)
	}
	body, err := fetch(ctx, u)
	if err != nil {
		return KeySet{}, fmt.Errorf("fetching the JWKS from %s failed: %w", u, err)
	}
	keys, err := ParseJWKS(body)
	if err != nil {
		return KeySet{}, fmt.Errorf("JWKS from %s: %w", u, err)
	}
	return KeySet{Keys: keys, Origin: u}, nil
}

// checkFetchURL allows https, and plain http only to a loopback host (the emulator): keys fetched over
// plain http could be swapped by anyone on the path (DESIGN.md §6).
func CheckFetchURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New("is not an absolute URL")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return errors.New("uses plain http, which is allowed only for loopback hosts; use https")
	}
	return fmt.Errorf("uses scheme %q; use https", u.Scheme)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

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
