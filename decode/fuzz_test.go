package decode

import (
	"strings"
	"testing"
	"time"
)

// FuzzUnverified: decoding, explaining, timing and linting any input never panics, and a decoded token
// always has an alg. Seeds live in testdata/fuzz/FuzzUnverified; CI runs them with go test.
func FuzzUnverified(f *testing.F) {
	for _, seed := range []string{vectorA1, vectorA2, "", ".", "..", "....", "a.b.c", "e30.e30.", "eyJhbGciOiJub25lIn0.e30.",
		unsigned(`{"alg":"RS256"}`, `{"exp":"x","aud":[1,2],"_claim_names":{"groups":1},"amr":"pwd"}`)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := Unverified(raw)
		if err != nil {
			if tok != nil {
				t.Fatalf("token and error both returned")
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if !tok.Encrypted && !tok.Header.Has("alg") {
			t.Fatalf("decoded token without alg: %q", raw)
		}
		now := time.Unix(1700000000, 0)
		Explain(tok, WithNow(now))
		Times(tok, now)
		Lint(tok, Expect{Audience: "a", Nonce: "n", Issuer: "i"}, now)
		Verify(t.Context(), tok, nil)
		_ = tok.Redacted()
		_ = tok.Claims.JSON()
	})
}
