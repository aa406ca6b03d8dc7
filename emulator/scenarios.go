package emulator

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Scenario is a fault the emulator can reproduce on purpose.
type Scenario struct {
	Name    string // as given to --scenario
	Summary string // what it reproduces
	Flow    string // the aadx flow that shows it best (e.g. "auth-code")
	Code    int    // the AADSTS code, or the HTTP status for transport-level faults
}

// Scenario names.
const (
	scenarioMFARequired     = "mfa-required"
	scenarioConsentRequired = "consent-required"
	scenarioSecretExpired   = "secret-expired"
	scenarioThrottled       = "throttled"
	scenarioTransient5xx    = "transient-5xx"
	scenarioSlow            = "slow"
	scenarioClockSkew       = "clock-skew"
	scenarioKeyRotated      = "key-rotated"
	scenarioGroupOverage    = "group-overage"
	scenarioDeviceDeclined  = "device-declined"
	scenarioDeviceSlowDown  = "device-slow-down"
	scenarioAppDisabled     = "app-disabled"

	scenarioMINotAssigned    = "mi-not-assigned"
	scenarioFICIssuerSlash   = "fic-issuer-slash"
	scenarioFICAudience      = "fic-audience"
	scenarioFICSubjectBranch = "fic-subject-branch"
	scenarioFICSubjectCase   = "fic-subject-case"
	scenarioFICExpired       = "fic-expired"
	scenarioCAEChallenge     = "cae-challenge"
	scenarioSessionRevoked   = "session-revoked"
	scenarioAPIV1Only        = "api-v1-only"
	scenarioAPIExpectsURI    = "api-expects-uri"
)

var scenarioList = []Scenario{
	{scenarioMFARequired, "user token requests fail with interaction_required (AADSTS50076, suberror basic_action, a claims challenge) until the user signs in interactively with that claims request", "auth-code", 50076},
	{scenarioConsentRequired, "refresh and on-behalf-of requests fail with invalid_grant (AADSTS65001, suberror consent_required): nobody consented", "obo", 65001},
	{scenarioSecretExpired, "every client secret is expired: invalid_client AADSTS7000222 (HTTP 401); certificates still work", "client-credentials", 7000222},
	{scenarioThrottled, "the token endpoint answers HTTP 429 with Retry-After (AADSTS90055)", "client-credentials", 429},
	{scenarioTransient5xx, "every other token request fails with HTTP 503 temporarily_unavailable (AADSTS90033), starting with the first; a retry succeeds", "client-credentials", 503},
	{scenarioSlow, "every response is delayed by 3 seconds, to exercise timeouts and cancellation", "client-credentials", 200},
	{scenarioClockSkew, "tokens are issued 10 minutes in the future (iat/nbf/exp), as from a server with a skewed clock", "client-credentials", 0},
	{scenarioKeyRotated, "tokens are signed with a newly rotated key (a new kid); clients with a cached JWKS fail until they refresh it", "client-credentials", 0},
	{scenarioGroupOverage, "every user is in more groups than a token carries: groups are replaced by _claim_names/_claim_sources", "auth-code", 0},
	{scenarioDeviceDeclined, "device-code sign-ins are declined: polling returns authorization_declined", "device-code", 0},
	{scenarioDeviceSlowDown, "device-code polls sooner than the interval get slow_down (RFC 8628 §3.5) and the interval grows by 5 seconds", "device-code", 0},
	{scenarioAppDisabled, "every application is disabled: unauthorized_client AADSTS7000112", "client-credentials", 7000112},
	{scenarioMINotAssigned, "the Azure host has no managed identity: IMDS answers 400 'Identity not found', App Service 'No Managed Identity found'", "managed-identity", 400},
	{scenarioFICIssuerSlash, "the Kubernetes issuer mints tokens whose iss lacks the trailing slash the federated credential has: AADSTS700211", "workload-identity", 700211},
	{scenarioFICAudience, "external tokens carry the platform's default audience instead of api://AzureADTokenExchange: AADSTS700212", "workload-identity", 700212},
	{scenarioFICSubjectBranch, "GitHub tokens come from a job without the production environment, so sub is repo:…:ref:refs/heads/main: AADSTS700213", "workload-identity", 700213},
	{scenarioFICSubjectCase, "external tokens' subject differs from the federated credential only in letter case (Octo-Org, Worker): AADSTS7002138", "workload-identity", 7002138},
	{scenarioFICExpired, "external tokens were minted two hours ago and have expired: AADSTS700024", "workload-identity", 700024},
	{scenarioCAEChallenge, "continuous access evaluation: the demo API and Graph answer a user's first token with 401 insufficient_claims and a claims challenge; a token requested with those claims is accepted", "auth-code", 401},
	{scenarioSessionRevoked, "the user's sessions are revoked once an API sees their token: APIs answer 401 insufficient_claims and refresh tokens fail with invalid_grant AADSTS50173 until the user signs in again", "auth-code", 50173},
	{scenarioAPIV1Only, "the demo API accepts only v1.0 tokens (issuer https://sts.windows.net/{tid}/): the v2.0 tokens it gets are refused with 401, IDX40001", "client-credentials", 401},
	{scenarioAPIExpectsURI, "the demo API validates the audience api://{client id}, but v2.0 tokens carry the client ID: 401, IDX10214", "client-credentials", 401},
}

// Scenarios lists the fault scenarios, in a stable order.
func Scenarios() []Scenario { return slices.Clone(scenarioList) }

// scenarioSet is the set of active scenarios, safe for concurrent use.
type scenarioSet struct {
	mu     sync.RWMutex
	active map[string]bool
}

func parseScenarios(names []string) (map[string]bool, error) {
	active := make(map[string]bool, len(names))
	for _, name := range names {
		name = strings.TrimSpace(name)
		if !slices.ContainsFunc(scenarioList, func(s Scenario) bool { return s.Name == name }) {
			return nil, fmt.Errorf("unknown scenario %q (known: %s)", name, strings.Join(scenarioNames(), ", "))
		}
		active[name] = true
	}
	return active, nil
}

func scenarioNames() []string {
	names := make([]string, len(scenarioList))
	for i, s := range scenarioList {
		names[i] = s.Name
	}
	return names
}

func (s *scenarioSet) set(active map[string]bool) {
	s.mu.Lock()
	s.active = active
	s.mu.Unlock()
}

func (s *scenarioSet) on(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.active[name]
}
