package tui

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"
)

// Quitting while the browser leg waits prints the authorize URL the browser was sent, whole, once the
// alternate screen has closed: reachable without OSC 52 or a clipboard. Quitting after the wait ended
// prints nothing.
func TestExitNoteHasTheAuthorizeURLTheBrowserWaitsOn(t *testing.T) {
	for _, waiting := range []bool{true, false} {
		opened := make(chan string, 2)
		opts := live(Options{Demo: demoOf(newEmulator(t))})
		opts.OpenBrowser = func(u string) error { opened <- u; return nil } // a browser that never comes back
		tm, _ := startTUI(t, opts, 80, 24)
		press(tm, "enter", "enter")
		waitFor(t, tm, "sign in here as")
		press(tm, "o")
		waitFor(t, tm, "waiting for the browser")
		sent := <-opened
		if !waiting {
			press(tm, "esc") // stop waiting: the leg can be sent again
			waitFor(t, tm, "sign in here as")
		}
		press(tm, "q")
		m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
		note := m.ExitNote()
		switch {
		case waiting && !strings.Contains(note, "\n"+sent+"\n"):
			t.Errorf("quitting while the browser waits should print the URL it was sent, whole, on its own line:\nsent %s\nnote %q", sent, note)
		case !waiting && note != "":
			t.Errorf("nothing was waiting: nothing to print, got %q", note)
		}
	}
}

// TestWaitingBrowserLegShowsTheRedirectItWasSent: the loopback listener binds a port of its own, so while the
// browser leg waits, the leg's parameters show the redirect_uri the browser was sent (with that port), the one
// that completes the leg — not the prepared one. Opening the browser a second time shows the new port.
func TestWaitingBrowserLegShowsTheRedirectItWasSent(t *testing.T) {
	opened := make(chan string, 2)
	opts := live(Options{Demo: demoOf(newEmulator(t))})
	opts.OpenBrowser = func(u string) error { opened <- u; return nil } // a browser that never comes back
	tm, _ := startTUI(t, opts, 100, 30)
	press(tm, "enter", "enter")
	waitFor(t, tm, "sign in here as")
	for range 2 {
		press(tm, "o")
		waitFor(t, tm, "waiting for the browser")
		sent, err := url.Parse(<-opened)
		if err != nil {
			t.Fatal(err)
		}
		redirect := sent.Query().Get("redirect_uri")
		if !strings.Contains(redirect, "localhost:") {
			t.Fatalf("the listener's port is not in the redirect_uri sent: %q", redirect)
		}
		waitFor(t, tm, "Open this URL in a browser") // the engine has sent the leg: the browser has its URL
		press(tm, "v")                               // the whole URL, wrapped: read it with the line breaks taken out
		want := "redirect_uri=" + url.QueryEscape(redirect)
		waitUntil(t, tm, want+" (lines joined)", func(s string) bool { return strings.Contains(joined(s), want) })
		press(tm, "esc") // close the full view
		press(tm, "esc") // stop waiting: the leg can be sent again
		waitFor(t, tm, "sign in here as")
	}
}
