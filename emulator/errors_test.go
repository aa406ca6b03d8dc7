package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// clock is a settable clock for expiry tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

const correlationID = "0d6c7e2a-4b1f-4c3e-9a8d-5e7f1b2c3d4e"

// tokenCall is one request to an endpoint of the emulator.
type tokenCall struct {
	method  string
	path    string // after the authority; default the tenant's token endpoint
	form    url.Values
	headers map[string]string
}

func (s *Server) call(t testing.TB, c tokenCall) (*http.Response, string) {
	t.Helper()
	if c.method == "" {
		c.method = http.MethodPost
	}
	if c.path == "" {
		c.path = "/" + demoTenantID + "/oauth2/v2.0/token"
	}
	req, err := http.NewRequest(c.method, s.URL()+c.path, strings.NewReader(c.form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("client-request-id", correlationID)
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	client := s.HTTPClient()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readAll(t, resp)
}

// authorizeCode gets a code with AutoApprove (the GET redirects at once).
func authorizeCode(t testing.TB, s *Server, a App, extra url.Values) string {
	t.Helper()
	q := url.Values{"client_id": {a.ClientID}, "redirect_uri": {a.RedirectURI}, "response_type": {"code"},
		"scope": {"openid offline_access " + apiScope()}, "state": {"s"}}
	for k, v := range extra {
		q[k] = v
	}
	resp, body := s.call(t, tokenCall{method: http.MethodGet, path: "/" + demoTenantID + "/oauth2/v2.0/authorize?" + q.Encode()})
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("authorize: %d %s %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	return loc.Query().Get("code")
}

func apiScope() string { return "api://" + apiClientID + "/access_as_user" }

// assertion builds a client assertion for the daemon, signed with key (the registered one unless replaced).
func assertion(t testing.TB, s *Server, alg jose.SignatureAlgorithm, key *rsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	d := s.Description()
	block, rest := pem.Decode(d.Apps.Daemon.CertPEM)
	keyBlock, _ := pem.Decode(rest)
	parsed, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if key == nil {
		key = parsed.(*rsa.PrivateKey)
	}
	sum := sha256.Sum256(block.Bytes)
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("x5t#S256", base64.StdEncoding.EncodeToString(sum[:]))
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	now := s.now()
	c := map[string]any{"aud": s.URL() + "/" + demoTenantID + "/oauth2/v2.0/token", "iss": daemonClientID,
		"sub": daemonClientID, "jti": newGUID(), "nbf": now.Unix(), "exp": now.Add(10 * time.Minute).Unix()}
	for k, v := range claims {
		c[k] = v
	}
	payload, _ := json.Marshal(c)
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	compact, _ := jws.CompactSerialize()
	return compact
}

func ccForm(clientID string, extra ...string) url.Values {
	v := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "scope": {"api://" + apiClientID + "/.default"}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

func TestErrorsLikeEntra(t *testing.T) {
	d := newDemoTenant()
	web, daemon := d.appByID(webClientID), d.appByID(daemonClientID)
	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	webApp := App{ClientID: webClientID, ClientSecret: web.Secret, RedirectURI: "http://localhost/callback"}
	spaApp := App{ClientID: spaClientID, RedirectURI: "http://localhost/spa"}
	codeForm := func(code string, a App, extra ...string) url.Values {
		v := url.Values{"grant_type": {"authorization_code"}, "client_id": {a.ClientID}, "code": {code},
			"redirect_uri": {a.RedirectURI}}
		if a.ClientSecret != "" {
			v.Set("client_secret", a.ClientSecret)
		}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return v
	}
	verifier := strings.Repeat("v", 43)
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	pkce := url.Values{"code_challenge": {challenge}, "code_challenge_method": {"S256"}}

	tests := []struct {
		name      string
		opts      Options
		call      func(t *testing.T, s *Server, clk *clock) tokenCall
		status    int
		err       string
		code      int
		suberror  string
		hasClaims bool
	}{
		{"unknown tenant (90002)", Options{}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{path: "/nosuch.onmicrosoft.com/oauth2/v2.0/token", form: ccForm(daemonClientID, "client_secret", daemon.Secret)}
		}, 400, "invalid_tenant", 90002, "", false},
		{"unknown tenant on discovery (90002)", Options{}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{method: http.MethodGet, path: "/nosuch.onmicrosoft.com/v2.0/.well-known/openid-configuration"}
		}, 400, "invalid_tenant", 90002, "", false},
		{"missing grant_type (900144)", Options{}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{form: url.Values{"client_id": {daemonClientID}}}
		}, 400, "invalid_request", 900144, "", false},
		{"GET on /token (900561)", Options{}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{method: http.MethodGet}
		}, 400, "invalid_request", 900561, "", false},
		{"unknown client (700016)", Options{}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{form: ccForm("00000000-1111-2222-3333-444444444444", "client_secret", "x")}
		}, 400, "unauthorized_client", 700016, "", false},
		{"wrong secret (7000215)", Options{}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{form: ccForm(daemonClientID, "client_secret", "not-the-secret")}
		}, 401, "invalid_client", 7000215, "", false},
		{"no credential (7000218)", Options{}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{form: ccForm(daemonClientID)}
		}, 401, "invalid_client", 7000218, "", false},
		{"public client with secret (700025)", Options{}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{form: ccForm(publicClientID, "client_secret", "x")}
		}, 401, "invalid_client", 700025, "", false},
		{"assertion signed by another key (700027)", Options{}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			return tokenCall{form: ccForm(daemonClientID, "client_assertion_type", assertionTypeJWT,
				"client_assertion", assertion(t, s, jose.PS256, otherKey, nil))}
		}, 401, "invalid_client", 700027, "", false},
		{"expired assertion (700024)", Options{}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			old := s.now().Add(-time.Hour)
			return tokenCall{form: ccForm(daemonClientID, "client_assertion_type", assertionTypeJWT,
				"client_assertion", assertion(t, s, jose.RS256, nil, map[string]any{"nbf": old.Unix(), "exp": old.Add(10 * time.Minute).Unix()}))}
		}, 401, "invalid_client", 700024, "", false},
		{"assertion sub differs from iss (50048)", Options{}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			return tokenCall{form: ccForm(daemonClientID, "client_assertion_type", assertionTypeJWT,
				"client_assertion", assertion(t, s, jose.PS256, nil, map[string]any{"sub": "someone-else"}))}
		}, 401, "invalid_client", 50048, "", false},
		{"client credentials without /.default (70011)", Options{}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{form: ccForm(daemonClientID, "client_secret", daemon.Secret, "scope", apiScope())}
		}, 400, "invalid_scope", 70011, "", false},
		{"unknown scope (70011)", Options{}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{path: "/" + demoTenantID + "/oauth2/v2.0/devicecode", form: url.Values{"client_id": {publicClientID}, "scope": {"api://" + apiClientID + "/Nope.Write"}}}
		}, 400, "invalid_scope", 70011, "", false},
		{"client credentials on /common (9001023)", Options{}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{path: "/common/oauth2/v2.0/token", form: ccForm(daemonClientID, "client_secret", daemon.Secret)}
		}, 400, "invalid_request", 9001023, "", false},
		{"code redeemed twice (54005)", Options{AutoApprove: true}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			code := authorizeCode(t, s, webApp, nil)
			if resp, body := s.call(t, tokenCall{form: codeForm(code, webApp)}); resp.StatusCode != 200 {
				t.Fatalf("first redemption: %s", body)
			}
			return tokenCall{form: codeForm(code, webApp)}
		}, 400, "invalid_grant", 54005, "", false},
		{"expired code (70008)", Options{AutoApprove: true}, func(t *testing.T, s *Server, clk *clock) tokenCall {
			code := authorizeCode(t, s, webApp, nil)
			clk.Advance(11 * time.Minute)
			return tokenCall{form: codeForm(code, webApp)}
		}, 400, "invalid_grant", 70008, "", false},
		{"redirect URI differs at redemption (50011)", Options{AutoApprove: true}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			f := codeForm(authorizeCode(t, s, webApp, nil), webApp)
			f.Set("redirect_uri", "http://localhost/other")
			return tokenCall{form: f}
		}, 400, "invalid_grant", 50011, "", false},
		{"PKCE verifier mismatch (501481)", Options{AutoApprove: true}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			return tokenCall{form: codeForm(authorizeCode(t, s, webApp, pkce), webApp, "code_verifier", strings.Repeat("w", 43))}
		}, 400, "invalid_grant", 501481, "", false},
		{"SPA redemption without PKCE (9002325)", Options{AutoApprove: true}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			return tokenCall{form: codeForm(authorizeCode(t, s, spaApp, nil), spaApp), headers: map[string]string{"Origin": "http://localhost:3000"}}
		}, 400, "invalid_request", 9002325, "", false},
		{"Origin on a web redemption (9002326)", Options{AutoApprove: true}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			return tokenCall{form: codeForm(authorizeCode(t, s, webApp, nil), webApp), headers: map[string]string{"Origin": "http://localhost:3000"}}
		}, 400, "invalid_request", 9002326, "", false},
		{"SPA redemption without Origin (9002327)", Options{AutoApprove: true}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			return tokenCall{form: codeForm(authorizeCode(t, s, spaApp, pkce), spaApp, "code_verifier", verifier)}
		}, 400, "invalid_request", 9002327, "", false},
		{"MFA required (50076)", Options{AutoApprove: true, Scenarios: []string{scenarioMFARequired}}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			return tokenCall{form: codeForm(authorizeCode(t, s, webApp, nil), webApp)}
		}, 400, "interaction_required", 50076, "basic_action", true},
		{"consent required on refresh (65001)", Options{AutoApprove: true}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			resp, body := s.call(t, tokenCall{form: codeForm(authorizeCode(t, s, webApp, nil), webApp)})
			var tr tokenResponse
			if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &tr) != nil || tr.RefreshToken == "" {
				t.Fatalf("redemption: %s", body)
			}
			_ = s.SetScenarios([]string{scenarioConsentRequired})
			return tokenCall{form: url.Values{"grant_type": {"refresh_token"}, "client_id": {webClientID}, "client_secret": {web.Secret}, "refresh_token": {tr.RefreshToken}}}
		}, 400, "invalid_grant", 65001, "consent_required", false},
		{"device code pending (70016)", Options{}, func(t *testing.T, s *Server, clk *clock) tokenCall {
			dc := deviceCode(t, s)
			clk.Advance(time.Second) // past the polling interval
			return tokenCall{form: url.Values{"grant_type": {"device_code"}, "client_id": {publicClientID}, "device_code": {dc}}}
		}, 400, "authorization_pending", 70016, "", false},
		{"device code polled too fast (slow_down, RFC 8628 §3.5)", Options{DeviceInterval: time.Minute, Scenarios: []string{scenarioDeviceSlowDown}}, func(t *testing.T, s *Server, clk *clock) tokenCall {
			dc := deviceCode(t, s)
			clk.Advance(time.Second)
			return tokenCall{form: url.Values{"grant_type": {grantDeviceCodeURN}, "client_id": {publicClientID}, "device_code": {dc}}}
		}, 400, "slow_down", 70016, "", false},
		{"device code expired (70019)", Options{}, func(t *testing.T, s *Server, clk *clock) tokenCall {
			dc := deviceCode(t, s)
			clk.Advance(901 * time.Second)
			return tokenCall{form: url.Values{"grant_type": {grantDeviceCodeURN}, "client_id": {publicClientID}, "device_code": {dc}}}
		}, 400, "expired_token", 70019, "", false},
		{"device code declined", Options{AutoApprove: true, Scenarios: []string{scenarioDeviceDeclined}}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			return tokenCall{form: url.Values{"grant_type": {grantDeviceCodeURN}, "client_id": {publicClientID}, "device_code": {deviceCode(t, s)}}}
		}, 400, "authorization_declined", 70000, "", false},
		{"unknown device code", Options{}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{form: url.Values{"grant_type": {grantDeviceCodeURN}, "client_id": {publicClientID}, "device_code": {"made-up"}}}
		}, 400, "bad_verification_code", 70018, "", false},
		{"OBO with an app-only token (50013)", Options{}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			resp, body := s.call(t, tokenCall{form: ccForm(daemonClientID, "client_secret", daemon.Secret)})
			var tr tokenResponse
			if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &tr) != nil {
				t.Fatalf("client credentials: %s", body)
			}
			return tokenCall{form: oboForm(tr.AccessToken)}
		}, 400, "invalid_grant", 50013, "", false},
		{"OBO with a token for another audience (50013)", Options{AutoApprove: true}, func(t *testing.T, s *Server, _ *clock) tokenCall {
			code := authorizeCode(t, s, webApp, url.Values{"scope": {"openid User.Read"}})
			resp, body := s.call(t, tokenCall{form: codeForm(code, webApp)})
			var tr tokenResponse
			if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &tr) != nil {
				t.Fatalf("redemption: %s", body)
			}
			return tokenCall{form: oboForm(tr.AccessToken)}
		}, 400, "invalid_grant", 50013, "", false},
		{"expired secret (7000222)", Options{Scenarios: []string{scenarioSecretExpired}}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{form: ccForm(daemonClientID, "client_secret", daemon.Secret)}
		}, 401, "invalid_client", 7000222, "", false},
		{"disabled app (7000112)", Options{Scenarios: []string{scenarioAppDisabled}}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{form: ccForm(daemonClientID, "client_secret", daemon.Secret)}
		}, 400, "unauthorized_client", 7000112, "", false},
		{"throttled (429)", Options{Scenarios: []string{scenarioThrottled}}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{form: ccForm(daemonClientID, "client_secret", daemon.Secret)}
		}, 429, "temporarily_unavailable", 90055, "", false},
		{"transient 5xx (503)", Options{Scenarios: []string{scenarioTransient5xx}}, func(*testing.T, *Server, *clock) tokenCall {
			return tokenCall{form: ccForm(daemonClientID, "client_secret", daemon.Secret)}
		}, 503, "temporarily_unavailable", 90033, "", false},
	}
	timestamp := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{t: time.Now()}
			tt.opts.Now = clk.Now
			s := newTestServer(t, tt.opts)
			call := tt.call(t, s, clk)
			resp, body := s.call(t, call)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			var e errorBody
			if err := json.Unmarshal([]byte(body), &e); err != nil {
				t.Fatalf("body is not JSON: %s", body)
			}
			prefix := "AADSTS" + strconv.Itoa(tt.code) + ": "
			if e.Error != tt.err || len(e.ErrorCodes) != 1 || e.ErrorCodes[0] != tt.code || !strings.HasPrefix(e.ErrorDescription, prefix) {
				t.Errorf("error = %q %v %q, want %q [%d]", e.Error, e.ErrorCodes, e.ErrorDescription, tt.err, tt.code)
			}
			lines := strings.Split(e.ErrorDescription, "\r\n")
			if len(lines) != 4 || lines[1] != "Trace ID: "+e.TraceID || lines[2] != "Correlation ID: "+correlationID || lines[3] != "Timestamp: "+e.Timestamp {
				t.Errorf("error_description lines = %q", lines)
			}
			if e.CorrelationID != correlationID || resp.Header.Get("x-ms-request-id") != e.TraceID || !timestamp.MatchString(e.Timestamp) {
				t.Errorf("ids: correlation %q trace %q header %q timestamp %q", e.CorrelationID, e.TraceID, resp.Header.Get("x-ms-request-id"), e.Timestamp)
			}
			if e.ErrorURI != "https://login.microsoftonline.com/error?code="+strconv.Itoa(tt.code) {
				t.Errorf("error_uri = %q", e.ErrorURI)
			}
			if e.Suberror != tt.suberror || (e.Claims != "") != tt.hasClaims {
				t.Errorf("suberror %q claims %q", e.Suberror, e.Claims)
			}
			wantCache := "no-store, no-cache" // token endpoint
			if strings.Contains(call.path, "well-known") {
				wantCache = "max-age=86400, private" // discovery, even for an unknown tenant [§1.2]
			}
			if resp.Header.Get("Cache-Control") != wantCache {
				t.Errorf("Cache-Control = %q", resp.Header.Get("Cache-Control"))
			}
			if tt.status == 429 && resp.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		})
	}
}

func oboForm(assertion string) url.Values {
	return url.Values{"grant_type": {grantJWTBearer}, "client_id": {apiClientID}, "client_secret": {newDemoTenant().appByID(apiClientID).Secret},
		"assertion": {assertion}, "requested_token_use": {"on_behalf_of"}, "scope": {"api://" + downstreamClientID + "/.default"}}
}

func deviceCode(t testing.TB, s *Server) string {
	t.Helper()
	resp, body := s.call(t, tokenCall{path: "/" + demoTenantID + "/oauth2/v2.0/devicecode",
		form: url.Values{"client_id": {publicClientID}, "scope": {"openid " + apiScope()}}})
	var dc struct {
		DeviceCode string `json:"device_code"`
	}
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &dc) != nil {
		t.Fatalf("devicecode: %d %s", resp.StatusCode, body)
	}
	return dc.DeviceCode
}
