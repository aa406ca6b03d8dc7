package tui

import (
	"strings"
	"testing"
)

// On the decode screen v shows the pasted token whole and every claim's value whole, c copies the token,
// and v closes it; opening it again shows the same.
func TestDecodeScreenFullValueView(t *testing.T) {
	long := "group-" + strings.Repeat("0123456789", 14) // longer than any pane line at 80 columns
	claims := strings.Replace(sampleClaims, `"ver":"2.0"}`, `"ver":"2.0","xms_long":"`+long+`"}`, 1)
	token := testToken(claims)
	clip := &fakeClipboard{}
	tm, _ := startTUI(t, pinned(Options{}, clip), 80, 24)
	press(tm, "d")
	waitFor(t, tm, "token ›")
	paste(tm, token)
	waitFor(t, tm, audA)
	for round := 0; round < 2; round++ {
		press(tm, "v")
		waitFor(t, tm, "full value")
		if s := joined(screenNow(t, tm)); !strings.Contains(s, token) {
			t.Fatalf("round %d: v should show the token whole:\n%s", round, screenNow(t, tm))
		}
		press(tm, "pgdown", "pgdown", "pgdown")
		waitFor(t, tm, "xms_long")
		if s := joined(screenNow(t, tm)); !strings.Contains(s, long) {
			t.Errorf("round %d: v should show each claim's value whole:\n%s", round, screenNow(t, tm))
		}
		press(tm, "c")
		waitFor(t, tm, "copied")
		if clip.last() != token {
			t.Errorf("round %d: c in the full-value view copies the token itself, copied %q", round, clip.last())
		}
		press(tm, "v")
		waitFor(t, tm, "token ›")
		if s := screenNow(t, tm); strings.Contains(s, "full value") {
			t.Fatalf("round %d: v closes the full-value view:\n%s", round, s)
		}
	}
	finalScreen(t, tm)
}

// w wraps long parameter values of a prepared request under their name instead of cutting them, and
// unwraps them again.
func TestWrapToggleShowsLongParameterValuesWhole(t *testing.T) {
	tm, _ := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 80, 24)
	press(tm, toRow("mobile app", "enter", "enter")...)
	waitFor(t, tm, "sign in here as")
	press(tm, "tab") // the detail panel: its parameters
	for i := 0; i < 12 && !strings.Contains(screenNow(t, tm), "▸ scope"); i++ {
		press(tm, "down")
	}
	const tail = "access_as_user"
	for round := 0; round < 2; round++ {
		waitFor(t, tm, "▸ scope")
		if s := lineWith(screenNow(t, tm), "▸ scope "); strings.Contains(s, tail) || !strings.Contains(s, "…") {
			t.Fatalf("round %d: unwrapped, a long scope is cut with …: %q", round, s)
		}
		press(tm, "w")
		waitFor(t, tm, "▸ scope")
		// w should wrap the scope whole under its name.
		waitUntil(t, tm, "the scope whole, wrapped under its name", func(s string) bool { return strings.Contains(joined(s), "/"+tail) })
		press(tm, "w")
		waitFor(t, tm, "▸ scope")
	}
	finalScreen(t, tm)
}
