package decode

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"testing"
)

// The check over the bytes as given covers every JWS algorithm family, and refuses a changed input, a changed
// signature, a key of another family and an algorithm it does not know.
func TestVerifySigningInputEveryAlgorithm(t *testing.T) {
	input := []byte("eyJhbGciOiJ4In0=.eyJhdWQiOiJhcGkifQ==")
	d256 := sha256.Sum256(input)
	d384 := sha512.Sum384(input)
	rsaKey := entraKeys(t)[0].priv
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	hmacKey := []byte("0123456789abcdef0123456789abcdef")

	rs256, _ := rsa.SignPKCS1v15(rand.Reader, rsaKey, crypto.SHA256, d256[:])
	ps384, _ := rsa.SignPSS(rand.Reader, rsaKey, crypto.SHA384, d384[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	r, s, _ := ecdsa.Sign(rand.Reader, ecKey, d256[:])
	es256 := append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	eddsa := ed25519.Sign(edKey, input)
	mac := hmac.New(sha256.New, hmacKey)
	mac.Write(input)
	hs256 := mac.Sum(nil)

	tests := []struct {
		alg string
		key any
		sig []byte
	}{
		{"RS256", &rsaKey.PublicKey, rs256},
		{"RS256", rsaKey, rs256}, // a JWKS holding the private key, as RFC 7515's examples do
		{"PS384", &rsaKey.PublicKey, ps384},
		{"ES256", &ecKey.PublicKey, es256},
		{"EdDSA", edKey.Public(), eddsa},
		{"HS256", hmacKey, hs256},
	}
	for _, tt := range tests {
		if !verifySigningInput(tt.key, tt.alg, input, tt.sig) {
			t.Errorf("%s (%T): a good signature over the input was refused", tt.alg, tt.key)
		}
		changed := append([]byte(nil), input...)
		changed[len(changed)-1] = 'A'
		if verifySigningInput(tt.key, tt.alg, changed, tt.sig) {
			t.Errorf("%s: a signature verified over a changed input", tt.alg)
		}
		bad := append([]byte(nil), tt.sig...)
		bad[0] ^= 1
		if verifySigningInput(tt.key, tt.alg, input, bad) {
			t.Errorf("%s: a changed signature verified", tt.alg)
		}
	}
	if verifySigningInput(&rsaKey.PublicKey, "ES256", input, rs256) || verifySigningInput(hmacKey, "RS256", input, hs256) || verifySigningInput(&rsaKey.PublicKey, "XS256", input, rs256) || verifySigningInput(&ecKey.PublicKey, "ES256", input, es256[:63]) {
		t.Error("a key of another family, an unknown alg or a short signature verified")
	}
}
