package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/aadx/aadx/tui"
)

// The first frame aadx paints itself holds the picker's first view, each line at its row and cut at the width,
// on the alternate screen with the cursor hidden, in no more colours than the profile has.
func TestFirstFrameIsTheFirstView(t *testing.T) {
	for _, size := range []struct{ w, h int }{{100, 30}, {80, 24}} {
		m := tui.New(tui.Options{})
		m.Update(tea.WindowSizeMsg{Width: size.w, Height: size.h})
		view := m.View().Content
		frame := string(firstFrame(view, colorprofile.ANSI256, size.w, size.h))
		if !strings.HasPrefix(frame, ansi.SetModeAltScreenSaveCursor+ansi.ResetModeTextCursorEnable) {
			t.Errorf("%dx%d: the frame should open the alternate screen and hide the cursor: %q", size.w, size.h, frame[:min(40, len(frame))])
		}
		if strings.Contains(frame, "38;2;") || strings.Contains(frame, "48;2;") || strings.Contains(frame, "\n") {
			t.Errorf("%dx%d: 24-bit colour or a newline in a 256-colour frame", size.w, size.h)
		}
		lines := strings.Split(view, "\n")
		if len(lines) != size.h {
			t.Fatalf("%dx%d: the view has %d lines", size.w, size.h, len(lines))
		}
		for i, line := range lines {
			at := ansi.CursorPosition(1, i+1)
			j := strings.Index(frame, at)
			if j < 0 {
				t.Fatalf("%dx%d: no row %d in the frame", size.w, size.h, i+1)
			}
			row, _, _ := strings.Cut(frame[j+len(at):], ansi.CursorPosition(1, i+2))
			if got, want := ansi.Strip(row), ansi.Strip(ansi.Truncate(line, size.w, "")); got != want || ansi.StringWidth(got) > size.w {
				t.Errorf("%dx%d row %d:\n got %q\nwant %q", size.w, size.h, i+1, got, want)
			}
		}
	}
}

// Nothing is painted where Bubble Tea alone should draw: output that is not a terminal.
func TestFirstFrameOnlyOnATerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	screen := &screenOut{File: f}
	if paintFirstFrame(screen, tui.New(tui.Options{}), colorprofile.ANSI256, []string{"TERM=xterm-256color"}) {
		t.Error("painted on a file")
	}
	if st, _ := f.Stat(); st.Size() != 0 {
		t.Errorf("%d bytes written to a file that is not a terminal", st.Size())
	}
	screen.restore()
	if st, _ := f.Stat(); st.Size() != 0 {
		t.Error("restore wrote to a screen that was never painted")
	}
}

// fakeTerminal is a term.File over a buffer; drawn is closed once the picker has been drawn on it.
type fakeTerminal struct {
	mu    sync.Mutex
	out   bytes.Buffer
	drawn chan struct{}
}

func newFakeTerminal() *fakeTerminal { return &fakeTerminal{drawn: make(chan struct{})} }

func (f *fakeTerminal) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !bytes.Contains(f.out.Bytes(), []byte("recommended flow")) && bytes.Contains(p, []byte("recommended flow")) {
		close(f.drawn)
	}
	return f.out.Write(p)
}
func (f *fakeTerminal) Read([]byte) (int, error) { return 0, os.ErrClosed }
func (f *fakeTerminal) Close() error             { return nil }
func (f *fakeTerminal) Fd() uintptr              { return ^uintptr(0) }
func (f *fakeTerminal) String() string           { f.mu.Lock(); defer f.mu.Unlock(); return f.out.String() }

// runTUI runs the TUI on screen until quit ends it (nil: at once, before any frame) and restores the screen.
func runTUI(t *testing.T, screen *screenOut, quit func(p *tea.Program)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := tea.NewProgram(tui.New(tui.Options{}), tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(screen),
		tea.WithWindowSize(100, 30), tea.WithColorProfile(colorprofile.ANSI256), tea.WithoutSignals())
	if quit == nil {
		cancel() // killed before its first tick: Bubble Tea never drew, so never left the alternate screen
	} else {
		go quit(p)
	}
	_, _ = p.Run()
	screen.restore()
}

// The alternate screen the first frame entered is left once when aadx ends: by Bubble Tea after it has drawn,
// else by aadx; and the same again on a second run.
func TestFirstFrameLeavesTheAlternateScreen(t *testing.T) {
	leave := ansi.ResetModeAltScreenSaveCursor
	for range 2 {
		term := newFakeTerminal()
		screen := &screenOut{File: term}
		screen.painted.Store(true)
		runTUI(t, screen, nil)
		if n := strings.Count(term.String(), leave); n != 1 || !strings.HasSuffix(term.String(), leave+ansi.SetModeTextCursorEnable) {
			t.Errorf("killed before drawing: the alternate screen left %d times, output %q", n, term.String())
		}

		term = newFakeTerminal()
		screen = &screenOut{File: term}
		screen.painted.Store(true)
		runTUI(t, screen, func(p *tea.Program) {
			<-term.drawn
			p.Quit()
		})
		if n := strings.Count(term.String(), leave); n != 1 {
			t.Errorf("quit after drawing: the alternate screen left %d times", n)
		}
	}
}
