package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/aadx/aadx/emulator"
)

// reproduce picks a scenario on the "reproduce a problem" screen and starts it.
func reproduce(t *testing.T, srv *emulator.Server, scenario string, w, h int) *teatest.TestModel {
	t.Helper()
	pos := 0
	for i, sc := range emulator.Scenarios() {
		if sc.Name == scenario {
			pos = i + 1
		}
	}
	if pos == 0 {
		t.Fatalf("no scenario %s", scenario)
	}
	tm, _ := startTUI(t, liveOptions(scenarioDemo(srv)), w, h)
	press(tm, "R")
	waitFor(t, tm, "reproduce a problem")
	for range pos {
		press(tm, "down")
	}
	waitFor(t, tm, "▸   "+scenario)
	press(tm, "enter")
	return tm
}

// The presenter's round trip, offline: the token is used, the API answers with a CAE claims challenge,
// one key gets a new token with the claims and calls again, and the API accepts it. Twice, since a
// second challenge answered the same way must work as the first.
func TestUseTokenAnswersTheClaimsChallenge(t *testing.T) {
	srv := newFaultEmulator(t)
	tm := reproduce(t, srv, "cae-challenge", 100, 30)
	waitFor(t, tm, "Call the API · failed")
	waitFor(t, tm, "insufficient_claims")
	waitFor(t, tm, "m answers this claims challenge")
	press(tm, "u")
	waitFor(t, tm, "Call the API again · done")
	waitFor(t, tm, "✓ yes: 200")
	screen := screenNow(t, tm)
	if !strings.Contains(screen, `"scp": "access_as_user"`) {
		t.Errorf("the API's answer is not shown:\n%s", screen)
	}
	// u again calls the API again with the new token: still accepted.
	press(tm, "u")
	waitFor(t, tm, "Call the API again · done")
	_ = finalScreen(t, tm)
}

// An API misconfiguration is explained where the call failed, and the claims pane's verdict agrees.
func TestCallAPIRefusalIsExplained(t *testing.T) {
	srv := newFaultEmulator(t)
	tm := reproduce(t, srv, "api-expects-uri", 100, 30)
	waitFor(t, tm, "Call the API · failed")
	waitFor(t, tm, "The audience '6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68' is invalid")
	waitFor(t, tm, "fix: The token's audience is not the one the API validates")
	if strings.Contains(screenNow(t, tm), "m answers this claims challenge") {
		t.Error("an audience problem offered the claims key")
	}
	_ = finalScreen(t, tm)
}
