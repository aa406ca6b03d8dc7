package decode

import (
	"strings"
	"testing"
	"time"
)

// entraAccessToken2KB is shaped like a real Entra v2 delegated access token with groups: about 2 KB.
func entraAccessToken2KB(tb testing.TB) string {
	header := `{"typ":"JWT","alg":"RS256","kid":"jS1Xo1OWDj_52vbwGNgvQO2VzMc"}`
	groups := make([]string, 6)
	for i := range groups {
		groups[i] = `"` + strings.Repeat(string(rune('a'+i)), 8) + `-1111-2222-3333-444455556666"`
	}
	claims := `{"aud":"6e74172b-be56-4843-9ff4-e66a39bb12e3","iss":"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0","iat":1537231048,"nbf":1537231048,"exp":1537234948,"acrs":["c1"],"aio":"AXQAi/8IAAAAtAaZLo3ChMif6KOnttRB7eBq4/DccQzjcJGxPYy/C3jDaNGxXd6wNIIVGRghNRnwJ1lOcAnNZcjvkoyrFxCttv33140RioOFJ4bCCGVuoCag1uOTT22222gHwLPYQ/uf79QX+0KIijdrmp69RctzmQ==","amr":["pwd","mfa"],"azp":"6e74172b-be56-4843-9ff4-e66a39bb12e3","azpacr":"0","groups":[` + strings.Join(groups, ",") + `],"idtyp":"user","ipaddr":"203.0.113.42","name":"Abe Lincoln","oid":"690222be-ff1a-4d56-abd1-7e4f7d38e474","preferred_username":"abeli@microsoft.com","rh":"I","scp":"access_as_user User.Read Mail.Read","sid":"0f4a3b2c-1d2e-3f4a-5b6c-7d8e9f0a1b2c","sub":"HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","uti":"fqiBqXLPj0eQa82S-IYFAA","ver":"2.0","wids":["b79fbf4d-3ef9-4689-8143-76b194e85509"],"xms_cc":["cp1"],"xms_tcdt":1289241547}`
	raw := unsigned(header, claims)
	parts := strings.Split(raw, ".")
	raw = parts[0] + "." + parts[1] + "." + strings.Repeat("A", 342) // an RS256 signature's length
	if len(raw) < 1900 || len(raw) > 2200 {
		tb.Fatalf("token is %d bytes, want about 2 KB", len(raw))
	}
	return raw
}

func BenchmarkUnverified2KB(b *testing.B) {
	raw := entraAccessToken2KB(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Unverified(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeAndExplain2KB is everything `aadx decode` computes before rendering.
func BenchmarkDecodeAndExplain2KB(b *testing.B) {
	raw := entraAccessToken2KB(b)
	now := time.Unix(1537232000, 0)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		tok, err := Unverified(raw)
		if err != nil {
			b.Fatal(err)
		}
		Explain(tok, WithNow(now))
		Times(tok, now)
		Lint(tok, Expect{}, now)
	}
}
