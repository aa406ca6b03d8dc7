package flows

import (
	"testing"
)

// The descriptor says what the front ends used to hard-code per flow: who needs a credential on which
// platform, which flows sign a user in through a browser, and which token a flow starts from.
func TestFlowDescriptors(t *testing.T) {
	type want struct {
		confidentialOn []Platform
		browser, polls bool
		chain          ChainToken
	}
	tests := map[FlowID]want{
		FlowAuthCode:          {confidentialOn: []Platform{"", PlatformWeb}, browser: true},
		FlowPKCE:              {confidentialOn: []Platform{PlatformWeb}, browser: true}, // a web app keeps its credential
		FlowClientCredentials: {confidentialOn: []Platform{"", PlatformWeb, PlatformSPA, PlatformPublic}},
		FlowDeviceCode:        {polls: true},
		FlowOBO:               {confidentialOn: []Platform{"", PlatformWeb, PlatformSPA, PlatformPublic}, chain: ChainAccessToken},
		FlowRefresh:           {chain: ChainRefreshToken},
	}
	for _, f := range Catalog() {
		w, ok := tests[f.ID]
		if !ok {
			continue // a flow added later is checked by TestEveryFlowIsDescribed
		}
		for _, p := range []Platform{"", PlatformWeb, PlatformSPA, PlatformPublic} {
			wantConf := false
			for _, c := range w.confidentialOn {
				wantConf = wantConf || c == p
			}
			if got := f.Confidential(p); got != wantConf {
				t.Errorf("%s on platform %q: Confidential = %v, want %v", f.ID, p, got, wantConf)
			}
		}
		if f.SignsInWithBrowser() != w.browser || f.PollsForApproval() != w.polls {
			t.Errorf("%s: browser %v polls %v, want %v %v", f.ID, f.SignsInWithBrowser(), f.PollsForApproval(), w.browser, w.polls)
		}
		var chain ChainToken
		if f.ChainsFrom != nil {
			chain = f.ChainsFrom.Token
		}
		if chain != w.chain {
			t.Errorf("%s chains from %q, want %q", f.ID, chain, w.chain)
		}
	}
}

// A new flow is one registration: the descriptor must say what the front ends need, or they cannot offer it.
func TestEveryFlowIsDescribed(t *testing.T) {
	for _, f := range Catalog() {
		if f.Client == "" || len(f.Legs) == 0 || len(f.Fields) == 0 {
			t.Errorf("%s: client kind %q, %d legs, %d fields: describe them in the catalogue", f.ID, f.Client, len(f.Legs), len(f.Fields))
		}
		if f.SignsInWithBrowser() && f.DefaultPlatform == "" {
			t.Errorf("%s signs in through a browser but has no default platform for its redirect URI", f.ID)
		}
		if len(f.ConfidentialOn) > 0 && len(f.Credentials) == 0 {
			t.Errorf("%s needs a credential but takes none", f.ID)
		}
		if c := f.ChainsFrom; c != nil {
			if from, ok := Lookup(string(c.From)); !ok || !from.UserSignsIn() {
				t.Errorf("%s chains from %q, which is not a flow a user signs in with", f.ID, c.From)
			}
		}
		for _, l := range f.Legs {
			if _, ok := legImpls()[l.Name]; !ok {
				t.Errorf("%s: leg %q has no prepare/apply in dispatch.go", f.ID, l.Name)
			}
		}
	}
}

// A refresh token is redeemed by the client it was issued to; a user token is the assertion as it came.
func TestChainApply(t *testing.T) {
	from := Settings{ClientID: "web-app", ClientSecret: "web-secret", Platform: PlatformWeb, Scopes: []string{"openid", "api://x/y"}}
	tokens := &Tokens{AccessToken: "user.access.token", RefreshToken: "rt"}

	var obo Settings
	if !(Chain{Token: ChainAccessToken}).Apply(&obo, from, tokens) || obo.Assertion != "user.access.token" || obo.ClientID != "" {
		t.Errorf("access token chain: %+v", obo)
	}
	refresh := Settings{ClientID: "public-app"}
	if !(Chain{Token: ChainRefreshToken}).Apply(&refresh, from, tokens) || refresh.RefreshToken != "rt" ||
		refresh.ClientID != "web-app" || refresh.ClientSecret != "web-secret" || len(refresh.Scopes) != 2 {
		t.Errorf("refresh token chain: %+v", refresh)
	}
	if (Chain{Token: ChainRefreshToken}).Apply(&Settings{}, from, &Tokens{AccessToken: "only"}) {
		t.Error("a run without a refresh token cannot feed a refresh flow")
	}
}
