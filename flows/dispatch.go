package flows

import (
	"strings"
	"sync"
)

// legImpl is how a leg is prepared and how its response is applied to the state.
type legImpl struct {
	prepare func(*Run) (*Request, error)
	apply   func(*Run, *Exchange) error // http legs only
	// applies, when set, says whether the leg is part of a run with these settings (e.g. no external-token leg
	// when the token was given).
	applies func(Settings) bool
	// failed, when set, rewrites a transport failure of the leg into one that says what it means.
	failed func(*Run, error) error
}

// legImpls maps each leg to its implementation. Like the catalogue, this package's tables are built on first
// use: every aadx command initialises the package, and most (decode, version, explain) never run a flow.
var legImpls = sync.OnceValue(func() map[string]legImpl {
	return map[string]legImpl{
		LegDiscovery:  {prepare: (*Run).prepareDiscovery, apply: (*Run).applyDiscovery},
		LegJWKS:       {prepare: (*Run).prepareJWKS, apply: (*Run).applyJWKS},
		LegAuthorize:  {prepare: (*Run).prepareAuthorize},
		LegRedeem:     {prepare: (*Run).prepareRedeem, apply: (*Run).applyTokens},
		LegToken:      {prepare: (*Run).prepareClientCredentials, apply: (*Run).applyTokens},
		LegDeviceCode: {prepare: (*Run).prepareDeviceCode, apply: (*Run).applyDeviceCode},
		LegPoll:       {prepare: (*Run).preparePoll},
		LegOBO:        {prepare: (*Run).prepareOBO, apply: (*Run).applyTokens},
		LegRefresh:    {prepare: (*Run).prepareRefresh, apply: (*Run).applyTokens},
		LegCallAPI:    {prepare: (*Run).prepareCallAPI, apply: (*Run).applyCallAPI},
		LegMIToken:    {prepare: (*Run).prepareManagedIdentity, apply: (*Run).applyManagedIdentity, failed: (*Run).explainMIFailure},
		LegExternalToken: {prepare: (*Run).prepareExternalToken, apply: (*Run).applyExternalToken,
			applies: func(s Settings) bool { return strings.TrimSpace(s.Workload.Token) == "" }},
		LegFederatedToken: {prepare: (*Run).prepareFederatedToken, apply: (*Run).applyFederatedToken},
	}
})
