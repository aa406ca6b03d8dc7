package flows

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aadx/aadx/internal/testkit"
	"software.sslmate.com/src/go-pkcs12"
)

// testCert makes a self-signed RSA certificate and key.
func testCert(t testing.TB) (*x509.Certificate, *rsa.PrivateKey) {
	t.Helper()
	c := testkit.SelfSigned(t, "aadx test")
	return c.Cert, c.Key
}

func pemOf(cert *x509.Certificate, key *rsa.PrivateKey) []byte {
	k, _ := x509.MarshalPKCS8PrivateKey(key)
	return append(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: k}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})...)
}

func TestLoadCertificate(t *testing.T) {
	cert, key := testCert(t)
	other, _ := testCert(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, "pfx-pass")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, password string
		wantErr              string // substring of the error, "" for success
	}{
		{name: "PEM key then cert", path: write("a.pem", pemOf(cert, key))},
		{name: "PEM PKCS#1 key", path: write("b.pem", append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}),
			pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})...))},
		{name: "PFX with password", path: write("c.pfx", pfx), password: "pfx-pass"},
		{name: "PFX wrong password", path: write("d.pfx", pfx), password: "nope", wantErr: "PFX"},
		{name: "PEM without key", path: write("e.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})), wantErr: "no private key"},
		{name: "key of another certificate", path: write("f.pem", pemOf(other, key)), wantErr: "does not match"},
		{name: "missing file", path: filepath.Join(dir, "nope.pem"), wantErr: "cannot be read"},
		{name: "garbage", path: write("g.pem", []byte("hello")), wantErr: "neither PEM nor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadCertificate(tt.path, tt.password)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !c.Leaf.Equal(cert) || c.Path != tt.path {
					t.Fatal("wrong certificate loaded")
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "cert" || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want a cert FieldError containing %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "pfx-pass") {
				t.Fatal("the password leaked into the error")
			}
		})
	}
}

func TestClientAssertionHeadersAndClaims(t *testing.T) {
	cert, key := testCert(t)
	c := &Certificate{Leaf: cert, Chain: []*x509.Certificate{cert}, Key: key}
	now := time.Unix(1_700_000_000, 0)
	tests := []struct {
		alg        AssertionAlg
		thumbField string
		thumb      string
	}{
		{AssertionPS256, "x5t#S256", c.ThumbprintSHA256()},
		{AssertionRS256, "x5t", c.ThumbprintSHA1()},
	}
	for _, tt := range tests {
		t.Run(string(tt.alg), func(t *testing.T) {
			jwt, err := BuildClientAssertion(c, tt.alg, testClient, "https://login.example/t/oauth2/v2.0/token", now, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			parts := strings.Split(jwt, ".")
			var header, claims map[string]any
			mustJSON(t, parts[0], &header)
			mustJSON(t, parts[1], &claims)
			if header["alg"] != string(tt.alg) || header["typ"] != "JWT" || header[tt.thumbField] != tt.thumb {
				t.Errorf("header = %v", header)
			}
			if claims["iss"] != testClient || claims["sub"] != testClient || claims["aud"] != "https://login.example/t/oauth2/v2.0/token" {
				t.Errorf("claims = %v", claims)
			}
			if claims["nbf"].(float64) != 1_700_000_000 || claims["exp"].(float64) != 1_700_000_600 || claims["jti"] == "" {
				t.Errorf("times/jti = %v", claims)
			}
		})
	}
}

func mustJSON(t *testing.T, seg string, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
