package profiles

import (
	"os"
	"testing"

	"github.com/aadx/aadx/internal/testkit"
)

const (
	testTenant = "8eaef023-2b34-4da1-9baa-8bc8c9d6a490"
	testClient = "535fb089-9ff3-47b6-9bfb-4f1264799865"
)

// contoso is a complete, valid profile.
func contoso() Profile {
	return Profile{
		Name: "contoso-prod", Authority: "https://login.microsoftonline.com", Tenant: testTenant, ClientID: testClient,
		RedirectURI: "http://localhost:8400/callback", Platform: "web", Scopes: []string{"openid", "User.Read"},
		AssertionAlg: "PS256", Secret: SecretSource{Kind: SecretEnv, Env: "CONTOSO_SECRET"}, Note: "ticket 4711",
	}
}

// writeTestCert writes a PEM file holding a fresh self-signed certificate and its private key, and returns its
// path and the PEM text.
func writeTestCert(t *testing.T) (string, string) {
	t.Helper()
	c := testkit.SelfSigned(t, "aadx test")
	return c.WriteFile(t), string(c.PEM())
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readFileErr(path string) ([]byte, error) { return os.ReadFile(path) }
