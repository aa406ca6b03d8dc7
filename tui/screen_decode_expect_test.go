package tui

import (
	"net/http"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// On the decode screen, A says what the API expects; the verdict follows it, and a second edit replaces
// the first. Bad expectations are refused in one line naming the problem.
func TestDecodeScreenExpectations(t *testing.T) {
	opts := pinned(Options{HTTPClient: &http.Client{Transport: offlineTransport{}}}, nil)
	tm, _ := startTUI(t, opts, 100, 30)
	press(tm, "d")
	tm.Type(testToken(sampleClaims))
	press(tm, "enter")
	waitFor(t, tm, "would api://6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68 accept this?")

	press(tm, "A")
	waitFor(t, tm, "api expects ›")
	tm.Type("6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68 scope=Tasks.Read")
	press(tm, "enter")
	waitFor(t, tm, "would 6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68 accept this?")
	waitFor(t, tm, "✗ no: 401 IDX10214 (audience)")
	waitFor(t, tm, "api expects: 6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68 scope=Tasks.Read · A edits")

	press(tm, "A")
	waitFor(t, tm, "api expects ›")
	for range len("6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68 scope=Tasks.Read") {
		tm.Send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	tm.Type("api://6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68 scope=Tasks.Read")
	press(tm, "enter")
	waitFor(t, tm, "✗ no: 403 (permission)")

	press(tm, "A")
	tm.Type(" version=3")
	press(tm, "enter")
	waitFor(t, tm, `api expects: version must be 1 or 2, not "3"`)
	_ = finalScreen(t, tm)
}
