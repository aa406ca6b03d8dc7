package profiles

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

const (
	testTenant = "8eaef023-2b34-4da1-9baa-8bc8c9d6a490"
	testClient = "535fb089-9ff3-47b6-9bfb-4f1264799865"
)

// contoso is a complete, valid profile.
func contoso() Profile {
	return Profile{
		Name: "contoso-prod", Authority: "https://login.microsoftonline.com", Tenant: testTenant, ClientID: testClient,
		RedirectURI: "http://localhost:8400/callback", Platform: "web", Scopes: []string{"openid", "User.Read"},
		AssertionAlg: "PS256", Secret: SecretSource{Kind: SecretEnv, Env: "CONTOSO_SECRET"}, Note: "ticket 4711",
	}
}

// writeTestCert writes a PEM file holding a fresh self-signed certificate and its private key, and returns its
// path and the PEM text.
func writeTestCert(t *testing.T) (string, string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "aadx test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})) +
		string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	path := filepath.Join(t.TempDir(), "client.pem")
	if err := os.WriteFile(path, []byte(pemText), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, pemText
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readFileErr(path string) ([]byte, error) { return os.ReadFile(path) }
