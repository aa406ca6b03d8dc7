package flows

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is defined as a SHA-1 thumbprint (RFC 7515 §4.1.7)
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"software.sslmate.com/src/go-pkcs12"
)

// maxCertFile bounds how much of a certificate file is read.
const maxCertFile = 1 << 20

// Certificate is a client certificate and its RSA private key, used to sign client assertions.
type Certificate struct {
	Leaf  *x509.Certificate
	Chain []*x509.Certificate // Leaf first
	Key   *rsa.PrivateKey
	Path  string // where it was loaded from, for display
}

// LoadCertificate reads a PEM file (certificate and private key, in any order) or a PFX/PKCS#12 file. Errors
// name the cert field and say what is missing.
func LoadCertificate(path, password string) (*Certificate, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FieldError{Field: "cert", Value: path, Problem: "cannot be read: " + unwrapPathError(err), Fix: "give the path of a PEM or PFX file"}
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, &FieldError{Field: "cert", Value: path, Problem: "is a directory, not a file", Fix: "give the path of a PEM or PFX file"}
	}
	data := make([]byte, maxCertFile+1)
	n, _ := readFull(f, data)
	if n > maxCertFile {
		return nil, &FieldError{Field: "cert", Value: path, Problem: "is larger than 1 MiB", Fix: "give a PEM or PFX file holding one certificate and its key"}
	}
	c, err := ParseCertificate(data[:n], password)
	if err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			fe.Value = path
		}
		return nil, err
	}
	c.Path = path
	return c, nil
}

// ParseCertificate parses PEM (CERTIFICATE plus PRIVATE KEY / RSA PRIVATE KEY blocks) or PFX bytes.
func ParseCertificate(data []byte, password string) (*Certificate, error) {
	if strings.Contains(string(data), "-----BEGIN") {
		return parsePEM(data)
	}
	key, leaf, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		return nil, &FieldError{Field: "cert", Problem: "is neither PEM nor a PFX this password opens (" + err.Error() + ")", Fix: "give a PEM with certificate and key, or a PFX with AZURE_CLIENT_CERTIFICATE_PASSWORD set"}
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, &FieldError{Field: "cert", Problem: "holds a non-RSA key", Fix: "Entra ID client certificates need an RSA key"}
	}
	return checkPair(&Certificate{Leaf: leaf, Chain: append([]*x509.Certificate{leaf}, chain...), Key: rk})
}

func parsePEM(data []byte) (*Certificate, error) {
	c := &Certificate{}
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		switch block.Type {
		case "CERTIFICATE":
			cert, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, &FieldError{Field: "cert", Problem: "has a CERTIFICATE block that does not parse (" + err.Error() + ")", Fix: "export the certificate again as PEM"}
			}
			c.Chain = append(c.Chain, cert)
		case "PRIVATE KEY", "RSA PRIVATE KEY":
			key, err := parseRSAKey(block)
			if err != nil {
				return nil, err
			}
			c.Key = key
		case "EC PRIVATE KEY":
			return nil, &FieldError{Field: "cert", Problem: "holds an EC (elliptic curve) private key", Fix: "Entra ID client certificates need an RSA key: create the certificate with an RSA key"}
		case "ENCRYPTED PRIVATE KEY":
			return nil, &FieldError{Field: "cert", Problem: "holds an encrypted PEM key", Fix: "decrypt it (openssl pkey) or use a PFX with a password"}
		}
	}
	if len(c.Chain) == 0 {
		return nil, &FieldError{Field: "cert", Problem: "holds no CERTIFICATE block", Fix: "put the certificate and its private key in one PEM file"}
	}
	if c.Key == nil {
		return nil, &FieldError{Field: "cert", Problem: "holds no private key", Fix: "put the certificate and its private key in one PEM file"}
	}
	c.Leaf = c.Chain[0]
	return checkPair(c)
}

func parseRSAKey(block *pem.Block) (*rsa.PrivateKey, error) {
	if block.Type == "RSA PRIVATE KEY" {
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, &FieldError{Field: "cert", Problem: "has an RSA PRIVATE KEY that does not parse", Fix: "export the key again as PEM"}
		}
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, &FieldError{Field: "cert", Problem: "has a PRIVATE KEY that does not parse", Fix: "export the key again as PKCS#8 PEM"}
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		kind := "a non-RSA"
		switch k.(type) {
		case *ecdsa.PrivateKey:
			kind = "an EC (elliptic curve)"
		case ed25519.PrivateKey:
			kind = "an Ed25519"
		}
		return nil, &FieldError{Field: "cert", Problem: "holds " + kind + " private key", Fix: "Entra ID client certificates need an RSA key: create the certificate with an RSA key"}
	}
	return rk, nil
}

// checkPair makes sure the key belongs to the leaf certificate: a mismatch would only surface as AADSTS700027.
func checkPair(c *Certificate) (*Certificate, error) {
	pub, ok := c.Leaf.PublicKey.(*rsa.PublicKey)
	if !ok || !pub.Equal(c.Key.Public()) {
		return nil, &FieldError{Field: "cert", Problem: "holds a private key that does not match its certificate", Fix: "pair the certificate with its own key"}
	}
	return c, nil
}

// ThumbprintSHA1 is the x5t header value: base64url SHA-1 of the certificate DER (RFC 7515 §4.1.7).
func (c *Certificate) ThumbprintSHA1() string {
	sum := sha1.Sum(c.Leaf.Raw) //nolint:gosec
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// ThumbprintSHA256 is the x5t#S256 header value: base64url SHA-256 of the certificate DER (RFC 7515 §4.1.8).
func (c *Certificate) ThumbprintSHA256() string {
	sum := sha256.Sum256(c.Leaf.Raw)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Signer returns the private key as a crypto.Signer.
func (c *Certificate) Signer() crypto.Signer { return c.Key }

// String describes the certificate without secrets.
func (c *Certificate) String() string {
	return fmt.Sprintf("%s (SHA-1 %X, expires %s)", c.Leaf.Subject.String(), sha1.Sum(c.Leaf.Raw), c.Leaf.NotAfter.Format("2006-01-02")) //nolint:gosec
}

func readFull(f *os.File, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := f.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func unwrapPathError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
