package tui

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"
)

// tapeStep is one thing demo.tape does while it is recording: press a key, wait, or (a "# screen:"
// comment) promise that some text is on screen.
type tapeStep struct {
	line   int
	key    string // a key name as keyMsg spells it
	sleep  time.Duration
	expect string
}

// tape is demo.tape read for replay: the steps while shown (Hide…Show is the shell launching aadx) and
// the recorded time they take.
type tape struct {
	steps    []tapeStep
	recorded time.Duration
}

// tapeKeys maps VHS key commands to key names.
var tapeKeys = map[string]string{
	"Enter": "enter", "Escape": "esc", "Tab": "tab", "Up": "up", "Down": "down", "Left": "left",
	"Right": "right", "Space": " ", "Ctrl+C": "ctrl+c",
}

// parseTape reads a VHS tape. Commands it does not know fail the parse, so the tape cannot use a key
// the replay would skip.
func parseTape(path string) (*tape, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := &tape{}
	hidden := false
	typing := 50 * time.Millisecond // VHS's default TypingSpeed
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if marker, ok := strings.CutPrefix(line, "# screen:"); ok {
			t.steps = append(t.steps, tapeStep{line: n, expect: strings.TrimSpace(marker)})
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cmd, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		cmd, speed, hasSpeed := strings.Cut(cmd, "@") // Type@100ms, Down@200ms 3
		press := typing
		if hasSpeed {
			if press, err = time.ParseDuration(speed); err != nil {
				return nil, fmt.Errorf("line %d: speed %q: %w", n, speed, err)
			}
		}
		switch {
		case cmd == "Output" || cmd == "Require" || cmd == "Source" || cmd == "Env":
		case cmd == "Set":
			if v, ok := strings.CutPrefix(rest, "TypingSpeed "); ok {
				if typing, err = time.ParseDuration(strings.TrimSpace(v)); err != nil {
					return nil, fmt.Errorf("line %d: TypingSpeed: %w", n, err)
				}
			}
		case cmd == "Hide":
			hidden = true
		case cmd == "Show":
			hidden = false
		case cmd == "Sleep":
			d, err := tapeDuration(rest)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			if !hidden {
				t.steps = append(t.steps, tapeStep{line: n, sleep: d})
				t.recorded += d
			}
		case cmd == "Type":
			text, err := strconv.Unquote(rest)
			if err != nil {
				return nil, fmt.Errorf("line %d: Type needs a quoted string: %w", n, err)
			}
			if hidden {
				continue
			}
			for _, r := range text {
				t.steps = append(t.steps, tapeStep{line: n, key: string(r)})
				t.recorded += press
			}
		case tapeKeys[cmd] != "":
			count := 1
			if rest != "" {
				if count, err = strconv.Atoi(rest); err != nil || count < 1 {
					return nil, fmt.Errorf("line %d: %s takes a repeat count, not %q", n, cmd, rest)
				}
			}
			if hidden {
				continue
			}
			for range count {
				t.steps = append(t.steps, tapeStep{line: n, key: tapeKeys[cmd]})
				t.recorded += press
			}
		default:
			return nil, fmt.Errorf("line %d: the replay does not know %q; teach tape_test.go or use another command", n, cmd)
		}
	}
	return t, sc.Err()
}

// tapeDuration reads a VHS duration: "2s", "500ms", or a plain number of seconds.
func tapeDuration(s string) (time.Duration, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	secs, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("sleep %q is not a duration", s)
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// TestDemoTapeLength: the recorded tour lasts 30 to 60 seconds.
func TestDemoTapeLength(t *testing.T) {
	tp, err := parseTape("../demo.tape")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo.tape records %s", tp.recorded)
	if tp.recorded < 30*time.Second || tp.recorded > 60*time.Second {
		t.Errorf("demo.tape records %s; keep it between 30 and 60 seconds", tp.recorded)
	}
}

// TestDemoTapeReplays drives the TUI with demo.tape's keys, in the --demo set-up (the in-process
// emulator's demo tenant, live runs), and checks every screen the tape promises, so the demo cannot
// rot. The GIF is recorded at about 120x35; the tour must also work at the 80x24 minimum.
func TestDemoTapeReplays(t *testing.T) {
	tp, err := parseTape("../demo.tape")
	if err != nil {
		t.Fatal(err)
	}
	expectations := 0
	for _, s := range tp.steps {
		if s.expect != "" {
			expectations++
		}
	}
	if expectations < 10 {
		t.Fatalf("demo.tape promises only %d screens; the replay needs its \"# screen:\" lines", expectations)
	}
	for _, sz := range []struct{ w, h int }{{120, 35}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			// The tour switches a scenario on: the scenario tests' emulator is reset after each run.
			tm, m := startTUI(t, liveOptions(scenarioDemo(newFaultEmulator(t))), sz.w, sz.h)
			for _, s := range tp.steps {
				switch {
				case s.key == "q":
					press(tm, s.key)
					tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
					if !m.quitting {
						t.Errorf("demo.tape:%d: q should quit", s.line)
					}
					return
				case s.key != "":
					press(tm, s.key)
				case s.expect != "":
					t.Logf("demo.tape:%d: %s", s.line, s.expect)
					waitFor(t, tm, s.expect)
				}
			}
			t.Error("demo.tape should end by quitting (Type \"q\")")
		})
	}
}
