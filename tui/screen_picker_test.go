package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/aadx/aadx/flows"
)

// toRow returns the keys that move the picker's cursor from the first row of the matrix to the row
// named scenario, followed by then; tests name rows rather than count them, so rows can be added.
func toRow(scenario string, then ...string) []string {
	var keys []string
	for _, row := range flows.Matrix() {
		if row.Name == scenario {
			return append(keys, then...)
		}
		keys = append(keys, "down")
	}
	panic("no matrix row " + scenario)
}

// pickerSizes are the sizes the picker is drawn at: the 80x24 minimum, a common size, a large one.
var pickerSizes = []struct{ w, h int }{{80, 24}, {100, 30}, {160, 48}}

// TestGoldenPicker is the first screen as a person sees it on starting aadx --demo.
func TestGoldenPicker(t *testing.T) {
	for _, sz := range pickerSizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			tm, _ := startTUI(t, pinned(Options{Demo: demoOf(newEmulator(t))}, nil), sz.w, sz.h)
			waitFor(t, tm, "▸ server-side web app")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

// collapse joins a screen's or a text's words with single spaces, so wrapped text can be looked for
// (a line broken after a hyphen joins without a space).
func collapse(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "- ", "-")
}

// cardColumn is the part of the picker's screen that holds the card: the left column when the card
// sits beside the diagram.
func cardColumn(screen string, width int) string {
	if width < pickerWide {
		return screen
	}
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if r := []rune(l); len(r) > min(60, width*2/5) {
			lines[i] = string(r[:min(60, width*2/5)])
		}
	}
	return strings.Join(lines, "\n")
}

// TestPickerShowsTheWholeMatrixAndCard walks every row at every size: all rows of the matrix stay on
// screen with two spaces between columns, and the card under the cursor is whole (never cut).
func TestPickerShowsTheWholeMatrixAndCard(t *testing.T) {
	for _, sz := range pickerSizes {
		m := New(pinned(Options{}, nil))
		update(m, tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		rows := flows.Matrix()
		for i, row := range rows {
			screen := plainView(m)
			for _, other := range rows {
				if !strings.Contains(screen, "  "+other.Name+"  ") && !strings.Contains(screen, "▸ "+other.Name+"  ") {
					t.Errorf("%dx%d row %q: row %q is not on screen with two spaces after it:\n%s", sz.w, sz.h, row.Name, other.Name, screen)
				}
			}
			flat := collapse(cardColumn(screen, sz.w))
			for _, text := range []string{row.Why, row.Alternatives} {
				if !strings.Contains(flat, collapse(text)) {
					t.Errorf("%dx%d row %q: the card is cut, %q is not whole:\n%s", sz.w, sz.h, row.Name, text, screen)
				}
			}
			for _, c := range row.Choices {
				if c.When != "" && !strings.Contains(flat, c.When) {
					t.Errorf("%dx%d row %q: when to pick %s is missing:\n%s", sz.w, sz.h, row.Name, c.Flow, screen)
				}
			}
			if !strings.Contains(screen, "▸ "+row.Name) {
				t.Errorf("%dx%d: the cursor is not on row %d %q:\n%s", sz.w, sz.h, i, row.Name, screen)
			}
			lines := strings.Split(screen, "\n")
			for _, line := range lines[:len(lines)-2] { // the help and status lines are the root's
				if w := len([]rune(line)); w > sz.w {
					t.Errorf("%dx%d: a line is %d cells wide: %q", sz.w, sz.h, w, line)
				}
			}
			update(m, keyMsg("down"))
		}
		if !strings.Contains(plainView(m), "▸ "+rows[0].Name) {
			t.Errorf("%dx%d: down on the last row should wrap to the first", sz.w, sz.h)
		}
	}
}

// TestPickerPresetsTheSettings checks that each row presets what its scenario implies, that a row
// offering two flows lets ←/→ pick either (and back), and that the preset is the same when the row is
// picked a second time.
func TestPickerPresetsTheSettings(t *testing.T) {
	demo := demoOf(newEmulator(t))
	m := New(pinned(Options{Demo: demo}, nil))
	update(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	open := func(scenario string, keys ...string) *settingsScreen {
		t.Helper()
		for _, k := range append(toRow(scenario), keys...) {
			update(m, keyMsg(k))
		}
		update(m, keyMsg("enter"))
		if m.settings == nil || m.Screen() != "settings" {
			t.Fatalf("%s: enter did not open the settings", scenario)
		}
		s := m.settings
		update(m, keyMsg("esc"))
		for range toRow(scenario) {
			update(m, keyMsg("up"))
		}
		return s
	}
	value := func(s *settingsScreen, field string) string {
		if f := s.field(field); f != nil {
			return f.input.Value()
		}
		return "(no " + field + " field)"
	}
	for range 2 {
		if s := open("single-page app (SPA)"); value(s, "platform") != "spa" || value(s, "client-id") != demo.Apps.SPA.ClientID ||
			value(s, "redirect-uri") != demo.Apps.SPA.RedirectURI {
			t.Errorf("SPA: platform %q client %q redirect %q, want the SPA app on platform spa", value(s, "platform"), value(s, "client-id"), value(s, "redirect-uri"))
		}
		if s := open("mobile app"); value(s, "platform") != "public" || s.base.ClientSecret != "" {
			t.Errorf("mobile: platform %q, secret set %v; want public and no secret", value(s, "platform"), s.base.ClientSecret != "")
		}
		if s := open("desktop app"); value(s, "platform") != "public" || value(s, "redirect-uri") != "http://127.0.0.1" {
			t.Errorf("desktop: platform %q redirect %q; want public on http://127.0.0.1 (any port)", value(s, "platform"), value(s, "redirect-uri"))
		}
		if s := open("server-side web app"); s.flow.ID != flows.FlowAuthCode || value(s, "secret") == "" {
			t.Errorf("web app: flow %s with secret %q; want auth-code with the web app's secret", s.flow.ID, value(s, "secret"))
		}
		if s := open("IoT device"); s.flow.ID != flows.FlowDeviceCode {
			t.Errorf("IoT: first choice is %s, want device code", s.flow.ID)
		}
		if s := open("IoT device", "right"); s.flow.ID != flows.FlowClientCredentials {
			t.Errorf("IoT →: %s, want client credentials", s.flow.ID)
		}
		if s := open("IoT device", "right", "left"); s.flow.ID != flows.FlowDeviceCode {
			t.Errorf("IoT → ←: %s, want device code again", s.flow.ID)
		}
	}
}

// TestPickerTabShowsTheWholeDiagram: where the card and the diagram do not fit together (80x24, and
// 100x30 for the longer flows), tab swaps the card for the diagram, and back; every row's diagram is
// whole either way; a terminal grown to 160 columns shows both without tab, and shrinking it again keeps the choice.
func TestPickerTabShowsTheWholeDiagram(t *testing.T) {
	m := New(pinned(Options{}, nil))
	for _, sz := range []struct{ w, h int }{{80, 24}, {100, 30}} {
		update(m, tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		for round := range 2 {
			update(m, keyMsg("tab"))
			for range flows.Matrix() {
				f, _ := m.picker.Selected()
				screen := plainView(m)
				d := buildDiagram(flows.SequenceOf(f), visibleLegs(f.Legs), nil)
				for _, h := range d.hops {
					if !strings.Contains(collapse(screen), h.hop.Label) && !strings.Contains(collapse(screen), h.hop.ShortLabel()) {
						t.Errorf("%dx%d round %d %s: hop %q is missing from the diagram view:\n%s", sz.w, sz.h, round, f.ID, h.hop.Label, screen)
					}
				}
				if m.picker.cramped() && !strings.Contains(screen, "tab shows the card") {
					t.Errorf("%dx%d %s: the diagram view should say how to get the card back:\n%s", sz.w, sz.h, f.ID, screen)
				}
				update(m, keyMsg("down"))
			}
			update(m, keyMsg("tab"))
			if screen := plainView(m); !strings.Contains(screen, "tab shows the sequence diagram") || !strings.Contains(screen, "why ") {
				t.Errorf("%dx%d round %d: tab again should bring the card back:\n%s", sz.w, sz.h, round, screen)
			}
		}
	}
	update(m, keyMsg("tab"))
	update(m, tea.WindowSizeMsg{Width: 160, Height: 48})
	if screen := plainView(m); !strings.Contains(screen, "why ") || !strings.Contains(screen, "Entra ID") || strings.Contains(screen, "tab shows") {
		t.Errorf("at 160x48 the card and the diagram should both show, without tab:\n%s", screen)
	}
	update(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if screen := plainView(m); !strings.Contains(screen, "tab shows the card") {
		t.Errorf("back at 80x24 the diagram chosen with tab should still show:\n%s", screen)
	}
}
