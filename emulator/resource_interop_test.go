package emulator

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

// recorder is a transport that remembers each exchange (path, claims sent, status) before passing it on.
type recorder struct {
	mu    sync.Mutex
	next  *http.Client
	calls []string
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	note := req.Method + " " + req.URL.Path
	if req.Body != nil && req.Method == http.MethodPost {
		b, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(strings.NewReader(string(b)))
		if strings.Contains(string(b), "claims=") {
			note += " +claims"
		}
	}
	resp, err := r.next.Do(req)
	if err == nil {
		note += " " + resp.Status[:3]
	}
	r.mu.Lock()
	r.calls = append(r.calls, note)
	r.mu.Unlock()
	return resp, err
}

func (r *recorder) log() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.calls, "\n")
}

// azcore's BearerTokenPolicy meets the emulator's CAE challenge exactly as it meets a real resource's:
// it parses WWW-Authenticate, asks the azidentity credential for a token with the claims (a silent refresh
// carrying them), and retries the request once, which succeeds.
func TestAzcoreAnswersTheCAEChallenge(t *testing.T) {
	s := newTestServer(t, Options{TLS: true, AutoApprove: true, Scenarios: []string{scenarioCAEChallenge}})
	d := s.Description()
	rec := &recorder{next: s.HTTPClient()}
	cred, err := azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
		ClientOptions: azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: s.URL() + "/"}, Transport: rec},
		ClientID:      d.Apps.Public.ClientID, TenantID: d.TenantID, DisableInstanceDiscovery: true,
		UserPrompt: func(context.Context, azidentity.DeviceCodeMessage) error { return nil }, // auto-approved
	})
	if err != nil {
		t.Fatal(err)
	}
	pl := runtime.NewPipeline("aadx-interop", "v0.0.0", runtime.PipelineOptions{},
		&policy.ClientOptions{Transport: rec, PerRetryPolicies: []policy.Policy{runtime.NewBearerTokenPolicy(cred, []string{d.Apps.API.Scope}, nil)}})
	ctx := testContext(t)
	for range 2 { // the second call reuses the new token: no challenge, no token request
		req, err := runtime.NewRequest(ctx, http.MethodGet, d.APIURL)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := pl.Do(req)
		if err != nil {
			t.Fatalf("call: %v\n%s", err, rec.log())
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"scp":"access_as_user"`) {
			t.Fatalf("%d %s\n%s", resp.StatusCode, body, rec.log())
		}
	}
	log := rec.log()
	if strings.Count(log, "GET "+APIPath+" 401") != 1 || strings.Count(log, "GET "+APIPath+" 200") != 2 || !strings.Contains(log, "/oauth2/v2.0/token +claims 200") {
		t.Errorf("exchanges:\n%s", log)
	}
}

// MSAL Go has no challenge parser: the app reads the claims from WWW-Authenticate and passes them to
// AcquireTokenSilent (WithClaims), which refreshes with them instead of using the cached token.
func TestMSALGoAnswersTheCAEChallenge(t *testing.T) {
	s := newTestServer(t, Options{TLS: true, AutoApprove: true, Scenarios: []string{scenarioCAEChallenge}})
	d := s.Description()
	app, err := public.New(d.Apps.Public.ClientID, public.WithAuthority(s.URL()+"/"+d.TenantID),
		public.WithHTTPClient(s.HTTPClient()), public.WithInstanceDiscovery(false), public.WithClientCapabilities([]string{"CP1"}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	dc, err := app.AcquireTokenByDeviceCode(ctx, []string{d.Apps.API.Scope})
	if err != nil {
		t.Fatal(err)
	}
	res, err := dc.AuthenticationResult(ctx)
	if err != nil {
		t.Fatal(err)
	}
	call := func(token string) *http.Response {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, d.APIURL, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := s.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := call(res.AccessToken)
	if resp.StatusCode != 401 {
		t.Fatalf("first call: %d", resp.StatusCode)
	}
	claims, _ := challengeClaims(t, resp.Header.Get("WWW-Authenticate"))
	// Without the claims MSAL answers from its cache: the same, refused token.
	cached, err := app.AcquireTokenSilent(ctx, []string{d.Apps.API.Scope}, public.WithSilentAccount(res.Account))
	if err != nil || cached.AccessToken != res.AccessToken {
		t.Fatalf("silent without claims: %v", err)
	}
	fresh, err := app.AcquireTokenSilent(ctx, []string{d.Apps.API.Scope}, public.WithSilentAccount(res.Account), public.WithClaims(claims))
	if err != nil {
		t.Fatalf("silent with the challenge's claims: %v", err)
	}
	if fresh.AccessToken == res.AccessToken {
		t.Fatal("MSAL returned the cached token")
	}
	if resp := call(fresh.AccessToken); resp.StatusCode != 200 {
		t.Fatalf("after the claims: %d %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}
