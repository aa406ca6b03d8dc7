package decode_test

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/internal/testkit"
)

// The client assertions the flows engine builds decode as assertions, pass the assertion checks and
// verify against the certificate's key.
func TestClientAssertionsFromFlows(t *testing.T) {
	c := testkit.SelfSigned(t, "daemon")
	priv, der := c.Key, c.Cert.Raw
	certPEM, keyPEM := c.CertPEM(), c.KeyPEM()
	cert, err := flows.ParseCertificate(append(certPEM, keyPEM...), "")
	if err != nil {
		t.Fatal(err)
	}
	parsed, _ := x509.ParseCertificate(der)
	jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &priv.PublicKey, Certificates: []*x509.Certificate{parsed}}}})
	keys, err := decode.StaticJWKS(jwks, "certificate")
	if err != nil {
		t.Fatal(err)
	}
	const endpoint = "https://login.microsoftonline.com/7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13/oauth2/v2.0/token"
	now := time.Now()
	for _, alg := range []flows.AssertionAlg{flows.AssertionPS256, flows.AssertionRS256} {
		t.Run(string(alg), func(t *testing.T) {
			raw, err := flows.BuildClientAssertion(cert, alg, "e2b7f4a9-6c3d-4f18-9b52-0a8d3c1e6f74", endpoint, now, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := decode.Unverified(raw)
			if err != nil {
				t.Fatal(err)
			}
			if tok.Kind != decode.KindAssertion || tok.Alg() != string(alg) {
				t.Errorf("kind %s, alg %s", tok.Kind, tok.Alg())
			}
			for _, w := range decode.Lint(tok, decode.Expect{Audience: endpoint}, now) {
				if strings.HasPrefix(w.Code, "assertion-") || w.Severity == decode.SeverityError {
					t.Errorf("lint: %+v", w)
				}
			}
			if sig := decode.Verify(t.Context(), tok, keys); sig.Status != decode.StatusValid {
				t.Errorf("verify: %+v", sig)
			}
			if red := tok.Redacted(); strings.Contains(red, raw[strings.LastIndex(raw, ".")+1:]) {
				t.Errorf("Redacted keeps the signature")
			}
			explained := decode.Explain(tok)
			if !slices.ContainsFunc(explained, func(e decode.Explained) bool { return e.Name == "iss" && strings.Contains(e.Text, "must equal sub") }) {
				t.Errorf("iss of an assertion not explained as such")
			}
		})
	}
}
