package decode

import (
	"context"
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
	// Issuers maps a kid to the issuer its JWK names (Entra publishes one per key, with a {tenantid} template),
	// for the signing-key issuer check Microsoft.Identity.Web turns on; keys without one are absent.
	Issuers map[string]string
}

// KeySource finds the keys that may have signed a token.
type KeySource interface {
	KeySet(ctx context.Context, t *Token) (KeySet, error)
}

type staticKeys KeySet

func (s staticKeys) KeySet(context.Context, *Token) (KeySet, error) { return KeySet(s), nil }

// StaticJWKS parses a JWKS document (or a single JWK) held in memory; origin names it in messages.
func StaticJWKS(data []byte, origin string) (KeySource, error) {
	keys, issuers, err := parseKeySet(data)
	if err != nil {
		return nil, err
	}
	return staticKeys{Keys: keys, Origin: origin, Issuers: issuers}, nil
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

func fetchJWKS(ctx context.Context, fetch Fetcher, u string) (KeySet, error) {
	if err := CheckFetchURL(u); err != nil {
		return KeySet{}, fmt.Errorf("the JWKS URL %s %w", URLForMessage(u), err)
	}
	body, err := fetch(ctx, u)
	if err != nil {
		return KeySet{}, fmt.Errorf("fetching the JWKS from %s failed: %w", u, err)
	}
	keys, issuers, err := parseKeySet(body)
	if err != nil {
		return KeySet{}, fmt.Errorf("JWKS from %s: %w", u, err)
	}
	return KeySet{Keys: keys, Origin: u, Issuers: issuers}, nil
}

// checkFetchURL allows https, and plain http only to a loopback host (the emulator): keys fetched over
// plain http could be swapped by anyone on the path (DESIGN.md §6).
func CheckFetchURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New("is not an absolute URL")
	}
	if u.User != nil { // Go's client would send it as Basic auth, and messages would print it
		return errors.New("carries a user name or password (user:password@host); remove that part")
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

// URLForMessage is a URL for a message: any user:password@ replaced by "…@", so it is never printed.
func URLForMessage(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return strings.Replace(u.String(), "://", "://…@", 1)
}
