package tui

import "github.com/aadx/aadx/flows"

// The settings fields of the secretless flows (managed identity, workload identity federation).

// secretlessField labels a field of the secretless flows.
func secretlessField(name string) (label, hint string, secret, ok bool) {
	switch name {
	case "mi-source":
		return "Source", "imds (VM, AKS, Container Apps) or app-service (App Service, Functions)", false, true
	case "mi-endpoint":
		return "Endpoint", "the token URL: IMDS's, or IDENTITY_ENDPOINT", false, true
	case "identity-header":
		return "Identity header", "App Service's IDENTITY_HEADER", true, true
	case "resource":
		return "Resource", "the API's App ID URI, e.g. https://management.azure.com/ (not a scope)", false, true
	case "mi-client-id":
		return "User-assigned ID", "client ID of a user-assigned identity; empty: system-assigned", false, true
	case "federated-token":
		return "External token", "the workload's token (AZURE_FEDERATED_TOKEN_FILE's contents); or a token URL", true, true
	case "federated-token-url":
		return "Token URL", "an issuer's token endpoint answering {\"value\": …}", false, true
	case "fic-issuer":
		return "Expected issuer", "the federated credential's issuer, exactly", false, true
	case "fic-subject":
		return "Expected subject", "the federated credential's subject, exactly (case-sensitive)", false, true
	}
	return "", "", false, false
}

func secretlessValue(s flows.Settings, name string) string {
	m, w := s.ManagedIdentity, s.Workload
	var cred flows.FederatedCredential
	if len(w.Credentials) > 0 {
		cred = w.Credentials[0]
	}
	return map[string]string{
		"mi-source": string(m.Source), "mi-endpoint": m.Endpoint, "identity-header": m.IdentityHeader,
		"resource": m.Resource, "mi-client-id": m.ClientID, "federated-token": w.Token,
		"federated-token-url": w.TokenURL, "fic-issuer": cred.Issuer, "fic-subject": cred.Subject,
	}[name]
}

// setSecretless writes field name's value v into s. Editing the credential narrows the comparison to that one.
func setSecretless(s *flows.Settings, name, v string) {
	m, w := &s.ManagedIdentity, &s.Workload
	first := func() *flows.FederatedCredential {
		if len(w.Credentials) == 0 {
			w.Credentials = []flows.FederatedCredential{{Name: "given"}}
		}
		return &w.Credentials[0]
	}
	switch name {
	case "mi-source":
		m.Source = flows.MISource(v)
	case "mi-endpoint":
		m.Endpoint = v
	case "identity-header":
		m.IdentityHeader = v
	case "resource":
		m.Resource = v
	case "mi-client-id":
		m.ClientID = v
	case "federated-token":
		w.Token = v
	case "federated-token-url":
		w.TokenURL = v
	case "fic-issuer":
		if c := first(); c.Issuer != v {
			c.Issuer, w.Credentials = v, w.Credentials[:1]
		}
	case "fic-subject":
		if c := first(); c.Subject != v {
			c.Subject, w.Credentials = v, w.Credentials[:1]
		}
	}
}
