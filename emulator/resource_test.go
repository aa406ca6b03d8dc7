package emulator

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// resourceFixture gets tokens from the emulator and calls its resources, on a settable clock.
type resourceFixture struct {
	t   *testing.T
	s   *Server
	clk *clock
	web App
}

func newResourceFixture(t *testing.T, scenarios ...string) *resourceFixture {
	clk := &clock{t: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
	s := newTestServer(t, Options{NoListener: true, AutoApprove: true, Now: clk.Now, Scenarios: scenarios})
	return &resourceFixture{t: t, s: s, clk: clk, web: s.Description().Apps.Web}
}

// userTokens signs the first demo user in to the web app for scope (and openid offline_access), with an
// optional claims request on /authorize.
func (f *resourceFixture) userTokens(scope, claims string) (access, refresh string) {
	extra := url.Values{"scope": {"openid offline_access " + scope}}
	if claims != "" {
		extra.Set("claims", claims)
	}
	code := authorizeCode(f.t, f.s, f.web, extra)
	return f.tokens(url.Values{"grant_type": {"authorization_code"}, "client_id": {f.web.ClientID}, "client_secret": {f.web.ClientSecret},
		"code": {code}, "redirect_uri": {f.web.RedirectURI}})
}

func (f *resourceFixture) tokens(form url.Values) (access, refresh string) {
	f.t.Helper()
	resp, body := f.s.call(f.t, tokenCall{form: form})
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("token: %d %s", resp.StatusCode, body)
	}
	var tr tokenResponse
	if err := json.Unmarshal([]byte(body), &tr); err != nil {
		f.t.Fatal(err)
	}
	return tr.AccessToken, tr.RefreshToken
}

func (f *resourceFixture) daemonToken(scope string) string {
	d := f.s.Description().Apps.Daemon
	at, _ := f.tokens(url.Values{"grant_type": {"client_credentials"}, "client_id": {d.ClientID}, "client_secret": {d.ClientSecret}, "scope": {scope}})
	return at
}

// mint signs an access token for the demo API from a hand-made grant (scopes nobody can consent to here).
func (f *resourceFixture) mint(g grant) string {
	g.TenantID, g.Client = f.s.tenant.ID, f.s.tenant.appByID(webClientID)
	if g.Resource == nil {
		g.Resource = f.s.tenant.resourceFor(apiClientID)
	}
	at, err := f.s.accessToken(g)
	if err != nil {
		f.t.Fatal(err)
	}
	return at
}

func (f *resourceFixture) call(method, path, token, body string) (*http.Response, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.s.URL()+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := f.s.HTTPClient().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp, readAll(f.t, resp)
}

func tamper(raw string) string {
	parts := strings.Split(raw, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"ver"`, `"xver"`, 1)))
	return strings.Join(parts, ".")
}

func TestDemoAPIValidatesLikeJwtBearer(t *testing.T) {
	f := newResourceFixture(t)
	user, _ := f.userTokens(apiScope(), "")
	graph, _ := f.userTokens("User.Read", "")
	alex := f.s.tenant.Users[0]
	tests := []struct {
		name      string
		token     func() string
		status    int
		challenge string
		body      string
	}{
		{"no token", func() string { return "" }, 401, "Bearer", ""},
		{"a user token for the API", func() string { return user }, 200, "", `"scp":"access_as_user"`},
		{"the daemon's app-only token", func() string { return f.daemonToken("api://" + apiClientID + "/.default") }, 200, "", `"roles":["Tasks.Read.All"]`},
		{"a Graph token", func() string { return graph }, 401, `Bearer error="invalid_token", error_description="The audience 'https://graph.microsoft.com' is invalid"`, ""},
		{"a token for another API", func() string { return f.daemonToken("api://" + downstreamClientID + "/.default") }, 401,
			`Bearer error="invalid_token", error_description="The audience '` + downstreamClientID + `' is invalid"`, ""},
		{"a tampered token", func() string { return tamper(user) }, 401, `Bearer error="invalid_token", error_description="The signature is invalid"`, ""},
		{"not a JWT", func() string { return "opaque" }, 401, `Bearer error="invalid_token", error_description="The signature is invalid"`, ""},
		{"no scp and no roles (IDW10201)", func() string { return f.mint(grant{}) }, 401, `Bearer error="invalid_token"`, ""},
		{"a scope the API does not accept: 403", func() string { return f.mint(grant{User: alex, Scopes: []string{"Other.Thing"}}) }, 403, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 2 { // the same answer every time
				resp, body := f.call(http.MethodGet, APIPath, tt.token(), "")
				if resp.StatusCode != tt.status || resp.Header.Get("WWW-Authenticate") != tt.challenge {
					t.Fatalf("%d %q %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
				}
				if tt.status == 403 && body != "" {
					t.Errorf("403 body %q, want empty", body)
				}
				if !strings.Contains(body, tt.body) {
					t.Errorf("body %s lacks %s", body, tt.body)
				}
			}
		})
	}
	// Expired beyond the 5-minute skew: JwtBearer's description with the .NET date.
	f.clk.Advance(accessTokenLifetime + 6*time.Minute)
	resp, _ := f.call(http.MethodPost, APIPath, user, "")
	if want := `Bearer error="invalid_token", error_description="The token expired at '11/29/2026 10:59:59'"`; resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != want {
		t.Errorf("expired: %d %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}

func TestDemoAPIMisconfigurationScenarios(t *testing.T) {
	for _, tt := range []struct{ scenario, challenge string }{
		{scenarioAPIExpectsURI, `Bearer error="invalid_token", error_description="The audience '` + apiClientID + `' is invalid"`},
		{scenarioAPIV1Only, `Bearer error="invalid_token", error_description="The issuer '(null)' is invalid"`},
	} {
		t.Run(tt.scenario, func(t *testing.T) {
			f := newResourceFixture(t, tt.scenario)
			user, _ := f.userTokens(apiScope(), "")
			resp, body := f.call(http.MethodGet, APIPath, user, "")
			if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != tt.challenge {
				t.Fatalf("%d %q %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
			}
			if err := f.s.SetScenarios(nil); err != nil {
				t.Fatal(err)
			}
			if resp, _ := f.call(http.MethodGet, APIPath, user, ""); resp.StatusCode != 200 {
				t.Errorf("scenario off: %d", resp.StatusCode)
			}
		})
	}
}

func TestGraphMe(t *testing.T) {
	f := newResourceFixture(t)
	graph, _ := f.userTokens("User.Read", "")
	api, _ := f.userTokens(apiScope(), "")
	resp, body := f.call(http.MethodGet, GraphPath+"/me", graph, "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json;odata.metadata=minimal") ||
		!strings.HasPrefix(body, `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users/$entity","businessPhones":[],"displayName":"Alex Rivera","givenName":"Alex","jobTitle":null`) ||
		!strings.Contains(body, `"id":"`+f.s.tenant.Users[0].OID+`"`) || resp.Header.Get("request-id") == "" {
		t.Fatalf("%d %s %s", resp.StatusCode, resp.Header, body)
	}
	plain := `Bearer realm="", authorization_uri="` + f.s.URL() + `/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`
	for _, tt := range []struct {
		name, token string
		status      int
		code, msg   string
	}{
		{"no token", "", 401, "InvalidAuthenticationToken", "Access token is empty."},
		{"the API's token", api, 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience."},
		{"app-only token", f.daemonToken("https://graph.microsoft.com/.default"), 400, "BadRequest", "/me request is only valid with delegated authentication flow."},
	} {
		resp, body := f.call(http.MethodGet, GraphPath+"/me", tt.token, "")
		var e graphErrorBody
		if resp.StatusCode != tt.status || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != tt.code || e.Error.Message != tt.msg ||
			e.Error.InnerError.RequestID != resp.Header.Get("request-id") || len(e.Error.InnerError.Date) != len("2006-01-02T15:04:05") {
			t.Errorf("%s: %d %s", tt.name, resp.StatusCode, body)
		}
		if tt.status == 401 && resp.Header.Get("WWW-Authenticate") != plain {
			t.Errorf("%s: WWW-Authenticate %q", tt.name, resp.Header.Get("WWW-Authenticate"))
		}
	}
}

// A user in more groups than a token carries gets _claim_names; Graph's getMemberObjects lists them all.
func TestGraphGroupOverageLookup(t *testing.T) {
	f := newResourceFixture(t)
	sam := f.s.tenant.Users[2]
	code := authorizeCode(t, f.s, f.web, url.Values{"scope": {"openid " + apiScope()}, "login_hint": {sam.Username}})
	apiToken, _ := f.tokens(url.Values{"grant_type": {"authorization_code"}, "client_id": {f.web.ClientID}, "client_secret": {f.web.ClientSecret},
		"code": {code}, "redirect_uri": {f.web.RedirectURI}})
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(apiToken, ".")[1])
	if !strings.Contains(string(payload), `"_claim_names":{"groups":"src1"}`) {
		t.Fatalf("no overage in %s", payload)
	}
	code = authorizeCode(t, f.s, f.web, url.Values{"scope": {"openid User.Read"}, "login_hint": {sam.Username}})
	graph, _ := f.tokens(url.Values{"grant_type": {"authorization_code"}, "client_id": {f.web.ClientID}, "client_secret": {f.web.ClientSecret},
		"code": {code}, "redirect_uri": {f.web.RedirectURI}})
	for _, path := range []string{"/me/getMemberObjects", "/users/" + sam.OID + "/getMemberObjects"} {
		resp, body := f.call(http.MethodPost, GraphPath+path, graph, `{"securityEnabledOnly": true}`)
		var out struct {
			Context string   `json:"@odata.context"`
			Value   []string `json:"value"`
		}
		if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &out) != nil || len(out.Value) != overageGroups ||
			out.Context != "https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)" {
			t.Errorf("%s: %d %.200s", path, resp.StatusCode, body)
		}
	}
	if resp, _ := f.call(http.MethodPost, GraphPath+"/me/getMemberObjects", graph, `{}`); resp.StatusCode != 400 {
		t.Errorf("no securityEnabledOnly: %d", resp.StatusCode)
	}
}

// challengeClaims parses an insufficient_claims challenge the way azcore does (base64url without padding,
// cut at the first '='), so a '+' or '/' would break it.
func challengeClaims(t *testing.T, header string) (claims string, nbf string) {
	t.Helper()
	_, after, ok := strings.Cut(header, `claims="`)
	if !ok || !strings.Contains(header, `error="insufficient_claims"`) {
		t.Fatalf("not a claims challenge: %s", header)
	}
	value, _, _ := strings.Cut(after, `"`)
	if strings.ContainsAny(value, "+/") {
		t.Fatalf("claims %s has + or /, which azcore cannot decode", value)
	}
	cut, _, _ := strings.Cut(value, "=")
	raw, err := base64.RawURLEncoding.DecodeString(cut)
	if err != nil {
		t.Fatal(err)
	}
	var req struct {
		AccessToken struct {
			Nbf struct {
				Essential bool   `json:"essential"`
				Value     string `json:"value"`
			} `json:"nbf"`
		} `json:"access_token"`
	}
	if err := json.Unmarshal(raw, &req); err != nil || !req.AccessToken.Nbf.Essential {
		t.Fatalf("claims %s: %v", raw, err)
	}
	return string(raw), req.AccessToken.Nbf.Value
}

// The CAE round trip: a 401 insufficient_claims, a token requested with those claims, the call again.
func TestCAEChallengeRoundTrip(t *testing.T) {
	f := newResourceFixture(t, scenarioCAEChallenge)
	at, rt := f.userTokens(apiScope(), "")
	resp, _ := f.call(http.MethodGet, APIPath, at, "")
	if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), `Bearer realm="", authorization_uri="`+f.s.URL()+`/common/oauth2/authorize", error="insufficient_claims", claims="`) {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	claims, nbf := challengeClaims(t, resp.Header.Get("WWW-Authenticate"))
	if nbf != fmt.Sprint(f.clk.Now().Unix()) {
		t.Errorf("nbf %s, want the event time", nbf)
	}
	// Graph challenges the same user's old token the same way, with its own shape and body.
	graph, _ := f.userTokens("User.Read", "")
	if resp, body := f.call(http.MethodGet, GraphPath+"/me", graph, ""); resp.StatusCode != 401 || !strings.Contains(body, "TokenIssuedBeforeRevocationTimestamp") ||
		!strings.Contains(resp.Header.Get("WWW-Authenticate"), `client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims"`) {
		t.Errorf("Graph: %d %s %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
	}
	// Without the claims, a token from the same second is still too old; with them it is newer.
	again, _ := f.tokens(url.Values{"grant_type": {"refresh_token"}, "client_id": {f.web.ClientID}, "client_secret": {f.web.ClientSecret}, "refresh_token": {rt}})
	if resp, _ := f.call(http.MethodGet, APIPath, again, ""); resp.StatusCode != 401 {
		t.Errorf("a token without the claims: %d", resp.StatusCode)
	}
	fresh, _ := f.tokens(url.Values{"grant_type": {"refresh_token"}, "client_id": {f.web.ClientID}, "client_secret": {f.web.ClientSecret},
		"refresh_token": {rt}, "claims": {claims}})
	for range 2 {
		if resp, body := f.call(http.MethodGet, APIPath, fresh, ""); resp.StatusCode != 200 {
			t.Fatalf("the new token: %d %s %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
		}
	}
	if resp, _ := f.call(http.MethodGet, APIPath, at, ""); resp.StatusCode != 401 {
		t.Errorf("the old token passes after the round trip: %d", resp.StatusCode)
	}
}

// session-revoked: the old refresh token dies (AADSTS50173); a fresh sign-in with the claims succeeds.
func TestSessionRevokedNeedsAFreshSignIn(t *testing.T) {
	f := newResourceFixture(t, scenarioSessionRevoked)
	at, rt := f.userTokens(apiScope(), "")
	resp, _ := f.call(http.MethodGet, APIPath, at, "")
	claims, _ := challengeClaims(t, resp.Header.Get("WWW-Authenticate"))
	f.clk.Advance(time.Second)
	resp, body := f.s.call(t, tokenCall{form: url.Values{"grant_type": {"refresh_token"}, "client_id": {f.web.ClientID},
		"client_secret": {f.web.ClientSecret}, "refresh_token": {rt}, "claims": {claims}}})
	if resp.StatusCode != 400 || !strings.Contains(body, `"error":"invalid_grant"`) || !strings.Contains(body, "AADSTS50173") || !strings.Contains(body, `"suberror":"bad_token"`) {
		t.Fatalf("refresh after revocation: %d %s", resp.StatusCode, body)
	}
	fresh, _ := f.userTokens(apiScope(), claims)
	if resp, body := f.call(http.MethodGet, APIPath, fresh, ""); resp.StatusCode != 200 {
		t.Fatalf("after a fresh sign-in: %d %s", resp.StatusCode, body)
	}
}

func TestCAEClaimsNeverNeedPlusOrSlash(t *testing.T) {
	for event := int64(1_700_000_000); event < 1_700_000_500; event++ {
		if c := caeClaims(event); strings.ContainsAny(c, "+/") {
			t.Fatalf("%d: %s", event, c)
		}
	}
}
