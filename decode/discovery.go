package decode

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

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
