package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// aadx run --markdown holds what the TUI's report holds: where the run went (the emulator, with its
// fault scenario) and the decoded claims of every token it mentions, while the tokens stay shortened.
func TestRunMarkdownHasDecodedClaimsAndTheScenario(t *testing.T) {
	dir := t.TempDir()
	for i, args := range [][]string{
		{"run", "client-credentials", "--demo", "--scenario", "clock-skew"},
		{"run", "client-credentials", "--demo", "--credential", "cert"}, // the client assertion is a token too
	} {
		md := filepath.Join(dir, "report"+string(rune('a'+i))+".md")
		code, _, errOut := cli(t, "", append(args, "--markdown", md)...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
		b, err := os.ReadFile(md)
		if err != nil {
			t.Fatal(err)
		}
		report := string(b)
		want := []string{"## Where this ran", "emulator", "## Decoded tokens", "### access token", "| aud |", "| roles |"}
		if i == 0 {
			want = append(want, "Emulator fault scenario on: clock-skew.")
		} else {
			want = append(want, "### client assertion", "| jti |")
		}
		for _, w := range want {
			if !strings.Contains(report, w) {
				t.Errorf("%v: the Markdown report should contain %q:\n%s", args, w, report)
			}
		}
		if i == 1 && strings.Contains(report, "fault scenario") {
			t.Errorf("no scenario was on, none should be named:\n%s", report)
		}
	}
}
