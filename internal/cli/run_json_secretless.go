package cli

import (
	"time"

	"github.com/aadx/aadx/flows"
)

type managedIdentityJSON struct {
	Source   string `json:"source"`
	Endpoint string `json:"endpoint"`
	Resource string `json:"resource"`
	ClientID string `json:"client_id,omitempty"` // the identity that answered (App Service names it)
	// ExpiresOnRaw is expires_on as sent; ExpiresOn the same instant in RFC 3339; ExpiresOnForm which form it had.
	ExpiresOnRaw  string `json:"expires_on_raw,omitempty"`
	ExpiresOn     string `json:"expires_on,omitempty"`
	ExpiresOnForm string `json:"expires_on_form,omitempty"`
}

type federationJSON struct {
	Credential string                `json:"credential,omitempty"`
	OK         bool                  `json:"ok"`
	Fields     []fieldComparisonJSON `json:"fields"`
}

type fieldComparisonJSON struct {
	Field      string `json:"field"`
	Token      string `json:"token"`
	Credential string `json:"credential,omitempty"`
	Match      bool   `json:"match"`
	Problem    string `json:"problem,omitempty"`
	Fix        string `json:"fix,omitempty"`
}

// secretlessOutcome is the managed identity answer or the federated credential comparison of a run, if any.
func secretlessOutcome(s flows.Settings, st flows.State) (*managedIdentityJSON, *federationJSON) {
	var mi *managedIdentityJSON
	if m := st.ManagedIdentity; m != nil {
		mi = &managedIdentityJSON{Source: string(s.ManagedIdentity.Source), Endpoint: s.ManagedIdentity.Endpoint,
			Resource: firstNonEmpty(m.Resource, s.ManagedIdentity.Resource), ClientID: m.ClientID,
			ExpiresOnRaw: m.ExpiresOnRaw, ExpiresOnForm: m.ExpiresOnForm}
		if !m.ExpiresOn.IsZero() {
			mi.ExpiresOn = m.ExpiresOn.UTC().Format(time.RFC3339)
		}
	}
	var fed *federationJSON
	if c := st.Federation; c != nil {
		fed = &federationJSON{Credential: c.Credential, OK: c.OK(), Fields: []fieldComparisonJSON{}}
		for _, f := range c.Fields {
			fed.Fields = append(fed.Fields, fieldComparisonJSON{Field: f.Field, Token: f.Token, Credential: f.Credential,
				Match: f.Match, Problem: f.Problem, Fix: f.Fix})
		}
	}
	return mi, fed
}
