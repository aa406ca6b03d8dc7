package decode

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// acceptFixture builds Entra-shaped access tokens signed with a test key, one claim changed per case.
type acceptFixture struct {
	t    *testing.T
	now  time.Time
	keys KeySource
}

const (
	apiID    = "6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68"
	clientID = "3f0c7d2e-8a14-4b6f-b5e9-1d2a7c4e9f30"
	tenantA  = "7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13"
	tenantB  = "11111111-2222-3333-4444-555555555555"
	v2Issuer = "https://login.microsoftonline.com/" + tenantA + "/v2.0"
	v1Issuer = "https://sts.windows.net/" + tenantA + "/"
	// usGovIssuer is tenant A's issuer in the US Government cloud, whose keys are not the public cloud's.
	usGovIssuer = "https://login.microsoftonline.us/" + tenantA + "/v2.0"
	graphAud    = "00000003-0000-0000-c000-000000000000"
	acceptNow   = 1_800_000_000
)

func newAcceptFixture(t *testing.T) acceptFixture {
	keys, err := StaticJWKS(jwks(t, entraKeys(t)[0]), "https://login.microsoftonline.com/common/discovery/v2.0/keys")
	if err != nil {
		t.Fatal(err)
	}
	return acceptFixture{t: t, now: time.Unix(acceptNow, 0).UTC(), keys: keys}
}

// v2 returns the claims of a delegated v2 token for the demo API; edit changes them.
func (f acceptFixture) v2(edit func(c map[string]any)) map[string]any {
	c := map[string]any{"aud": apiID, "iss": v2Issuer, "iat": acceptNow - 60, "nbf": acceptNow - 60, "exp": acceptNow + 3600,
		"azp": clientID, "azpacr": "1", "oid": "o", "scp": "access_as_user", "sub": "s", "tid": tenantA, "ver": "2.0"}
	if edit != nil {
		edit(c)
	}
	return c
}

func (f acceptFixture) v1(edit func(c map[string]any)) map[string]any {
	return f.v2(func(c map[string]any) {
		delete(c, "azp")
		delete(c, "azpacr")
		c["aud"], c["iss"], c["ver"], c["appid"], c["appidacr"] = "api://"+apiID, v1Issuer, "1.0", clientID, "1"
		if edit != nil {
			edit(c)
		}
	})
}

func (f acceptFixture) token(key signingKey, header map[string]any, claims map[string]any) *Token {
	b, err := json.Marshal(claims)
	if err != nil {
		f.t.Fatal(err)
	}
	h := map[string]any{"typ": "JWT", "kid": key.kid}
	for k, v := range header {
		if v == nil {
			delete(h, k)
			continue
		}
		h[k] = v
	}
	return mustDecode(f.t, sign(f.t, key, h, string(b)))
}

// expireAt dates a token to expire at exp, issued an hour before.
func expireAt(c map[string]any, exp int) {
	c["iat"], c["nbf"], c["exp"] = exp-3600, exp-3600, exp
}

func TestWouldAcceptNamesTheFailingRule(t *testing.T) {
	f := newAcceptFixture(t)
	k := entraKeys(t)
	api := API{Audiences: []string{apiID}, Tenants: []string{tenantA}}
	tests := []struct {
		name       string
		key        signingKey
		header     map[string]any
		claims     map[string]any
		api        API
		code       string // the reported failure; "" when accepted
		status     int
		fixWants   []string
		challenge  string
		alsoFailed []string // other rules that fail too
	}{
		{name: "accepted v2", key: k[0], claims: f.v2(nil), api: api, status: 200},
		{name: "accepted v1 with api:// audience", key: k[0], claims: f.v1(nil), api: API{Audiences: []string{"api://" + apiID}, Tenants: []string{tenantA}}, status: 200},
		{name: "v2 GUID aud, API validates api://", key: k[0], claims: f.v2(nil), api: API{Audiences: []string{"api://" + apiID}},
			code: "IDX10214", status: 401, fixWants: []string{"aud is the GUID", "v2.0 tokens always carry"},
			challenge: `Bearer error="invalid_token", error_description="The audience '` + apiID + `' is invalid"`},
		{name: "v1 api:// aud, API validates GUID", key: k[0], claims: f.v1(nil), api: API{Audiences: []string{apiID}},
			code: "IDX10214", status: 401, fixWants: []string{"App ID URI api://" + apiID, "accessTokenAcceptedVersion 2", "add both"}},
		{name: "v1 GUID aud, API validates api://", key: k[0], claims: f.v1(func(c map[string]any) { c["aud"] = apiID }), api: API{Audiences: []string{"api://" + apiID}},
			code: "IDX10214", status: 401, fixWants: []string{"Add both", "accessTokenAcceptedVersion 2"}},
		{name: "Graph token sent to the API", key: k[0], claims: f.v2(func(c map[string]any) { c["aud"] = graphAud; c["scp"] = "User.Read" }), api: api,
			code: "IDX10214", status: 401, fixWants: []string{"Microsoft Graph", "User.Read", "api://" + apiID + "/<scope>"}},
		{name: "token for another API", key: k[0], claims: f.v2(func(c map[string]any) { c["aud"] = "api://other" }), api: api,
			code: "IDX10214", status: 401, fixWants: []string{"not this API", "AADSTS500011"}},
		{name: "trailing slash ignored", key: k[0], claims: f.v2(func(c map[string]any) { c["aud"] = "https://contoso.com/api/" }), api: API{Audiences: []string{"https://contoso.com/api"}}, status: 200},
		{name: "Microsoft.Identity.Web default, v1 with GUID", key: k[0], claims: f.v1(func(c map[string]any) { c["aud"] = apiID }), api: API{ClientID: apiID},
			code: "IDX10231", status: 401, fixWants: []string{"api://" + apiID, "accessTokenAcceptedVersion"}},
		{name: "Microsoft.Identity.Web default, v2 with GUID", key: k[0], claims: f.v2(nil), api: API{ClientID: apiID}, status: 200},
		{name: "expired beyond skew", key: k[0], claims: f.v2(func(c map[string]any) { expireAt(c, acceptNow-600) }), api: api,
			code: "IDX10223", status: 401, fixWants: []string{"expired 10m ago", "5m"},
			challenge: `Bearer error="invalid_token", error_description="The token expired at '01/15/2027 07:50:00'"`},
		{name: "expired within skew", key: k[0], claims: f.v2(func(c map[string]any) { expireAt(c, acceptNow-120) }), api: api, status: 200},
		{name: "expired, a tighter skew", key: k[0], claims: f.v2(func(c map[string]any) { expireAt(c, acceptNow-120) }), api: API{Audiences: []string{apiID}, Skew: time.Minute},
			code: "IDX10223", status: 401},
		{name: "not yet valid beyond skew", key: k[0], claims: f.v2(func(c map[string]any) { c["nbf"] = acceptNow + 600 }), api: api,
			code: "IDX10222", status: 401, fixWants: []string{"clock", "NTP"},
			challenge: `Bearer error="invalid_token", error_description="The token is not valid before '01/15/2027 08:10:00'"`},
		{name: "not yet valid within skew", key: k[0], claims: f.v2(func(c map[string]any) { c["nbf"] = acceptNow + 120 }), api: api, status: 200},
		{name: "no exp", key: k[0], claims: f.v2(func(c map[string]any) { delete(c, "exp") }), api: api, code: "IDX10225", status: 401},
		{name: "v1 token, API accepts v2 only", key: k[0], claims: f.v1(nil), api: API{Audiences: []string{"api://" + apiID}, Tenants: []string{tenantA}, Version: 2},
			code: "IDX40001", status: 401, fixWants: []string{"v1.0 token", "accessTokenAcceptedVersion", ": 2"},
			challenge: `Bearer error="invalid_token", error_description="The issuer '(null)' is invalid"`},
		{name: "v2 token, API accepts v1 only", key: k[0], claims: f.v2(nil), api: API{Audiences: []string{apiID}, Version: 1},
			code: "IDX40001", status: 401, fixWants: []string{"v2.0 token", "null or 1"}},
		{name: "v1 token, plain JwtBearer with a v2 authority", key: k[0], claims: f.v1(nil), api: API{Audiences: []string{"api://" + apiID}, Tenants: []string{tenantA}, Plain: true},
			code: "IDX10205", status: 401, fixWants: []string{"accessTokenAcceptedVersion"},
			challenge: `Bearer error="invalid_token", error_description="The issuer '` + v1Issuer + `' is invalid"`},
		{name: "plain JwtBearer with the common template", key: k[0], claims: f.v2(nil), api: API{Audiences: []string{apiID}, Plain: true},
			code: "IDX10205", status: 401, fixWants: []string{"literally", "Microsoft.Identity.Web"}},
		{name: "multi-tenant: any tenant through {tenantid}", key: k[0], claims: f.v2(func(c map[string]any) {
			c["iss"], c["tid"] = "https://login.microsoftonline.com/"+tenantB+"/v2.0", tenantB
		}), api: API{Audiences: []string{apiID}, Tenants: []string{"organizations"}}, status: 200},
		{name: "tenant not allowed", key: k[0], claims: f.v2(func(c map[string]any) {
			c["iss"], c["tid"] = "https://login.microsoftonline.com/"+tenantB+"/v2.0", tenantB
		}), api: api, code: "IDX40001", status: 401, fixWants: []string{"tenant " + tenantB, "wrong tenant"}},
		{name: "explicit issuer template", key: k[0], claims: f.v2(nil), api: API{Audiences: []string{apiID}, Issuers: []string{"https://login.microsoftonline.com/{tenantid}/v2.0"}}, status: 200},
		{name: "signed by a key of another cloud", key: k[0], claims: f.v2(func(c map[string]any) { c["iss"] = usGovIssuer }),
			api:  API{Audiences: []string{apiID}, Issuers: []string{"https://login.microsoftonline.us/{tenantid}/v2.0"}},
			code: "IDX40005", status: 401, fixWants: []string{"belongs to issuer " + v2Issuer, "another authority or cloud"}},
		{name: "plain JwtBearer has no signing-key issuer check", key: k[0], claims: f.v2(func(c map[string]any) { c["iss"] = usGovIssuer }),
			api: API{Audiences: []string{apiID}, Issuers: []string{usGovIssuer}, Plain: true}, status: 200},
		{name: "an issuer failure is reported before the signing-key issuer", key: k[0], claims: f.v2(func(c map[string]any) { c["iss"] = usGovIssuer }),
			api: API{Audiences: []string{apiID}, Tenants: []string{tenantB}}, code: "IDX40001", status: 401, alsoFailed: []string{RuleSignature}},
		{name: "iss and tid disagree", key: k[0], claims: f.v2(func(c map[string]any) { c["tid"] = tenantB }), api: API{Audiences: []string{apiID}},
			code: "IDX40001", status: 401, fixWants: []string{"must agree"}},
		{name: "no tid", key: k[0], claims: f.v2(func(c map[string]any) { delete(c, "tid") }), api: api, code: "IDX40003", status: 401},
		{name: "not an Entra issuer", key: k[0], claims: f.v2(func(c map[string]any) { c["iss"] = "https://accounts.google.com" }), api: api,
			code: "IDX40001", status: 401, fixWants: []string{"another identity provider"}},
		{name: "unknown kid", key: k[1], claims: f.v2(nil), api: api, code: "IDX10503", status: 401, fixWants: []string{"rotates"},
			challenge: `Bearer error="invalid_token", error_description="The signature key was not found"`},
		{name: "unknown kid and expired: IDX10223 is reported", key: k[1], claims: f.v2(func(c map[string]any) { expireAt(c, acceptNow-3600) }), api: api,
			code: "IDX10223", status: 401, alsoFailed: []string{RuleSignature}},
		{name: "unknown kid and wrong tenant: issuer before audience", key: k[1], claims: f.v2(func(c map[string]any) {
			c["iss"], c["tid"], c["aud"] = "https://login.microsoftonline.com/"+tenantB+"/v2.0", tenantB, "x"
		}), api: api, code: "IDX40001", status: 401, alsoFailed: []string{RuleSignature, RuleAudience}},
		{name: "known kid, wrong key", key: k[1], header: map[string]any{"kid": k[0].kid}, claims: f.v2(nil), api: api, code: "IDX10511", status: 401,
			challenge: `Bearer error="invalid_token", error_description="The signature is invalid"`},
		{name: "no kid, no key verifies", key: k[1], header: map[string]any{"kid": nil}, claims: f.v2(nil), api: api, code: "IDX10517", status: 401},
		{name: "no kid, a key verifies", key: k[0], header: map[string]any{"kid": nil}, claims: f.v2(nil), api: api, status: 200},
		{name: "Graph nonce header", key: k[1], header: map[string]any{"kid": k[0].kid, "nonce": "abc"}, claims: f.v2(nil), api: api,
			code: "IDX10511", status: 401, fixWants: []string{"nonce", "Graph"}},
		{name: "no scp and no roles", key: k[0], claims: f.v2(func(c map[string]any) { delete(c, "scp") }), api: api,
			code: "IDW10201", status: 401, challenge: `Bearer error="invalid_token"`, fixWants: []string{"Expose an API"}},
		{name: "no scp and no roles, plain JwtBearer", key: k[0], claims: f.v2(func(c map[string]any) { delete(c, "scp") }),
			api: API{Audiences: []string{apiID}, Issuers: []string{v2Issuer}, Plain: true}, status: 200},
		{name: "missing required scope", key: k[0], claims: f.v2(nil), api: API{Audiences: []string{apiID}, Scopes: []string{"Tasks.Read"}},
			code: "403", status: 403, fixWants: []string{"access_as_user", "Tasks.Read", "consent"}},
		{name: "required scope present", key: k[0], claims: f.v2(func(c map[string]any) { c["scp"] = "access_as_user Tasks.Read" }), api: API{Audiences: []string{apiID}, Scopes: []string{"Tasks.Read"}}, status: 200},
		{name: "app-only token, API requires a scope", key: k[0], claims: f.v2(func(c map[string]any) {
			delete(c, "scp")
			c["roles"], c["idtyp"] = []string{"Tasks.Read.All"}, "app"
		}), api: API{Audiences: []string{apiID}, Scopes: []string{"access_as_user"}}, code: "403", status: 403, fixWants: []string{"app-only", "app role"}},
		{name: "app-only token, scope or role", key: k[0], claims: f.v2(func(c map[string]any) {
			delete(c, "scp")
			c["roles"] = []string{"Tasks.Read.All"}
		}), api: API{Audiences: []string{apiID}, Scopes: []string{"access_as_user"}, Roles: []string{"Tasks.Read.All"}}, status: 200},
		{name: "missing role", key: k[0], claims: f.v2(func(c map[string]any) {
			delete(c, "scp")
			c["roles"], c["idtyp"] = []string{"Tasks.Read.All"}, "app"
		}), api: API{Audiences: []string{apiID}, Roles: []string{"Tasks.ReadWrite.All"}}, code: "403", status: 403, fixWants: []string{"admin consent"}},
		{name: "group member", key: k[0], claims: f.v2(func(c map[string]any) { c["groups"] = []string{"g1", "g2"} }), api: API{Audiences: []string{apiID}, Groups: []string{"g2"}}, status: 200},
		{name: "group overage", key: k[0], claims: f.v2(func(c map[string]any) {
			c["_claim_names"] = map[string]string{"groups": "src1"}
			c["_claim_sources"] = map[string]any{"src1": map[string]string{"endpoint": "https://graph.windows.net/t/users/o/getMemberObjects"}}
		}), api: API{Audiences: []string{apiID}, Groups: []string{"g2"}}, code: "403", status: 403, fixWants: []string{"getMemberObjects", "ApplicationGroup", "app roles"}},
		{name: "no groups claim", key: k[0], claims: f.v2(nil), api: API{Audiences: []string{apiID}, Groups: []string{"g2"}}, code: "403", status: 403, fixWants: []string{"Add groups claim"}},
		{name: "not in the group", key: k[0], claims: f.v2(func(c map[string]any) { c["groups"] = []string{"g1"} }), api: API{Audiences: []string{apiID}, Groups: []string{"g2"}}, code: "403", status: 403},
		{name: "client app not allowed", key: k[0], claims: f.v2(nil), api: API{Audiences: []string{apiID}, ClientApps: []string{"aaaaaaaa-0000-0000-0000-000000000000"}},
			code: "403", status: 403, fixWants: []string{clientID, "Assignment required"}},
		{name: "client app allowed, v1 appid", key: k[0], claims: f.v1(nil), api: API{Audiences: []string{"api://" + apiID}, ClientApps: []string{clientID}}, status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.api.Keys = f.keys
			tok := f.token(tt.key, tt.header, tt.claims)
			v := WouldAccept(context.Background(), tok, tt.api, f.now)
			failure, failed := v.Failure()
			if tt.code == "" {
				if !v.Accepted || failed {
					t.Fatalf("rejected with %s: %s (fix: %s)", failure.Code, failure.Message, failure.Fix)
				}
			} else {
				if v.Accepted || failure.Code != tt.code {
					t.Fatalf("reported %q (%s), want %s; checks %+v", failure.Code, failure.Message, tt.code, v.Checks)
				}
				if !strings.HasPrefix(failure.Message, tt.code+":") && tt.code != "403" {
					t.Errorf("message %q does not start with the code", failure.Message)
				}
				if failure.Fix == "" {
					t.Errorf("no fix for %s", tt.code)
				}
			}
			if v.Status != tt.status {
				t.Errorf("status %d, want %d", v.Status, tt.status)
			}
			for _, w := range tt.fixWants {
				if !strings.Contains(failure.Fix, w) {
					t.Errorf("fix %q does not mention %q", failure.Fix, w)
				}
			}
			if tt.challenge != "" && v.WWWAuthenticate != tt.challenge {
				t.Errorf("WWW-Authenticate\n got %s\nwant %s", v.WWWAuthenticate, tt.challenge)
			}
			if v.Status == 403 && v.WWWAuthenticate != "" {
				t.Errorf("a 403 carries no challenge, got %s", v.WWWAuthenticate)
			}
			for _, rule := range tt.alsoFailed {
				if i := v.index(rule); i < 0 || v.Checks[i].OK {
					t.Errorf("rule %s should fail too: %+v", rule, v.Checks)
				}
			}
		})
	}
}

// Every rule is listed in the API's order, with a message, whether it passed or not.
func TestWouldAcceptListsEveryRule(t *testing.T) {
	f := newAcceptFixture(t)
	tok := f.token(entraKeys(t)[0], nil, f.v2(nil))
	api := API{Audiences: []string{apiID}, Scopes: []string{"access_as_user"}, ClientApps: []string{clientID}, Keys: f.keys}
	v := WouldAccept(context.Background(), tok, api, f.now)
	var rules []string
	for _, c := range v.Checks {
		rules = append(rules, c.Rule)
		if c.Message == "" || !c.OK || c.Fix != "" {
			t.Errorf("%s: %+v", c.Rule, c)
		}
	}
	want := "signature lifetime audience issuer scp-or-roles permission client-app"
	if strings.Join(rules, " ") != want {
		t.Errorf("rules %v, want %s", rules, want)
	}
	// Asked twice, the same answer: the validator keeps no state.
	if again := WouldAccept(context.Background(), tok, api, f.now); again.Accepted != v.Accepted || len(again.Checks) != len(v.Checks) {
		t.Error("a second check differs")
	}
}

func TestWouldAcceptWithoutKeysSkipsTheSignature(t *testing.T) {
	f := newAcceptFixture(t)
	v := WouldAccept(context.Background(), f.token(entraKeys(t)[0], nil, f.v2(nil)), API{Audiences: []string{apiID}}, f.now)
	if !v.Accepted || !v.Checks[0].Skipped || v.Checks[0].Rule != RuleSignature {
		t.Fatalf("%+v", v)
	}
	// A Graph token fails at any third-party API, keys or not.
	g := WouldAccept(context.Background(), f.token(entraKeys(t)[0], map[string]any{"nonce": "n"}, f.v2(nil)), API{Audiences: []string{apiID}}, f.now)
	if failure, _ := g.Failure(); g.Accepted || failure.Code != "IDX10511" {
		t.Fatalf("%+v", g)
	}
}

func TestWouldAcceptRefusesUnsignedAndEncrypted(t *testing.T) {
	none := mustDecode(t, unsigned(`{"alg":"none"}`, `{"aud":"a"}`))
	if v := WouldAccept(context.Background(), none, API{Audiences: []string{"a"}}, time.Now()); v.Accepted || v.Checks[0].Code != "IDX10504" {
		t.Fatalf("%+v", v)
	}
}

// Microsoft's documentation samples: the v2 one is rejected only for its age; the v1 one also because its
// redacted iss names a different tenant than its tid.
func TestWouldAcceptMicrosoftSamples(t *testing.T) {
	read := func(name string) *Token {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return mustDecode(t, string(b))
	}
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	v2 := WouldAccept(context.Background(), read("microsoft-v2-access-token.jwt"), API{ClientID: "6e74172b-be56-4843-9ff4-e66a39bb12e3"}, now)
	if f, _ := v2.Failure(); f.Code != "IDX10223" || v2.index(RuleAudience) < 0 || !v2.Checks[v2.index(RuleAudience)].OK || !v2.Checks[v2.index(RuleIssuer)].OK {
		t.Errorf("v2 sample: %+v", v2.Checks)
	}
	then := time.Unix(1537231048+60, 0)
	if v := WouldAccept(context.Background(), read("microsoft-v2-access-token.jwt"), API{ClientID: "6e74172b-be56-4843-9ff4-e66a39bb12e3", Scopes: []string{"access_as_user"}}, then); !v.Accepted {
		t.Errorf("v2 sample at its issue time: %+v", v.Checks)
	}
	v1 := WouldAccept(context.Background(), read("microsoft-v1-access-token.jwt"), API{Audiences: []string{"ef1da9d4-ff77-4c3e-a005-840c3f830745"}}, time.Unix(1537233106+60, 0))
	if f, _ := v1.Failure(); f.Code != "IDX40001" || !strings.Contains(f.Fix, "must agree") {
		t.Errorf("v1 sample: %+v", v1.Checks)
	}
}
