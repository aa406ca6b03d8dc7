package decode

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"math/big"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// signedOverGivenBytes reports whether key signed the token's header and payload segments exactly as given,
// padding included. A compact JWS is signed over the unpadded segments (RFC 7515 §7.1), which go-jose checks;
// a signer that kept base64 padding signed other bytes, and only this check can tell such a token from a forged
// one.
func signedOverGivenBytes(key jose.JSONWebKey, alg string, t *Token) bool {
	i := strings.LastIndexByte(t.Raw, '.')
	if i < 0 {
		return false
	}
	return verifySigningInput(key.Key, alg, []byte(t.Raw[:i]), t.Signature)
}

// verifySigningInput checks sig over input with a JWK's key for a JWS algorithm (RFC 7518 §3).
func verifySigningInput(key any, alg string, input, sig []byte) bool {
	var h crypto.Hash
	switch {
	case strings.HasSuffix(alg, "256"):
		h = crypto.SHA256
	case strings.HasSuffix(alg, "384"):
		h = crypto.SHA384
	case strings.HasSuffix(alg, "512"):
		h = crypto.SHA512
	case alg == "EdDSA":
	default:
		return false
	}
	digest := func() []byte { d := h.New(); d.Write(input); return d.Sum(nil) }
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return verifySigningInput(&k.PublicKey, alg, input, sig)
	case *ecdsa.PrivateKey:
		return verifySigningInput(&k.PublicKey, alg, input, sig)
	case ed25519.PrivateKey:
		return verifySigningInput(k.Public(), alg, input, sig)
	case *rsa.PublicKey:
		switch alg[:2] {
		case "RS":
			return rsa.VerifyPKCS1v15(k, h, digest(), sig) == nil
		case "PS":
			return rsa.VerifyPSS(k, h, digest(), sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}) == nil
		}
	case *ecdsa.PublicKey:
		if alg[:2] != "ES" || len(sig)%2 != 0 {
			return false
		}
		r, s := new(big.Int).SetBytes(sig[:len(sig)/2]), new(big.Int).SetBytes(sig[len(sig)/2:])
		return ecdsa.Verify(k, digest(), r, s)
	case ed25519.PublicKey:
		return alg == "EdDSA" && ed25519.Verify(k, input, sig)
	case []byte:
		if alg[:2] != "HS" {
			return false
		}
		mac := hmac.New(h.New, k)
		mac.Write(input)
		return hmac.Equal(mac.Sum(nil), sig)
	}
	return false
}
