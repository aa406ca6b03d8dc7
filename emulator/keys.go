package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// rsaCert is an RSA key with a self-signed certificate: Entra publishes signing keys as certificates (x5c), and
// certificate credentials are registered as certificates.
type rsaCert struct {
	key    *rsa.PrivateKey
	cert   *x509.Certificate
	x5t    string // base64url SHA-1 of the DER; Entra's kid [AT]
	x5t256 string // base64url SHA-256 of the DER
}

func newRSACert(commonName string, now time.Time) (*rsaCert, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generate RSA key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, fmt.Errorf("certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: commonName},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(2, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("self-sign certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse certificate: %w", err)
	}
	return withThumbprints(key, cert), nil
}

func withThumbprints(key *rsa.PrivateKey, cert *x509.Certificate) *rsaCert {
	sum1, sum256 := sha1.Sum(cert.Raw), sha256.Sum256(cert.Raw)
	return &rsaCert{key: key, cert: cert,
		x5t:    base64.RawURLEncoding.EncodeToString(sum1[:]),
		x5t256: base64.RawURLEncoding.EncodeToString(sum256[:])}
}

// pem is the certificate followed by its PKCS#8 private key, the file format of the daemon's credential
// and of the key cache.
func (c *rsaCert) pem() ([]byte, error) {
	keyDER, err := x509.MarshalPKCS8PrivateKey(c.key)
	if err != nil {
		return nil, fmt.Errorf("encode private key: %w", err)
	}
	return append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.cert.Raw}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...), nil
}

// cachedRSACert is newRSACert through a key cache: an RSA-2048 key costs 50–250 ms to generate, most of a
// demo run's start-up, and a demo key does not need to be new every time. The cache holds one PEM file per
// key (name.pem), 0600 in a 0700 directory; a file that is missing, unreadable, readable by others, a symlink,
// malformed or near its certificate's expiry is replaced by a new key. With no directory, or when the
// cache cannot be written, the key is simply made fresh: the cache only saves time.
func cachedRSACert(dir, name, commonName string, now time.Time) (*rsaCert, error) {
	if dir == "" {
		return newRSACert(commonName, now)
	}
	file := filepath.Join(dir, name+".pem")
	if c, err := readCachedCert(file, now); err == nil {
		return c, nil
	}
	c, err := newRSACert(commonName, now)
	if err != nil {
		return nil, err
	}
	if data, err := c.pem(); err == nil {
		_ = writeFileAtomic(dir, file, data)
	}
	return c, nil
}

func readCachedCert(file string, now time.Time) (*rsaCert, error) {
	info, err := os.Lstat(file)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() || info.Mode().Perm()&0o077 != 0 {
		return nil, errors.New("not a private regular file") // a symlink is never followed
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	certBlock, rest := pem.Decode(data)
	keyBlock, _ := pem.Decode(rest)
	if certBlock == nil || keyBlock == nil || certBlock.Type != "CERTIFICATE" || keyBlock.Type != "PRIVATE KEY" {
		return nil, errors.New("not a certificate and a private key")
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return nil, err
	}
	parsed, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	if err != nil {
		return nil, err
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok || key.N.BitLen() != 2048 || !key.PublicKey.Equal(cert.PublicKey) {
		return nil, errors.New("not the RSA-2048 key of its certificate")
	}
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter.AddDate(0, -1, 0)) {
		return nil, errors.New("certificate outside its validity")
	}
	return withThumbprints(key, cert), nil
}

// writeFileAtomic writes through a temporary file and a rename, so that a concurrent start never reads half
// a key; os.CreateTemp makes the file 0600.
func writeFileAtomic(dir, file string, data []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".key-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), file)
	}
	if werr != nil {
		_ = os.Remove(tmp.Name())
	}
	return werr
}

// UserKeyCache is the per-user directory the command line keeps its demo keys in (under the user's cache
// directory, e.g. ~/.cache/aadx/demo-keys), or "" when the system names none.
func UserKeyCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "aadx", "demo-keys")
}

// signingKey is a token-signing key with its ready-made signers.
type signingKey struct {
	*rsaCert
	signer   jose.Signer // v2 tokens: kid only
	signerV1 jose.Signer // v1 tokens: kid and x5t [§5.1]
}

// newSigningKey makes (or takes from the key cache dir, under name) a token-signing key.
func newSigningKey(cacheDir, name string, now time.Time) (*signingKey, error) {
	c, err := cachedRSACert(cacheDir, name, "aadx emulator token signing", now)
	if err != nil {
		return nil, err
	}
	// Entra v2 tokens: header typ JWT, alg RS256, kid (no x5t) [§5.1].
	rs := newRS256Signer(c)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: rs}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, fmt.Errorf("token signer: %w", err)
	}
	signerV1, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: rs},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("x5t", c.x5t))
	if err != nil {
		return nil, fmt.Errorf("token signer: %w", err)
	}
	return &signingKey{rsaCert: c, signer: signer, signerV1: signerV1}, nil
}

// jwk is one JWKS entry in Entra's shape: no alg, x5c standard base64 padded, issuer template [§1.3].
type jwk struct {
	Kty               string   `json:"kty"`
	Use               string   `json:"use"`
	Kid               string   `json:"kid"`
	X5t               string   `json:"x5t"`
	N                 string   `json:"n"`
	E                 string   `json:"e"`
	X5c               []string `json:"x5c"`
	Issuer            string   `json:"issuer"`
	CloudInstanceName string   `json:"cloud_instance_name,omitempty"`
}

func (k *signingKey) jwk(issuer string) jwk {
	pub := k.key.PublicKey
	return jwk{Kty: "RSA", Use: "sig", Kid: k.x5t, X5t: k.x5t,
		N:      base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E:      base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		X5c:    []string{base64.StdEncoding.EncodeToString(k.cert.Raw)},
		Issuer: issuer}
}
