package flows

import (
	"fmt"
	"io"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// assertionLifetime is how long a client assertion is valid; Entra's guidance is 5–10 minutes (reference §2.6).
const assertionLifetime = 10 * time.Minute

// ClientAssertionType is the client_assertion_type of a JWT client assertion (RFC 7523 §2.2).
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// BuildClientAssertion signs a client assertion for clientID addressed to the token endpoint (aud), valid from
// now for ten minutes. PS256 carries x5t#S256 (current Entra guidance); RS256 carries x5t (older guidance, ADFS).
func BuildClientAssertion(cert *Certificate, alg AssertionAlg, clientID, tokenEndpoint string, now time.Time, rand io.Reader) (string, error) {
	opts := (&jose.SignerOptions{}).WithType("JWT")
	sigAlg := jose.PS256
	if alg == AssertionRS256 {
		sigAlg = jose.RS256
		opts = opts.WithHeader("x5t", cert.ThumbprintSHA1())
	} else {
		opts = opts.WithHeader("x5t#S256", cert.ThumbprintSHA256())
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: sigAlg, Key: cert.Key}, opts)
	if err != nil {
		return "", fmt.Errorf("client assertion: %w", err)
	}
	jti, err := randomUUID(rand)
	if err != nil {
		return "", err
	}
	claims := jwt.Claims{
		Issuer:    clientID, // iss = sub = client ID, else AADSTS50048
		Subject:   clientID,
		Audience:  jwt.Audience{tokenEndpoint},
		ID:        jti,
		NotBefore: jwt.NewNumericDate(now),
		IssuedAt:  jwt.NewNumericDate(now),
		Expiry:    jwt.NewNumericDate(now.Add(assertionLifetime)),
	}
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("client assertion: %w", err)
	}
	return raw, nil
}
