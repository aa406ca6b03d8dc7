package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestScenarioList(t *testing.T) {
	want := []string{"mfa-required", "consent-required", "secret-expired", "throttled", "transient-5xx", "slow",
		"clock-skew", "key-rotated", "group-overage", "device-declined"}
	have := map[string]Scenario{}
	for _, sc := range Scenarios() {
		if sc.Summary == "" || sc.Flow == "" {
			t.Errorf("scenario %q lacks a summary or flow", sc.Name)
		}
		have[sc.Name] = sc
	}
	for _, name := range want {
		if _, ok := have[name]; !ok {
			t.Errorf("scenario %q missing", name)
		}
	}
	if _, err := New(Options{NoListener: true, Scenarios: []string{"no-such-thing"}}); err == nil || !strings.Contains(err.Error(), `"no-such-thing"`) {
		t.Errorf("unknown scenario error = %v", err)
	}
	s := newTestServer(t, Options{NoListener: true})
	if err := s.SetScenarios([]string{"bogus"}); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("SetScenarios error = %v", err)
	}
}

func ccToken(t *testing.T, s *Server) map[string]any {
	t.Helper()
	resp, body := s.call(t, tokenCall{form: ccForm(daemonClientID, "client_secret", newDemoTenant().appByID(daemonClientID).Secret)})
	var tr tokenResponse
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &tr) != nil {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	return claimsOf(t, tr.AccessToken)
}

func TestClockSkewScenario(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	s := newTestServer(t, Options{NoListener: true, Now: func() time.Time { return now }, Scenarios: []string{scenarioClockSkew}})
	if iat := ccToken(t, s)["iat"].(float64); int64(iat) != now.Add(clockSkew).Unix() {
		t.Errorf("iat = %v, want %v", int64(iat), now.Add(clockSkew).Unix())
	}
}

func TestTransientScenarioThenRetrySucceeds(t *testing.T) {
	s := newTestServer(t, Options{NoListener: true, Scenarios: []string{scenarioTransient5xx}})
	form := ccForm(daemonClientID, "client_secret", newDemoTenant().appByID(daemonClientID).Secret)
	if resp, _ := s.call(t, tokenCall{form: form}); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("first: %d", resp.StatusCode)
	}
	if resp, body := s.call(t, tokenCall{form: form}); resp.StatusCode != http.StatusOK {
		t.Fatalf("retry: %d %s", resp.StatusCode, body)
	}
	// One more request leaves the count odd; switching the scenario on again starts it over, so the next
	// request fails again: each time a support engineer picks the scenario, it reproduces.
	s.call(t, tokenCall{form: form})
	if err := s.SetScenarios([]string{scenarioTransient5xx}); err != nil {
		t.Fatal(err)
	}
	if resp, _ := s.call(t, tokenCall{form: form}); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("first after switching on again: %d", resp.StatusCode)
	}
}

// TestSlowScenarioHonoursCancellation: a slow response is abandoned as soon as the client gives up.
func TestSlowScenarioHonoursCancellation(t *testing.T) {
	s := newTestServer(t, Options{Scenarios: []string{scenarioSlow}})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/common/v2.0/.well-known/openid-configuration", nil)
	start := time.Now()
	_, err := s.HTTPClient().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > slowDelay/2 {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
}

func TestGroupOverageScenario(t *testing.T) {
	s := newTestServer(t, Options{NoListener: true, AutoApprove: true, Scenarios: []string{scenarioGroupOverage}})
	web := s.Description().Apps.Web
	code := authorizeCode(t, s, web, nil)
	resp, body := s.call(t, tokenCall{form: map[string][]string{"grant_type": {"authorization_code"}, "client_id": {web.ClientID},
		"client_secret": {web.ClientSecret}, "code": {code}, "redirect_uri": {web.RedirectURI}}})
	var tr tokenResponse
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &tr) != nil {
		t.Fatal(body)
	}
	c := claimsOf(t, tr.AccessToken)
	src, _ := c["_claim_sources"].(map[string]any)
	if c["groups"] != nil || src["src1"] == nil {
		t.Errorf("claims = %v", c)
	}
}

// TestMFAClaimsChallengeSatisfied: after a 50076, an authorize request carrying the claims challenge yields a
// code that redeems.
func TestMFAClaimsChallengeSatisfied(t *testing.T) {
	s := newTestServer(t, Options{NoListener: true, AutoApprove: true})
	d := s.Description()
	web := d.Apps.Web
	redeem := func(extra map[string][]string) (*http.Response, string) {
		code := authorizeCode(t, s, web, extra)
		return s.call(t, tokenCall{form: map[string][]string{"grant_type": {"authorization_code"}, "client_id": {web.ClientID},
			"client_secret": {web.ClientSecret}, "code": {code}, "redirect_uri": {web.RedirectURI}}})
	}
	morgan := map[string][]string{"login_hint": {d.Users[1].Username}}
	resp, body := redeem(morgan)
	var e errorBody
	if resp.StatusCode != 400 || json.Unmarshal([]byte(body), &e) != nil || e.ErrorCodes[0] != 50076 || e.Claims == "" {
		t.Fatalf("first: %d %s", resp.StatusCode, body)
	}
	morgan["claims"] = []string{e.Claims}
	if resp, body := redeem(morgan); resp.StatusCode != 200 {
		t.Fatalf("with claims: %d %s", resp.StatusCode, body)
	}
}
