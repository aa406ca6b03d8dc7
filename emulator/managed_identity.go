package emulator

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Managed identity endpoints on the emulator's own address (beyond-tokens §1): the IMDS path a VM calls at
// 169.254.169.254, and the App Service / Functions identity endpoint a site finds in IDENTITY_ENDPOINT.
const (
	imdsPath          = "/metadata/identity/oauth2/token"
	appServicePath    = "/MSI/token/" // as App Service's IDENTITY_ENDPOINT, e.g. http://127.0.0.1:41932/MSI/token/
	imdsAPIVersion    = "2018-02-01"
	appServiceVersion = "2019-08-01"
	appServiceLegacy  = "2017-09-01" // MSI_ENDPOINT + secret header; expires_on as a date string
	// miTokenLifetime: a VM's system-assigned token observed with exp − iat ≈ 24 h [MI-TOKEN-OBS].
	miTokenLifetime = 24 * time.Hour
)

// wellKnownAzureResources are resources every tenant has that managed identities commonly ask for. Their tokens
// are v1 (accessTokenAcceptedVersion null) with aud = the resource exactly as requested [IMDS-DOC].
var wellKnownAzureResources = []string{
	"https://management.azure.com", "https://management.core.windows.net", "https://vault.azure.net",
	"https://storage.azure.com", "https://database.windows.net", federatedAudience,
}

// miResource resolves a requested resource: a demo-tenant API (by app id or App ID URI) or a well-known Azure one.
type miResource struct {
	aud   string
	v1    bool
	roles []string
}

func (s *Server) miResourceFor(requested string, mi managedIdentity) (miResource, bool) {
	if r := s.tenant.resourceFor(requested); r != nil {
		res := miResource{aud: r.AppID, v1: r.TokenV1}
		if r.TokenV1 {
			res.aud = requested
		}
		if r.AppID == apiClientID && mi.Kind == "user-assigned" {
			res.roles = []string{"Tasks.Read.All"} // an app role assigned to the demo UAMI
		}
		return res, true
	}
	trimmed := strings.TrimSuffix(requested, "/")
	for _, known := range wellKnownAzureResources {
		if strings.EqualFold(trimmed, known) {
			return miResource{aud: requested, v1: true}, true
		}
	}
	return miResource{}, false
}

// miToken mints a managed identity's access token: idtyp app, appidacr 2, oid = sub = its service principal,
// xms_mirid its ARM resource id, no scp [MI-TOKEN-OBS].
func (s *Server) miToken(mi managedIdentity, res miResource, host azureHost) (string, time.Time, time.Time, error) {
	now := s.tokenTime()
	exp := now.Add(miTokenLifetime)
	c := map[string]any{
		"aud": res.aud, "iat": now.Unix(), "nbf": now.Unix(), "exp": exp.Unix(), "tid": s.tenant.ID,
		"oid": mi.ObjectID, "sub": mi.ObjectID, "idtyp": "app", "xms_mirid": mi.ResourceID,
		"uti": randomID(16), "rh": "0.aadx-emulator", "aio": randomID(24),
	}
	if mi.Kind == "user-assigned" {
		c["xms_az_rid"] = host.System.ResourceID // the hosting resource [MI-TOKEN-OBS]
	}
	if len(res.roles) > 0 {
		c["roles"] = res.roles
	}
	key, err := s.currentSigner()
	if err != nil {
		return "", now, exp, err
	}
	var tok string
	if res.v1 {
		c["iss"], c["idp"], c["ver"], c["appid"], c["appidacr"] = "https://sts.windows.net/"+s.tenant.ID+"/",
			"https://sts.windows.net/"+s.tenant.ID+"/", "1.0", mi.ClientID, "2"
		tok, err = signClaims(key.signerV1, c)
	} else {
		c["iss"], c["ver"], c["azp"], c["azpacr"] = s.issuerV2(s.tenant.ID), "2.0", mi.ClientID, "2"
		tok, err = signClaims(key.signer, c)
	}
	return tok, now, exp, err
}

// imdsResponse is IMDS's success body: numbers as strings, an empty refresh_token [IMDS-DOC].
type imdsResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    string `json:"expires_in"`
	ExpiresOn    string `json:"expires_on"`
	NotBefore    string `json:"not_before"`
	Resource     string `json:"resource"`
	TokenType    string `json:"token_type"`
}

// imdsError is IMDS's error body: the OAuth pair only [IMDS-DOC].
type imdsError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

func (s *Server) handleIMDS(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code, desc string) { writeJSON(w, status, imdsError{code, desc}) }
	// Exactly "true": IMDS refuses other spellings [IMDS-DOC]. Checked first, as the SSRF guard it is.
	if r.Header.Get("Metadata") != "true" {
		fail(http.StatusBadRequest, "bad_request_102", "Required metadata header not specified")
		return
	}
	q := r.URL.Query()
	if q.Get("api-version") == "" {
		fail(http.StatusBadRequest, "invalid_request", "Required query variable 'api-version' is missing")
		return
	}
	resource := q.Get("resource")
	if resource == "" {
		fail(http.StatusBadRequest, "invalid_request", "Required query variable 'resource' is missing")
		return
	}
	clientID, objectID, resID := q.Get("client_id"), q.Get("object_id"), q.Get("msi_res_id")
	if countNonEmpty(clientID, objectID, resID) > 1 {
		fail(http.StatusBadRequest, "invalid_request", "Only one of client_id, object_id and msi_res_id may be specified")
		return
	}
	mi, ok := demoVM.identityFor(clientID, objectID, resID)
	if !ok || s.scenarios.on(scenarioMINotAssigned) {
		fail(http.StatusBadRequest, "invalid_request", "Identity not found") // [AZID-MI-TEST]
		return
	}
	res, ok := s.miResourceFor(resource, mi)
	if !ok {
		ids := idsFor(r)
		fail(http.StatusBadRequest, "invalid_resource", "AADSTS500011: The resource principal named "+resource+
			" was not found in the tenant named "+demoTenantName+". This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.\r\nTrace ID: "+
			ids.trace+"\r\nCorrelation ID: "+ids.correlation+"\r\nTimestamp: "+s.now().UTC().Format(entraTime))
		return
	}
	tok, nbf, exp, err := s.miToken(mi, res, demoVM)
	if err != nil {
		fail(http.StatusInternalServerError, "unknown", "Failed to retrieve token from the Active directory.")
		return
	}
	writeJSON(w, http.StatusOK, imdsResponse{AccessToken: tok, ExpiresIn: strconv.Itoa(int(exp.Sub(nbf) / time.Second)),
		ExpiresOn: strconv.FormatInt(exp.Unix(), 10), NotBefore: strconv.FormatInt(nbf.Unix(), 10),
		Resource: resource, TokenType: "Bearer"})
}

// appServiceResponse is App Service's success body: expires_on only (epoch string in 2019-08-01, a date
// string in 2017-09-01), and the identity's client_id [APPSVC-MI].
type appServiceResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresOn   string `json:"expires_on"`
	Resource    string `json:"resource"`
	TokenType   string `json:"token_type"`
	ClientID    string `json:"client_id"`
}

// appServiceError is App Service's error body (observed in clients' fixtures, e.g. StatusCode 400 "No Managed
// Identity found for specified ClientId/ResourceId/PrincipalId.").
type appServiceError struct {
	StatusCode    int    `json:"StatusCode"`
	Message       string `json:"Message"`
	CorrelationID string `json:"CorrelationId"`
}

// appServiceDateLayout is the legacy expires_on, e.g. "09/14/2017 00:00:00 PM +00:00".
const appServiceDateLayout = "01/02/2006 03:04:05 PM -07:00"

func (s *Server) handleAppService(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, msg string) {
		writeJSON(w, status, appServiceError{StatusCode: status, Message: msg, CorrelationID: newGUID()})
	}
	q := r.URL.Query()
	version := q.Get("api-version")
	header, headerName := r.Header.Get("X-IDENTITY-HEADER"), "X-IDENTITY-HEADER"
	if version == appServiceLegacy {
		header, headerName = r.Header.Get("secret"), "secret"
	}
	if header == "" || subtle.ConstantTimeCompare([]byte(header), []byte(s.secretless.identityHeader)) != 1 {
		fail(http.StatusUnauthorized, "Unauthorized: the "+headerName+" header is missing or is not this host's IDENTITY_HEADER.")
		return
	}
	if version != appServiceVersion && version != appServiceLegacy {
		fail(http.StatusBadRequest, "The api-version '"+version+"' is not supported. Supported versions are '"+appServiceVersion+"' and '"+appServiceLegacy+"'.")
		return
	}
	resource := q.Get("resource")
	if resource == "" {
		fail(http.StatusBadRequest, "The parameter 'resource' should not be null or empty string.")
		return
	}
	clientID, objectID, resID := q.Get("client_id"), q.Get("principal_id"), q.Get("mi_res_id")
	if objectID == "" {
		objectID = q.Get("object_id") // an alias of principal_id [APPSVC-MI]
	}
	if version == appServiceLegacy {
		clientID, objectID, resID = q.Get("clientid"), "", ""
	}
	if countNonEmpty(clientID, objectID, resID) > 1 {
		fail(http.StatusBadRequest, "Only one of client_id, principal_id and mi_res_id may be specified.")
		return
	}
	mi, ok := demoWebApp.identityFor(clientID, objectID, resID)
	if !ok || s.scenarios.on(scenarioMINotAssigned) {
		fail(http.StatusBadRequest, "No Managed Identity found for specified ClientId/ResourceId/PrincipalId.")
		return
	}
	res, ok := s.miResourceFor(resource, mi)
	if !ok {
		fail(http.StatusInternalServerError, "AADSTS500011: The resource principal named "+resource+" was not found in the tenant named "+demoTenantName+".")
		return
	}
	tok, _, exp, err := s.miToken(mi, res, demoWebApp)
	if err != nil {
		fail(http.StatusInternalServerError, "An error occurred.")
		return
	}
	expiresOn := strconv.FormatInt(exp.Unix(), 10)
	if version == appServiceLegacy {
		expiresOn = exp.UTC().Format(appServiceDateLayout)
	}
	writeJSON(w, http.StatusOK, appServiceResponse{AccessToken: tok, ExpiresOn: expiresOn, Resource: resource,
		TokenType: "Bearer", ClientID: mi.ClientID})
}

func countNonEmpty(values ...string) int {
	n := 0
	for _, v := range values {
		if v != "" {
			n++
		}
	}
	return n
}
