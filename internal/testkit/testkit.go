// Package testkit holds the test helpers several packages share, written once: a self-signed client
// certificate and an emulator harness. Only tests import it.
package testkit

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

	"github.com/aadx/aadx/emulator"
)

// Cert is a self-signed RSA certificate and its key, as an app registration's client certificate.
type Cert struct {
	Cert *x509.Certificate
	Key  *rsa.PrivateKey
}

// SelfSigned makes a fresh 2048-bit self-signed certificate named cn, valid from an hour ago for two hours.
func SelfSigned(t testing.TB, cn string) Cert {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return Cert{Cert: cert, Key: key}
}

// CertPEM is the certificate as a PEM block.
func (c Cert) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Cert.Raw})
}

// KeyPEM is the private key as a PKCS#1 PEM block.
func (c Cert) KeyPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(c.Key)})
}

// PEM is the certificate followed by its key, the file `--cert` takes.
func (c Cert) PEM() []byte { return append(c.CertPEM(), c.KeyPEM()...) }

// WriteFile writes PEM to client.pem in a fresh temporary directory (0600) and returns its path.
func (c Cert) WriteFile(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "client.pem")
	if err := os.WriteFile(path, c.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Emulator starts an emulator for one test and closes it when the test ends. Its key and certificate files
// go in the test's temporary directory unless opts names one.
func Emulator(t testing.TB, opts emulator.Options) *emulator.Server {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}
