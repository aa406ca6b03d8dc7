package decode

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func explanationOf(t *testing.T, header, claims, name string) string {
	t.Helper()
	for _, e := range Explain(mustDecode(t, unsigned(header, claims)), WithNow(time.Unix(1700000000, 0))) {
		if e.Part == "claims" && e.Name == name {
			return e.Text
		}
	}
	t.Fatalf("no explanation for %s", name)
	return ""
}

func TestExplainIsValueAware(t *testing.T) {
	const rs = `{"alg":"RS256"}`
	tests := []struct {
		name, claims, claim string
		want                []string
	}{
		{"azpacr public", `{"azpacr":"0"}`, "azpacr", []string{"public client"}},
		{"azpacr secret", `{"azpacr":"1"}`, "azpacr", []string{"client secret"}},
		{"appidacr certificate", `{"appidacr":"2"}`, "appidacr", []string{"certificate"}},
		{"ver 1.0", `{"ver":"1.0"}`, "ver", []string{"v1 format", "accessTokenAcceptedVersion"}},
		{"ver 2.0", `{"ver":"2.0"}`, "ver", []string{"v2 format"}},
		{"idtyp app", `{"idtyp":"app"}`, "idtyp", []string{"app-only"}},
		{"amr list", `{"amr":["pwd","mfa","xyz"]}`, "amr", []string{"pwd = password", "mfa = multifactor", "xyz = (not one of"}},
		{"acr v1", `{"acr":"1"}`, "acr", []string{"met ISO/IEC 29115"}},
		{"scp delegated", `{"scp":"User.Read Mail.Send"}`, "scp", []string{"delegated", "2 scope(s)", "User.Read, Mail.Send"}},
		{"roles app-only", `{"roles":["Files.Read.All"],"oid":"o"}`, "roles", []string{"app-only", "application permissions: Files.Read.All"}},
		{"roles of a user", `{"scp":"x","roles":["Admin"]}`, "roles", []string{"assigned to the user", "Admin"}},
		{"wids named", `{"wids":["62e90394-69f5-4237-9190-012177145e10","b79fbf4d-3ef9-4689-8143-76b194e85509"]}`, "wids", []string{"Global Administrator", "default role"}},
		{"consumer tenant", `{"tid":"9188040d-6c67-4c5b-b112-36a304b66dad"}`, "tid", []string{"personal Microsoft account"}},
		{"tid not a GUID", `{"tid":"contoso"}`, "tid", []string{"not a GUID"}},
		{"aud Graph", `{"aud":"00000003-0000-0000-c000-000000000000"}`, "aud", []string{"Microsoft Graph"}},
		{"appid Azure CLI", `{"appid":"04b07795-8ddb-461a-bbee-02f9e1bf7b46"}`, "appid", []string{"Azure CLI"}},
		{"overage", `{"_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph.windows.net/x"}}}`, "_claim_names", []string{"groups", "overage", "Microsoft Graph"}},
		{"xms_cc cp1", `{"xms_cc":["cp1"]}`, "xms_cc", []string{"claims challenges"}},
		{"acrs", `{"acrs":["c1","c2"]}`, "acrs", []string{"c1, c2"}},
		{"exp relative", `{"exp":1700003480}`, "exp", []string{"2023-11-14T23:11:20Z", "in 58m"}},
		{"iat relative", `{"iat":1699740800}`, "iat", []string{"3 days ago"}},
		{"v1 issuer", `{"iss":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/"}`, "iss", []string{"v1 issuer"}},
		{"B2C issuer", `{"iss":"https://contoso.b2clogin.com/tid/v2.0/"}`, "iss", []string{"B2C"}},
		{"personal account idp", `{"idp":"https://sts.windows.net/9188040d-6c67-4c5b-b112-36a304b66dad/"}`, "idp", []string{"personal Microsoft account"}},
		{"unknown claim", `{"custom_thing":1}`, "custom_thing", []string{"Not in the catalogue"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := explanationOf(t, rs, tt.claims, tt.claim)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("explanation of %s = %q, want it to mention %q", tt.claim, got, w)
				}
			}
		})
	}
}

// A real Entra v2 access token carries these claims; every one of them must be explained.
func TestExplainCoversEntraTokens(t *testing.T) {
	v2 := `{"aud":"6e74172b-be56-4843-9ff4-e66a39bb12e3","iss":"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0","iat":1537231048,"nbf":1537231048,"exp":1537234948,"aio":"AXQAi","azp":"6e74172b-be56-4843-9ff4-e66a39bb12e3","azpacr":"0","name":"Abe Lincoln","oid":"690222be-ff1a-4d56-abd1-7e4f7d38e474","preferred_username":"abeli@microsoft.com","rh":"I","scp":"access_as_user","sub":"HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","uti":"fqiBqXLPj0eQa82S-IYFAA","ver":"2.0","acrs":["c1"],"xms_cc":["cp1"],"wids":["b79fbf4d-3ef9-4689-8143-76b194e85509"],"idtyp":"user","groups":["a"],"login_hint":"O.x","sid":"s","ctry":"US","tenant_ctry":"US","xms_tpl":"en","auth_time":1537231000}`
	v1 := `{"aud":"https://graph.microsoft.com","iss":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/","iat":1,"nbf":1,"exp":2,"acr":"1","aio":"x","amr":["pwd","mfa"],"app_displayname":"Graph Explorer","appid":"de8bc8b5-d9f9-48b1-a8ad-b748da725064","appidacr":"0","family_name":"L","given_name":"A","idtyp":"user","ipaddr":"1.2.3.4","name":"A L","oid":"o","platf":"3","puid":"1","rh":"r","scp":"User.Read","signin_state":["kmsi"],"sub":"s","tenant_region_scope":"NA","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","unique_name":"a@b","upn":"a@b","uti":"u","ver":"1.0","xms_st":{"sub":"x"},"xms_tcdt":1289241547,"onprem_sid":"S-1","in_corp":"true","pwd_exp":"1","pwd_url":"https://x"}`
	for _, claims := range []string{v2, v1} {
		for _, e := range Explain(mustDecode(t, unsigned(`{"typ":"JWT","alg":"RS256","x5t":"a","kid":"a","nonce":"n"}`, claims))) {
			if !e.Known || e.Text == "" {
				t.Errorf("%s %s is not explained", e.Part, e.Name)
			}
		}
	}
}

func TestTimes(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) int64 { return now.Add(d).Unix() }
	claims := func(iat, nbf, exp int64) string {
		return `{"iat":` + itoa(iat) + `,"nbf":` + itoa(nbf) + `,"exp":` + itoa(exp) + `,"auth_time":` + itoa(iat-60) + `}`
	}
	tests := []struct {
		name     string
		claims   string
		want     map[string]string
		lifetime time.Duration
	}{
		{"fresh", claims(at(-17*time.Minute), at(-17*time.Minute), at(58*time.Minute)),
			map[string]string{"iat": "issued 17m ago", "nbf": "valid since 17m ago", "exp": "expires in 58m", "auth_time": "signed in 18m ago"}, 75 * time.Minute},
		{"expired days ago", claims(at(-73*time.Hour), at(-73*time.Hour), at(-72*time.Hour)),
			map[string]string{"exp": "expired 3 days ago"}, time.Hour},
		{"not yet valid", claims(at(10*time.Minute), at(10*time.Minute), at(70*time.Minute)),
			map[string]string{"nbf": "not valid for another 10m", "iat": "issued 10m in the future (clock skew)", "exp": "expires in 1h 10m"}, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := Times(mustDecode(t, unsigned(`{"alg":"RS256"}`, tt.claims)), now)
			for claim, want := range tt.want {
				in, ok := tl.Get(claim)
				if !ok || in.Relative != want {
					t.Errorf("%s = %q, want %q", claim, in.Relative, want)
				}
			}
			if tl.Lifetime != tt.lifetime {
				t.Errorf("lifetime = %v, want %v", tl.Lifetime, tt.lifetime)
			}
			if exp, _ := tl.Get("exp"); exp.Time.Location() != time.UTC {
				t.Errorf("exp not in UTC")
			}
		})
	}
	bad := Times(mustDecode(t, unsigned(`{"alg":"RS256"}`, `{"exp":"tomorrow","iat":1e300}`)), now)
	if exp, _ := bad.Get("exp"); exp.Err == "" {
		t.Errorf("string exp accepted: %+v", exp)
	}
	if iat, _ := bad.Get("iat"); iat.Err == "" {
		t.Errorf("absurd iat accepted: %+v", iat)
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
