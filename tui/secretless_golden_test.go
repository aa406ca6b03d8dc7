package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/aadx/aadx/flows"
)

// secretlessRun opens a run screen of a secretless flow with pinned settings, its legs then driven by
// hand-made results (the emulator's tokens carry the real clock and random ids).
func secretlessRun(t *testing.T, id flows.FlowID, s flows.Settings, w, h int) *Model {
	t.Helper()
	m := New(pinned(Options{Settings: s}, nil))
	update(m, tea.WindowSizeMsg{Width: w, Height: h})
	f, _ := flows.Lookup(string(id))
	m.startRun(f, s)
	if m.run.initErr != nil {
		t.Fatal(m.run.initErr)
	}
	return m
}

var miClaims = strings.Join([]string{
	`{"aud":"https://management.azure.com/"`, `"iss":"https://sts.windows.net/7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13/"`,
	`"iat":1795942800`, `"nbf":1795942800`, `"exp":1796029200`, `"appid":"0f3a7c92-6e1d-4b58-a4c7-3d9e2b8f1a05"`,
	`"appidacr":"2"`, `"idtyp":"app"`, `"oid":"71c4e9a2-3b8d-4f06-9e5a-c2d7f1b4a893"`, `"sub":"71c4e9a2-3b8d-4f06-9e5a-c2d7f1b4a893"`,
	`"tid":"7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13"`, `"ver":"1.0"`,
	`"xms_mirid":"/subscriptions/5d2c8e71-9a4b-4f3c-b6e0-2f7a1d9c8b34/resourcegroups/aadx-demo/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aadx-demo-uami"}`,
}, ",")

// TestGoldenManagedIdentity: a user-assigned identity's token from IMDS, expires_on read beside the response.
func TestGoldenManagedIdentity(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			s := flows.Settings{ManagedIdentity: flows.ManagedIdentitySettings{Endpoint: "http://127.0.0.1:9/metadata/identity/oauth2/token",
				ClientID: "0f3a7c92-6e1d-4b58-a4c7-3d9e2b8f1a05"}}
			m := secretlessRun(t, flows.FlowManagedIdentity, s, sz.w, sz.h)
			exp := pinnedNow.Add(24 * time.Hour)
			body := fmt.Sprintf(`{"access_token":%q,"refresh_token":"","expires_in":"86400","expires_on":"%d","not_before":"%d","resource":"https://management.azure.com/","token_type":"Bearer"}`,
				testToken(miClaims), exp.Unix(), pinnedNow.Unix())
			ex := flows.Exchange{ID: 1, Leg: 0, LegName: flows.LegMIToken, Method: "GET",
				URL:            "http://127.0.0.1:9/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F&client_id=0f3a7c92-6e1d-4b58-a4c7-3d9e2b8f1a05",
				RequestHeaders: []flows.Header{{Name: "Metadata", Value: "true"}}, Status: 200, StatusText: "200 OK",
				ResponseHeaders: []flows.Header{{Name: "Content-Type", Value: "application/json; charset=utf-8"}},
				ResponseBody:    body, Timing: flows.Timing{Total: 3 * time.Millisecond}}
			st := flows.State{Tokens: &flows.Tokens{TokenType: "Bearer", AccessToken: testToken(miClaims), ExpiresIn: 86400},
				ManagedIdentity: &flows.ManagedIdentityToken{Source: flows.MISourceIMDS, Resource: "https://management.azure.com/",
					ExpiresOn: exp, ExpiresOnRaw: fmt.Sprint(exp.Unix()), ExpiresOnForm: "epoch seconds (a string)"}}
			update(m, legSentMsg{RunID: m.run.id, Leg: 0, State: st, Took: 3 * time.Millisecond, Exchanges: []flows.Exchange{ex}})
			screen := plainView(m)
			if !strings.Contains(screen, "expires_on") {
				t.Fatalf("expires_on is not read on screen:\n%s", screen)
			}
			golden.RequireEqual(t, screen)
		})
	}
}

// TestGoldenWorkloadIdentityMismatch: a GitHub token from a branch job presented to a credential that names
// an environment; the screen says which field, how each side reads, and how to fix it.
func TestGoldenWorkloadIdentityMismatch(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			cred := flows.FederatedCredential{Name: "github-production", Issuer: "https://token.actions.githubusercontent.com",
				Subject: "repo:octo-org/octo-repo:environment:production"}
			s := flows.Settings{Authority: "http://127.0.0.1:9", Tenant: "7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13",
				ClientID: "b8e41c7d-2f95-4a63-8d1e-9c0f7b3a5e26", Scopes: []string{"api://6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68/.default"},
				Workload: flows.WorkloadSettings{TokenURL: "http://127.0.0.1:9/issuers/github/token", Credentials: []flows.FederatedCredential{cred}}}
			m := secretlessRun(t, flows.FlowWorkloadIdentity, s, sz.w, sz.h)
			external := testToken(fmt.Sprintf(`{"iss":"https://token.actions.githubusercontent.com","sub":"repo:octo-org/octo-repo:ref:refs/heads/main","aud":"api://AzureADTokenExchange","exp":%d,"ref":"refs/heads/main"}`,
				pinnedNow.Add(5*time.Minute).Unix()))
			check := flows.CompareFederated(external, []flows.FederatedCredential{cred}, pinnedNow)
			update(m, legSentMsg{RunID: m.run.id, Leg: 0, State: flows.State{ExternalToken: external}, Took: 20 * time.Millisecond})
			r := m.run
			r.current, r.selected, r.preparing = 1, 1, false
			oe := &flows.OAuthError{Status: 401, Code: "invalid_client", Codes: []int{700213},
				Message:     "No matching federated identity record found for presented assertion subject 'repo:octo-org/octo-repo:ref:refs/heads/main'.",
				Description: "AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:octo-org/octo-repo:ref:refs/heads/main'.",
				TraceID:     "0b2f7c1e-0000-4000-8000-000000000001", CorrelationID: "0b2f7c1e-0000-4000-8000-000000000002", Timestamp: "2026-11-23 23:00:00Z"}
			if f, ok := check.Mismatch("subject"); ok {
				oe.Detail = &flows.AADSTSEntry{Code: 700213, Name: "NoMatchingFederatedIdentityRecordSubject", Error: "invalid_client",
					Cause: fmt.Sprintf("The token's subject %q does not equal the credential's %q: it %s.", f.Token, f.Credential, f.Problem), Fix: f.Fix}
			}
			update(m, legSentMsg{RunID: r.id, Leg: 1, Err: oe, Took: 9 * time.Millisecond,
				State: flows.State{ExternalToken: external, Federation: check}})
			screen := plainView(m)
			for _, want := range []string{"subject ✗", "environment"} {
				if !strings.Contains(screen, want) {
					t.Errorf("screen lacks %q:\n%s", want, screen)
				}
			}
			golden.RequireEqual(t, screen)
		})
	}
}
