package cli

import (
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTUIRepeatEndToEnd drives the real binary in tmux at 80x24 through the second try: three pastes on
// the decode screen (token, garbage, another token) and a re-sent leg, reading the screen after each.
func TestTUIRepeatEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is required under CI for the end-to-end test")
		}
		t.Skip("tmux is not installed")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "aadx")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/aadx/aadx").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	tm := &tmuxSession{t: t, socket: fmt.Sprintf("aadx-e2e-repeat-%d", os.Getpid()), name: "e2e"}
	tm.run("new-session", "-d", "-s", tm.name, "-x", "80", "-y", "24", "env", "TERM=xterm-256color", bin, "--demo")
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	tm.waitFor("pick a flow", "emulator")

	// Decode: each paste replaces the last and is decoded at once.
	token := func(aud string) string {
		enc := base64.RawURLEncoding.EncodeToString
		return enc([]byte(`{"typ":"JWT","alg":"RS256","kid":"k1"}`)) + "." +
			enc([]byte(`{"aud":"`+aud+`","iss":"https://login.microsoftonline.com/7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13/v2.0","iat":1795474800,"exp":1795478400}`)) +
			"." + enc([]byte("signature"))
	}
	paste := func(text string) {
		tm.run("set-buffer", "-b", "aadx", text)
		tm.run("paste-buffer", "-p", "-d", "-b", "aadx", "-t", tm.name)
	}
	tm.keys("d")
	tm.waitFor("token ›")
	paste(token("api://first-api"))
	tm.waitFor("aud api://first-api")
	paste("not a token at all")
	tm.waitFor("cannot decode")
	if s := tm.capture(); strings.Contains(s, "api://first-api") {
		t.Fatalf("after a bad paste the first token is still on screen:\n%s", s)
	}
	paste("Authorization: Bearer " + token("api://second-api"))
	tm.waitFor("aud api://second-api")
	if s := tm.capture(); strings.Contains(s, "cannot decode") || strings.Contains(s, "first-api") {
		t.Fatalf("the second token is mixed with what came before:\n%s", s)
	}

	// A leg sent twice shows its own latest exchange, the first one as labelled history.
	tm.keys("Escape", "Down", "Down", "Down", "Down", "Down")
	tm.waitFor("▸ background service")
	tm.keys("Enter")
	tm.waitFor("✓ ready")
	tm.keys("Enter")
	tm.waitFor("Request a token · prepared")
	tm.keys("Enter")
	tm.waitFor("[access]")
	tm.keys("t") // at 80 columns the claims replace the run until t
	tm.waitFor("Request a token · done")
	tm.keys("r")
	tm.waitFor("Request a token · prepared")
	tm.keys("Enter")
	tm.waitFor("[access]")
	tm.keys("t")
	tm.waitFor("Request a token · done", "earlier sends of this leg", "200 OK")
	tm.keys("q")
}
