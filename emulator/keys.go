package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
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
	sum1, sum256 := sha1.Sum(der), sha256.Sum256(der)
	return &rsaCert{key: key, cert: cert,
		x5t:    base64.RawURLEncoding.EncodeToString(sum1[:]),
		x5t256: base64.RawURLEncoding.EncodeToString(sum256[:])}, nil
}

// signingKey is a token-signing key with its ready-made signers.
type signingKey struct {
	*rsaCert
	signer   jose.Signer // v2 tokens: kid only
	signerV1 jose.Signer // v1 tokens: kid and x5t [§5.1]
}

func newSigningKey(now time.Time) (*signingKey, error) {
	c, err := newRSACert("aadx emulator token signing", now)
	if err != nil {
		return nil, err
	}
	// Entra v2 tokens: header typ JWT, alg RS256, kid (no x5t) [§5.1].
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: c.key, KeyID: c.x5t}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, fmt.Errorf("token signer: %w", err)
	}
	signerV1, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: c.key, KeyID: c.x5t}},
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
