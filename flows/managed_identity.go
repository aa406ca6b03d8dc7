package flows

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MISource is the managed identity endpoint an app on Azure asks for tokens (beyond-tokens §1.1–1.2).
type MISource string

// The managed identity sources aadx speaks.
const (
	// MISourceIMDS is the Instance Metadata Service of VMs, scale sets, AKS nodes and Container Apps.
	MISourceIMDS MISource = "imds"
	// MISourceAppService is the local identity endpoint of App Service and Functions (IDENTITY_ENDPOINT).
	MISourceAppService MISource = "app-service"
)

// IMDSEndpoint is IMDS's token URL on every Azure VM: a link-local address, plain http, never proxied.
const IMDSEndpoint = "http://169.254.169.254/metadata/identity/oauth2/token"

// DefaultMIResource is the resource asked for when none is given: Azure Resource Manager, which every identity
// can get a token for.
const DefaultMIResource = "https://management.azure.com/"

// imdsTimeout bounds a request to the real IMDS address: off Azure nothing answers, and a short wait with a clear
// "not on an Azure host" beats a 30-second hang (azidentity probes IMDS with 1 s).
const imdsTimeout = 3 * time.Second

// ManagedIdentitySettings configure the managed-identity flow.
type ManagedIdentitySettings struct {
	// Source picks the endpoint's protocol; empty means IMDS.
	Source MISource
	// Endpoint is the token URL; empty means IMDSEndpoint for IMDS. App Service's comes from IDENTITY_ENDPOINT.
	Endpoint string
	// IdentityHeader is App Service's IDENTITY_HEADER, sent as X-IDENTITY-HEADER. A secret: masked everywhere.
	IdentityHeader string
	// Resource is the API the token is for (an App ID URI or app ID, not a scope); empty means a single scope
	// without its /.default, else DefaultMIResource.
	Resource string
	// ClientID, ObjectID and ResourceID select a user-assigned identity (at most one); none means system-assigned.
	ClientID, ObjectID, ResourceID string
	// APIVersion overrides the source's api-version (IMDS 2018-02-01, App Service 2019-08-01).
	APIVersion string
}

func (m ManagedIdentitySettings) withDefaults(scopes []string) ManagedIdentitySettings {
	if m.Source == "" {
		m.Source = MISourceIMDS
	}
	if m.Endpoint == "" && m.Source == MISourceIMDS {
		m.Endpoint = IMDSEndpoint
	}
	if m.Resource == "" {
		m.Resource = DefaultMIResource
		if len(scopes) == 1 {
			// MSAL Go strips a trailing /.default only: https://management.azure.com//.default → …com/ (§1.1).
			m.Resource = strings.TrimSuffix(scopes[0], "/.default")
		}
	}
	if m.APIVersion == "" {
		m.APIVersion = map[MISource]string{MISourceIMDS: "2018-02-01", MISourceAppService: "2019-08-01"}[m.Source]
	}
	return m
}

// ParseMISource reads a source name; an unknown one is a *FieldError naming the choices.
func ParseMISource(name string) (MISource, error) {
	switch s := MISource(strings.ToLower(strings.TrimSpace(name))); s {
	case MISourceIMDS, MISourceAppService:
		return s, nil
	case "appservice", "functions":
		return MISourceAppService, nil
	}
	return "", &FieldError{Field: "mi-source", Value: name, Problem: "is not a managed identity source", Fix: "use imds (VM, AKS, Container Apps) or app-service (App Service, Functions)"}
}

// validate checks the managed identity settings before anything is sent.
func (m ManagedIdentitySettings) validate() error {
	m = m.withDefaults(nil)
	if _, err := ParseMISource(string(m.Source)); err != nil {
		return err
	}
	if m.Endpoint == "" {
		return &FieldError{Field: "mi-endpoint", Problem: "is required for App Service", Fix: "App Service and Functions set IDENTITY_ENDPOINT; pass it with --mi-endpoint or run there"}
	}
	u, err := url.Parse(m.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return &FieldError{Field: "mi-endpoint", Value: m.Endpoint, Problem: "is not an http(s) URL", Fix: "give the full token URL, e.g. " + IMDSEndpoint}
	}
	if m.Source == MISourceAppService && m.IdentityHeader == "" {
		return &FieldError{Field: "identity-header", Problem: "is required for App Service", Fix: "App Service and Functions set IDENTITY_HEADER; export it or pass --identity-header"}
	}
	n := 0
	for _, v := range []string{m.ClientID, m.ObjectID, m.ResourceID} {
		if v != "" {
			n++
		}
	}
	if n > 1 {
		return &FieldError{Field: "mi-client-id", Problem: "cannot be combined with --mi-object-id or --mi-resource-id", Fix: "select a user-assigned identity by one of its client ID, object ID or resource ID"}
	}
	for field, v := range map[string]string{"mi-client-id": m.ClientID, "mi-object-id": m.ObjectID} {
		if v != "" && !guidPattern().MatchString(v) {
			return &FieldError{Field: field, Value: v, Problem: "is not a GUID", Fix: "copy it from the identity's overview in the Azure portal"}
		}
	}
	if m.ResourceID != "" && !strings.HasPrefix(strings.ToLower(m.ResourceID), "/subscriptions/") {
		return &FieldError{Field: "mi-resource-id", Value: m.ResourceID, Problem: "is not an Azure resource ID", Fix: "give /subscriptions/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME"}
	}
	if strings.HasSuffix(m.Resource, "/.default") || strings.ContainsAny(m.Resource, " \t") {
		return &FieldError{Field: "resource", Value: m.Resource, Problem: "is a scope, not a resource", Fix: "managed identity endpoints take the resource: drop /.default (e.g. https://management.azure.com/)"}
	}
	return nil
}

// miExplain are the managed identity request's parameters and headers, explained once (built on first use).
var miExplain = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"api-version":       "The endpoint's protocol version: IMDS 2018-02-01, App Service 2019-08-01 (2017-09-01 is the legacy form with a date-string expires_on).",
		"resource":          "The API the token is for, as an App ID URI or app ID (not a scope: no /.default). It becomes the token's aud.",
		"client_id":         "Selects a user-assigned identity by its client ID; without a selector the host's system-assigned identity answers.",
		"object_id":         "Selects a user-assigned identity by its object (principal) ID.",
		"principal_id":      "App Service: selects a user-assigned identity by its object (principal) ID.",
		"msi_res_id":        "IMDS: selects a user-assigned identity by its Azure resource ID.",
		"mi_res_id":         "App Service: selects a user-assigned identity by its Azure resource ID.",
		"Metadata":          "IMDS refuses requests without Metadata: true (exactly, lower case): a guard against server-side request forgery.",
		"X-IDENTITY-HEADER": "App Service's IDENTITY_HEADER, rotated by the platform: proves the caller runs inside the site (a secret).",
	}
})

// prepareManagedIdentity builds the GET to IMDS or the App Service identity endpoint (beyond-tokens §1.2).
func (r *Run) prepareManagedIdentity() (*Request, error) {
	m := r.settings.ManagedIdentity
	p := func(name, value string) Param { return Param{Name: name, Value: value, Explanation: miExplain()[name]} }
	params := []Param{p("api-version", m.APIVersion), p("resource", m.Resource)}
	objectParam, resParam := "object_id", "msi_res_id"
	if m.Source == MISourceAppService {
		objectParam, resParam = "principal_id", "mi_res_id"
	}
	legacy := m.Source == MISourceAppService && m.APIVersion == "2017-09-01" // MSI_ENDPOINT's protocol
	switch {
	case m.ClientID != "" && legacy:
		params = append(params, Param{Name: "clientid", Value: m.ClientID, Explanation: "App Service 2017-09-01: selects a user-assigned identity by client ID (the only selector it has)."})
	case m.ClientID != "":
		params = append(params, p("client_id", m.ClientID))
	case m.ObjectID != "":
		params = append(params, p(objectParam, m.ObjectID))
	case m.ResourceID != "":
		params = append(params, p(resParam, m.ResourceID))
	}
	req := &Request{Method: http.MethodGet, URL: m.Endpoint, Params: params}
	if m.Source == MISourceAppService {
		r.redact.AddSecret(m.IdentityHeader)
		name := "X-IDENTITY-HEADER"
		if legacy {
			name = "secret" // MSI_SECRET, in the legacy protocol's header
		}
		req.Headers = []Header{{Name: name, Value: m.IdentityHeader, Secret: true}}
	} else {
		req.Headers = []Header{{Name: "Metadata", Value: "true"}}
	}
	return req, nil
}

// ManagedIdentityToken is what a managed identity endpoint answered, with expires_on made readable.
type ManagedIdentityToken struct {
	Source    MISource
	Resource  string    // as echoed by the endpoint
	ClientID  string    // App Service names the identity that answered
	ExpiresOn time.Time // zero when the endpoint sent no usable expiry
	// ExpiresOnRaw is expires_on as sent: epoch seconds (as a string or a number) or a date string.
	ExpiresOnRaw string
	// ExpiresOnForm says which form ExpiresOnRaw had, e.g. "epoch seconds" or "date string (MM/dd/yyyy …)".
	ExpiresOnForm string
}

// miResponse is the union of IMDS's and App Service's success bodies (§1.3): numbers may be strings.
type miResponse struct {
	AccessToken string          `json:"access_token"`
	TokenType   string          `json:"token_type"`
	ExpiresIn   json.RawMessage `json:"expires_in"`
	ExpiresOn   json.RawMessage `json:"expires_on"`
	Resource    string          `json:"resource"`
	ClientID    string          `json:"client_id"`
}

func (r *Run) applyManagedIdentity(ex *Exchange) error {
	m := r.settings.ManagedIdentity
	if ex.Status != http.StatusOK && ex.Status != http.StatusAccepted {
		return miError(ex, m)
	}
	var resp miResponse
	if err := json.Unmarshal([]byte(ex.ResponseBody), &resp); err != nil || resp.AccessToken == "" {
		return &ProtocolError{Leg: ex.LegName, Problem: "the managed identity endpoint's answer is not a token response (JSON with access_token)", Err: err}
	}
	now := r.opts.Now()
	mt := &ManagedIdentityToken{Source: m.Source, Resource: resp.Resource, ClientID: resp.ClientID}
	mt.ExpiresOnRaw, mt.ExpiresOn, mt.ExpiresOnForm = ParseExpiresOn(resp.ExpiresOn)
	expiresIn := flexInt(resp.ExpiresIn)
	if expiresIn == 0 && !mt.ExpiresOn.IsZero() {
		expiresIn = int(mt.ExpiresOn.Sub(now) / time.Second) // App Service sends expires_on only
	}
	t := &Tokens{TokenType: resp.TokenType, AccessToken: resp.AccessToken, ExpiresIn: expiresIn, Received: now}
	r.update(func(s *State) { s.Tokens, s.ManagedIdentity = t, mt })
	return nil
}

// expiresOnLayouts are the date strings MSAL Go accepts for expires_on (§1.3), plus App Service's legacy
// 12-hour form with an offset ("09/14/2017 00:00:00 PM +00:00").
var expiresOnLayouts = []struct{ layout, name string }{
	{"01/02/2006 03:04:05 PM -07:00", "date string (MM/dd/yyyy hh:mm:ss tt zzz, App Service 2017-09-01)"},
	{"01/02/2006 15:04:05", "date string (MM/dd/yyyy HH:mm:ss)"},
	{"2006-01-02 15:04:05", "date string (yyyy-MM-dd HH:mm:ss)"},
	{time.RFC3339, "date string (RFC 3339)"},
}

// ParseExpiresOn reads a managed identity expires_on: epoch seconds as a JSON string or number, or one of the
// date strings libraries accept. raw is the value as sent; at is zero when it could not be read.
func ParseExpiresOn(v json.RawMessage) (raw string, at time.Time, form string) {
	s := strings.TrimSpace(string(v))
	if s == "" || s == "null" {
		return "", time.Time{}, "absent"
	}
	quoted := strings.HasPrefix(s, `"`)
	if quoted {
		_ = json.Unmarshal(v, &s)
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		form = "epoch seconds (a JSON number)"
		if quoted {
			form = "epoch seconds (a string)"
		}
		return s, time.Unix(int64(n), 0), form
	}
	for _, l := range expiresOnLayouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			return s, t, l.name
		}
	}
	return s, time.Time{}, "unreadable (neither epoch seconds nor a known date string)"
}

// appServiceError is App Service's error body: {"StatusCode":400,"Message":"…","CorrelationId":"…"}.
type appServiceError struct {
	StatusCode    int    `json:"StatusCode"`
	Message       string `json:"Message"`
	CorrelationID string `json:"CorrelationId"`
}

// miError turns a managed identity endpoint's refusal into an *OAuthError whose explanation says what to change.
func miError(ex *Exchange, m ManagedIdentitySettings) error {
	oe, ok := ParseError(ex.Status, []byte(ex.ResponseBody))
	if !ok {
		var ae appServiceError
		if json.Unmarshal([]byte(ex.ResponseBody), &ae) != nil || ae.Message == "" {
			if m.Source == MISourceIMDS && isIMDSAddress(m.Endpoint) {
				// azidentity treats such an answer (e.g. Docker Desktop's 403 "unreachable") as "no IMDS here".
				return &ProtocolError{Leg: ex.LegName, Problem: fmt.Sprintf("169.254.169.254 answered %s (%s), which is not IMDS: "+
					"you are not on an Azure host, or a proxy or firewall intercepts the address (IMDS must be reached directly: "+
					"set NO_PROXY=169.254.169.254)", ex.StatusText, firstNonEmptyHeader(ex, "Content-Type"))}
			}
			return responseError(ex)
		}
		oe = &OAuthError{Status: ex.Status, Code: "app_service_error", Description: ae.Message, Message: ae.Message,
			CorrelationID: ae.CorrelationID, Body: ex.ResponseBody}
	}
	oe.Detail = explainMIError(oe, m)
	return oe
}

func selectorText(m ManagedIdentitySettings) string {
	switch {
	case m.ClientID != "":
		return "the user-assigned identity with client ID " + m.ClientID
	case m.ObjectID != "":
		return "the user-assigned identity with object ID " + m.ObjectID
	case m.ResourceID != "":
		return "the user-assigned identity " + m.ResourceID
	}
	return "the host's system-assigned identity"
}

func explainMIError(oe *OAuthError, m ManagedIdentitySettings) *AADSTSEntry {
	d := strings.ToLower(oe.Description)
	e := &AADSTSEntry{Code: oe.AADSTS(), Name: "ManagedIdentity", Error: oe.Code}
	switch {
	case oe.Code == "bad_request_102" || strings.Contains(d, "metadata header"):
		e.Cause = "IMDS refused the request because the Metadata: true header was missing or not exactly \"true\"."
		e.Fix = "Send the header Metadata: true (lower-case value) on every IMDS request."
	case strings.Contains(d, "identity not found") || strings.Contains(d, "no managed identity found"):
		e.Cause = "The host has no " + strings.TrimPrefix(selectorText(m), "the ") + ": it is not assigned to this " +
			map[MISource]string{MISourceIMDS: "VM or node", MISourceAppService: "App Service or Function app"}[m.Source] + "."
		e.Fix = "Turn on the system-assigned identity, or assign the user-assigned identity to this resource (Identity blade); " +
			"or select an identity that is assigned (check its client ID, object ID or resource ID)."
	case oe.Code == "invalid_resource" || strings.Contains(d, "aadsts500011") || strings.Contains(d, "aadsts50001"):
		e.Cause = "The resource " + strconvQuote(m.Resource) + " is not an API in this tenant."
		e.Fix = "Ask for the resource's App ID URI exactly (e.g. https://management.azure.com/, https://vault.azure.net, api://<app-id>); not a scope."
	case ex401(oe):
		e.Cause = "App Service refused the identity header: X-IDENTITY-HEADER was missing or is not this site's IDENTITY_HEADER (the platform rotates it)."
		e.Fix = "Read IDENTITY_HEADER from the environment at the time of the request and send it as X-IDENTITY-HEADER."
	case strings.Contains(d, "api-version"):
		e.Cause = "The endpoint does not accept api-version " + strconvQuote(m.APIVersion) + "."
		e.Fix = "Use 2018-02-01 for IMDS and 2019-08-01 for App Service (IDENTITY_ENDPOINT)."
	default:
		return nil
	}
	return e
}

func ex401(oe *OAuthError) bool { return oe.Status == http.StatusUnauthorized }

func strconvQuote(s string) string { return strconv.Quote(s) }

// explainMIFailure says "you are not on an Azure host" when the IMDS address does not answer.
func (r *Run) explainMIFailure(err error) error {
	var ne *NetworkError
	if !errors.As(err, &ne) {
		return err
	}
	m := r.settings.ManagedIdentity
	if m.Source == MISourceIMDS && isIMDSAddress(m.Endpoint) {
		return &NetworkError{Op: ne.Op, Timeout: ne.Timeout, Err: fmt.Errorf(
			"no answer from IMDS at 169.254.169.254 within %s: you are not on an Azure host (VM, scale set, AKS node, Container Apps), "+
				"or its metadata service is blocked; off Azure use workload identity federation or a certificate, or try this flow with --demo: %w",
			r.timeout(), ne.Err)}
	}
	return &NetworkError{Op: ne.Op, Timeout: ne.Timeout, Err: fmt.Errorf(
		"the managed identity endpoint %s did not answer: check IDENTITY_ENDPOINT / --mi-endpoint: %w", redactEndpoint(m.Endpoint), ne.Err)}
}

func isIMDSAddress(endpoint string) bool {
	u, err := url.Parse(endpoint)
	return err == nil && u.Hostname() == "169.254.169.254"
}

func redactEndpoint(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "(malformed)"
	}
	u.RawQuery = ""
	return u.String()
}

// isLinkLocal reports a 169.254.0.0/16 address: IMDS and some platform identity endpoints are plain http there,
// reachable only from the host itself, like loopback.
func isLinkLocal(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLinkLocalUnicast()
}

func firstNonEmptyHeader(ex *Exchange, name string) string {
	if v := ex.header(name); v != "" {
		return v
	}
	return "no content type"
}
