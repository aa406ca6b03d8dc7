package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTUIEndToEnd builds the binary and drives `aadx --demo` in tmux, one key at a time, through client
// credentials and device code to decoded claims, reading the screen as a person would.
func TestTUIEndToEnd(t *testing.T) {
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
	build := exec.Command("go", "build", "-o", bin, "github.com/aadx/aadx")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	tm := &tmuxSession{t: t, socket: fmt.Sprintf("aadx-e2e-%d", os.Getpid()), name: "e2e"}
	tm.run("new-session", "-d", "-s", tm.name, "-x", "100", "-y", "30", "env", "TERM=xterm-256color", bin, "--demo")
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })

	tm.waitFor("pick a flow", "emulator")

	// The first screen holds every row of the recommendation matrix, scenario → flow → preset.
	tm.waitFor("▸ server-side web app      Authorization code", "single-page app (SPA)", "mobile app",
		"desktop app", "CLI tool", "background service", "API calling another API", "IoT device", "Refresh token")

	// Client credentials: pick it, accept the prefilled settings, send the one leg.
	tm.keys("Down", "Down", "Down", "Down", "Down")
	tm.waitFor("▸ background service")
	tm.keys("Enter")
	tm.waitFor("Client credentials  settings", "✓ ready")
	tm.keys("Enter")
	tm.waitFor("Request a token · prepared", "client_secret")
	if screen := tm.capture(); !strings.Contains(screen, "[redacted]") {
		t.Errorf("the client secret should be masked on screen:\n%s", screen)
	}
	tm.keys("Enter")
	tm.waitFor("[access]", "✓ valid", "aud", "Audience")

	// Device code: back to the picker, pick it, get a code, poll, approve here as a demo user.
	tm.keys("Escape", "Escape", "Up")
	tm.waitFor("▸ CLI tool")
	tm.keys("Enter")
	tm.waitFor("Device code  settings", "✓ ready")
	tm.keys("Enter")
	tm.waitFor("Get a device code · prepared")
	tm.keys("Enter")
	tm.waitFor("Poll for tokens · prepared")
	tm.keys("Enter")
	tm.waitFor("Enter this code", "approve here as")
	tm.keys("Enter")
	tm.waitFor("[access]", "id", "✓ valid", "Poll for tokens · done")
	tm.keys("]")
	tm.waitFor("[id]", "kind id", "auth_time")

	tm.keys("q")
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if exec.Command("tmux", "-L", tm.socket, "has-session", "-t", tm.name).Run() != nil {
			return // q quit the app and its session ended
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Error("q did not quit the app")
}

type tmuxSession struct {
	t            *testing.T
	socket, name string
}

func (s *tmuxSession) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// keys sends keys one at a time with a short pause, as a person types.
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		s.run("send-keys", "-t", s.name, k)
		time.Sleep(150 * time.Millisecond)
	}
}

func (s *tmuxSession) capture() string {
	s.t.Helper()
	return s.run("capture-pane", "-p", "-t", s.name)
}

// waitFor waits until the screen shows every marker.
func (s *tmuxSession) waitFor(markers ...string) {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var screen string
	for time.Now().Before(deadline) {
		screen = s.capture()
		ok := true
		for _, m := range markers {
			if !strings.Contains(screen, m) {
				ok = false
				break
			}
		}
		if ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("the screen never showed %q; last screen:\n%s", markers, screen)
}
