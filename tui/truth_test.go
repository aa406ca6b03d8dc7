package tui

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// The screen shows the current truth through the second and the third try: re-pastes, re-sends, retries
// after a fault and going back. Each test does the thing at least twice and reads the screen after each.

// movableClock is an injected clock a test moves by hand.
type movableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *movableClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func paste(tm interface{ Send(tea.Msg) }, text string) { tm.Send(tea.PasteMsg{Content: text}) }

// The audiences tell the two tokens apart on the first screenful.
const (
	audA = "api://6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68"
	audB = "api://0d5e8f2a-9c41-4b7e-a3d6-5f1c2b8e7a90"
)

var otherClaims = strings.Replace(sampleClaims, audA, audB, 1)

func TestDecodeRepasteShowsEachTokenInTurn(t *testing.T) {
	tm, _ := startTUI(t, pinned(Options{}, nil), 100, 30)
	press(tm, "d")
	waitFor(t, tm, "token ›")
	for round := 0; round < 2; round++ {
		paste(tm, testToken(sampleClaims))
		waitFor(t, tm, audA)
		paste(tm, "this is not a token")
		waitFor(t, tm, "cannot decode")
		if s := screenNow(t, tm); strings.Contains(s, audA) {
			t.Fatalf("round %d: after pasting garbage the pane still shows the previous token:\n%s", round, s)
		}
		paste(tm, testToken(otherClaims))
		waitFor(t, tm, audB)
		if s := screenNow(t, tm); strings.Contains(s, "cannot decode") || strings.Contains(s, audA) {
			t.Fatalf("round %d: the pane mixes the new token with what came before:\n%s", round, s)
		}
	}
}

func TestDecodeRelativeTimesTick(t *testing.T) {
	clock := &movableClock{now: pinnedNow}
	opts := pinned(Options{}, nil)
	opts.Now = clock.Now
	tm, _ := startTUI(t, opts, 100, 30)
	press(tm, "d")
	paste(tm, testToken(sampleClaims))
	waitFor(t, tm, "expires in 1h")
	clock.advance(25 * time.Minute)
	tm.Send(clockTickMsg{})
	waitFor(t, tm, "expires in 35m")
	clock.advance(40 * time.Minute)
	tm.Send(clockTickMsg{})
	waitFor(t, tm, "expired 5m ago")
}

// Re-sending the sign-in leg of a finished run supersedes the tokens it led to: the claims pane empties
// until the redeem leg runs again, and then shows the new tokens, the ones c copies.
func TestResendingAnEarlierLegRetiresItsTokens(t *testing.T) {
	clip := &fakeClipboard{}
	opts := live(Options{Demo: demoOf(newEmulator(t))})
	opts.Clipboard = clip.write
	tm, _ := startTUI(t, opts, 100, 30)
	press(tm, "enter", "enter")
	waitFor(t, tm, "sign in here as")
	press(tm, "a")
	waitFor(t, tm, "[access]")
	var copied []string
	for round := 0; round < 2; round++ {
		press(tm, "c")
		waitFor(t, tm, "copied access token")
		copied = append(copied, clip.last())
		press(tm, "up", "r")
		waitFor(t, tm, "Sign in (browser) · prepared")
		press(tm, "enter")
		waitFor(t, tm, "Redeem the code · prepared")
		if s := screenNow(t, tm); strings.Contains(s, "[access]") {
			t.Fatalf("round %d: the claims pane still shows the tokens of the previous sign-in:\n%s", round, s)
		}
		press(tm, "enter")
		waitFor(t, tm, "[access]")
	}
	press(tm, "c")
	waitFor(t, tm, "copied access token")
	copied = append(copied, clip.last())
	if copied[0] == copied[1] || copied[1] == copied[2] {
		t.Error("c copied the same token after a new sign-in")
	}
}

// A retry after a 503 shows the retry's own exchange; the failed one is history, labelled, oldest first.
func TestRetryAfterTransientFaultShowsOnlyTheLatestExchange(t *testing.T) {
	srv := newFaultEmulator(t)
	if err := srv.SetScenarios([]string{"transient-5xx"}); err != nil {
		t.Fatal(err)
	}
	tm, _ := startTUI(t, live(Options{Demo: scenarioDemo(srv)}), 100, 30)
	press(tm, toRow("background service", "enter", "enter")...)
	waitFor(t, tm, "Request a token · prepared")
	press(tm, "enter")
	for round := 0; round < 2; round++ {
		waitFor(t, tm, "Request a token · failed")
		s := screenNow(t, tm)
		if strings.Contains(s, "200 OK") || strings.Contains(s, "[access]") {
			t.Fatalf("round %d: the failed send shows the previous success:\n%s", round, s)
		}
		press(tm, "r")
		waitFor(t, tm, "Request a token · prepared")
		press(tm, "enter")
		waitFor(t, tm, "[access]")
		s = screenNow(t, tm)
		if !strings.Contains(s, "200 OK") || strings.Contains(s, "503 Service Unavailable") {
			t.Fatalf("round %d: the retry should show its own 200 only:\n%s", round, s)
		}
		if i := strings.Index(s, "503"); i >= 0 && !strings.Contains(s[:i], "earlier sends") {
			t.Fatalf("round %d: the failed send must be labelled as history:\n%s", round, s)
		}
		if round == 0 {
			press(tm, "r")
			waitFor(t, tm, "Request a token · prepared")
			press(tm, "enter")
		}
	}
	finalScreen(t, tm)
}

// userCodeOn reads the boxed device code under "Enter this code" (the QR code beside it is block glyphs).
func userCodeOn(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, "║") {
			l, _, _ = strings.Cut(strings.TrimPrefix(strings.TrimSpace(l), "║"), "║")
			return strings.Map(func(r rune) rune {
				if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '-' {
					return r
				}
				return -1
			}, l)
		}
	}
	return ""
}

func TestDeviceCodeRunsTwiceFromACleanStart(t *testing.T) {
	tm, _ := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 100, 30)
	press(tm, toRow("CLI tool", "enter", "enter")...)
	waitFor(t, tm, "Get a device code · prepared")
	press(tm, "enter")
	var codes []string
	for round := 0; round < 2; round++ {
		waitFor(t, tm, "Poll for tokens · prepared")
		press(tm, "enter")
		waitFor(t, tm, "approve here as")
		s := screenNow(t, tm)
		if strings.Contains(s, "approved as") {
			t.Fatalf("round %d: a new device code is shown as approved already:\n%s", round, s)
		}
		codes = append(codes, userCodeOn(s))
		press(tm, "enter")
		waitFor(t, tm, "[access]")
		press(tm, "up", "r")
		waitFor(t, tm, "Get a device code · prepared")
		press(tm, "enter")
	}
	finalScreen(t, tm)
	if codes[0] == "" || codes[0] == codes[1] {
		t.Errorf("the second run should show a new code, got %q then %q", codes[0], codes[1])
	}
}

// A declined device code leaves no "approving as …" or "waiting before poll" behind, and a retry starts
// again from a new code that can be approved.
func TestDeclinedDeviceCodeRetriesWithANewCode(t *testing.T) {
	srv := newFaultEmulator(t)
	if err := srv.SetScenarios([]string{"device-declined"}); err != nil {
		t.Fatal(err)
	}
	tm, _ := startTUI(t, live(Options{Demo: scenarioDemo(srv)}), 100, 30)
	press(tm, toRow("CLI tool", "enter", "enter")...)
	waitFor(t, tm, "Get a device code · prepared")
	press(tm, "a")
	for round := 0; round < 2; round++ {
		waitFor(t, tm, "approve here as")
		press(tm, "enter")
		waitFor(t, tm, "Poll for tokens · failed")
		s := screenNow(t, tm)
		for _, stale := range []string{"approving as", "waiting", "approved as"} {
			if strings.Contains(s, stale) {
				t.Fatalf("round %d: %q outlived the declined sign-in:\n%s", round, stale, s)
			}
		}
		press(tm, "a")
	}
	finalScreen(t, tm)
}

func TestPastedRedirectNoteEndsWithTheAttempt(t *testing.T) {
	tm, _ := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 100, 30)
	press(tm, "enter", "enter")
	waitFor(t, tm, "sign in here as")
	for round := 0; round < 2; round++ {
		press(tm, "p")
		waitFor(t, tm, "redirect URL ›")
		paste(tm, "http://localhost/callback?error=access_denied&error_description=the+user+said+no")
		press(tm, "enter")
		waitFor(t, tm, "Sign in (browser) · failed")
		if s := screenNow(t, tm); strings.Contains(s, "applying the pasted redirect") || !strings.Contains(s, "access_denied") {
			t.Fatalf("round %d: want the error alone, not the note of the attempt:\n%s", round, s)
		}
	}
	finalScreen(t, tm)
}

// Redaction markers are read on screen as they are written: no %E2%80%A6%5B70+chars%5D in a Location header.
func TestShorteningMarkersAreReadableOnScreen(t *testing.T) {
	tm, _ := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 100, 60)
	press(tm, "enter", "enter")
	waitFor(t, tm, "sign in here as")
	press(tm, "enter")
	waitFor(t, tm, "Redeem the code · prepared")
	press(tm, "up")
	waitFor(t, tm, "Location:")
	s := screenNow(t, tm)
	if strings.Contains(s, "%E2%80%A6") || strings.Contains(s, "%5B") {
		t.Fatalf("a marker is URL-encoded on screen:\n%s", s)
	}
	if !strings.Contains(s, "code=") || !strings.Contains(s, " chars]") {
		t.Fatalf("the redirect's code should be shown shortened, readably:\n%s", s)
	}
	finalScreen(t, tm)
}

// An MFA claims challenge is a path, not a dead end: one key signs in again with the challenge's claims,
// shown as new legs, and the redeem then succeeds.
func TestClaimsChallengeIsAnsweredWithOneKey(t *testing.T) {
	srv := newFaultEmulator(t)
	if err := srv.SetScenarios([]string{"mfa-required"}); err != nil {
		t.Fatal(err)
	}
	clip := &fakeClipboard{}
	opts := live(Options{Demo: scenarioDemo(srv)})
	opts.Clipboard = clip.write
	tm, _ := startTUI(t, opts, 100, 30)
	press(tm, "enter", "enter")
	waitFor(t, tm, "sign in here as")
	press(tm, "a")
	waitFor(t, tm, "Redeem the code · failed")
	waitFor(t, tm, "m answers this claims challenge")
	press(tm, "m")
	waitFor(t, tm, "Sign in (browser) (with claims) · prepared")
	press(tm, "y")
	waitFor(t, tm, "copied leg")
	if got := clip.last(); !strings.Contains(got, "claims=") {
		t.Fatalf("the new sign-in leg should carry the claims parameter: %s", got)
	}
	press(tm, "enter")
	waitFor(t, tm, "Redeem the code (with claims) · prepared")
	press(tm, "enter")
	waitFor(t, tm, "[access]")
	finalScreen(t, tm)
}

// i adds a parameter as well as editing one: the row after the last parameter takes name=value.
func TestEditAddsParameters(t *testing.T) {
	clip := &fakeClipboard{}
	opts := live(Options{Demo: demoOf(newEmulator(t))})
	opts.Clipboard = clip.write
	tm, _ := startTUI(t, opts, 100, 40)
	press(tm, "enter", "enter")
	waitFor(t, tm, "sign in here as")
	press(tm, "tab")
	for _, add := range []string{"prompt=login", "domain_hint=aadxdemo.onmicrosoft.com"} {
		for i := 0; i < 20; i++ {
			press(tm, "down")
		}
		waitFor(t, tm, "+ add a parameter")
		press(tm, "i")
		waitFor(t, tm, "name=value ›")
		paste(tm, add)
		press(tm, "enter")
		name, value, _ := strings.Cut(add, "=")
		waitFor(t, tm, "added "+name)
		if s := screenNow(t, tm); !strings.Contains(s, value) {
			t.Fatalf("the added %s is not shown:\n%s", name, s)
		}
	}
	if s := screenNow(t, tm); !strings.Contains(s, "Forces a sign-in") {
		t.Fatalf("an added parameter aadx knows should be explained:\n%s", s)
	}
	press(tm, "enter")
	waitFor(t, tm, "Redeem the code · prepared")
	press(tm, "tab", "up", "y") // the legs, the sign-in leg, copied as curl
	waitFor(t, tm, "copied leg")
	if got := clip.last(); !strings.Contains(got, "prompt=login") || !strings.Contains(got, "domain_hint=aadxdemo") {
		t.Errorf("the sign-in was not sent with the added parameters: %s", got)
	}
	finalScreen(t, tm)
}

// c on an error panel copies the error as support needs it: codes, trace and correlation ids, timestamp.
func TestCopyTheErrorPanel(t *testing.T) {
	srv := newFaultEmulator(t)
	if err := srv.SetScenarios([]string{"secret-expired"}); err != nil {
		t.Fatal(err)
	}
	clip := &fakeClipboard{}
	opts := live(Options{Demo: scenarioDemo(srv)})
	opts.Clipboard = clip.write
	tm, _ := startTUI(t, opts, 80, 24)
	press(tm, toRow("background service", "enter", "enter")...)
	waitFor(t, tm, "Request a token · prepared")
	for round := 0; round < 2; round++ {
		press(tm, "enter")
		waitFor(t, tm, "Request a token · failed")
		press(tm, "c")
		waitFor(t, tm, "copied error")
		got := clip.last()
		for _, want := range []string{"invalid_client", "AADSTS7000222", "trace id:", "correlation id:", "timestamp:"} {
			if !strings.Contains(got, want) {
				t.Fatalf("round %d: the copied error lacks %q:\n%s", round, want, got)
			}
		}
		if strings.Contains(got, scenarioDemo(srv).Apps.Daemon.ClientSecret) {
			t.Fatal("the copied error holds the client secret")
		}
		press(tm, "r")
		waitFor(t, tm, "Request a token · prepared")
	}
	finalScreen(t, tm)
}

// Without a system clipboard the notice does not claim a copy: it says OSC 52 was sent and where the value
// can be read instead.
func TestCopyWithoutSystemClipboardSaysWhereToRead(t *testing.T) {
	opts := live(Options{Demo: demoOf(newEmulator(t))})
	opts.Clipboard = func(string) error { return errors.New("no xclip, xsel or wl-copy") }
	tm, _ := startTUI(t, opts, 100, 30)
	press(tm, "enter", "enter")
	waitFor(t, tm, "sign in here as")
	press(tm, "c")
	waitFor(t, tm, "OSC 52")
	s := screenNow(t, tm)
	if strings.Contains(s, "copied authorize URL") || !strings.Contains(s, "full value") {
		t.Fatalf("the notice should not claim a copy, and should say where to read the value:\n%s", s)
	}
	finalScreen(t, tm)
}

// v shows the authorize URL whole, wrapped, with no clipboard needed; v again goes back to the run.
func TestFullValueViewShowsTheWholeAuthorizeURL(t *testing.T) {
	tm, _ := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 80, 24)
	press(tm, "enter", "enter")
	waitFor(t, tm, "sign in here as")
	for round := 0; round < 2; round++ {
		press(tm, "v")
		waitFor(t, tm, "authorize URL · full value")
		s := screenNow(t, tm)
		joined := strings.ReplaceAll(s, "\n", "")
		for _, want := range []string{"response_type=code", "&state=", "&nonce="} {
			if !strings.Contains(joined, want) {
				t.Fatalf("round %d: the full URL lacks %q:\n%s", round, want, s)
			}
		}
		press(tm, "v")
		waitFor(t, tm, "sign in here as")
	}
	finalScreen(t, tm)
}

// Tokens as customers paste them: a header line, quoted, wrapped across lines; c copies the token alone.
func TestDecodeTakesTokensAsCustomersPasteThem(t *testing.T) {
	clip := &fakeClipboard{}
	tm, _ := startTUI(t, pinned(Options{}, clip), 100, 30)
	press(tm, "d")
	tok := testToken(sampleClaims)
	pastes := []string{
		"Authorization: Bearer " + tok[:60] + "\n" + tok[60:],
		`"` + tok[:30] + "\r\n" + tok[30:] + `",`,
	}
	for i, p := range pastes {
		paste(tm, p)
		waitFor(t, tm, audA)
		press(tm, "c")
		waitFor(t, tm, "pasted token")
		if got := clip.last(); got != tok {
			t.Fatalf("paste %d: c copied %q, want the token alone", i, got)
		}
		paste(tm, "not a token")
		waitFor(t, tm, "cannot decode")
	}
	finalScreen(t, tm)
}

// Focus is visible without colour, t toggles the claims pane at every width, and the pane scrolls as
// soon as it opens at 80 columns.
func TestFocusIsVisibleAndClaimsToggleAtEveryWidth(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{100, 30}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			tm, _ := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), sz.w, sz.h)
			press(tm, toRow("background service", "enter", "enter")...)
			waitFor(t, tm, "Request a token · prepared")
			if s := screenNow(t, tm); !strings.Contains(s, "»") {
				t.Fatalf("the focused part (the legs) should be marked without colour:\n%s", s)
			}
			press(tm, "tab")
			waitFor(t, tm, "» 1 Request a token")
			press(tm, "tab", "enter")
			waitFor(t, tm, "[access]")
			if sz.w < 100 {
				first := screenNow(t, tm)
				press(tm, "down", "down", "down")
				waitFor(t, tm, "[access]")
				if screenNow(t, tm) == first {
					t.Fatalf("the claims pane should scroll as soon as it opens:\n%s", first)
				}
			}
			for round := 0; round < 2; round++ {
				press(tm, "t")
				waitFor(t, tm, "Request a token · done")
				if s := screenNow(t, tm); strings.Contains(s, "[access]") {
					t.Fatalf("round %d: t should hide the claims pane at %d columns:\n%s", round, sz.w, s)
				}
				press(tm, "t")
				waitFor(t, tm, "[access]")
				if s := screenNow(t, tm); !strings.Contains(s, "» [access]") {
					t.Fatalf("round %d: the shown claims pane should have the focus, marked:\n%s", round, s)
				}
			}
			finalScreen(t, tm)
		})
	}
}

// p works while the browser leg waits on the loopback listener: the pasted redirect replaces the wait.
func TestPasteTheRedirectWhileTheBrowserWaits(t *testing.T) {
	opened := make(chan string, 2)
	opts := live(Options{Demo: demoOf(newEmulator(t))})
	opts.OpenBrowser = func(u string) error { opened <- u; return nil } // a browser that never comes back
	tm, _ := startTUI(t, opts, 100, 30)
	press(tm, "enter", "enter")
	waitFor(t, tm, "sign in here as")
	press(tm, "o")
	waitFor(t, tm, "waiting for the browser")
	authorize, err := url.Parse(<-opened)
	if err != nil {
		t.Fatal(err)
	}
	q := authorize.Query()
	press(tm, "p")
	waitFor(t, tm, "redirect URL ›")
	paste(tm, q.Get("redirect_uri")+"?code=pasted-code&state="+url.QueryEscape(q.Get("state")))
	press(tm, "enter")
	waitFor(t, tm, "Redeem the code · prepared")
	if s := screenNow(t, tm); strings.Contains(s, "waiting for the browser") || strings.Contains(s, "cancelled") {
		t.Fatalf("the wait should have given way to the pasted redirect:\n%s", s)
	}
	finalScreen(t, tm)
}

// The Markdown report holds the decoded claims of the tokens it mentions and says the run was an emulator
// scenario, so a ticket reader does not mistake it for a real tenant.
func TestMarkdownExportHasDecodedClaimsAndTheScenario(t *testing.T) {
	srv := newFaultEmulator(t)
	if err := srv.SetScenarios([]string{"clock-skew"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	opts := live(Options{Demo: scenarioDemo(srv)})
	opts.ExportDir = dir
	tm, _ := startTUI(t, opts, 100, 30)
	press(tm, "R")
	waitFor(t, tm, "reproduce a problem")
	for i := 0; i < 20 && !strings.Contains(screenNow(t, tm), "▸ ● clock-skew") && !strings.Contains(screenNow(t, tm), "▸   clock-skew"); i++ {
		press(tm, "down")
	}
	press(tm, "enter")
	waitFor(t, tm, "[access]")
	press(tm, "e")
	waitFor(t, tm, "exported")
	finalScreen(t, tm)
	matches, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	if len(matches) != 1 {
		t.Fatalf("want one Markdown report, got %v", matches)
	}
	data, _ := os.ReadFile(matches[0])
	md := string(data)
	for _, want := range []string{"## Decoded tokens", "### access token", "| aud |", "emulator", "clock-skew"} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, scenarioDemo(srv).Apps.Daemon.ClientSecret) {
		t.Error("the report holds the client secret")
	}
}

// Long IDs are never split across lines while they fit on one, and JSON strings wrap at their words.
func TestWrapKeepsIDsWhole(t *testing.T) {
	id := "e23d45e3-8040-4285-b09b-5fc953bffae1"
	text := "trace 45311639-44e3-4d49-adf5-0c5abf98370d · correlation " + id + " · 2026-11-29 10:08:35Z"
	for width := 40; width <= 80; width++ {
		found := false
		for _, l := range wrapText(text, width) {
			if len([]rune(l)) > width {
				t.Fatalf("width %d: line %q is too long", width, l)
			}
			found = found || strings.Contains(l, id)
		}
		if !found {
			t.Fatalf("width %d: the correlation id was split: %q", width, wrapText(text, width))
		}
	}
	body := prettyBody(`{"error_description":"AADSTS90033: A transient error has occurred. Please try again. Trace ID: ` + id + `"}`)
	for _, l := range wrapBody(body, 60) {
		if strings.Contains(l, "e23d45e3") && !strings.Contains(l, id) {
			t.Fatalf("the JSON body split the id: %q", wrapBody(body, 60))
		}
	}
}
