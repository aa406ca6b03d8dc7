package tui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aadx/aadx/flows"
)

// drawnHop is what a person reads for one hop: the label lines above its arrow and the arrow line.
func drawnHops(t *testing.T, d diagram, width int) (header string, hops [][]string) {
	t.Helper()
	st := NewStyles(true)
	h, lines := d.render(st, width, 0, 0)
	hops = make([][]string, len(d.hops))
	for _, l := range lines {
		text := ansi.Strip(l.text)
		if w := ansi.StringWidth(text); w > width {
			t.Errorf("width %d: a line is %d cells: %q", width, w, text)
		}
		hops[l.hop] = append(hops[l.hop], text)
	}
	return ansi.Strip(h), hops
}

// labelShown reports whether a hop's full or short label is on its lines, whole.
func labelShown(h flows.Hop, lines []string) bool {
	flat := collapse(strings.Join(lines, "\n"))
	return strings.Contains(flat, h.Label) || strings.Contains(flat, h.ShortLabel())
}

// TestDiagramDrawsEveryHop: for every flow, at every width a run or the picker can give the diagram
// (the claims pane open at 100 columns leaves about 40), each hop has its arrow pointing the right way,
// requests solid and responses dashed, its label whole (full or abbreviated), and no label is cut.
func TestDiagramDrawsEveryHop(t *testing.T) {
	for _, f := range flows.Catalog() {
		seq := flows.SequenceOf(f)
		// Every leg a run can send: discovery and JWKS (--discover) and calling the API (--call-api).
		legs := append(f.Legs, flows.Leg{Name: flows.LegCallAPI, Title: "Call the API", From: flows.LaneApp, To: flows.LaneAPI})
		d := buildDiagram(seq, legs, nil)
		if len(d.hops) != len(seq.Hops) {
			t.Fatalf("%s: %d of %d hops mapped onto the legs", f.ID, len(d.hops), len(seq.Hops))
		}
		for width := 36; width <= 200; width++ {
			header, hops := drawnHops(t, d, width)
			for _, lane := range seq.Lanes {
				if !strings.Contains(header, string(lane)) && !strings.Contains(header, lane.ShortName()) {
					t.Errorf("%s width %d: lane %q missing from %q", f.ID, width, lane, header)
				}
			}
			for i, h := range d.hops {
				lines := hops[i]
				if len(lines) == 0 {
					t.Errorf("%s width %d: hop %d %q is not drawn", f.ID, width, i, h.hop.Label)
					continue
				}
				arrow := lines[len(lines)-1]
				head := "▶"
				if d.lanes[h.to] != h.hop.To || h.from > h.to {
					head = "◀"
				}
				if h.from != h.to && !strings.Contains(arrow, head) {
					t.Errorf("%s width %d: hop %q has no %s: %q", f.ID, width, h.hop.Label, head, arrow)
				}
				if dashed := strings.Contains(arrow, "┄"); h.from != h.to && dashed != h.hop.Response {
					t.Errorf("%s width %d: hop %q response=%v but dashed=%v: %q", f.ID, width, h.hop.Label, h.hop.Response, dashed, arrow)
				}
				if !labelShown(h.hop, lines) {
					t.Errorf("%s width %d: the label of hop %q is cut:\n%s", f.ID, width, h.hop.Label, strings.Join(lines, "\n"))
				}
				if strings.Contains(strings.Join(lines, ""), "…") {
					t.Errorf("%s width %d: hop %q is truncated: %q", f.ID, width, h.hop.Label, lines)
				}
				if h.leg > 0 && !strings.Contains(strings.Join(lines, " "), "["+string(rune('0'+h.leg))+"]") {
					t.Errorf("%s width %d: hop %q of leg %d does not show its leg number: %q", f.ID, width, h.hop.Label, h.leg, lines)
				}
			}
		}
	}
}

// TestDiagramWideUsesTheRoom: at 160 columns every label is drawn in full, on its arrow.
func TestDiagramWideUsesTheRoom(t *testing.T) {
	for _, f := range flows.Catalog() {
		d := buildDiagram(flows.SequenceOf(f), visibleLegs(f.Legs), nil)
		_, hops := drawnHops(t, d, 150)
		for i, h := range d.hops {
			if len(hops[i]) != 1 || !strings.Contains(hops[i][0], h.hop.Label) {
				t.Errorf("%s: at 150 columns hop %q should be whole on its arrow: %q", f.ID, h.hop.Label, hops[i])
			}
		}
	}
}

// litLine returns the label text of the lit hop as drawn, and how many hops are marked ▸.
func litLines(t *testing.T, d diagram, width int) (lit []string, marked int) {
	t.Helper()
	_, hops := drawnHops(t, d, width)
	for i, lines := range hops {
		if strings.Contains(strings.Join(lines, " "), "▸") {
			marked++
			if i == d.lit {
				lit = lines
			}
		}
	}
	return lit, marked
}

// TestLitHopFollowsTheLegs drives each flow's legs through the states a run gives them, twice (a leg
// re-sent after failing lights its first hop again): the lit hop is the one being sent (the leg's
// first hop) or awaited (the leg's last hop back to the participant aadx plays), it is the only hop
// marked ▸, and the lit hop belongs to the current leg.
func TestLitHopFollowsTheLegs(t *testing.T) {
	for _, f := range flows.Catalog() {
		legs := visibleLegs(f.Legs)
		seq := flows.SequenceOf(f)
		states := make([]legState, len(legs))
		for i, l := range legs {
			for round := range 2 {
				for _, s := range []legState{legPrepared, legSending, legWaiting} {
					states[i] = s
					d := buildDiagram(seq, legs, states)
					d.light(i)
					if d.lit < 0 {
						t.Fatalf("%s leg %s %s: nothing is lit", f.ID, l.Name, s)
					}
					hop := d.hops[d.lit]
					if hop.hop.Leg != l.Name {
						t.Errorf("%s leg %s %s: the lit hop %q belongs to leg %q", f.ID, l.Name, s, hop.hop.Label, hop.hop.Leg)
					}
					if want := d.firstHopOf(i); s != legWaiting && d.lit != want {
						t.Errorf("%s leg %s %s: lit hop %d, want the leg's first hop %d", f.ID, l.Name, s, d.lit, want)
					}
					if s == legWaiting && hop.hop.To != seq.Self {
						t.Errorf("%s leg %s waiting: the lit hop %q does not come back to %s", f.ID, l.Name, hop.hop.Label, seq.Self)
					}
					lit, marked := litLines(t, d, 100)
					if marked != 1 || !labelShown(hop.hop, lit) {
						t.Errorf("%s leg %s %s: %d hops marked ▸, lit lines %q", f.ID, l.Name, s, marked, lit)
					}
				}
				if round == 0 {
					states[i] = legFailed // the first attempt fails; the leg is prepared again
					d := buildDiagram(seq, legs, states)
					_, hops := drawnHops(t, d, 100)
					failed := 0
					for j, h := range d.hops {
						if text := strings.Join(hops[j], " "); h.legIndex == i && strings.Contains(text, "✗") {
							failed++
							if h.hop.To != seq.Self {
								t.Errorf("%s leg %s failed: ✗ on %q, which is not the answer aadx awaited", f.ID, l.Name, h.hop.Label)
							}
						}
					}
					if failed != 1 {
						t.Errorf("%s leg %s failed: %d hops marked ✗, want the awaited answer alone", f.ID, l.Name, failed)
					}
				} else {
					states[i] = legDone
				}
			}
			d := buildDiagram(seq, legs, states)
			d.light(i)
			if d.lit >= 0 {
				t.Errorf("%s leg %s done: hop %d is still lit", f.ID, l.Name, d.lit)
			}
			_, hops := drawnHops(t, d, 100)
			for j, h := range d.hops {
				if h.legIndex == i && !strings.Contains(strings.Join(hops[j], " "), "✓") {
					t.Errorf("%s leg %s done: hop %q is not marked ✓: %q", f.ID, l.Name, h.hop.Label, hops[j])
				}
			}
		}
	}
}

// TestRunLightsTheHopBeingSent runs auth code, client credentials and device code against the demo
// tenant: the hop lit on screen moves with the legs as they are sent, and the run's end leaves nothing
// lit.
func TestRunLightsTheHopBeingSent(t *testing.T) {
	t.Run("client credentials", func(t *testing.T) {
		tm, _ := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 160, 48)
		press(tm, toRow("background service", "enter", "enter")...)
		waitFor(t, tm, "▸ [1] POST /token: secret + {resource}/.default")
		press(tm, "enter")
		waitFor(t, tm, "✓ [1] POST /token: secret + {resource}/.default")
		waitFor(t, tm, "[access]")
		if s := screenNow(t, tm); strings.Contains(s, "▸ [") {
			t.Errorf("a finished run should light no hop:\n%s", s)
		}
	})
	t.Run("device code", func(t *testing.T) {
		tm, _ := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 160, 48)
		press(tm, toRow("CLI tool", "enter", "enter")...)
		waitFor(t, tm, "▸ [1] POST /devicecode")
		press(tm, "enter")
		waitFor(t, tm, "▸ [2] POST /token: device_code (poll)")
		waitFor(t, tm, "✓ [1] user code + URL + device_code")
		press(tm, "enter") // polling: the tokens are what aadx awaits
		waitFor(t, tm, "▸ [2] ID, access + refresh tokens")
		press(tm, "enter")         // approve here as the demo user
		waitFor(t, tm, "[access]") // the claims pane narrows the diagram: the labels shorten
		waitFor(t, tm, "✓ [2] tokens")
		if s := screenNow(t, tm); strings.Contains(s, "▸ [") {
			t.Errorf("a finished run should light no hop:\n%s", s)
		}
	})
	t.Run("authorization code", func(t *testing.T) {
		testAuthCodeLights(t)
	})
}

func testAuthCodeLights(t *testing.T) {
	tm, _ := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 160, 48)
	press(tm, "enter", "enter")
	waitFor(t, tm, "▸ [1] 302 to /authorize")
	press(tm, "enter") // sign in here as the demo user
	waitFor(t, tm, "▸ [2] POST /token: code + secret")
	waitFor(t, tm, "✓ [1] redirect: code + state")
	press(tm, "enter")
	waitFor(t, tm, "[access]")
	waitFor(t, tm, "✓ [2] POST /token")
	if s := screenNow(t, tm); strings.Contains(s, "▸ [") {
		t.Errorf("a finished run should light no hop:\n%s", s)
	}
}

// TestDiagramWindowKeepsTheLitHopAndItsAnswer: however short the room, the window holds the lit hop,
// and the answer right after it when a line is left for it.
func TestDiagramWindowKeepsTheLitHopAndItsAnswer(t *testing.T) {
	st := NewStyles(true)
	for _, f := range flows.Catalog() {
		legs := visibleLegs(f.Legs)
		for i := range legs {
			states := make([]legState, len(legs))
			states[i] = legPrepared
			d := buildDiagram(flows.SequenceOf(f), legs, states)
			d.light(i)
			for _, width := range []int{42, 63, 100} {
				for height := 3; height <= 8; height++ {
					header, lines := d.render(st, width, height, d.lit)
					shown := map[int]bool{}
					for _, l := range lines {
						shown[l.hop] = true
					}
					if !shown[d.lit] {
						t.Errorf("%s leg %d %dx%d: the lit hop is not in the window", f.ID, i, width, height)
					}
					next := d.lit + 1
					_, pos, _ := d.layout(width)
					if next < len(d.hops) && !shown[next] && len(lines)+len(d.drawHop(st, next, pos, width)) <= height-lipgloss.Height(header) {
						t.Errorf("%s leg %d %dx%d: the hop after the lit one fits but is not shown", f.ID, i, width, height)
					}
				}
			}
		}
	}
}

// TestDiagramNamesTheCredentialSent: a client that proves itself with its certificate is drawn sending a
// client_assertion, not a secret; going back and swapping to the secret draws the secret again.
func TestDiagramNamesTheCredentialSent(t *testing.T) {
	tm, _ := startTUI(t, live(Options{Demo: demoOf(newEmulator(t))}), 160, 48)
	press(tm, toRow("background service", "enter")...)
	for _, want := range []struct{ label, short string }{
		{"client_assertion", "assertion"}, {"secret", "secret"}, {"client_assertion", "assertion"}} {
		waitFor(t, tm, "ctrl+t")
		press(tm, "ctrl+t", "enter")
		waitFor(t, tm, "▸ [1] POST /token: "+want.label+" + {resource}/.default")
		waitFor(t, tm, "Request a token · prepared") // the diagram is drawn before the leg is ready to send
		press(tm, "enter")
		// The claims pane narrows the diagram: the label may be the short one.
		waitUntil(t, tm, "the sent hop naming "+want.short, func(s string) bool {
			return strings.Contains(s, "✓ [1] POST /token: "+want.label+" +") || strings.Contains(s, "✓ [1] "+want.short+" + .default")
		})
		if s := screenNow(t, tm); want.short == "assertion" && strings.Contains(s, "secret +") {
			t.Errorf("a certificate run draws a secret:\n%s", s)
		}
		press(tm, "esc") // back to the settings, where ctrl+t swaps the credential again
	}
}
