package emulator

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// federatedCredentialsOf lists an app's federated identity credentials (only the workload app has any).
func (s *Server) federatedCredentialsOf(a *app) []federatedCredential {
	if a.ClientID == workloadClientID {
		return workloadCredentials(s.url)
	}
	return nil
}

// checkFederatedAssertion accepts an external token as the client assertion of an app with federated
// credentials, matching as Entra does [WIF-TRUST], [WIF-FIC]: the issuer exactly (a trailing slash matters),
// then the audience, then the subject exactly (case-sensitive). The token is verified with the issuer's keys
// and its lifetime checked; it may be presented more than once while valid (clients cache the file).
func (s *Server) checkFederatedAssertion(fics []federatedCredential, raw string) *entraError {
	// Read the claims before the signature: the issuer says whose keys to fetch.
	payload, err := unverifiedPayload(raw)
	if err != nil {
		return errAssertionInvalid("The client assertion is not a JWT.")
	}
	c, err := parseExternalClaims(payload)
	if err != nil {
		return errAssertionInvalid("The client assertion's claims are not a JSON object.")
	}
	var sameIssuer []federatedCredential
	for _, f := range fics {
		if f.Issuer == c.Iss {
			sameIssuer = append(sameIssuer, f)
		}
	}
	if len(sameIssuer) == 0 {
		return errFederatedIssuer(c.Iss)
	}
	if _, kid, ok := s.verifyExternal(raw); !ok {
		return errAssertionSignature(fmt.Sprintf("The key (kid '%s') is not in the JWKS of issuer '%s', or the signature does not verify with it.", kid, c.Iss))
	}
	var sameAudience []federatedCredential
	for _, f := range sameIssuer {
		for _, aud := range c.Aud {
			if len(f.Audiences) > 0 && f.Audiences[0] == aud {
				sameAudience = append(sameAudience, f)
				break
			}
		}
	}
	if len(sameAudience) == 0 {
		return errFederatedAudience(strings.Join(c.Aud, ","))
	}
	matched, foldMatch := false, false
	for _, f := range sameAudience {
		matched = matched || f.Subject == c.Sub
		foldMatch = foldMatch || strings.EqualFold(f.Subject, c.Sub)
	}
	switch {
	case !matched && foldMatch:
		return errFederatedSubjectCase(c.Sub)
	case !matched:
		return errFederatedSubject(c.Sub)
	}
	now := s.now()
	nbf, exp := unixFloat(c.Nbf, now.Add(-assertionSkew)), unixFloat(c.Exp, time.Time{})
	if now.Add(assertionSkew).Before(nbf) || !now.Add(-assertionSkew).Before(exp) {
		return errAssertionTime(now, nbf, exp)
	}
	return nil
}

func unverifiedPayload(raw string) ([]byte, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("not three parts")
	}
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
}

// federationDoc is the link Entra's 7002xx messages end with.
const federationDoc = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation"

// The 7002xx errors: invalid_client, HTTP 401, wording as captured from Entra [OBS-7002xx].
func errFederatedIssuer(iss string) *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 700211, Message: fmt.Sprintf("No matching federated identity record found for presented assertion issuer '%s'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. %s", iss, federationDoc)}
}

func errFederatedAudience(aud string) *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 700212, Message: fmt.Sprintf("No matching federated identity record found for presented assertion audience '%s'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. %s", aud, federationDoc)}
}

func errFederatedSubject(sub string) *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 700213, Message: fmt.Sprintf("No matching federated identity record found for presented assertion subject '%s'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. %s", sub, federationDoc)}
}

// errFederatedSubjectCase: since about August 2024 a case-only difference has its own code [OBS-7002xx].
func errFederatedSubjectCase(sub string) *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 7002138, Message: fmt.Sprintf("No matching federated identity record found for presented assertion subject '%s'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. %s", sub, federationDoc)}
}
