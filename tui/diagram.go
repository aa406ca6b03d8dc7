package tui

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// lane is a participant of the sequence diagram.
type lane int

const (
	laneUser lane = iota
	laneApp
	laneEntra
)

var laneNames = [...]string{"User", "App", "Entra ID"}

func (l lane) String() string {
	if l < 0 || int(l) >= len(laneNames) {
		return "?"
	}
	return laneNames[l]
}

// diagramLeg is one numbered arrow of the sequence diagram.
type diagramLeg struct {
	From, To lane
	Label    string
	State    legState
}

// renderDiagram draws the User / App / Entra ID lanes with one line per leg, the current leg lit.
// Only the legs that fit in height are drawn, windowed around the current one, so the cost does not
// grow with the length of the run.
func renderDiagram(st *Styles, legs []diagramLeg, current, width, height int) string {
	header, rows, _ := diagramRows(st, legs, current, width, height)
	if header == "" {
		return ""
	}
	return strings.Join(append([]string{header}, rows...), "\n")
}

// diagramRows returns the lane header and the visible leg rows; first is the index of the first leg
// shown, so callers can put each leg's status beside its arrow.
func diagramRows(st *Styles, legs []diagramLeg, current, width, height int) (header string, rows []string, first int) {
	if width < 24 || height < 2 {
		return "", nil, 0
	}
	pos := lanePositions(width)
	first, last := visibleWindow(len(legs), current, height-1)
	rows = make([]string, 0, last-first)
	for i := first; i < last; i++ {
		rows = append(rows, diagramLine(st, pos, width, i, legs[i], i == current))
	}
	return diagramHeader(st, pos, width), rows, first
}

// lanePositions spreads the three lanes across width.
func lanePositions(width int) [3]int {
	return [3]int{4, width / 2, width - 5}
}

func diagramHeader(st *Styles, pos [3]int, width int) string {
	row := []rune(strings.Repeat(" ", width))
	for i, p := range pos {
		name := []rune(laneNames[i])
		start := max(0, min(p-len(name)/2, width-len(name)))
		copy(row[start:], name)
	}
	return st.Heading.Render(strings.TrimRight(string(row), " "))
}

// visibleWindow picks at most n of total rows so that current is among them.
func visibleWindow(total, current, n int) (first, last int) {
	if total <= n {
		return 0, total
	}
	first = max(0, min(current-n/2, total-n))
	return first, first + n
}

func diagramLine(st *Styles, pos [3]int, width, index int, leg diagramLeg, lit bool) string {
	row := []rune(strings.Repeat(" ", width))
	for _, p := range pos {
		row[p] = '│'
	}
	label := " " + leg.State.glyph() + " " + strconv.Itoa(index+1) + " " + leg.Label + " "
	from, to := pos[clampLane(leg.From)], pos[clampLane(leg.To)]
	a, b := min(from, to), max(from, to)
	if a == b {
		// A step inside one participant (building an assertion, a PKCE pair): a note beside its lane.
		note := ansi.Truncate("⟲"+label, width-a-2, "…")
		return st.Lane.Render(string(row[:a+1])) + " " + arrowStyle(st, leg.State, lit).Render(note)
	}
	for x := a + 1; x < b; x++ {
		row[x] = '─'
	}
	if to > from {
		row[b-1] = '▶'
	} else {
		row[a+1] = '◀'
	}
	room := b - a - 4
	if room > 2 {
		text := []rune(ansi.Truncate(label, room, "…"))
		copy(row[a+2:], text)
	}
	style := arrowStyle(st, leg.State, lit)
	return st.Lane.Render(string(row[:a+1])) + style.Render(string(row[a+1:b])) +
		st.Lane.Render(strings.TrimRight(string(row[b:]), " "))
}

func clampLane(l lane) lane {
	return max(laneUser, min(l, laneEntra))
}

func arrowStyle(st *Styles, s legState, lit bool) lipgloss.Style {
	switch {
	case lit:
		return st.ArrowLit
	case s == legDone:
		return st.ArrowDone
	case s == legFailed:
		return st.Error
	}
	return st.Arrow
}
