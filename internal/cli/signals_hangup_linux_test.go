package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestTUIDemoHangupRemovesTemporaryKeys: closing the terminal of `aadx --demo` (tmux kill-session sends
// SIGHUP) stops its emulator the orderly way, removing the temporary key directory.
func TestTUIDemoHangupRemovesTemporaryKeys(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is required under CI")
		}
		t.Skip("tmux is not installed")
	}
	bin := buildAadx(t)
	tmp := t.TempDir()
	tm := &tmuxSession{t: t, socket: fmt.Sprintf("aadx-hup-%d", os.Getpid()), name: "hup"}
	tm.run("new-session", "-d", "-s", tm.name, "-x", "100", "-y", "30", "env", "TERM=xterm-256color", "TMPDIR="+tmp,
		"XDG_CACHE_HOME="+t.TempDir(), bin, "--demo")
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	tm.waitFor("pick a flow", "emulator", "authority 127.0.0.1:") // the emulator is up once its address shows
	if len(emulatorDirs(t, tmp)) == 0 {
		t.Fatal("no temporary emulator directory while the demo runs")
	}
	exited := watchExit(t, paneProcess(t, tm, bin))
	tm.run("kill-session", "-t", tm.name)
	if err := exited(20 * time.Second); err != nil {
		t.Fatalf("after SIGHUP: %v", err)
	}
	if left := emulatorDirs(t, tmp); len(left) != 0 {
		t.Fatalf("after SIGHUP: %v left behind", left)
	}
}

// paneProcess is the pid of the program running in the session's pane, checked to be bin itself (tmux execs
// the command, and env execs bin), so that waiting on it waits on aadx and not on a wrapper.
func paneProcess(t *testing.T, tm *tmuxSession, bin string) int {
	t.Helper()
	pid, err := strconv.Atoi(strings.TrimSpace(tm.run("display-message", "-p", "-t", tm.name, "#{pane_pid}")))
	if err != nil {
		t.Fatalf("pane pid: %v", err)
	}
	if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); err != nil || exe != bin {
		t.Fatalf("the pane runs %q (%v), not %s", exe, err, bin)
	}
	return pid
}

// watchExit opens a pidfd on pid now, before anything signals it, and returns a wait for its exit: the kernel
// says when the process is gone, so the test waits on that event instead of polling.
func watchExit(t *testing.T, pid int) func(timeout time.Duration) error {
	t.Helper()
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		t.Fatalf("pidfd_open(%d): %v", pid, err)
	}
	t.Cleanup(func() { _ = unix.Close(fd) })
	return func(timeout time.Duration) error {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		for {
			n, err := unix.Poll(fds, int(timeout.Milliseconds()))
			switch {
			case errors.Is(err, unix.EINTR):
				continue
			case err != nil:
				return fmt.Errorf("waiting for pid %d: %w", pid, err)
			case n == 0:
				return fmt.Errorf("pid %d still running after %s", pid, timeout)
			}
			return nil
		}
	}
}
