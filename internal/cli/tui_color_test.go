package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// fakeTmux puts a `tmux` on PATH that records each call in the returned file and answers `tmux info` with
// infoLine.
func fakeTmux(t *testing.T, infoLine string) (calls string) {
	t.Helper()
	dir := t.TempDir()
	calls = filepath.Join(dir, "calls")
	script := "#!/bin/sh\necho \"$@\" >> " + calls + "\necho '" + infoLine + "'\n"
	if err := os.WriteFile(filepath.Join(dir, "tmux"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return calls
}

func tmuxCalls(t *testing.T, calls string) string {
	t.Helper()
	b, err := os.ReadFile(calls)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

// TestTUIColorProfileAsksTmuxAfterwards: inside tmux the first frame is drawn with at least 256 colours
// without running `tmux info`; asked afterwards, a tmux that passes 24-bit colour through upgrades it.
func TestTUIColorProfileAsksTmuxAfterwards(t *testing.T) {
	calls := fakeTmux(t, " 221: Tc: (flag) true")
	inTmux := []string{"TERM=screen", "TMUX=/tmp/tmux-0/default,1,0", "TTY_FORCE=1"}
	for i := 0; i < 2; i++ { // a second start asks nothing either
		p, ask := tuiColorProfile(os.Stdout, inTmux)
		if p != colorprofile.ANSI256 || !ask {
			t.Fatalf("in tmux: profile %v, ask tmux %v; want 256 colours, then ask", p, ask)
		}
	}
	if got := tmuxCalls(t, calls); got != "" {
		t.Fatalf("tmux was run before the first frame: %q", got)
	}
	if colorprofile.Tmux(inTmux) != colorprofile.TrueColor || tmuxCalls(t, calls) != "info\n" {
		t.Errorf("asked afterwards, tmux with Tc should give 24-bit colour in one call (calls %q)", tmuxCalls(t, calls))
	}
}

// TestTUIColorProfileUnchangedOutsideTmux: wherever Detect would not ask tmux, the answer is Detect's and
// nothing is asked later.
func TestTUIColorProfileUnchangedOutsideTmux(t *testing.T) {
	calls := fakeTmux(t, "Tc: true")
	for _, env := range [][]string{
		{"TERM=xterm-256color", "TTY_FORCE=1"},
		{"TERM=xterm-256color", "COLORTERM=truecolor", "TTY_FORCE=1"},
		{"TERM=xterm", "TTY_FORCE=1", "TMUX=/tmp/tmux-0/default,1,0", "NO_COLOR=1"},
		{"TERM=dumb", "TTY_FORCE=1", "TMUX=/tmp/tmux-0/default,1,0"},
		{"TERM=tmux-256color", "TMUX=/tmp/tmux-0/default,1,0"}, // not a terminal (tests' stdout)
	} {
		p, ask := tuiColorProfile(os.Stdout, env)
		want := colorprofile.Detect(os.Stdout, env)
		if p != want || ask {
			t.Errorf("%v: profile %v ask %v, want Detect's %v and no question", env, p, ask, want)
		}
	}
	if got := tmuxCalls(t, calls); got != "" {
		t.Errorf("tmux was run: %q", got)
	}
}

// TestNoTmuxQueryAtStart: a command run inside tmux on a terminal starts without a round trip to tmux
// (lipgloss's package-level Writer would run `tmux info` at init; internal/earlyenv hides $TMUX from it),
// and the command itself still sees $TMUX.
func TestNoTmuxQueryAtStart(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "aadx")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/aadx/aadx").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	calls := fakeTmux(t, "Tc: true")
	for i := 0; i < 2; i++ {
		cmd := exec.Command(bin, "version")
		cmd.Env = append(os.Environ(), "TERM=tmux-256color", "TMUX=/tmp/tmux-0/default,1,0", "TTY_FORCE=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("aadx version: %v\n%s", err, out)
		}
	}
	if got := tmuxCalls(t, calls); got != "" {
		t.Errorf("aadx version ran tmux at start: %q", got)
	}
}

// TestTmuxColorsUpgradeSticks: once tmux said 24-bit, Bubble Tea's own starting announcement (which may
// arrive later) does not bring the program back to 256 colours; before that, announcements pass unchanged.
func TestTmuxColorsUpgradeSticks(t *testing.T) {
	var c tmuxColors
	if m := c.filter(nil, tea.ColorProfileMsg{Profile: colorprofile.ANSI256}); m.(tea.ColorProfileMsg).Profile != colorprofile.ANSI256 {
		t.Errorf("before tmux answered: %v", m)
	}
	c.best.Store(uint32(colorprofile.TrueColor))
	for i := 0; i < 2; i++ {
		if m := c.filter(nil, tea.ColorProfileMsg{Profile: colorprofile.ANSI256}); m.(tea.ColorProfileMsg).Profile != colorprofile.TrueColor {
			t.Errorf("after tmux said 24-bit: %v", m)
		}
	}
	if m := c.filter(nil, tea.KeyPressMsg{Code: 'q'}); m != (tea.KeyPressMsg{Code: 'q'}) {
		t.Errorf("other messages must pass unchanged: %v", m)
	}
}

// TestTUIColorProfileReadsTerminfoAfterwards: inside tmux the terminfo entry is not read before the first
// frame either; read afterwards, an entry with Tc gives 24-bit colour as Detect would have, without asking
// tmux; an entry without it leaves the answer to tmux. The same twice.
func TestTUIColorProfileReadsTerminfoAfterwards(t *testing.T) {
	calls := fakeTmux(t, "no Tc here")
	dir, err := filepath.Abs("testdata/terminfo") // aadx-tc: xterm-256color with Tc (aadx-tc.src, compiled by tic -x)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("TERMINFO", dir)
	withTc := []string{"TERM=aadx-tc", "TMUX=/tmp/tmux-0/default,1,0", "TTY_FORCE=1"}
	if colorprofile.Detect(os.Stdout, []string{"TERM=aadx-tc", "TTY_FORCE=1"}) != colorprofile.TrueColor {
		t.Fatal("the test's terminfo entry should have Tc")
	}
	for range 2 {
		var c tmuxColors
		if p, ask := tuiColorProfile(os.Stdout, withTc); p != colorprofile.ANSI256 || !ask {
			t.Fatalf("before the first frame: profile %v, ask %v; want 256 colours, the rest afterwards", p, ask)
		}
		if !c.learn(withTc) || colorprofile.Profile(c.best.Load()) != colorprofile.TrueColor {
			t.Error("afterwards, the entry's Tc should give 24-bit colour")
		}
		if got := tmuxCalls(t, calls); got != "" {
			t.Errorf("the entry settled it, yet tmux was asked: %q", got)
		}
		without := []string{"TERM=tmux-256color", "TMUX=/tmp/tmux-0/default,1,0", "TTY_FORCE=1"}
		if c := (tmuxColors{}); c.learn(without) || c.best.Load() != 0 {
			t.Error("no Tc in the entry nor from tmux: 256 colours stay")
		}
		if got := tmuxCalls(t, calls); got != "info\n" {
			t.Errorf("without Tc in the entry, tmux should be asked once: %q", got)
		}
		_ = os.Remove(calls)
	}
}
