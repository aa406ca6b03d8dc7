package emulator

import (
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// The emulator's tokens are exactly what go-jose signing with crypto/rsa makes: the same header (alg, kid,
// typ, x5t for v1), the same payload and, PKCS #1 v1.5 being deterministic, the same signature bytes.
func TestRS256SignerMatchesGoJOSE(t *testing.T) {
	key, err := newSigningKey(t.TempDir(), "token-signing", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	plain := func(opts *jose.SignerOptions) jose.Signer {
		s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key.key, KeyID: key.x5t}}, opts)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, tc := range []struct {
		name       string
		ours, want jose.Signer
	}{
		{"v2", key.signer, plain((&jose.SignerOptions{}).WithType("JWT"))},
		{"v1", key.signerV1, plain((&jose.SignerOptions{}).WithType("JWT").WithHeader("x5t", key.x5t))},
	} {
		for i := range 2 { // and again: the second signature must not differ either
			claims := map[string]any{"aud": "api://tasks", "n": i, "roles": []string{"Tasks.Read"}}
			got, err := signClaims(tc.ours, claims)
			if err != nil {
				t.Fatal(err)
			}
			want, err := signClaims(tc.want, claims)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("%s token %d:\n got %s\nwant %s", tc.name, i, got, want)
			}
		}
	}
}
