package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// frameMarker is text of the flow picker's first frame.
const frameMarker = "recommended flow"

// tmuxPane is one 100x30 pane of a private tmux server, as a user's terminal, driven through one control-mode
// client (tmux -C): respawning the pane and capturing its screen are commands on that client's stdin, not a
// tmux process each. A capture-pane process costs about 3 ms of CPU here, so polling with processes kept one
// of the machine's two cores busy while the measured program started, and its start-up added about 10 ms to
// every figure; the control client polls for the server's work alone. It attaches with ignore-size (the
// pane stays 100x30) and no-output (no %output notifications to read through).
type tmuxPane struct {
	socket string
	dir    string
	ctl    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	// blocks carries the control client's answers, read by one goroutine; broken is set when an answer did
	// not come (tmux has been seen to leave one out when a command from inside the pane runs at the same
	// time): from then on every command runs as a tmux process of its own, slower but sure.
	blocks chan blockResult
	broken bool
}

type blockResult struct {
	lines []string
	err   error
}

// answerWait is how long an answer may take before the control client is given up for processes.
const answerWait = 5 * time.Second

func newTmuxPane() (*tmuxPane, error) {
	dir, err := os.MkdirTemp("", "bench-start-")
	if err != nil {
		return nil, err
	}
	p := &tmuxPane{socket: fmt.Sprintf("aadx-bench-%d", os.Getpid()), dir: dir}
	if out, err := p.tmux("-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "sleep 600"); err != nil {
		return nil, fmt.Errorf("tmux: %v: %s", err, out)
	}
	p.ctl = exec.Command("tmux", "-L", p.socket, "-C", "attach-session", "-f", "no-output,ignore-size")
	if p.in, err = p.ctl.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := p.ctl.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p.out = bufio.NewReader(stdout)
	if err := p.ctl.Start(); err != nil {
		return nil, fmt.Errorf("tmux -C: %w", err)
	}
	// The attach itself answers with a block of its own; read up to the answer of a command of ours.
	if _, err := fmt.Fprintln(p.in, "display-message -p bench-start-ready"); err != nil {
		return nil, err
	}
	for {
		lines, err := p.block()
		if err != nil {
			return nil, err
		}
		if len(lines) == 1 && lines[0] == "bench-start-ready" {
			return p, nil
		}
	}
}

// tmux runs one tmux command as a process of its own (set-up and tear-down).
func (p *tmuxPane) tmux(args ...string) ([]byte, error) {
	return exec.Command("tmux", append([]string{"-L", p.socket}, args...)...).CombinedOutput()
}

// command sends one command line to the control client and returns its output lines. The client answers
// every command with one %begin … %end (or %error) block, in order; notifications (%…) come between blocks.
// An answer that does not come within answerWait gives the client up: the command, and every one after it,
// runs as a tmux process instead, and stderr says so.
func (p *tmuxPane) command(args ...string) ([]string, error) {
	if !p.broken {
		if _, err := fmt.Fprintln(p.in, strings.Join(args, " ")); err != nil {
			return nil, err
		}
		if p.blocks == nil {
			p.blocks = make(chan blockResult)
			go func() {
				for {
					lines, err := p.block()
					p.blocks <- blockResult{lines, err}
					if err != nil {
						return
					}
				}
			}()
		}
		select {
		case r := <-p.blocks:
			return r.lines, r.err
		case <-time.After(answerWait):
			p.broken = true
			fmt.Fprintf(os.Stderr, "bench-start: tmux -C gave no answer to %q in %s; polling with tmux processes from here\n",
				strings.Join(args, " "), answerWait)
		}
	}
	plain := make([]string, len(args))
	for i, a := range args { // a process takes each argument as it is: no tmux quoting
		plain[i] = strings.TrimSuffix(strings.TrimPrefix(a, "'"), "'")
	}
	out, err := p.tmux(plain...)
	if err != nil {
		return nil, fmt.Errorf("tmux %s: %v: %s", strings.Join(plain, " "), err, out)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n"), nil
}

// block reads the lines of the next block answering a command of this client, skipping notifications and
// blocks of commands that did not come from it (their %begin's flags are 0: the server also reports to a
// control client commands other clients run, such as a `tmux info` inside the pane).
func (p *tmuxPane) block() ([]string, error) {
	var lines []string
	in, ours := false, false
	for {
		line, err := p.out.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("tmux -C: %w", err)
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case !in && strings.HasPrefix(line, "%begin "):
			f := strings.Fields(line)
			in, ours, lines = true, len(f) == 4 && f[3] == "1", nil
		case !in:
			// a notification
		case strings.HasPrefix(line, "%end ") || strings.HasPrefix(line, "%error "):
			in = false
			switch {
			case !ours:
			case strings.HasPrefix(line, "%error "):
				return nil, fmt.Errorf("tmux: %s", strings.Join(lines, "; "))
			default:
				return lines, nil
			}
		default:
			lines = append(lines, line)
		}
	}
}

// quote is a shell command as one tmux argument.
func quote(command string) string {
	if strings.Contains(command, "'") {
		fail("bench-start: a tmux command cannot hold a single quote: " + command)
	}
	return "'" + command + "'"
}

func (p *tmuxPane) close() {
	_ = p.in.Close()
	_, _ = p.tmux("kill-server")
	_ = p.ctl.Wait()
	_ = os.RemoveAll(p.dir)
}

// screen is the pane's text as capture-pane prints it.
func (p *tmuxPane) screen() (string, error) {
	lines, err := p.command("capture-pane", "-p")
	return strings.Join(lines, "\n"), err
}

// cpuToFrame is, per case, the CPU time the pane's processes had used when the marker showed: on a
// machine shared with other work, wall time stretches with the load, CPU time much less.
var cpuToFrame = map[string][]time.Duration{}

// pollPause is the pause between two captures, so that polling does not keep the tmux server, which also
// reads the pane's output, busy with nothing but captures.
const pollPause = 200 * time.Microsecond

// timeTo clears the pane, respawns it with command and polls the screen until marker shows: from the
// respawn to the marker on screen. Both the aadx case and the floor pay the same tmux commands and polling.
// The CPU time used by then is recorded under name in cpuToFrame (unless name is "").
func (p *tmuxPane) timeTo(command, marker, name string) (time.Duration, error) {
	if _, err := p.command("respawn-pane", "-k", quote("clear; sleep 600")); err != nil {
		return 0, err
	}
	for {
		screen, err := p.screen()
		if err != nil {
			return 0, err
		}
		if !strings.Contains(screen, marker) {
			break
		}
		time.Sleep(pollPause)
	}
	start := time.Now()
	if _, err := p.command("respawn-pane", "-k", quote(command)); err != nil {
		return 0, err
	}
	for time.Since(start) < 30*time.Second {
		screen, err := p.screen()
		if err != nil {
			return 0, err
		}
		if strings.Contains(screen, marker) {
			took := time.Since(start)
			if name != "" {
				pid, err := p.command("display-message", "-p", quote("#{pane_pid}"))
				if err != nil || len(pid) != 1 {
					return 0, fmt.Errorf("the pane's process: %v %q", err, pid)
				}
				cpuToFrame[name] = append(cpuToFrame[name], treeCPU(pid[0]))
			}
			return took, nil
		}
		time.Sleep(pollPause)
	}
	return 0, errors.New("no " + marker + " on screen after 30 s")
}

// captureFirstFrame shows command's first frame and saves it, escapes included, for the floor case.
func (p *tmuxPane) captureFirstFrame(command string) (string, error) {
	if _, err := p.timeTo(command, frameMarker, ""); err != nil {
		return "", err
	}
	frame, err := p.command("capture-pane", "-p", "-e")
	if err != nil {
		return "", err
	}
	file := filepath.Join(p.dir, "frame.txt")
	return file, os.WriteFile(file, []byte(strings.Join(frame, "\n")+"\n"), 0o600)
}
