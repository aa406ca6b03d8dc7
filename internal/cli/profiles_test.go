package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/internal/testkit"
	"github.com/aadx/aadx/profiles"
	"github.com/spf13/cobra"
	"github.com/zalando/go-keyring"
)

const (
	profTenant = "8eaef023-2b34-4da1-9baa-8bc8c9d6a490"
	profClient = "535fb089-9ff3-47b6-9bfb-4f1264799865"
)

// profilesCLI runs `aadx profiles ARGS` in-process the way execute does, against a private config directory.
func profilesCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return cli(t, stdin, append([]string{"profiles"}, args...)...)
}

// isolateProfiles points the user config directory at a temp dir and clears the secret variables.
func isolateProfiles(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	for _, v := range []string{"AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "CONTOSO_SECRET"} {
		t.Setenv(v, "")
	}
	t.Setenv(profiles.AllowSecretEnvVar, "CONTOSO_SECRET CUSTOMER_SECRET") // the tests' variables, confirmed as a user would
	return filepath.Join(dir, "aadx", profiles.FileName)
}

func mustProfiles(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := profilesCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("aadx profiles %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func TestProfilesCommandLifecycle(t *testing.T) {
	path := isolateProfiles(t)
	if out := mustProfiles(t, "list"); !strings.Contains(out, "No profiles yet") {
		t.Errorf("empty list says %q", out)
	}
	out := mustProfiles(t, "save", "contoso-prod", "--tenant", "contoso.onmicrosoft.com", "--client-id", profClient,
		"--redirect-uri", "http://localhost:8400", "--scope", "openid", "--scope", "User.Read",
		"--secret-env", "CONTOSO_SECRET", "--note", "ticket 4711", "--use")
	if !strings.Contains(out, "Saved profile contoso-prod in "+path) || !strings.Contains(out, "now the active profile") {
		t.Errorf("save says %q", out)
	}
	mustProfiles(t, "save", "gov", "--cloud", "usgov", "--tenant", profTenant, "--client-id", profClient)
	mustProfiles(t, "save", "keycloak", "--issuer", "https://kc.example/realms/main", "--client-id", "aadx-cli")

	list := mustProfiles(t, "list")
	wantRows := []string{
		"NAME TENANT CLIENT ID AUTHORITY",
		"* contoso-prod contoso.onmicrosoft.com " + profClient + " https://login.microsoftonline.com",
		"gov " + profTenant + " " + profClient + " https://login.microsoftonline.us",
		"keycloak - aadx-cli https://kc.example/realms/main",
	}
	if got := listRows(list); strings.Join(got, "\n") != strings.Join(wantRows, "\n") {
		t.Errorf("list rows =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantRows, "\n"))
	}

	var listed struct {
		Active   string             `json:"active"`
		Profiles []profiles.Profile `json:"profiles"`
	}
	if err := json.Unmarshal([]byte(mustProfiles(t, "list", "--json")), &listed); err != nil {
		t.Fatal(err)
	}
	if listed.Active != "contoso-prod" || len(listed.Profiles) != 3 || listed.Profiles[0].Name != "contoso-prod" ||
		listed.Profiles[0].Secret.Env != "CONTOSO_SECRET" {
		t.Errorf("list --json = %+v", listed)
	}

	t.Setenv("CONTOSO_SECRET", "value-that-must-not-show")
	show := mustProfiles(t, "show", "contoso-prod")
	for _, want := range []string{"contoso-prod (active)", "Tenant         contoso.onmicrosoft.com", "Scopes         openid User.Read",
		"Client secret  environment variable CONTOSO_SECRET (set)", "Note           ticket 4711"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	if strings.Contains(show, "value-that-must-not-show") {
		t.Error("show prints the secret's value")
	}

	// save on an existing profile changes only the flags given.
	mustProfiles(t, "save", "contoso-prod", "--note", "ticket 4712")
	show = mustProfiles(t, "show", "contoso-prod", "--json")
	if !strings.Contains(show, `"note": "ticket 4712"`) || !strings.Contains(show, `"tenant": "contoso.onmicrosoft.com"`) {
		t.Errorf("edit lost fields:\n%s", show)
	}

	mustProfiles(t, "use", "gov")
	if list := mustProfiles(t, "list"); !strings.Contains(list, "* gov ") || strings.Contains(list, "* contoso") {
		t.Errorf("after use gov:\n%s", list)
	}
	mustProfiles(t, "delete", "gov")
	if list := mustProfiles(t, "list"); strings.Contains(list, "gov ") || strings.Contains(list, "*") {
		t.Errorf("after deleting the active profile:\n%s", list)
	}
	if out := mustProfiles(t, "use", "--clear"); !strings.Contains(out, "demo tenant") {
		t.Errorf("use --clear says %q", out)
	}
}

func TestProfilesCommandExitCodes(t *testing.T) {
	valid := []string{"--tenant", profTenant, "--client-id", profClient}
	tests := []struct {
		name    string
		args    []string
		setup   func(t *testing.T, path string)
		code    int
		message string
	}{
		{name: "no name", args: []string{"show"}, code: 2, message: "profiles show needs one profile NAME"},
		{name: "bad name", args: append([]string{"save", "contoso prod"}, valid...), code: 2, message: `name "contoso prod" has characters`},
		{name: "missing tenant", args: []string{"save", "c", "--client-id", profClient}, code: 2, message: "--tenant is required"},
		{name: "malformed tenant", args: []string{"save", "c", "--tenant", "not a tenant", "--client-id", profClient}, code: 2, message: `--tenant "not a tenant" is not a GUID`},
		{name: "client id not a GUID", args: []string{"save", "c", "--tenant", profTenant, "--client-id", "my-app"}, code: 2, message: "--client-id"},
		{name: "bad platform", args: append([]string{"save", "c", "--platform", "desktop"}, valid...), code: 2, message: "--platform"},
		{name: "bad cloud", args: append([]string{"save", "c", "--cloud", "mars"}, valid...), code: 2, message: "--cloud"},
		{name: "bad redirect", args: append([]string{"save", "c", "--redirect-uri", "http://example.com/cb"}, valid...), code: 2, message: "--redirect-uri"},
		{name: "bad env name", args: append([]string{"save", "c", "--secret-env", "NOT-A-VAR"}, valid...), code: 2, message: "--secret-env"},
		{name: "missing cert", args: append([]string{"save", "c", "--cert", "/nonexistent/client.pem"}, valid...), code: 2, message: "--cert"},
		{name: "two secret sources", args: append([]string{"save", "c", "--secret-env", "X", "--secret-prompt"}, valid...), code: 2, message: "secret-env"},
		{name: "issuer and tenant", args: []string{"save", "c", "--issuer", "https://kc.example", "--tenant", profTenant, "--client-id", "x"}, code: 2, message: "issuer"},
		{name: "JWT in the note", args: append([]string{"save", "c", "--note", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"}, valid...), code: 2, message: "--note looks like a JWT"},
		{name: "unknown flag", args: []string{"list", "--bogus"}, code: 2, message: "bogus"},
		{name: "show missing", args: []string{"show", "nobody"}, code: 2, message: `profile "nobody": no such profile`},
		{name: "use missing", args: []string{"use", "nobody"}, code: 2, message: "no such profile"},
		{name: "delete missing", args: []string{"delete", "nobody"}, code: 2, message: "no such profile"},
		{name: "use with a name and --clear", args: []string{"use", "x", "--clear"}, code: 2, message: "--clear takes no NAME"},
		{
			name: "corrupt file", args: []string{"list"}, code: 2, message: "is unreadable: line 1",
			setup: func(t *testing.T, path string) {
				os.MkdirAll(filepath.Dir(path), 0o700)
				os.WriteFile(path, []byte("{not json"), 0o600)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := isolateProfiles(t)
			if tt.setup != nil {
				tt.setup(t, path)
			}
			code, _, stderr := profilesCLI(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.message) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr %q should be one line saying %q", stderr, tt.message)
			}
			if tt.setup != nil && !strings.Contains(stderr, path) {
				t.Errorf("stderr %q does not name the file %s", stderr, path)
			}
		})
	}
}

// TestProfilesCommandNeverSavesASecret: with a secret in the environment and a certificate with its key, the
// file on disk holds neither, and a secret pasted into a field is refused without being echoed.
func TestProfilesCommandNeverSavesASecret(t *testing.T) {
	path := isolateProfiles(t)
	const secret = "Abc8Q~not-a-real-secret-but-shaped-like-one"
	t.Setenv("AZURE_CLIENT_SECRET", secret)
	certFile, keyPEM := writeProfilesTestCert(t)

	code, _, stderr := profilesCLI(t, "", "save", "c", "--tenant", profTenant, "--client-id", profClient, "--note", "pw "+secret)
	if code != 2 || !strings.Contains(stderr, "--note looks like") || strings.Contains(stderr, secret) {
		t.Errorf("a secret in --note: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = profilesCLI(t, "", "save", "c", "--tenant", profTenant, "--client-id", profClient, "--note", "hunter2hunter2")
	if code != 0 {
		t.Fatalf("save: %s", stderr)
	}
	t.Setenv("AZURE_CLIENT_SECRET", "hunter2hunter2")
	if code, _, stderr = profilesCLI(t, "", "save", "c", "--cert", certFile, "--note", "hunter2hunter2"); code != 2 || strings.Contains(stderr, "hunter2") {
		t.Errorf("a note equal to AZURE_CLIENT_SECRET: exit %d, stderr %q", code, stderr)
	}
	mustProfiles(t, "save", "c", "--cert", certFile, "--note", "ticket 1")

	onDisk, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, leaked := range []string{secret, "hunter2hunter2", "PRIVATE KEY", strings.Split(keyPEM, "\n")[1]} {
		if bytes.Contains(onDisk, []byte(leaked)) {
			t.Errorf("profiles file holds %q", leaked)
		}
	}
	if !bytes.Contains(onDisk, []byte(certFile)) {
		t.Errorf("the certificate path was not saved:\n%s", onDisk)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("profiles file mode %o, want 600", fi.Mode().Perm())
	}
}

func TestProfilesCommandKeyring(t *testing.T) {
	path := isolateProfiles(t)
	keyring.MockInit()
	if out := mustProfiles(t, "save", "c", "--tenant", profTenant, "--client-id", profClient, "--secret-keyring"); !strings.Contains(out, "aadx profiles secret c") {
		t.Errorf("save --secret-keyring does not say how to store the secret: %q", out)
	}

	for _, args := range [][]string{{"secret", "c"}, {"secret", "c", "--stdin"}} {
		if code, _, stderr := profilesCLI(t, "", args...); code != 2 || !strings.Contains(stderr, "--stdin") {
			t.Errorf("%v without a secret: exit %d, %q", args, code, stderr)
		}
	}
	out := mustProfilesIn(t, "kept-in-the-keyring\n", "secret", "c", "--stdin")
	if !strings.Contains(out, "service aadx, account c") {
		t.Errorf("secret says %q", out)
	}
	if v, _ := keyring.Get("aadx", "c"); v != "kept-in-the-keyring" {
		t.Errorf("keyring holds %q", v)
	}
	if show := mustProfiles(t, "show", "c"); !strings.Contains(show, "Client secret  OS keyring (service aadx, account c)") {
		t.Errorf("show does not name the keyring entry:\n%s", show)
	}
	if onDisk, _ := os.ReadFile(path); bytes.Contains(onDisk, []byte("kept-in-the-keyring")) {
		t.Error("the keyring secret reached the profiles file")
	}
	// Storing a secret for a profile with another source switches it to the keyring.
	mustProfiles(t, "save", "e", "--tenant", profTenant, "--client-id", profClient, "--secret-env", "CONTOSO_SECRET")
	mustProfilesIn(t, "another", "secret", "e", "--stdin")
	if show := mustProfiles(t, "show", "e"); !strings.Contains(show, "Client secret  OS keyring") {
		t.Errorf("the source was not switched to the keyring:\n%s", show)
	}
	mustProfiles(t, "delete", "c")
	if _, err := keyring.Get("aadx", "c"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("delete left the keyring entry: %v", err)
	}

	// Where no keyring exists, the error says so and points at --secret-env.
	keyring.MockInitWithError(errors.New("exec: \"dbus-launch\": executable file not found in $PATH"))
	mustProfiles(t, "save", "d", "--tenant", profTenant, "--client-id", profClient)
	code, _, stderr := profilesCLI(t, "s3cret", "secret", "d", "--stdin")
	if code != 2 || !strings.Contains(stderr, "keyring is unavailable") || !strings.Contains(stderr, "--secret-env") || strings.Contains(stderr, "s3cret") {
		t.Errorf("no keyring: exit %d, stderr %q", code, stderr)
	}
}

// listRows is the list output with runs of spaces collapsed, one entry per line.
func listRows(out string) []string {
	var rows []string
	for line := range strings.Lines(out) {
		rows = append(rows, strings.Join(strings.Fields(line), " "))
	}
	return rows
}

func mustProfilesIn(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	code, out, errOut := profilesCLI(t, stdin, args...)
	if code != 0 {
		t.Fatalf("aadx profiles %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// writeProfilesTestCert writes a PEM certificate and key and returns the path and the key's PEM.
func writeProfilesTestCert(t *testing.T) (string, string) {
	t.Helper()
	c := testkit.SelfSigned(t, "profiles test")
	return c.WriteFile(t), string(c.KeyPEM())
}

func TestApplyProfile(t *testing.T) {
	isolateProfiles(t)
	ctx := t.Context()
	var s flows.Settings
	if _, ok, err := applyProfile(ctx, "", &s, true, nil); ok || err != nil {
		t.Fatalf("no profiles: ok=%v err=%v, want the demo fallback", ok, err)
	}
	mustProfiles(t, "save", "contoso", "--tenant", profTenant, "--client-id", profClient, "--scope", "User.Read",
		"--secret-env", "CONTOSO_SECRET", "--use")
	mustProfiles(t, "save", "other", "--tenant", "other.onmicrosoft.com", "--client-id", profClient)
	t.Setenv("CONTOSO_SECRET", "from-contoso-env")

	// The active profile fills what the flags left empty; the flags' values stay.
	s = flows.Settings{Scopes: []string{"Mail.Read"}}
	p, ok, err := applyProfile(ctx, "", &s, true, nil)
	if err != nil || !ok || p.Name != "contoso" {
		t.Fatalf("active: %q ok=%v err=%v", p.Name, ok, err)
	}
	if s.Tenant != profTenant || s.ClientID != profClient || s.Scopes[0] != "Mail.Read" || s.ClientSecret != "from-contoso-env" {
		t.Errorf("applied settings = %+v", s)
	}

	// --profile NAME beats the active profile; no credential is read unless asked for.
	s = flows.Settings{}
	if p, _, _ := applyProfile(ctx, "other", &s, false, nil); p.Name != "other" || s.Tenant != "other.onmicrosoft.com" || s.ClientSecret != "" {
		t.Errorf("--profile other: %q %+v", p.Name, s)
	}

	// A flag not given leaves the profile's cloud and algorithm; a given one, even the default value, wins.
	mustProfiles(t, "save", "gov", "--cloud", "usgov", "--tenant", profTenant, "--client-id", profClient, "--assertion-alg", "RS256")
	for _, tt := range []struct {
		args      []string
		wantCloud flows.Cloud
		wantAlg   flows.AssertionAlg
	}{
		{nil, flows.CloudUSGov, flows.AssertionRS256},
		{[]string{"--cloud", "public", "--assertion-alg", "PS256"}, flows.CloudPublic, flows.AssertionPS256},
	} {
		cmd := &cobra.Command{Use: "run"}
		var f settingsFlags
		addSettingsFlags(cmd, &f)
		if err := cmd.Flags().Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		s, err := f.given()
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := applyProfile(ctx, "gov", &s, false, nil); err != nil {
			t.Fatal(err)
		}
		if s.Cloud != tt.wantCloud || s.AssertionAlg != tt.wantAlg {
			t.Errorf("flags %v: cloud %q alg %q, want %q %q", tt.args, s.Cloud, s.AssertionAlg, tt.wantCloud, tt.wantAlg)
		}
	}

	t.Setenv("CONTOSO_SECRET", "")
	for name, call := range map[string]func() error{
		"missing profile": func() error { _, _, err := applyProfile(ctx, "nobody", &flows.Settings{}, false, nil); return err },
		"empty secret":    func() error { _, _, err := applyProfile(ctx, "contoso", &flows.Settings{}, true, nil); return err },
	} {
		err := call()
		if exitCode(err) != 2 || !strings.Contains(err.Error(), "--profile") {
			t.Errorf("%s: %v (exit %d), want a usage error naming --profile", name, err, exitCode(err))
		}
	}
}
