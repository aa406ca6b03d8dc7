package flows

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Hostile peers: a provider aadx does not control answers with values meant to hurt the client. The engine must
// bound what it trusts and say, visibly, what it replaced.

// hostileDeviceProvider answers discovery like Entra, the device authorization request with deviceAnswer, and
// the first two polls with authorization_pending before issuing tokens.
func hostileDeviceProvider(t *testing.T, deviceAnswer string) *httptest.Server {
	t.Helper()
	var polls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/devicecode"):
			writeJSON(w, http.StatusOK, deviceAnswer)
		case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token"):
			if polls.Add(1) <= 2 {
				writeJSON(w, http.StatusBadRequest, `{"error":"authorization_pending","error_description":"AADSTS70016: pending"}`)
				return
			}
			writeJSON(w, http.StatusOK, `{"token_type":"Bearer","access_token":"eyJ0.eyJ0.c2ln","expires_in":3599}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func hostileDeviceRun(t *testing.T, deviceAnswer string, sleeps *fastSleep, events *eventLog) (*Run, time.Time) {
	t.Helper()
	srv := hostileDeviceProvider(t, deviceAnswer)
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	run, err := NewRun(FlowDeviceCode, Settings{Authority: srv.URL, Tenant: faultTenant, ClientID: faultClientID, Timeout: 5 * time.Second},
		Options{Sleep: sleeps.sleep, Now: func() time.Time { return now }, Events: events.add})
	if err != nil {
		t.Fatal(err)
	}
	return run, now
}

func TestHostileDeviceCodeIntervalAndExpiryAreBounded(t *testing.T) {
	const max = "9223372036854775807"
	tests := []struct {
		name         string
		interval     string
		expiresIn    string
		wantInterval time.Duration
		wantExpiry   time.Duration
		wantNotes    []string
	}{
		{"overflowing interval", max, "900", maxDeviceInterval * time.Second, 900 * time.Second, []string{"interval " + max, "polls every 60 s"}},
		{"interval of a year", "31536000", "900", maxDeviceInterval * time.Second, 900 * time.Second, []string{"interval 31536000", "polls every 60 s"}},
		{"negative interval", "-5", "900", 5 * time.Second, 900 * time.Second, []string{"interval -5", "polls every 5 s"}},
		{"expiry never", "5", max, 5 * time.Second, maxDeviceExpiresIn * time.Second, []string{"expires_in " + max, "after 3600 s"}},
		{"as Entra answers", "5", "900", 5 * time.Second, 900 * time.Second, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sleeps fastSleep
			var events eventLog
			answer := fmt.Sprintf(`{"device_code":"dc","user_code":"ABCD-EFGH","verification_uri":"https://microsoft.com/devicelogin","expires_in":%s,"interval":%s}`, tt.expiresIn, tt.interval)
			run, now := hostileDeviceRun(t, answer, &sleeps, &events)
			if err := run.RunAll(context.Background()); err != nil {
				t.Fatalf("RunAll: %v", err)
			}
			for i, w := range sleeps.recorded() {
				if w != tt.wantInterval {
					t.Errorf("wait %d before a poll is %s, want %s", i+1, w, tt.wantInterval)
				}
			}
			if n := len(sleeps.recorded()); n != 3 {
				t.Errorf("%d polls, want 3 (two pending, then tokens)", n)
			}
			d := run.State().Device
			if got := d.ExpiresAt.Sub(now); got != tt.wantExpiry {
				t.Errorf("the device code is polled for %s, want %s", got, tt.wantExpiry)
			}
			notes := strings.Join(d.Notes, "\n")
			var action *UserAction
			for _, e := range events.snapshot() {
				if e.Kind == EventUserAction {
					action = e.Action
				}
			}
			if action == nil || strings.Join(action.Notes, "\n") != notes {
				t.Errorf("the user-action event does not carry the notes %q: %+v", notes, action)
			}
			if len(tt.wantNotes) == 0 && notes != "" {
				t.Errorf("notes %q for an ordinary answer", notes)
			}
			for _, want := range tt.wantNotes {
				if !strings.Contains(notes, want) {
					t.Errorf("notes %q do not say %q", notes, want)
				}
			}
		})
	}
}

func TestHostileDeviceCodeVerificationURIMustBeHTTP(t *testing.T) {
	for _, uri := range []string{"javascript:alert(1)", "file:///etc/passwd", "ms-settings:privacy", "//evil.example/x", "https://"} {
		t.Run(uri, func(t *testing.T) {
			var sleeps fastSleep
			var events eventLog
			answer := fmt.Sprintf(`{"device_code":"dc","user_code":"ABCD-EFGH","verification_uri":%q,"expires_in":900,"interval":5}`, uri)
			run, _ := hostileDeviceRun(t, answer, &sleeps, &events)
			err := run.RunAll(context.Background())
			var pe *ProtocolError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), "verification_uri") || !strings.Contains(err.Error(), "http(s)") {
				t.Fatalf("RunAll = %v, want a protocol error refusing verification_uri", err)
			}
			if events.count(EventUserAction) != 0 {
				t.Error("a refused verification_uri was still offered to the user to open")
			}
			if len(sleeps.recorded()) != 0 {
				t.Error("aadx polled after refusing the device authorization")
			}
		})
	}
	t.Run("verification_uri_complete", func(t *testing.T) {
		var sleeps fastSleep
		var events eventLog
		run, _ := hostileDeviceRun(t, `{"device_code":"dc","user_code":"ABCD-EFGH","verification_uri":"https://microsoft.com/devicelogin","verification_uri_complete":"javascript:alert(1)","expires_in":900,"interval":5}`, &sleeps, &events)
		if err := run.RunAll(context.Background()); err != nil {
			t.Fatalf("RunAll: %v", err)
		}
		d := run.State().Device
		if d.VerificationURIComplete != "" || !strings.Contains(strings.Join(d.Notes, " "), "verification_uri_complete") {
			t.Errorf("verification_uri_complete %q kept, notes %q", d.VerificationURIComplete, d.Notes)
		}
	})
}

func (l *eventLog) snapshot() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Event(nil), l.events...)
}

// A non-Entra provider (as most do, after OpenID Connect Core §11) drops offline_access unless the authorize
// request says prompt=consent. aadx sends it for such an issuer, and not to Entra, which needs no such thing.
func TestOfflineAccessAskedOfANonEntraIssuerSendsPromptConsent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		base := "http://" + r.Host
		if r.URL.Path == "/jwks" {
			writeJSON(w, http.StatusOK, `{"keys":[]}`)
			return
		}
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"issuer":%q,"authorization_endpoint":"%[1]s/auth","token_endpoint":"%[1]s/token","jwks_uri":"%[1]s/jwks"}`, base))
	}))
	defer srv.Close()
	authorizeOf := func(t *testing.T, s Settings) *Request {
		t.Helper()
		run, err := NewRun(FlowPKCE, s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i, leg := range run.Legs() {
			req, err := run.Prepare(i)
			if err != nil {
				t.Fatal(err)
			}
			if leg.Name == LegAuthorize {
				return req
			}
			if _, err := run.Send(context.Background(), req); err != nil {
				t.Fatalf("%s: %v", leg.Name, err)
			}
		}
		t.Fatal("no authorize leg")
		return nil
	}
	base := Settings{Issuer: srv.URL, ClientID: "aadx-public", RedirectURI: "http://localhost:8400/cb", Timeout: 5 * time.Second}
	withOffline := base
	withOffline.Scopes = []string{"openid", "offline_access"}
	for round := 0; round < 2; round++ {
		if got := authorizeOf(t, withOffline).Get("prompt"); got != "consent" {
			t.Errorf("offline_access of a non-Entra issuer: prompt=%q, want consent", got)
		}
	}
	without := base
	without.Scopes = []string{"openid", "profile"}
	if got := authorizeOf(t, without).Get("prompt"); got != "" {
		t.Errorf("no offline_access: prompt=%q, want none", got)
	}
	for _, iss := range []string{"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", "https://contoso.ciamlogin.com/x/v2.0"} {
		if isEntraIssuer(iss) != true {
			t.Errorf("%s is not taken for Entra", iss)
		}
	}
	if isEntraIssuer(srv.URL) || isEntraIssuer("https://login.microsoftonline.com.evil.example/") {
		t.Error("a non-Entra issuer is taken for Entra")
	}
}

// When the user's own browser performs the sign-in, the leg is still a leg of the run: --json and the HAR show
// the authorize request with its parameters and the redirect the listener received, its code redacted.
func TestBrowserLegIsRecordedWhenTheUsersBrowserPerformsIt(t *testing.T) {
	srv := httptest.NewServer(providerWithFault(fault{handler: func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }}, "/never"))
	defer srv.Close()
	const code = "0.AUcA-authorization-code-from-the-browser"
	open := func(authURL string) error {
		u, err := url.Parse(authURL)
		if err != nil {
			return err
		}
		q := u.Query()
		go func() { // the user's browser, redirected by the provider to the listener
			resp, err := http.Get(q.Get("redirect_uri") + "?code=" + code + "&state=" + q.Get("state"))
			if err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	loopback, redirectURI, err := LoopbackForTest("http://127.0.0.1/callback", open, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	run, err := NewRun(FlowPKCE, Settings{Authority: srv.URL, Tenant: faultTenant, ClientID: faultClientID, RedirectURI: redirectURI,
		Scopes: []string{"openid", "offline_access"}, Timeout: 5 * time.Second}, Options{Browser: loopback})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.RunAll(context.Background()); err != nil {
		t.Fatalf("RunAll: %v", err)
	}
	var browserLeg *Exchange
	for _, ex := range run.Exchanges() {
		if ex.LegName == LegAuthorize {
			ex := run.Redactor().Exchange(ex)
			browserLeg = &ex
		}
	}
	if browserLeg == nil {
		t.Fatalf("no exchange for the browser leg among %d", len(run.Exchanges()))
	}
	for _, want := range []string{"code_challenge_method=S256", "state=" + run.State().State, "nonce=", "response_type=code"} {
		if !strings.Contains(browserLeg.URL, want) {
			t.Errorf("the recorded authorize request %s lacks %s", browserLeg.URL, want)
		}
	}
	location := headerValue(browserLeg.ResponseHeaders, "Location")
	if browserLeg.Status != http.StatusFound || !strings.HasPrefix(location, redirectURI+"?code=") || strings.Contains(location, code) {
		t.Errorf("the recorded redirect is %d %q; want 302 to %s with the code redacted", browserLeg.Status, location, redirectURI)
	}
}
