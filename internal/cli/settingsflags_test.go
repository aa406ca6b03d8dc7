package cli

import (
	"strings"
	"testing"
)

// The settings flags are one set: `aadx`, `aadx run` and `aadx profiles save` show each with the same help
// and default, and refuse a bad value with the same message.
func TestSettingsFlagsAreTheSameOnEveryCommand(t *testing.T) {
	isolateProfiles(t)
	commands := [][]string{{}, {"run"}, {"profiles", "save"}}
	flags := []string{"--authority", "--cloud", "--issuer", "--tenant", "--client-id", "--redirect-uri", "--platform",
		"--scope", "--cert", "--assertion-alg"}
	helpLine := func(help, flag string) string {
		_, flagsSection, _ := strings.Cut(help, "\nFlags:\n")
		for _, line := range strings.Split(flagsSection, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), flag+" ") {
				return strings.Join(strings.Fields(line), " ")
			}
		}
		return ""
	}
	var first string
	for i, args := range commands {
		code, out, errOut := cli(t, "", append(args, "--help")...)
		if code != 0 {
			t.Fatalf("aadx %v --help: exit %d, %s", args, code, errOut)
		}
		var lines []string
		for _, flag := range flags {
			line := helpLine(out, flag)
			if line == "" {
				t.Errorf("aadx %v --help does not show %s", args, flag)
			}
			lines = append(lines, line)
		}
		if got := strings.Join(lines, "\n"); i == 0 {
			first = got
		} else if got != first {
			t.Errorf("aadx %v --help shows the settings flags differently:\n%s\nwant (as on aadx):\n%s", args, got, first)
		}
	}

	bad := []struct{ flag, value, message string }{
		{"--cloud", "mars", `--cloud "mars" is not a known cloud; use public, usgov or china`},
		{"--platform", "desktop", `--platform "desktop" is not a platform; use web, spa or public`},
		{"--assertion-alg", "HS256", `--assertion-alg "HS256" is not supported; use PS256 (x5t#S256) or RS256 (x5t)`},
		{"--tenant", "not a tenant", `--tenant "not a tenant" is not a GUID, a domain, common, organizations or consumers`},
		{"--authority", "login.microsoftonline.com", `--authority "login.microsoftonline.com" is not an absolute URL`},
	}
	for _, tt := range bad {
		for _, args := range [][]string{{}, {"run", "device-code"}, {"profiles", "save", "p"}} {
			code, _, errOut := cli(t, "", append(args, tt.flag, tt.value)...)
			if code != exitUsage || !strings.Contains(errOut, tt.message) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("aadx %v %s %s: exit %d, stderr %q; want one line saying %q", args, tt.flag, tt.value, code, errOut, tt.message)
			}
		}
	}
}
