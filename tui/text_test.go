package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestWrapBodyNeverSplitsAWordWithASpace: a JSON line whose value is longer than the pane is broken where it
// must be, and every character arrives in order; a space appears on screen only where the body has one (the
// run screen once showed "access_as_u" / "se r openid").
func TestWrapBodyNeverSplitsAWordWithASpace(t *testing.T) {
	body := `  "scope": "api://6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68/access_as_user openid profile offline_access",`
	for width := 12; width <= len(body); width++ {
		lines := wrapBody(body, width)
		// Where the body has word boundaries, counted in characters other than spaces.
		boundaries := map[int]bool{}
		n := 0
		for _, w := range strings.Fields(body) {
			boundaries[n] = true
			n += len(w)
		}
		var got strings.Builder
		for _, line := range lines {
			if ansi.StringWidth(line) > width {
				t.Fatalf("width %d: line %q is wider than the pane", width, line)
			}
			for i, w := range strings.Fields(line) {
				if i > 0 && !boundaries[got.Len()] {
					t.Fatalf("width %d: a space inside a word before %q:\n%s", width, w, strings.Join(lines, "\n"))
				}
				got.WriteString(w)
			}
		}
		if want := strings.Join(strings.Fields(body), ""); got.String() != want {
			t.Fatalf("width %d: characters lost or added:\n got %s\nwant %s", width, got.String(), want)
		}
	}
}
