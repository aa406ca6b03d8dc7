package demo_test

import (
	"testing"

	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/internal/demo"
	"github.com/aadx/aadx/internal/demo/emulated"
	"github.com/aadx/aadx/internal/testkit"
)

// Every flow of the catalogue can run against the demo tenant as both front ends fill it: a flow added to
// flows/ without what the demo needs fails here, not in front of a user.
func TestDemoSettingsValidateForEveryFlow(t *testing.T) {
	srv := testkit.Emulator(t, emulator.Options{NoListener: true})
	tenant := emulated.Tenant(srv.Description())
	for _, f := range flows.Catalog() {
		for _, o := range []demo.Options{{}, {Certificate: true}} {
			s, err := tenant.Settings(f, o)
			if err != nil {
				t.Fatalf("%s %+v: %v", f.ID, o, err)
			}
			if c := f.ChainsFrom; c != nil {
				// The token comes from an earlier run (flows.Chain.Apply); any well-formed one will do here.
				c.Apply(&s, s, &flows.Tokens{AccessToken: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", RefreshToken: "0.demo-refresh"})
			}
			if err := s.Validate(f.ID); err != nil {
				t.Errorf("%s %+v: the demo settings do not validate: %v", f.ID, o, err)
			}
		}
	}
}

// The TUI and `aadx run --demo` ask for the same scopes: a user's flows get the middle-tier API's scope, so
// their token can be exchanged on-behalf-of.
func TestDemoUserScopesIncludeTheAPI(t *testing.T) {
	tenant := demo.Tenant{Apps: demo.Apps{API: demo.App{Scope: "api://mid/access_as_user"}}}
	pkce, _ := flows.Lookup(string(flows.FlowPKCE))
	s, err := tenant.Settings(pkce, demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Scopes) != 4 || s.Scopes[3] != "api://mid/access_as_user" {
		t.Errorf("pkce demo scopes = %v, want openid profile offline_access and the API's scope", s.Scopes)
	}
}
