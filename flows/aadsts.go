package flows

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// AADSTSEntry explains one Entra ID error code in aadx's own words.
type AADSTSEntry struct {
	Code  int
	Name  string // Microsoft's symbolic name where one is published, else a descriptive one
	Error string // the OAuth "error" value usually seen with it
	Cause string // what usually went wrong
	Fix   string // what to change
}

// LookupAADSTS finds a code in the catalogue.
func LookupAADSTS(code int) (AADSTSEntry, bool) {
	e, ok := aadstsByCode()[code]
	return e, ok
}

// AADSTSCatalog returns every catalogued code in ascending order.
func AADSTSCatalog() []AADSTSEntry { return append([]AADSTSEntry(nil), aadstsCatalog...) }

// ParseAADSTS accepts "7000215", "AADSTS7000215" or "aadsts7000215".
func ParseAADSTS(s string) (int, error) {
	t := strings.TrimSpace(s)
	if len(t) >= 6 && strings.EqualFold(t[:6], "AADSTS") {
		t = t[6:]
	}
	n, err := strconv.Atoi(t)
	if err != nil || n <= 0 || len(t) > 9 {
		return 0, fmt.Errorf("%q is not an AADSTS code: give digits, e.g. 7000215 or AADSTS7000215", s)
	}
	return n, nil
}

// aadstsByCode indexes aadstsCatalog, on first use.
var aadstsByCode = sync.OnceValue(func() map[int]AADSTSEntry {
	m := make(map[int]AADSTSEntry, len(aadstsCatalog))
	for _, e := range aadstsCatalog {
		m[e.Code] = e
	}
	return m
})

// aadstsCatalog: codes and names from Microsoft's error-code reference and captured responses (reference §4);
// causes and fixes are written for aadx.
var aadstsCatalog = []AADSTSEntry{
	{16000, "InteractionRequired", "interaction_required", "The account needs to be chosen or the session cannot be used silently.", "Sign in interactively (prompt=select_account)."},
	{28002, "InvalidScopeAtTokenRequest", "invalid_scope", "The scope sent when redeeming the code is not valid.", "Send scopes of one resource plus openid/profile/offline_access, or omit scope."},
	{28003, "EmptyScopeAtTokenRequest", "invalid_scope", "The scope parameter was empty on a token request that needs it.", "Send at least one valid scope."},
	{50001, "InvalidResource", "invalid_resource", "The resource (API) is disabled or does not exist in the tenant.", "Check the App ID URI in the scope and that the API is registered in this tenant."},
	{50011, "InvalidReplyTo", "invalid_request", "The redirect_uri does not exactly match a URI registered on the app (the port is ignored only for localhost).", "Register the exact URI under the right platform (web, SPA or mobile/desktop), or send the registered one."},
	{50013, "InvalidAssertion", "invalid_grant", "The assertion (e.g. the on-behalf-of user token) is invalid: bad signature, wrong audience or expired.", "Pass a fresh user token whose aud is this API."},
	{50020, "UserUnauthorized", "invalid_request", "The account comes from an identity provider that has no user in this tenant.", "Sign in to a tenant where the user exists, invite them as a guest, or make the app multi-tenant."},
	{50034, "UserAccountNotFound", "invalid_grant", "No such user in this tenant.", "Check the username and the tenant; invite external users as guests."},
	{50048, "SubjectMismatchesIssuer", "invalid_client", "The client assertion's sub differs from its iss.", "Set both iss and sub to the client ID."},
	{50049, "NoSuchInstanceForDiscovery", "invalid_instance", "The authority host is not a known Entra ID cloud.", "Use a known login host (see --cloud) or disable instance discovery."},
	{50053, "IdsLocked", "invalid_grant", "The account is locked after too many failed sign-ins, or sign-in came from a blocked IP.", "Wait for the lockout to end or ask an admin to unblock the account."},
	{50055, "InvalidPasswordExpiredPassword", "user_password_expired", "The user's password has expired.", "Reset the password, then sign in again."},
	{50057, "UserDisabled", "invalid_grant", "The user account is disabled.", "Enable the account in the directory."},
	{50058, "UserInformationNotProvided", "interaction_required", "A silent request (prompt=none) found no signed-in session.", "Sign in interactively."},
	{50059, "MissingTenantRealmAndNoUserInformationProvided", "invalid_request", "The tenant could not be determined from the request.", "Use a tenant-specific authority (GUID or domain)."},
	{50076, "UserStrongAuthClientAuthNRequired", "interaction_required", "Multi-factor authentication is required by policy for this resource.", "Sign in interactively and complete MFA; pass the claims challenge from the error on /authorize."},
	{50079, "UserStrongAuthEnrollmentRequired", "interaction_required", "The user must register for multi-factor authentication.", "Sign in interactively to enrol in MFA."},
	{50105, "EntitlementGrantsNotFound", "invalid_grant", "The app requires user assignment and this user is not assigned.", "Assign the user or a group to the enterprise application."},
	{50126, "InvalidUserNameOrPassword", "invalid_grant", "Wrong username or password.", "Check the credentials; watch for lockout after repeated failures."},
	{50128, "InvalidDomainName", "invalid_request", "The tenant domain in the request is not valid.", "Use the tenant GUID or a verified domain."},
	{50146, "MissingCustomSigningKey", "invalid_request", "The app has custom signing keys configured but none was found.", "Configure the app's custom signing key or remove the requirement."},
	{50147, "CodeChallengeSizeInvalid", "invalid_request", "The PKCE code_challenge has the wrong length.", "Send a base64url S256 challenge of 43 characters."},
	{50148, "CodeVerifierMismatch", "invalid_grant", "The code_verifier does not match the code_challenge sent on /authorize (older code for 501481).", "Redeem with the exact verifier the challenge was made from."},
	{50173, "FreshTokenNeeded", "invalid_grant", "The grant was revoked, e.g. after a password change or an admin revocation.", "Sign in again to get new tokens."},
	{50194, "NotMultiTenantOnCommon", "invalid_request", "A single-tenant app was used on /common or /organizations.", "Use the tenant-specific authority, or make the app multi-tenant."},
	{53003, "BlockedByConditionalAccess", "access_denied", "A Conditional Access policy blocked token issuance.", "Read the sign-in log for the policy and meet or change its conditions."},
	{54005, "OAuth2AuthorizationCodeAlreadyRedeemed", "invalid_grant", "The authorization code was already redeemed; codes are single-use.", "Start the flow again for a new code; use the refresh token for more tokens."},
	{65001, "DelegationDoesNotExist", "invalid_grant", "Neither the user nor an admin has consented to the app for these permissions.", "Sign in interactively with prompt=consent, or grant admin consent."},
	{65004, "UserDeclinedConsent", "access_denied", "The user declined the consent prompt.", "Try again and accept, or ask an admin to consent for the tenant."},
	{70000, "InvalidGrant", "invalid_grant", "The grant is invalid: e.g. a refresh token issued to another client, or scopes the user cannot have.", "Sign in again; make sure the same client redeems its own tokens."},
	{70008, "ExpiredOrRevokedGrant", "invalid_grant", "The code or refresh token has expired or been revoked.", "Start the flow again."},
	{70011, "InvalidScope", "invalid_scope", "A scope is malformed or unknown, or scopes of several resources were mixed.", "Request scopes of one resource; use {resource}/.default for app-only tokens."},
	{70016, "AuthorizationPending", "authorization_pending", "Device code flow: the user has not finished signing in yet.", "Nothing is wrong: keep polling at the given interval."},
	{70018, "BadVerificationCode", "bad_verification_code", "Device code flow: the code is not recognised.", "Check the device code or user code; start the flow again."},
	{70019, "CodeExpired", "expired_token", "Device code flow: the device code expired before the user finished.", "Start the device code flow again and sign in within the time shown."},
	{70021, "NoMatchingFederatedIdentityRecord", "invalid_request", "A federated credential (workload identity) did not match the token's issuer, subject or audience.", "Fix the federated credential's issuer, subject and audience (api://AzureADTokenExchange)."},
	{70025, "NoFederatedIdentityCredentials", "invalid_client", "Workload identity federation: the app has no federated credentials at all.", "Add a federated credential (issuer, subject, audience api://AzureADTokenExchange) to the app or user-assigned identity."},
	{90002, "InvalidTenantName", "invalid_tenant", "The tenant GUID or domain was not found (or is in another cloud).", "Check the tenant ID and the national cloud (--cloud)."},
	{90009, "TokenForItselfMissingIdenticalAppIdentifier", "invalid_request", "The app asked for a token for itself using an App ID URI.", "Use the app's GUID client ID as the resource."},
	{90013, "InvalidUserInput", "invalid_request", "Part of the request could not be understood.", "Check every parameter's format."},
	{90014, "MissingRequiredField", "invalid_request", "A required field is missing from the request.", "Send every required parameter."},
	{90023, "InvalidRequest", "invalid_request", "The request is not valid for this endpoint.", "Compare the request with the protocol's required parameters."},
	{90033, "MsodsServiceUnavailable", "temporarily_unavailable", "A transient failure inside the identity service.", "Retry after a short pause, with backoff."},
	{90055, "TenantThrottlingError", "temporarily_unavailable", "Too many requests from this tenant.", "Back off and retry later; cache tokens."},
	{90056, "BadResourceRequest", "invalid_request", "The token endpoint was called with the wrong method or body.", "POST form-encoded parameters to /token."},
	{90061, "ExternalOidcEndpointFailed", "invalid_request", "Workload identity federation: Entra could not fetch the external issuer's discovery document or keys.", "Make {issuer}/.well-known/openid-configuration and its jwks_uri reachable from the internet."},
	{90124, "V1ResourceV2GlobalEndpointNotSupported", "invalid_request", "The resource cannot be used on /common or /consumers.", "Use a tenant-specific authority."},
	{500011, "InvalidResourceServicePrincipalNotFound", "invalid_resource", "The API named in the scope has no service principal in this tenant.", "Consent to the API in this tenant, or fix its App ID URI."},
	{500133, "TokenForItselfOrExpiredAssertion", "invalid_grant", "The on-behalf-of assertion has expired or is not yet valid.", "Pass a fresh user token."},
	{501481, "InvalidCodeVerifier", "invalid_grant", "The code_verifier does not match the code_challenge of the authorization request.", "Redeem with the exact verifier the challenge was made from."},
	{501491, "InvalidCodeChallenge", "invalid_request", "The code_challenge is malformed or the wrong size.", "Send BASE64URL(SHA256(verifier)) with code_challenge_method=S256."},
	{700005, "InvalidGrantRedeemAgainstWrongTenant", "invalid_grant", "The code was issued for another tenant than the one it is redeemed against.", "Redeem against the same tenant segment used on /authorize."},
	{700016, "UnauthorizedClient_DoesNotMatchRequest", "unauthorized_client", "The client ID is not found in this tenant.", "Check the client ID and the tenant; a multi-tenant app must be consented in this tenant."},
	{700022, "InvalidMultipleResourcesScope", "invalid_scope", "The scope names more than one resource.", "Make one request per resource."},
	{700024, "ClientAssertionNotWithinValidTimeRange", "invalid_client", "The client assertion's nbf/exp window does not include the current time (clock skew or a stale token).", "Build a fresh assertion; keep the machine's clock in sync; exp at most 10 minutes ahead."},
	{700025, "InvalidClientPublicClientWithCredential", "invalid_client", "A public client sent a client secret or assertion.", "Send no credential from public clients (SPA, mobile, desktop, device code)."},
	{700027, "ClientAssertionSignatureInvalid", "invalid_client", "The client assertion's signature cannot be verified with a certificate registered on the app.", "Upload the certificate to the app registration; sign with its key; send the matching x5t#S256 (or x5t)."},
	{700054, "ResponseTypeNotEnabled", "unsupported_response_type", "response_type asked for an id_token or token but implicit grant is off.", "Use the code flow, or enable ID tokens on the app."},
	{700082, "ExpiredOrRevokedGrantInactiveToken", "invalid_grant", "The refresh token was not used for too long (90 days by default).", "Sign in interactively again."},
	{700084, "SpaRefreshTokenExpired", "invalid_grant", "A single-page app's refresh token is past its fixed 24-hour lifetime.", "Run the authorization code flow again in a top-level browser window."},
	{700211, "NoMatchingFederatedIdentityRecordIssuer", "invalid_client", "Workload identity federation: no federated credential has the token's issuer (compared exactly: a trailing slash counts).", "Write the credential's issuer exactly as the token's iss."},
	{700212, "NoMatchingFederatedIdentityRecordAudience", "invalid_client", "Workload identity federation: the token's audience is not the credential's (api://AzureADTokenExchange).", "Request the external token for api://AzureADTokenExchange."},
	{700213, "NoMatchingFederatedIdentityRecordSubject", "invalid_client", "Workload identity federation: no federated credential has the token's subject (compared exactly, no wildcards).", "Write the credential's subject exactly as the token's sub (GitHub: environment, branch, tag or pull_request form)."},
	{7000112, "UnauthorizedClientApplicationDisabled", "unauthorized_client", "The application is disabled.", "Enable the app's service principal in the tenant."},
	{7000114, "OnBehalfOfNotAllowed", "unauthorized_client", "This app is not allowed to use the on-behalf-of flow.", "Use a middle-tier API registration without custom signing keys."},
	{7000215, "InvalidClientSecretProvided", "invalid_client", "The client secret is wrong: often the secret's ID was sent instead of its value.", "Send the secret's value (shown once when it was created); create a new secret if it was lost."},
	{7000218, "ClientCredentialRequired", "invalid_client", "A confidential client sent neither client_secret nor client_assertion.", "Add the credential, or enable \"Allow public client flows\" for device code and public apps."},
	{7000222, "InvalidClientSecretExpiredKeysProvided", "invalid_client", "The client secret has expired.", "Create a new secret in the app registration, or switch to a certificate."},
	{7002138, "NoMatchingFederatedIdentityRecordSubjectCase", "invalid_client", "Workload identity federation: the token's subject matches a credential only if letter case is ignored; Entra compares case-sensitively.", "Write the credential's subject with exactly the token's letter case."},
	{9001023, "GrantNotSupportedOnCommon", "invalid_request", "This grant type cannot be used on /common or /consumers.", "Use the tenant GUID or domain in the authority."},
	{9002313, "InvalidRequestMalformed", "invalid_request", "The request is malformed or a parameter is invalid.", "Check the parameters and their encoding."},
	{9002325, "PkceRequiredForCrossOrigin", "invalid_request", "A cross-origin (SPA) code redemption came without PKCE.", "Send code_challenge on /authorize and code_verifier on /token."},
	{9002326, "CrossOriginOnlyForSpa", "invalid_request", "An Origin header was sent but the redirect URI is not registered as a single-page application.", "Register the URI under the SPA platform, or redeem from a server without an Origin header."},
	{9002327, "SpaRequiresCrossOrigin", "invalid_request", "A code for a single-page application was redeemed without an Origin header (server-side).", "Redeem from the browser (with Origin), or register the URI under the web platform."},
	{9002332, "AppOnlyForEntraAccounts", "invalid_request", "An app for work or school accounts was used on /consumers.", "Use /organizations or the tenant, or allow personal accounts on the app."},
}
