package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// get sends a GET with headers and returns the status and body.
func get(t *testing.T, s *Server, target string, headers map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	return resp.StatusCode, readAll(t, resp)
}

func decodeJSON(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	return m
}

func TestIMDSIssuesManagedIdentityTokens(t *testing.T) {
	s := newTestServer(t, Options{})
	mi := s.Description().ManagedIdentity
	base := mi.IMDSEndpoint + "?api-version=2018-02-01&resource=" + url.QueryEscape("https://management.azure.com/")
	cases := []struct {
		name, query string
		want        Identity
	}{
		{"system-assigned", "", mi.VM},
		{"client_id", "&client_id=" + mi.UserAssigned.ClientID, mi.UserAssigned},
		{"object_id", "&object_id=" + mi.UserAssigned.ObjectID, mi.UserAssigned},
		{"msi_res_id", "&msi_res_id=" + url.QueryEscape(mi.UserAssigned.ResourceID), mi.UserAssigned},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 { // the same request twice gets a token twice
				status, body := get(t, s, base+tc.query, map[string]string{"Metadata": "true"})
				if status != http.StatusOK {
					t.Fatalf("status %d: %s", status, body)
				}
				r := decodeJSON(t, body)
				// Numbers as strings, an empty refresh_token, the resource echoed [IMDS-DOC].
				expOn, err1 := strconv.ParseInt(r["expires_on"].(string), 10, 64)
				expIn, err2 := strconv.Atoi(r["expires_in"].(string))
				if err1 != nil || err2 != nil || r["refresh_token"] != "" || r["resource"] != "https://management.azure.com/" || r["token_type"] != "Bearer" {
					t.Fatalf("response = %v", r)
				}
				c := claimsOf(t, r["access_token"].(string))
				if c["aud"] != "https://management.azure.com/" || c["appid"] != tc.want.ClientID || c["oid"] != tc.want.ObjectID ||
					c["sub"] != tc.want.ObjectID || c["xms_mirid"] != tc.want.ResourceID || c["idtyp"] != "app" || c["appidacr"] != "2" || c["ver"] != "1.0" {
					t.Errorf("claims = %v", c)
				}
				if int64(c["exp"].(float64)) != expOn || expIn < 86000 {
					t.Errorf("exp %v, expires_on %d, expires_in %d", c["exp"], expOn, expIn)
				}
			}
		})
	}
}

func TestIMDSErrorsLikeIMDS(t *testing.T) {
	s := newTestServer(t, Options{})
	mi := s.Description().ManagedIdentity
	ok := mi.IMDSEndpoint + "?api-version=2018-02-01&resource=https://management.azure.com/"
	cases := []struct {
		name, target, metadata string
		status                 int
		err, desc              string
	}{
		{"no Metadata header", ok, "", 400, "bad_request_102", "Required metadata header not specified"},
		{"Metadata True", ok, "True", 400, "bad_request_102", "Required metadata header not specified"},
		{"no api-version", mi.IMDSEndpoint + "?resource=x", "true", 400, "invalid_request", "api-version"},
		{"no resource", mi.IMDSEndpoint + "?api-version=2018-02-01", "true", 400, "invalid_request", "'resource'"},
		{"unknown client_id", ok + "&client_id=11111111-2222-3333-4444-555555555555", "true", 400, "invalid_request", "Identity not found"},
		{"system-assigned client_id", ok + "&client_id=" + mi.VM.ClientID, "true", 400, "invalid_request", "Identity not found"},
		{"two selectors", ok + "&client_id=" + mi.UserAssigned.ClientID + "&object_id=" + mi.UserAssigned.ObjectID, "true", 400, "invalid_request", "Only one"},
		{"scope, not resource", mi.IMDSEndpoint + "?api-version=2018-02-01&resource=https://management.azure.com/.default", "true", 400, "invalid_resource", "AADSTS500011"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.metadata != "" {
				h["Metadata"] = tc.metadata
			}
			status, body := get(t, s, tc.target, h)
			r := decodeJSON(t, body)
			if status != tc.status || r["error"] != tc.err || !strings.Contains(r["error_description"].(string), tc.desc) {
				t.Errorf("status %d body %s; want %d %s %q", status, body, tc.status, tc.err, tc.desc)
			}
		})
	}
	if err := s.SetScenarios([]string{"mi-not-assigned"}); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{ok, ok + "&client_id=" + mi.UserAssigned.ClientID} {
		status, body := get(t, s, target, map[string]string{"Metadata": "true"})
		if status != 400 || decodeJSON(t, body)["error_description"] != "Identity not found" {
			t.Errorf("mi-not-assigned: %d %s", status, body)
		}
	}
}

func TestAppServiceIdentityEndpoint(t *testing.T) {
	s := newTestServer(t, Options{})
	mi := s.Description().ManagedIdentity
	q := "?api-version=2019-08-01&resource=" + url.QueryEscape("api://"+apiClientID)
	hdr := map[string]string{"X-IDENTITY-HEADER": mi.IdentityHeader}

	status, body := get(t, s, mi.IdentityEndpoint+q+"&client_id="+mi.UserAssigned.ClientID, hdr)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	r := decodeJSON(t, body)
	if _, err := strconv.ParseInt(r["expires_on"].(string), 10, 64); err != nil || r["client_id"] != mi.UserAssigned.ClientID || r["expires_in"] != nil {
		t.Errorf("response = %v", r)
	}
	// A v2 API: aud is its app id, azp the identity; the UAMI holds an app role on it.
	c := claimsOf(t, r["access_token"].(string))
	if c["aud"] != apiClientID || c["azp"] != mi.UserAssigned.ClientID || c["ver"] != "2.0" || c["xms_az_rid"] != mi.WebApp.ResourceID {
		t.Errorf("claims = %v", c)
	}
	if roles, _ := c["roles"].([]any); len(roles) != 1 {
		t.Errorf("roles = %v", c["roles"])
	}

	// System-assigned by default; principal_id (alias object_id) selects too.
	for _, extra := range []string{"", "&principal_id=" + mi.UserAssigned.ObjectID, "&object_id=" + mi.UserAssigned.ObjectID, "&mi_res_id=" + url.QueryEscape(mi.UserAssigned.ResourceID)} {
		status, body := get(t, s, mi.IdentityEndpoint+q+extra, hdr)
		want := mi.UserAssigned.ClientID
		if extra == "" {
			want = mi.WebApp.ClientID
		}
		if status != 200 || decodeJSON(t, body)["client_id"] != want {
			t.Errorf("%q: %d %s", extra, status, body)
		}
	}

	// The legacy version: secret header, clientid, expires_on as a date string.
	status, body = get(t, s, mi.IdentityEndpoint+"?api-version=2017-09-01&resource=https://vault.azure.net&clientid="+mi.UserAssigned.ClientID,
		map[string]string{"secret": mi.IdentityHeader})
	if status != 200 {
		t.Fatalf("legacy: %d %s", status, body)
	}
	if on := decodeJSON(t, body)["expires_on"].(string); !strings.HasSuffix(on, " +00:00") {
		t.Errorf("legacy expires_on = %q", on)
	} else if _, err := time.Parse(appServiceDateLayout, on); err != nil {
		t.Errorf("legacy expires_on %q: %v", on, err)
	}

	errs := []struct {
		name, target string
		headers      map[string]string
		status       int
		msg          string
	}{
		{"no header", mi.IdentityEndpoint + q, nil, 401, "X-IDENTITY-HEADER"},
		{"wrong header", mi.IdentityEndpoint + q, map[string]string{"X-IDENTITY-HEADER": "guess"}, 401, "X-IDENTITY-HEADER"},
		{"IMDS api-version", mi.IdentityEndpoint + "?api-version=2018-02-01&resource=x", hdr, 400, "api-version"},
		{"unknown identity", mi.IdentityEndpoint + q + "&client_id=11111111-2222-3333-4444-555555555555", hdr, 400, "No Managed Identity found for specified ClientId/ResourceId/PrincipalId."},
	}
	for _, tc := range errs {
		status, body := get(t, s, tc.target, tc.headers)
		r := decodeJSON(t, body)
		if status != tc.status || r["StatusCode"] != float64(tc.status) || !strings.Contains(r["Message"].(string), tc.msg) {
			t.Errorf("%s: %d %s", tc.name, status, body)
		}
	}
}

// mint asks a hosted issuer for a subject token.
func mint(t *testing.T, s *Server, tokenURL string, query url.Values) string {
	t.Helper()
	status, body := get(t, s, tokenURL+"?"+query.Encode(), nil)
	if status != 200 {
		t.Fatalf("mint: %d %s", status, body)
	}
	return decodeJSON(t, body)["value"].(string)
}

func TestExternalIssuersAreOpenIDProviders(t *testing.T) {
	s := newTestServer(t, Options{})
	w := s.Description().WorkloadIdentity
	ctx := oidc.ClientContext(testContext(t), s.HTTPClient())
	for name, iss := range map[string]ExternalIssuer{"github": w.Issuers.GitHub, "kubernetes": w.Issuers.Kubernetes} {
		t.Run(name, func(t *testing.T) {
			p, err := oidc.NewProvider(ctx, iss.Issuer) // checks that discovery's issuer is exactly this
			if err != nil {
				t.Fatal(err)
			}
			tok := mint(t, s, iss.TokenURL, url.Values{"audience": {federatedAudience}})
			idt, err := p.Verifier(&oidc.Config{ClientID: federatedAudience}).Verify(ctx, tok)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			want := map[string]string{"github": githubSubject, "kubernetes": k8sSubject}[name]
			if idt.Subject != want || idt.Issuer != iss.Issuer {
				t.Errorf("sub %q iss %q", idt.Subject, idt.Issuer)
			}
		})
	}
	// GitHub's subject forms: environment, pull_request, ref; the default audience is the owner URL.
	gh := w.Issuers.GitHub.TokenURL
	for q, want := range map[string]string{
		"environment=staging":                   "repo:octo-org/octo-repo:environment:staging",
		"environment=&event=pull_request":       "repo:octo-org/octo-repo:pull_request",
		"environment=&ref=refs/tags/v1.2.0":     "repo:octo-org/octo-repo:ref:refs/tags/v1.2.0",
		"environment=&ref=refs/heads/feature/x": "repo:octo-org/octo-repo:ref:refs/heads/feature/x",
	} {
		v, _ := url.ParseQuery(q)
		c := claimsOf(t, mint(t, s, gh, v))
		if c["sub"] != want || c["aud"] != "https://github.com/octo-org" {
			t.Errorf("%s: sub %v aud %v", q, c["sub"], c["aud"])
		}
	}
}

func federatedForm(assertion string) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {workloadClientID},
		"scope": {"api://" + apiClientID + "/.default"}, "client_assertion_type": {assertionTypeJWT}, "client_assertion": {assertion}}
}

func TestFederatedCredentialExchange(t *testing.T) {
	s := newTestServer(t, Options{})
	w := s.Description().WorkloadIdentity
	aud := url.Values{"audience": {federatedAudience}}
	for name, iss := range map[string]ExternalIssuer{"github": w.Issuers.GitHub, "kubernetes": w.Issuers.Kubernetes} {
		t.Run(name, func(t *testing.T) {
			tok := mint(t, s, iss.TokenURL, aud)
			for range 2 { // a subject token may be presented again while valid, as clients cache the file
				resp, body := s.call(t, tokenCall{form: federatedForm(tok)})
				if resp.StatusCode != 200 {
					t.Fatalf("status %d: %s", resp.StatusCode, body)
				}
				c := claimsOf(t, decodeJSON(t, body)["access_token"].(string))
				if c["azp"] != workloadClientID || c["azpacr"] != "2" || c["aud"] != apiClientID || c["idtyp"] != "app" {
					t.Errorf("claims = %v", c)
				}
			}
		})
	}
}

func TestFederatedCredentialMismatchScenarios(t *testing.T) {
	s := newTestServer(t, Options{})
	w := s.Description().WorkloadIdentity
	aud := url.Values{"audience": {federatedAudience}}
	cases := []struct {
		scenario string
		issuer   ExternalIssuer
		code     int
		names    string // what the message quotes
	}{
		{"fic-issuer-slash", w.Issuers.Kubernetes, 700211, "issuer '" + strings.TrimSuffix(w.Issuers.Kubernetes.Issuer, "/") + "'"},
		{"fic-audience", w.Issuers.GitHub, 700212, "audience 'https://github.com/octo-org'"},
		{"fic-audience", w.Issuers.Kubernetes, 700212, "audience 'https://kubernetes.default.svc.cluster.local'"},
		{"fic-subject-branch", w.Issuers.GitHub, 700213, "subject 'repo:octo-org/octo-repo:ref:refs/heads/main'"},
		{"fic-subject-case", w.Issuers.GitHub, 7002138, "case-insensitive comparison"},
		{"fic-subject-case", w.Issuers.Kubernetes, 7002138, "subject 'system:serviceaccount:payments:Worker'"},
		{"fic-expired", w.Issuers.GitHub, 700024, "not within its valid time range"},
	}
	for _, tc := range cases {
		t.Run(tc.scenario+"/"+tc.issuer.Issuer[strings.LastIndex(strings.TrimSuffix(tc.issuer.Issuer, "/"), "/")+1:], func(t *testing.T) {
			if err := s.SetScenarios([]string{tc.scenario}); err != nil {
				t.Fatal(err)
			}
			tok := mint(t, s, tc.issuer.TokenURL, aud)
			for range 2 {
				resp, body := s.call(t, tokenCall{form: federatedForm(tok)})
				e := decodeJSON(t, body)
				codes, _ := e["error_codes"].([]any)
				if resp.StatusCode != 401 || e["error"] != "invalid_client" || len(codes) != 1 || codes[0] != float64(tc.code) ||
					!strings.Contains(e["error_description"].(string), tc.names) {
					t.Errorf("status %d: %s", resp.StatusCode, body)
				}
			}
		})
	}
	// Off again: the same issuers' tokens work.
	if err := s.SetScenarios(nil); err != nil {
		t.Fatal(err)
	}
	if resp, body := s.call(t, tokenCall{form: federatedForm(mint(t, s, w.Issuers.Kubernetes.TokenURL, aud))}); resp.StatusCode != 200 {
		t.Errorf("after scenarios: %d %s", resp.StatusCode, body)
	}
}

func TestFederatedCredentialRejectsForeignTokens(t *testing.T) {
	s := newTestServer(t, Options{})
	// An Entra-signed token presented as if it were external: its issuer is not on any credential.
	resp, body := s.call(t, tokenCall{form: ccForm(daemonClientID, "client_secret", s.Description().Apps.Daemon.ClientSecret)})
	if resp.StatusCode != 200 {
		t.Fatal(body)
	}
	entra := decodeJSON(t, body)["access_token"].(string)
	resp, body = s.call(t, tokenCall{form: federatedForm(entra)})
	if resp.StatusCode != 401 || !strings.Contains(body, "AADSTS700211") {
		t.Errorf("Entra token: %d %s", resp.StatusCode, body)
	}
	// A token claiming a trusted issuer but signed by another key fails signature validation.
	forged := assertion(t, s, "RS256", nil, map[string]any{"iss": s.Description().WorkloadIdentity.Issuers.GitHub.Issuer,
		"sub": githubSubject, "aud": federatedAudience, "exp": time.Now().Add(time.Minute).Unix()})
	resp, body = s.call(t, tokenCall{form: federatedForm(forged)})
	if resp.StatusCode != 401 || !strings.Contains(body, "AADSTS700027") {
		t.Errorf("forged: %d %s", resp.StatusCode, body)
	}
	// A secret is not a credential of the workload app.
	resp, body = s.call(t, tokenCall{form: ccForm(workloadClientID, "client_secret", "guess")})
	if resp.StatusCode != 401 || !strings.Contains(body, "AADSTS7000215") {
		t.Errorf("secret: %d %s", resp.StatusCode, body)
	}
}
