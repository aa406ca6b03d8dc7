package cli

import (
	"strings"
	"testing"
)

// A support engineer saves a customer's tenant once; later runs take it from the profile, with the secret from
// the variable the profile names, and flags still win over it.
func TestRunTakesSettingsFromProfile(t *testing.T) {
	isolateProfiles(t)
	d := listeningEmulator(t)
	t.Setenv("CUSTOMER_SECRET", d.Apps.Daemon.ClientSecret)
	mustProfiles(t, "save", "customer", "--authority", d.Authority, "--tenant", d.TenantID,
		"--client-id", d.Apps.Daemon.ClientID, "--scope", d.Apps.Daemon.Scope, "--secret-env", "CUSTOMER_SECRET")

	code, out, errOut := cli(t, "", "run", "client-credentials", "--profile", "customer", "--json")
	if code != 0 || !strings.Contains(out, `"ok": true`) {
		t.Fatalf("run --profile customer: exit %d, stdout %.300s, stderr %s", code, out, errOut)
	}
	if strings.Contains(out+errOut, d.Apps.Daemon.ClientSecret) {
		t.Fatal("the profile's secret leaked into the output")
	}

	// The active profile applies without --profile; a flag overrides its tenant.
	mustProfiles(t, "use", "customer")
	code, _, errOut = cli(t, "", "run", "client-credentials", "--tenant", "not a tenant")
	if code != exitUsage || !strings.Contains(errOut, "--tenant") {
		t.Fatalf("a --tenant flag should override the profile and be validated: exit %d, %s", code, errOut)
	}

	t.Setenv("CUSTOMER_SECRET", "")
	code, _, errOut = cli(t, "", "run", "client-credentials")
	if code != exitUsage || !strings.Contains(errOut, "CUSTOMER_SECRET") {
		t.Fatalf("a profile whose secret variable is empty should say which variable: exit %d, %s", code, errOut)
	}

	code, _, errOut = cli(t, "", "run", "client-credentials", "--profile", "nobody")
	if code != exitUsage || !strings.Contains(errOut, "--profile") {
		t.Fatalf("an unknown profile should be a usage error naming --profile: exit %d, %s", code, errOut)
	}
}
