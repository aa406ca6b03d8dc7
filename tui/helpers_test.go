package tui

import (
	"encoding/base64"
	"errors"
	"fmt"

	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/internal/demo/emulated"
)

// pinnedNow is the clock of every test screen.
var pinnedNow = time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC)

func pinnedClock() time.Time { return pinnedNow }

// countingRand is a deterministic byte source, so state, nonce, verifiers and request ids are pinned.
type countingRand struct {
	mu sync.Mutex
	n  byte
}

func (r *countingRand) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range p {
		r.n++
		p[i] = r.n
	}
	return len(p), nil
}

// fakeClipboard records what was copied instead of touching the system clipboard.
type fakeClipboard struct {
	mu     sync.Mutex
	copied []string
}

func (c *fakeClipboard) write(s string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.copied = append(c.copied, s)
	return nil
}

func (c *fakeClipboard) last() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.copied) == 0 {
		return ""
	}
	return c.copied[len(c.copied)-1]
}

// offlineTransport fails every request the same way, so screens that try the network are stable.
type offlineTransport struct{}

func (offlineTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("offline in tests")
}

// blockingTransport holds every request until its context is cancelled (esc).
type blockingTransport struct{ started chan struct{} }

func (b blockingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case b.started <- struct{}{}:
	default:
	}
	<-req.Context().Done()
	return nil, req.Context().Err()
}

var (
	sharedEmulatorOnce sync.Once
	sharedEmulator     *emulator.Server
	sharedEmulatorErr  error
)

// newEmulator returns an in-memory emulator (no socket) with a quick device interval, shared by the
// tests that switch on no scenario (its keys take a while to generate).
func newEmulator(t testing.TB) *emulator.Server {
	t.Helper()
	sharedEmulatorOnce.Do(func() {
		sharedEmulator, sharedEmulatorErr = emulator.New(emulator.Options{NoListener: true, DeviceInterval: 20 * time.Millisecond})
	})
	if sharedEmulatorErr != nil {
		t.Fatalf("emulator: %v", sharedEmulatorErr)
	}
	return sharedEmulator
}

// demoOf describes an emulator the way the command line does.
func demoOf(srv *emulator.Server) *Demo {
	return &Demo{Tenant: emulated.Tenant(srv.Description()), HTTPClient: srv.HTTPClient(),
		SetScenarios: srv.SetScenarios, Scenarios: emulated.Scenarios()}
}

// pinned fills the options every test pins: palette, clock, ids, clipboard and an offline network.
func pinned(opts Options, clip *fakeClipboard) Options {
	dark := true
	opts.DarkBackground = &dark
	opts.Now = pinnedClock
	opts.Rand = &countingRand{}
	if clip != nil {
		opts.Clipboard = clip.write
	} else {
		opts.Clipboard = func(string) error { return nil }
	}
	if opts.HTTPClient == nil && opts.Demo == nil {
		opts.HTTPClient = &http.Client{Transport: offlineTransport{}}
	}
	return opts
}

// startTUI runs the model in teatest at a fixed size with no colours.
func startTUI(t *testing.T, opts Options, w, h int) (*teatest.TestModel, *Model) {
	t.Helper()
	m := New(opts)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.NoTTY), tea.WithFilter(answerProbes)))
	return tm, m
}

// probeMsg asks for the current screen. It is answered by a program filter, which runs in the event
// loop, so reading the model does not race with Update (the renderer's output is a stream of diffs, in
// which a marker may be split).
type probeMsg struct{ reply chan string }

func answerProbes(m tea.Model, msg tea.Msg) tea.Msg {
	if p, ok := msg.(probeMsg); ok {
		p.reply <- ansi.Strip(m.(*Model).View().Content)
		return nil
	}
	return msg
}

// screenNow returns the current screen as plain text.
func screenNow(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	reply := make(chan string, 1)
	tm.Send(probeMsg{reply: reply})
	select {
	case s := <-reply:
		return s
	case <-time.After(5 * time.Second):
		t.Fatal("the program did not answer")
		return ""
	}
}

// waitFor waits until the screen shows marker.
func waitFor(t *testing.T, tm *teatest.TestModel, marker string) {
	t.Helper()
	waitUntil(t, tm, fmt.Sprintf("%q", marker), func(screen string) bool { return strings.Contains(screen, marker) })
}

// waitUntil waits until the screen satisfies ok, asking the program for it between its messages; what names
// the awaited state in the failure.
func waitUntil(t *testing.T, tm *teatest.TestModel, what string, ok func(screen string) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		if last = screenNow(t, tm); ok(last) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the screen never showed %s; last screen:\n%s", what, last)
}

// joined is a screen with its line breaks and indentation taken out, for values the screen wraps.
func joined(screen string) string {
	var b strings.Builder
	for _, l := range strings.Split(screen, "\n") {
		b.WriteString(strings.TrimSpace(l))
	}
	return b.String()
}

// finalScreen quits and returns the last frame without escape sequences.
func finalScreen(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	return ansi.Strip(m.View().Content)
}

func press(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
}

// keyMsg builds a key press from its name as bubbles/key spells it.
func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	if strings.HasPrefix(k, "ctrl+") && len(k) == 6 {
		return tea.KeyPressMsg{Code: rune(k[5]), Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// testToken builds an unsigned-looking compact JWT with fixed claims around pinnedNow.
func testToken(claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	header := `{"typ":"JWT","alg":"RS256","kid":"test-key-1"}`
	return enc([]byte(header)) + "." + enc([]byte(claims)) + "." + enc([]byte("not-a-real-signature"))
}

var sampleClaims = strings.Join([]string{
	`{"aud":"api://6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68"`,
	`"iss":"https://login.microsoftonline.com/7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13/v2.0"`,
	`"iat":1795474800`, `"nbf":1795474800`, `"exp":1795478400`,
	`"azp":"3f0c7d2e-8a14-4b6f-b5e9-1d2a7c4e9f30"`, `"name":"Alex Rivera"`,
	`"oid":"4a7d2c9e-1b36-4f58-8e0a-3c6f9b2d5e71"`, `"scp":"access_as_user"`,
	`"tid":"7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13"`, `"ver":"2.0"}`,
}, ",")
