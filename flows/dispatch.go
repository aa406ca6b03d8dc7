package flows

// legImpl is how a leg is prepared and how its response is applied to the state.
type legImpl struct {
	prepare func(*Run) (*Request, error)
	apply   func(*Run, *Exchange) error // http legs only
}

var legImpls = map[string]legImpl{
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
}
