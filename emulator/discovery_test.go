package emulator

import (
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

func TestDiscoveryPerTenantForm(t *testing.T) {
	s := newTestServer(t, Options{TLS: true})
	tests := []struct {
		tenant, issuer string
	}{
		{demoTenantID, s.URL() + "/" + demoTenantID + "/v2.0"},
		{demoTenantDomain, s.URL() + "/" + demoTenantID + "/v2.0"},
		{"common", s.URL() + "/{tenantid}/v2.0"},
		{"organizations", s.URL() + "/{tenantid}/v2.0"},
		{"consumers", s.URL() + "/" + consumersTenant + "/v2.0"},
	}
	for _, tt := range tests {
		t.Run(tt.tenant, func(t *testing.T) {
			resp, body := s.call(t, tokenCall{method: http.MethodGet, path: "/" + tt.tenant + "/v2.0/.well-known/openid-configuration"})
			var doc map[string]any
			if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &doc) != nil {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			if doc["issuer"] != tt.issuer || doc["token_endpoint"] != s.URL()+"/"+tt.tenant+"/oauth2/v2.0/token" ||
				doc["device_authorization_endpoint"] != s.URL()+"/"+tt.tenant+"/oauth2/v2.0/devicecode" {
				t.Errorf("issuer %v token %v device %v", doc["issuer"], doc["token_endpoint"], doc["device_authorization_endpoint"])
			}
			if resp.Header.Get("Cache-Control") != "max-age=86400, private" || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("headers %v", resp.Header)
			}
		})
	}
	resp, body := s.call(t, tokenCall{method: http.MethodGet, path: "/" + demoTenantID + "/.well-known/openid-configuration"})
	var v1 map[string]any
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &v1) != nil || v1["issuer"] != "https://sts.windows.net/"+demoTenantID+"/" {
		t.Errorf("v1 discovery: %d %v", resp.StatusCode, v1["issuer"])
	}
}

// TestJWKS: kid = x5t = base64url SHA-1 of the x5c certificate; no alg [§1.3]. The key-rotated scenario
// publishes a new key first and signs with it.
func TestJWKS(t *testing.T) {
	s := newTestServer(t, Options{})
	keys := func() []jwk {
		resp, body := s.call(t, tokenCall{method: http.MethodGet, path: "/common/discovery/v2.0/keys"})
		var set struct{ Keys []jwk }
		if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &set) != nil {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		return set.Keys
	}
	set := keys()
	if len(set) != 1 {
		t.Fatalf("keys = %d", len(set))
	}
	k := set[0]
	der, _ := base64.StdEncoding.DecodeString(k.X5c[0])
	cert, err := x509.ParseCertificate(der)
	sum := sha1.Sum(der)
	if err != nil || k.Kid != base64.RawURLEncoding.EncodeToString(sum[:]) || k.X5t != k.Kid || k.Kty != "RSA" || k.Use != "sig" || k.E != "AQAB" {
		t.Errorf("key = %+v (%v)", k, err)
	}
	if k.Issuer != s.URL()+"/{tenantid}/v2.0" || cert == nil {
		t.Errorf("issuer = %q", k.Issuer)
	}
	if err := s.SetScenarios([]string{scenarioKeyRotated}); err != nil {
		t.Fatal(err)
	}
	rotated := keys()
	if len(rotated) != 2 || rotated[1].Kid != k.Kid || rotated[0].Kid == k.Kid {
		t.Fatalf("rotated set = %+v", rotated)
	}
	resp, body := s.call(t, tokenCall{form: ccForm(daemonClientID, "client_secret", newDemoTenant().appByID(daemonClientID).Secret)})
	var tr tokenResponse
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &tr) != nil {
		t.Fatal(body)
	}
	if kid := headerOf(t, tr.AccessToken)["kid"]; kid != rotated[0].Kid {
		t.Errorf("token kid = %v, want the rotated key %s", kid, rotated[0].Kid)
	}
}

func headerOf(t *testing.T, jwt string) map[string]any {
	t.Helper()
	var h map[string]any
	b, err := base64.RawURLEncoding.DecodeString(jwt[:indexByte(jwt, '.')])
	if err != nil || json.Unmarshal(b, &h) != nil {
		t.Fatalf("bad header in %q", jwt)
	}
	return h
}

func indexByte(s string, c byte) int {
	for i := range len(s) {
		if s[i] == c {
			return i
		}
	}
	return len(s)
}

func TestInstanceDiscovery(t *testing.T) {
	s := newTestServer(t, Options{TLS: true})
	q := url.Values{"api-version": {"1.1"}, "authorization_endpoint": {s.URL() + "/" + demoTenantID + "/oauth2/v2.0/authorize"}}
	resp, body := s.call(t, tokenCall{method: http.MethodGet, path: "/common/discovery/instance?" + q.Encode()})
	var doc struct {
		Endpoint string `json:"tenant_discovery_endpoint"`
	}
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &doc) != nil || doc.Endpoint != s.URL()+"/"+demoTenantID+"/v2.0/.well-known/openid-configuration" {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	q.Set("authorization_endpoint", "https://login.example.org/x/oauth2/v2.0/authorize")
	if resp, body := s.call(t, tokenCall{method: http.MethodGet, path: "/common/discovery/instance?" + q.Encode()}); resp.StatusCode != 400 || !json.Valid([]byte(body)) {
		t.Errorf("unknown instance: %d %s", resp.StatusCode, body)
	}
}
