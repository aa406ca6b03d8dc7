package emulator

import (
	"crypto/sha256"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/aadx/aadx/internal/rsa2048"
)

// rs256Signer hands go-jose the emulator's RS256 signatures, made by rsa2048 (several times faster than
// crypto/rsa where the CPU allows, byte for byte the same signature). go-jose still writes the header
// (alg, kid, typ, x5t) and serialises the token.
type rs256Signer struct {
	rsa *rsa2048.Signer
	jwk jose.JSONWebKey // public key and kid
}

func newRS256Signer(c *rsaCert) *rs256Signer {
	return &rs256Signer{rsa: rsa2048.NewSigner(c.key), jwk: jose.JSONWebKey{Key: &c.key.PublicKey, KeyID: c.x5t}}
}

func (s *rs256Signer) Public() *jose.JSONWebKey { return &s.jwk }

func (s *rs256Signer) Algs() []jose.SignatureAlgorithm { return []jose.SignatureAlgorithm{jose.RS256} }

func (s *rs256Signer) SignPayload(payload []byte, alg jose.SignatureAlgorithm) ([]byte, error) {
	if alg != jose.RS256 {
		return nil, jose.ErrUnsupportedAlgorithm
	}
	return s.rsa.Sign(sha256.Sum256(payload))
}
