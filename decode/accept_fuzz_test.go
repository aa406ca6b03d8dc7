package decode

import (
	"context"
	"testing"
	"time"
)

// FuzzWouldAccept: the validator answers any decodable token without panicking, with a reported failure
// exactly when it refuses, and a challenge exactly on a 401.
func FuzzWouldAccept(f *testing.F) {
	for _, seed := range []string{vectorA1, vectorA2,
		unsigned(`{"alg":"RS256","kid":"k","nonce":"n"}`, `{"aud":["a","b"],"iss":"https://sts.windows.net/t/","tid":"t","exp":1,"nbf":"x","scp":3,"roles":"r","_claim_names":{"groups":"s"}}`),
		unsigned(`{"alg":"none"}`, `{}`),
		unsigned(`{"alg":"RS256"}`, `{"aud":"a","iss":"::","tid":"","exp":1e300,"groups":[1,2],"ver":2}`)} {
		f.Add(seed)
	}
	api := API{Audiences: []string{"a"}, Scopes: []string{"s"}, Roles: []string{"r"}, Groups: []string{"g"}, ClientApps: []string{"c"},
		Tenants: []string{"common", "t"}, Version: 1}
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := Unverified(raw)
		if err != nil {
			return
		}
		for _, a := range []API{api, {ClientID: "a", Plain: true}, {}} {
			v := WouldAccept(context.Background(), tok, a, time.Unix(1700000000, 0))
			f, failed := v.Failure()
			if v.Accepted == failed || (failed && f.Message == "") || (v.Status == 401) != (v.WWWAuthenticate != "") {
				t.Fatalf("inconsistent verdict %+v for %q", v, raw)
			}
		}
	})
}
