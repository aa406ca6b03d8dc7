package earlyenv

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// seenAtInit is what a package initialised after earlyenv (as github.com/atotto/clipboard and colorprofile
// are) finds in the environment: this file's init runs after earlyenv.go's package variables are set.
var seenAtInit string

func init() {
	path, hasPath := os.LookupEnv("PATH")
	tmux, hasTmux := os.LookupEnv("TMUX")
	seenAtInit = fmt.Sprintf("PATH=%v:%q TMUX=%v:%q", hasPath, path, hasTmux, tmux)
}

// TestMain doubles as the helper process of TestInitSeesLessThanTheCommands: with EARLYENV_HELPER set it
// prints what init saw and what the command sees after Restore (called twice), and exits.
func TestMain(m *testing.M) {
	if os.Getenv("EARLYENV_HELPER") != "" {
		Restore()
		first := envLine()
		Restore()
		fmt.Printf("init %s\nrestored %s\nagain %s\n", seenAtInit, first, envLine())
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func envLine() string {
	path, hasPath := os.LookupEnv("PATH")
	tmux, hasTmux := os.LookupEnv("TMUX")
	return fmt.Sprintf("PATH=%v:%q TMUX=%v:%q", hasPath, path, hasTmux, tmux)
}

// Package initialisation sees no $TMUX, and no $PATH when the command line names a command (the TUI, the
// clipboard's only user, runs without one); the command itself gets both back, unchanged, however often
// Restore is called.
func TestInitSeesLessThanTheCommands(t *testing.T) {
	const path, tmux = "/opt/a:/opt/b", "/tmp/tmux-0/default,1,0"
	for _, tt := range []struct {
		args      []string
		env       []string
		init, cmd string
	}{
		{[]string{"decode", "--json"}, []string{"PATH=" + path, "TMUX=" + tmux},
			`PATH=false:"" TMUX=false:""`, `PATH=true:"/opt/a:/opt/b" TMUX=true:"/tmp/tmux-0/default,1,0"`},
		{[]string{"version"}, []string{"PATH=" + path},
			`PATH=false:"" TMUX=false:""`, `PATH=true:"/opt/a:/opt/b" TMUX=false:""`},
		{[]string{"no-such-command"}, []string{"PATH="},
			`PATH=false:"" TMUX=false:""`, `PATH=true:"" TMUX=false:""`},
		{[]string{"--demo"}, []string{"PATH=" + path, "TMUX=" + tmux},
			`PATH=true:"/opt/a:/opt/b" TMUX=false:""`, `PATH=true:"/opt/a:/opt/b" TMUX=true:"/tmp/tmux-0/default,1,0"`},
		{nil, []string{"PATH=" + path},
			`PATH=true:"/opt/a:/opt/b" TMUX=false:""`, `PATH=true:"/opt/a:/opt/b" TMUX=false:""`},
		{[]string{"decode"}, nil, `PATH=false:"" TMUX=false:""`, `PATH=false:"" TMUX=false:""`},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], tt.args...)
			cmd.Env = append([]string{"EARLYENV_HELPER=1"}, tt.env...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			want := "init " + tt.init + "\nrestored " + tt.cmd + "\nagain " + tt.cmd + "\n"
			if string(out) != want {
				t.Fatalf("got:\n%s\nwant:\n%s", out, want)
			}
		})
	}
}

func TestNamesCommand(t *testing.T) {
	for args, want := range map[string]bool{
		"aadx": false, "aadx --demo": false, "aadx -h": false, "aadx --profile p": false,
		"aadx decode": true, "aadx version": true, "aadx help": true, "aadx __complete de": true, "aadx typo": true,
	} {
		if got := NamesCommand(strings.Fields(args)); got != want {
			t.Errorf("NamesCommand(%q) = %v, want %v", args, got, want)
		}
	}
}
