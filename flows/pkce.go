package flows

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
)

// newPKCE makes a verifier of 32 random bytes (43 base64url characters, within RFC 7636 §4.1's 43–128) and its
// S256 challenge, BASE64URL(SHA256(ASCII(verifier))) (§4.2).
func newPKCE(rand io.Reader) (*PKCE, error) {
	v, err := randomString(rand, 32)
	if err != nil {
		return nil, err
	}
	return &PKCE{Verifier: v, Challenge: S256Challenge(v), Method: "S256"}, nil
}

// S256Challenge computes the PKCE S256 code challenge of a verifier (RFC 7636 §4.2).
func S256Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// randomString returns n random bytes as unpadded base64url.
func randomString(rand io.Reader, n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(rand, b); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// randomUUID returns a random (version 4) UUID, as Entra expects for a client assertion's jti.
func randomUUID(rand io.Reader) (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(rand, b); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}
