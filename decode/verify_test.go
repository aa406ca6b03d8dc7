package decode

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

func TestRFC7515A2SignatureReproducedBitForBit(t *testing.T) {
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON([]byte(jwkA2)); err != nil {
		t.Fatal(err)
	}
	priv := jwk.Key.(*rsa.PrivateKey)
	got := sign(t, signingKey{priv: priv}, nil, rfc7515Payload)
	if got != vectorA2 {
		t.Fatalf("RS256 over the A.2 input is not the vector:\n got %s\nwant %s", got, vectorA2)
	}
}

func TestVerifyRFC7515Vectors(t *testing.T) {
	a2Public := func() []byte {
		var jwk jose.JSONWebKey
		if err := jwk.UnmarshalJSON([]byte(jwkA2)); err != nil {
			t.Fatal(err)
		}
		b, _ := jwk.Public().MarshalJSON()
		return b
	}()
	tamper := func(raw string) string {
		parts := strings.Split(raw, ".")
		claims := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(rfc7515Payload, "joe", "eve", 1)))
		return parts[0] + "." + claims + "." + parts[2]
	}
	tests := []struct {
		name, raw, jwks string
		want            Status
	}{
		{"A.2 with its public key", vectorA2, string(a2Public), StatusValid},
		{"A.2 as a JWKS", vectorA2, `{"keys":[` + string(a2Public) + `]}`, StatusValid},
		{"A.2 tampered", tamper(vectorA2), string(a2Public), StatusInvalid},
		{"A.1 with its HMAC key", vectorA1, jwkA1, StatusValid},
		{"A.1 tampered", tamper(vectorA1), jwkA1, StatusInvalid},
		{"A.2 against the A.1 key", vectorA2, jwkA1, StatusInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, err := StaticJWKS([]byte(tt.jwks), "test.json")
			if err != nil {
				t.Fatal(err)
			}
			sig := Verify(t.Context(), mustDecode(t, tt.raw), keys)
			if sig.Status != tt.want || sig.Reason == "" {
				t.Errorf("Verify = %+v, want %s", sig, tt.want)
			}
		})
	}
}

func TestVerifyEntraShapedTokens(t *testing.T) {
	keys := entraKeys(t)
	claims := `{"aud":"api","iss":"https://login.microsoftonline.com/tid/v2.0","tid":"tid","exp":4000000000}`
	good := sign(t, keys[0], map[string]any{"kid": keys[0].kid, "typ": "JWT"}, claims)
	noKid := sign(t, keys[1], map[string]any{"typ": "JWT"}, claims)
	x5tOnly := sign(t, keys[1], map[string]any{"x5t": keys[1].kid}, claims)
	s256 := sha256.Sum256(keys[1].cert.Raw)
	x5tS256 := sign(t, keys[1], map[string]any{"x5t#S256": base64.StdEncoding.EncodeToString(s256[:])}, claims)
	wrongKid := sign(t, keys[1], map[string]any{"kid": keys[0].kid}, claims)
	rotated := sign(t, keys[0], map[string]any{"kid": "rotated-away"}, claims)
	graph := sign(t, keys[0], map[string]any{"kid": keys[0].kid, "nonce": "abc"}, claims)
	parts := strings.Split(good, ".")
	graphParts := strings.Split(graph, ".")
	graphAltered := graphParts[0] + "." + parts[1] + "." + parts[2] // nonce header over another signature
	paddedParts := strings.Split(good, ".")
	padded := paddedParts[0] + "." + paddedParts[1] + "==." + paddedParts[2]
	paddedInput := paddedParts[0] + "." + paddedParts[1] + "=="
	digest := sha256.Sum256([]byte(paddedInput))
	sigOverPadding, err := rsa.SignPKCS1v15(nil, keys[0].priv, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	signedPadded := paddedInput + "." + base64.RawURLEncoding.EncodeToString(sigOverPadding)
	x5cOnly := fmt.Sprintf(`{"keys":[{"kty":"RSA","kid":%q,"x5c":[%q]}]}`, keys[0].kid, base64.StdEncoding.EncodeToString(keys[0].cert.Raw))

	both := string(jwks(t, keys[0], keys[1]))
	tests := []struct {
		name, raw, jwks string
		want            Status
		reason, kid     string
	}{
		{"kid lookup", good, both, StatusValid, keys[0].kid, keys[0].kid},
		{"no kid: each key tried", noKid, both, StatusValid, "", keys[1].kid},
		{"x5t only, as v1 tokens and assertions", x5tOnly, both, StatusValid, "", keys[1].kid},
		{"kid names a key that did not sign", wrongKid, both, StatusInvalid, "does not match", keys[0].kid},
		{"rotated key", rotated, both, StatusUnverifiable, "rotated", "rotated-away"},
		{"payload tampered", parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(claims, "api", "evil", 1))) + "." + parts[2], both, StatusInvalid, "altered", keys[0].kid},
		{"graph nonce that does not verify", graphAltered, both, StatusUnverifiable, "Graph", keys[0].kid},
		{"padded segments of an unpadded signature", padded, both, StatusValid, "", keys[0].kid},
		{"signature over padded segments", signedPadded, both, StatusValid, "padding included", keys[0].kid},
		{"padded segments, payload tampered", paddedInput[:strings.IndexByte(paddedInput, '.')+1] + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(claims, "api", "evil", 1))) + "==." + paddedParts[2], both, StatusInvalid, "padding, and it matches neither", keys[0].kid},
		{"padded segments, signed by another key", strings.Replace(wrongKid, ".", "==.", 1), both, StatusInvalid, "padding, and it matches neither", keys[0].kid},
		{"x5c-only key", good, x5cOnly, StatusValid, "", keys[0].kid},
		{"x5t#S256 in MSAL's padded standard base64", x5tS256, both, StatusValid, "", keys[1].kid},
		{"x5t#S256 of no published certificate", sign(t, keys[1], map[string]any{"x5t#S256": "AAAA"}, claims), both, StatusUnverifiable, "has a certificate with x5t#S256 AAAA", ""},
		{"enc key is not used", good, strings.Replace(both, `"use":"sig"`, `"use":"enc"`, -1), StatusUnverifiable, "no key", keys[0].kid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := StaticJWKS([]byte(tt.jwks), "jwks.json")
			if err != nil {
				t.Fatal(err)
			}
			sig := Verify(t.Context(), mustDecode(t, tt.raw), src)
			if sig.Status != tt.want || !strings.Contains(sig.Reason, tt.reason) || sig.KeyID != tt.kid {
				t.Errorf("Verify = %+v, want %s with kid %s and reason mentioning %q", sig, tt.want, tt.kid, tt.reason)
			}
		})
	}
}

func TestVerifyWithoutKeysOrSignature(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		keys KeySource
		want Status
	}{
		{"no key source", vectorA2, nil, StatusUnverified},
		{"alg none", unsigned(`{"alg":"none"}`, `{"sub":"x"}`), staticKeys{}, StatusInvalid},
		{"alg none with no keys is still invalid", unsigned(`{"alg":"none"}`, `{"sub":"x"}`), nil, StatusInvalid},
		{"unknown alg", unsigned(`{"alg":"XX999"}`, `{"sub":"x"}`), staticKeys{}, StatusUnverifiable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if sig := Verify(t.Context(), mustDecode(t, tt.raw), tt.keys); sig.Status != tt.want {
				t.Errorf("Verify = %+v, want %s", sig, tt.want)
			}
		})
	}
}

func TestParseJWKSErrors(t *testing.T) {
	for _, bad := range []string{``, `[]`, `{"keys":[]}`, `{"keys":[{"kty":"XYZ"}]}`, `{"keys":[{"kty":"RSA","n":"!!"}]}`} {
		if _, err := ParseJWKS([]byte(bad)); err == nil {
			t.Errorf("ParseJWKS(%q) = nil error", bad)
		}
	}
	// One unusable key does not hide the usable ones.
	keys := entraKeys(t)
	mixed := strings.Replace(string(jwks(t, keys[0])), `{"keys":[`, `{"keys":[{"kty":"OKP","crv":"X448","x":"AA"},`, 1)
	got, err := ParseJWKS([]byte(mixed))
	if err != nil || len(got) != 1 || got[0].KeyID != keys[0].kid {
		t.Errorf("ParseJWKS(mixed) = %v, %v", got, err)
	}
}

func TestVerifyDiscovery(t *testing.T) {
	keys := entraKeys(t)
	const tid = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	issuer := srv.URL + "/" + tid + "/v2.0"
	mux.HandleFunc("/"+tid+"/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, srv.URL+"/{tenantid}/v2.0", srv.URL+"/"+tid+"/discovery/v2.0/keys")
	})
	mux.HandleFunc("/"+tid+"/discovery/v2.0/keys", func(w http.ResponseWriter, r *http.Request) { w.Write(jwks(t, keys[0])) })
	mux.HandleFunc("/other/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"issuer":"https://someone.else/","jwks_uri":%q}`, srv.URL+"/"+tid+"/discovery/v2.0/keys")
	})
	tok := func(iss, tenant string) string {
		return sign(t, keys[0], map[string]any{"kid": keys[0].kid}, fmt.Sprintf(`{"iss":%q,"tid":%q}`, iss, tenant))
	}
	fetch := HTTPFetcher(srv.Client())
	failing := func(context.Context, string) ([]byte, error) { return nil, errors.New("dial tcp: connection refused") }
	tests := []struct {
		name   string
		raw    string
		fetch  Fetcher
		want   Status
		reason string
	}{
		{"issuer template filled with tid", tok(issuer, tid), fetch, StatusValid, "/discovery/v2.0/keys"},
		{"discovery names another issuer", tok(srv.URL+"/other/v2.0", tid), fetch, StatusUnverifiable, "not the token's"},
		{"no discovery document", tok(srv.URL+"/missing/v2.0", tid), fetch, StatusUnverifiable, "404"},
		{"fetch fails", tok(issuer, tid), failing, StatusUnverifiable, "connection refused"},
		{"plain http off loopback refused", tok("http://login.example.com/"+tid+"/v2.0", tid), fetch, StatusUnverifiable, "https"},
		{"no iss", sign(t, keys[0], nil, `{"sub":"x"}`), fetch, StatusUnverifiable, "no iss"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := Verify(t.Context(), mustDecode(t, tt.raw), DiscoveredJWKS(tt.fetch))
			if sig.Status != tt.want || !strings.Contains(sig.Reason, tt.reason) {
				t.Errorf("Verify = %+v, want %s mentioning %q", sig, tt.want, tt.reason)
			}
		})
	}

	remote := RemoteJWKS(srv.URL+"/"+tid+"/discovery/v2.0/keys", fetch)
	if sig := Verify(t.Context(), mustDecode(t, tok(issuer, tid)), remote); sig.Status != StatusValid {
		t.Errorf("RemoteJWKS: %+v", sig)
	}
	if sig := Verify(t.Context(), mustDecode(t, tok(issuer, tid)), RemoteJWKS("ftp://x/keys", fetch)); sig.Status != StatusUnverifiable {
		t.Errorf("RemoteJWKS over ftp: %+v", sig)
	}
}
