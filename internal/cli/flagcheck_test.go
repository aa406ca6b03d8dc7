package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Flags aadx cannot honour are refused with one line naming the flag, the same way twice.
func TestRunRefusesInexactFlags(t *testing.T) {
	isolateProfiles(t)
	dir := t.TempDir()
	same := filepath.Join(dir, "trace.out")
	tests := []struct {
		args    []string
		message string
	}{
		{[]string{"run", "client-credentials", "--demo", "--browser-timeout", "0"}, "--browser-timeout must be positive"},
		{[]string{"run", "auth-code", "--demo", "--browser-timeout", "-1s"}, "--browser-timeout must be positive"},
		{[]string{"run", "client-credentials", "--demo", "--timeout", "0"}, "--timeout must be positive"},
		{[]string{"run", "client-credentials", "--demo", "--credential", "bogus"}, `--credential "bogus" is not a demo credential`},
		{[]string{"run", "client-credentials", "--credential", "cert", "--client-id=00000000-0000-0000-0000-0000000000aa", "--tenant", "contoso.onmicrosoft.com"}, "--credential chooses the demo tenant's credential"},
		{[]string{"run", "client-credentials", "--demo", "--har", same, "--markdown", filepath.Join(dir, ".", "trace.out")}, "--har and --markdown name the same file"},
		{[]string{"--demo", "--auto-advance", "0"}, "--auto-advance must be positive"},
		{[]string{"--demo", "--timeout", "0"}, "--timeout must be positive"},
		{[]string{"completion", "bogus"}, `completion "bogus": use bash, zsh, fish or powershell`},
		{[]string{"completion"}, "completion needs a shell"},
	}
	for _, tt := range tests {
		for attempt := 0; attempt < 2; attempt++ {
			code, _, errOut := cli(t, "", tt.args...)
			if code != exitUsage || !strings.Contains(errOut, tt.message) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("aadx %s: exit %d, stderr %q; want exit 2 and one line saying %q", strings.Join(tt.args, " "), code, errOut, tt.message)
			}
		}
	}
	if _, err := os.Stat(same); err == nil {
		t.Error("a refused run still wrote the export")
	}
	code, _, errOut := cli(t, "", "run", "client-credentials", "--demo", "--client-id", "00000000-0000-0000-0000-0000000000aa", "--tenant", "contoso.onmicrosoft.com")
	if code != 0 || !strings.Contains(errOut, "--demo uses the demo tenant, which replaces --tenant, --client-id") {
		t.Errorf("--demo with settings it replaces: exit %d, stderr %s", code, errOut)
	}
}

// Exports are 0600 whether or not the file existed, and never written through a symbolic link.
func TestRunExportsArePrivateAndFollowNoLink(t *testing.T) {
	isolateProfiles(t)
	dir := t.TempDir()
	har := filepath.Join(dir, "trace.har")
	if err := os.WriteFile(har, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	for attempt := 0; attempt < 2; attempt++ {
		if code, _, errOut := cli(t, "", "run", "client-credentials", "--demo", "--har", har); code != 0 {
			t.Fatalf("run --har: exit %d: %s", code, errOut)
		}
		fi, err := os.Stat(har)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("the HAR export has mode %v (%v), want 0600", fi.Mode().Perm(), err)
		}
	}
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := cli(t, "", "run", "client-credentials", "--demo", "--markdown", link)
	if code != exitUsage || !strings.Contains(errOut, "symbolic link") {
		t.Errorf("--markdown through a symlink: exit %d, %s", code, errOut)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me" {
		t.Errorf("the symlink's target was written: %q", b)
	}
}
