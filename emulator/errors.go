package emulator

import (
	"fmt"
	"net/http"
	"time"
)

// The errors Entra returns, with its `error` strings, AADSTS codes and HTTP status (reference §3, §4). Messages
// follow Entra's published wording where it is known.

func errTenantNotFound(tenant string) *entraError {
	return &entraError{Err: "invalid_tenant", Code: 90002, Message: fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", tenant)}
}

func errUnknownClient(clientID string) *entraError {
	return &entraError{Err: "unauthorized_client", Code: 700016, Message: fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", clientID, demoTenantName)}
}

func errAppDisabled(a *app) *entraError {
	return &entraError{Err: "unauthorized_client", Code: 7000112, Message: fmt.Sprintf("Application '%s'(%s) is disabled.", a.ClientID, a.Name)}
}

func errReplyURL(uri, clientID string) *entraError {
	return &entraError{Err: "invalid_request", Code: 50011, Message: fmt.Sprintf("The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.", uri, clientID)}
}

func errReplyURLToken() *entraError {
	return &entraError{Err: "invalid_grant", Code: 50011, Message: "The redirect URI specified in the request does not match the redirect URI the authorization code was issued for."}
}

func errMissingParam(name string) *entraError {
	return &entraError{Err: "invalid_request", Code: 900144, Message: fmt.Sprintf("The request body must contain the following parameter: '%s'.", name)}
}

func errMissingQueryParam(name string) *entraError {
	return &entraError{Err: "invalid_request", Code: 900144, Message: fmt.Sprintf("The request must contain the following parameter: '%s'.", name)}
}

func errWrongMethod(got string) *entraError {
	return &entraError{Err: "invalid_request", Code: 900561, Message: fmt.Sprintf("The endpoint only accepts POST, OPTIONS requests. Received a %s request.", got)}
}

func errUnsupportedGrant(grant string) *entraError {
	return &entraError{Err: "unsupported_grant_type", Code: 70003, Message: fmt.Sprintf("The app requested an unsupported grant type '%s'.", grant)}
}

func errBadSecret(clientID string) *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 7000215, Message: fmt.Sprintf("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", clientID)}
}

func errSecretExpired(clientID string) *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 7000222, Message: fmt.Sprintf("The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.", clientID)}
}

func errCredentialRequired() *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 7000218, Message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."}
}

func errPublicWithCredential() *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 700025, Message: "Client is public so neither 'client_assertion' nor 'client_secret' should be presented."}
}

func errAssertionSignature(reason string) *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 700027, Message: "Client assertion failed signature validation. " + reason}
}

func errAssertionTime(now, nbf, exp time.Time) *entraError {
	f := "1/2/2006 3:04:05 PM"
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 700024, Message: fmt.Sprintf("Client assertion is not within its valid time range. Current time: %s, assertion valid from %s, expiry time of assertion %s. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .", now.UTC().Format(f), nbf.UTC().Format(f), exp.UTC().Format(f))}
}

func errAssertionSubject() *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 50048, Message: "Subject mismatches Issuer claim in the client assertion. Contact the tenant admin."}
}

func errAssertionInvalid(reason string) *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 50027, Message: "JWT token is invalid or malformed. " + reason}
}

func errAssertionAudience(aud, want string) *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 700038, Message: fmt.Sprintf("The client assertion audience '%s' is not the token endpoint; expected '%s'.", aud, want)}
}

// errAssertionReplayed: the code Entra uses for a reused jti is not documented (unconfirmed).
func errAssertionReplayed() *entraError {
	return &entraError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: 700023, Message: "The client assertion's jti has already been used. A client assertion may be used only once."}
}

func errInvalidScope(scope string) *entraError {
	return &entraError{Err: "invalid_scope", Code: 70011, Message: fmt.Sprintf("The provided value for the input parameter 'scope' isn't valid. The scope %s isn't valid.", scope)}
}

func errScopeNeedsDefault(scope string) *entraError {
	return &entraError{Err: "invalid_scope", Code: 70011, Message: fmt.Sprintf("The provided value for the input parameter 'scope' isn't valid. The scope %s isn't valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", scope)}
}

func errMultipleResources(scope string) *entraError {
	return &entraError{Err: "invalid_scope", Code: 28000, Message: fmt.Sprintf("Provided value for the input parameter scope is not valid because it contains more than one resource. Scope %s is not valid.", scope)}
}

func errUnknownResource(res string) *entraError {
	return &entraError{Err: "invalid_resource", Code: 500011, Message: fmt.Sprintf("The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.", res, demoTenantName)}
}

func errCodeRedeemed() *entraError {
	return &entraError{Err: "invalid_grant", Code: 54005, Message: "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."}
}

func errGrantExpired(what string) *entraError {
	return &entraError{Err: "invalid_grant", Code: 70008, Message: fmt.Sprintf("The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource. (%s)", what)}
}

// errSPARefreshExpired: Entra's text [ERR]; how it renders {time} is unconfirmed (here .NET's TimeSpan form).
func errSPARefreshExpired(issued time.Time) *entraError {
	return &entraError{Err: "invalid_grant", Code: 700084, Message: fmt.Sprintf("The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which can't be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page. The token was issued on %s.", issued.UTC().Format("2006-01-02T15:04:05.0000000Z"))}
}

func errGrantInvalid(reason string) *entraError {
	return &entraError{Err: "invalid_grant", Code: 9002313, Message: "Invalid request. Request is malformed or invalid. " + reason}
}

func errGrantClientMismatch() *entraError {
	return &entraError{Err: "invalid_grant", Code: 70000, Message: "Provided grant is invalid or malformed. The grant was issued to a different client."}
}

func errPKCEMismatch() *entraError {
	return &entraError{Err: "invalid_grant", Code: 501481, Message: "The Code_Verifier does not match the code_challenge supplied in the authorization request."}
}

// errPKCEUnexpected: a verifier for a code issued without a challenge matches no challenge. AADSTS50148 is the
// code third-party traces show for a verifier that does not match (reference §4, row 40).
func errPKCEUnexpected() *entraError {
	return &entraError{Err: "invalid_grant", Code: 50148, Message: "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE. The authorization request sent no code_challenge."}
}

func errCodeOtherTenant() *entraError {
	return &entraError{Err: "invalid_grant", Code: 700005, Message: "Provided Authorization Code is intended to use against other tenant, thus rejected."}
}

func errPKCERequired() *entraError {
	return &entraError{Err: "invalid_request", Code: 9002325, Message: "Proof Key for Code Exchange is required for cross-origin authorization code redemption."}
}

func errOriginNotSPA(origin string) *entraError {
	return &entraError{Err: "invalid_request", Code: 9002326, Message: fmt.Sprintf("Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '%s'.", origin)}
}

func errSPANeedsOrigin() *entraError {
	return &entraError{Err: "invalid_request", Code: 9002327, Message: "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests."}
}

func errGrantNotOnCommon() *entraError {
	return &entraError{Err: "invalid_request", Code: 9001023, Message: "The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint."}
}

func errConsumersNotAllowed(a *app) *entraError {
	return &entraError{Err: "invalid_request", Code: 9002332, Message: fmt.Sprintf("Application '%s'(%s) is configured for use by Azure Active Directory users only. Please do not use the /consumers endpoint to serve this request.", a.ClientID, a.Name)}
}

func errMFARequired(resourceID string) *entraError {
	return &entraError{Err: "interaction_required", Code: 50076, Suberror: "basic_action", Claims: mfaClaimsChallenge,
		Message: fmt.Sprintf("Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '%s'.", resourceID)}
}

// mfaClaimsChallenge is the claims request a client passes back to /authorize to satisfy the policy.
const mfaClaimsChallenge = `{"access_token":{"capolids":{"essential":true,"values":["` + mfaPolicyID + `"]}}}`

func errConsentRequired(a *app) *entraError {
	return &entraError{Err: "invalid_grant", Code: 65001, Suberror: "consent_required", Message: fmt.Sprintf("The user or administrator has not consented to use the application with ID '%s' named '%s'. Send an interactive authorization request for this user and resource.", a.ClientID, a.Name)}
}

func errThrottled() *entraError {
	return &entraError{Status: http.StatusTooManyRequests, Err: "temporarily_unavailable", Code: 90055,
		Message: "The request has been throttled. There are too many incoming requests; retry after the time in the Retry-After header.",
		Header:  http.Header{"Retry-After": {"5"}}}
}

func errTransient() *entraError {
	return &entraError{Status: http.StatusServiceUnavailable, Err: "temporarily_unavailable", Code: 90033,
		Message: "A transient error has occurred. Please try again.", Header: http.Header{"Retry-After": {"1"}}}
}

func errDevicePending() *entraError {
	return &entraError{Err: "authorization_pending", Code: 70016, Message: "OAuth 2.0 device flow error. Authorization is pending. Continue polling."}
}

// errDeviceSlowDown: RFC 8628 §3.5; Entra's code for it is not documented, so the pending code is reused.
func errDeviceSlowDown(interval time.Duration) *entraError {
	return &entraError{Err: "slow_down", Code: 70016, Message: fmt.Sprintf("OAuth 2.0 device flow error. Polling too fast: wait at least %d seconds between polls.", int(interval.Round(time.Second)/time.Second))}
}

func errDeviceDeclined() *entraError {
	return &entraError{Err: "authorization_declined", Code: 70000, Message: "The user declined the sign-in request on the device code page."}
}

func errDeviceExpired() *entraError {
	return &entraError{Err: "expired_token", Code: 70019, Message: "Verification code expired."}
}

func errBadDeviceCode() *entraError {
	return &entraError{Err: "bad_verification_code", Code: 70018, Message: "Invalid verification code. The device code was not issued by this tenant or is malformed."}
}

func errDeviceGrantClient() *entraError {
	return &entraError{Err: "invalid_grant", Code: 70000, Message: "The device code was issued to a different client."}
}

func errOBOAssertion(reason string) *entraError {
	return &entraError{Err: "invalid_grant", Code: 50013, Message: "Assertion failed signature validation or is invalid. " + reason}
}

func errOBOAudience(aud, want string) *entraError {
	return &entraError{Err: "invalid_grant", Code: 50013, Message: fmt.Sprintf("Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '%s' and the expected audience is '%s' or one of the Application Id URIs of this web API.", aud, want)}
}

func errOBOAppOnly() *entraError {
	return &entraError{Err: "invalid_grant", Code: 50013, Message: "Assertion is an app-only token; the on-behalf-of flow needs a token issued to a signed-in user."}
}

func errOBOExpired() *entraError {
	return &entraError{Err: "invalid_grant", Code: 500133, Message: "Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token."}
}

func errOBOMissingUse() *entraError {
	return &entraError{Err: "invalid_request", Code: 900144, Message: "The request body must contain the following parameter: 'requested_token_use'."}
}
