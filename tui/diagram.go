package tui

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aadx/aadx/flows"
)

// The sequence diagram: one lane per participant, one arrow per hop, requests solid (──▶) and
// responses dashed (◀┄┄), the hops aadx performs numbered by their leg and marked with the leg's state,
// the hop being sent or awaited lit (▸ and the lit style, so it reads without colour).
//
// Labels are never cut. Each label is placed by the first rule that fits: the full label on the arrow,
// the short label on the arrow, the full label on a line of its own above the arrow, the short label
// there, and last the full label word-wrapped over several lines. Lane names shorten the same way.

// hopView is one hop as drawn.
type hopView struct {
	hop      flows.Hop
	from, to int      // lane indexes
	leg      int      // the leg number (1-based) of a hop aadx performs; 0 for a hop outside aadx
	legIndex int      // the leg's index in the run, -1 for a hop outside aadx
	state    legState // the leg's state; legPending for a hop outside aadx
}

// diagram is a flow's sequence mapped onto the legs of a run (or of the picker's card).
type diagram struct {
	lanes []flows.Lane
	self  flows.Lane
	hops  []hopView
	lit   int // index of the lit hop; -1 when none is
}

// buildDiagram maps a flow's sequence onto legs: the hops of legs the run does not have (optional
// discovery and JWKS, unless sent) are dropped, the others numbered as the legs are. states holds each
// leg's state (nil: all pending).
func buildDiagram(seq flows.Sequence, legs []flows.Leg, states []legState) diagram {
	// A leg a run sends again (after a claims challenge) is drawn as its latest attempt that started.
	index := make(map[string]int, len(legs))
	for i, l := range legs {
		if _, seen := index[l.Name]; !seen || (i < len(states) && states[i] != legPending) {
			index[l.Name] = i
		}
	}
	laneIndex := make(map[flows.Lane]int, len(seq.Lanes))
	for i, l := range seq.Lanes {
		laneIndex[l] = i
	}
	d := diagram{lanes: seq.Lanes, self: seq.Self, lit: -1}
	for _, h := range seq.Hops {
		hv := hopView{hop: h, from: laneIndex[h.From], to: laneIndex[h.To], legIndex: -1}
		if i, ok := index[h.Leg]; ok && h.Leg != "" {
			hv.leg, hv.legIndex = i+1, i
			if i < len(states) {
				hv.state = states[i]
			}
		} else if h.Optional {
			continue // a leg this run does not send
		}
		d.hops = append(d.hops, hv)
	}
	d.dropUnusedLanes()
	d.markFailures()
	return d
}

// dropUnusedLanes removes the lanes no drawn hop uses (the API when the run does not call it); the
// User lane stays, since a flow without a user is part of what the diagram says.
func (d *diagram) dropUnusedLanes() {
	used := make([]bool, len(d.lanes))
	for _, h := range d.hops {
		used[h.from], used[h.to] = true, true
	}
	newIndex := make([]int, len(d.lanes))
	var lanes []flows.Lane
	for i, l := range d.lanes {
		newIndex[i] = len(lanes)
		if used[i] || l == flows.LaneUser {
			lanes = append(lanes, l)
		}
	}
	for i := range d.hops {
		d.hops[i].from, d.hops[i].to = newIndex[d.hops[i].from], newIndex[d.hops[i].to]
	}
	d.lanes = lanes
}

// markFailures draws a failed leg as far as it got: its hops up to the answer aadx awaited are
// sent (✓), the answer is the failure (✗), and what would have followed did not happen.
func (d *diagram) markFailures() {
	for i := range d.hops {
		if d.hops[i].state != legFailed || (i > 0 && d.hops[i-1].legIndex == d.hops[i].legIndex) {
			continue
		}
		leg, awaited := d.hops[i].legIndex, -1
		for j := i; j < len(d.hops); j++ {
			if d.hops[j].legIndex == leg && (awaited < 0 || d.hops[j].hop.To == d.self) {
				awaited = j
			}
		}
		for j := i; j < len(d.hops); j++ {
			if d.hops[j].legIndex != leg {
				continue
			}
			switch {
			case j < awaited:
				d.hops[j].state = legDone
			case j > awaited:
				d.hops[j].state = legPending
			}
		}
	}
}

// light lights the hop of leg current that is being sent or awaited: the leg's first hop while it is
// prepared or in flight, and, while it waits for an answer or a person, the last hop of the leg that
// comes back to the participant aadx plays.
func (d *diagram) light(current int) {
	d.lit = -1
	first, awaited := -1, -1
	for i, h := range d.hops {
		if h.legIndex != current {
			continue
		}
		if first < 0 {
			first = i
		}
		if h.hop.To == d.self {
			awaited = i
		}
	}
	if first < 0 {
		return
	}
	switch d.hops[first].state {
	case legPrepared, legSending:
		d.lit = first
	case legWaiting:
		d.lit = max(first, awaited)
	}
}

// firstHopOf returns the index of leg i's first hop, or -1.
func (d diagram) firstHopOf(leg int) int {
	for j, h := range d.hops {
		if h.legIndex == leg {
			return j
		}
	}
	return -1
}

// diagramLine is one drawn line and the hop it belongs to; arrow marks the hop's arrow line (a label
// moved above it has its own lines).
type diagramLine struct {
	text  string
	hop   int
	arrow bool
}

// layout places the lanes in width and names them: long names when they fit side by side, else
// short ones, else short ones on two staggered lines.
func (d diagram) layout(width int) (names []string, pos []int, stagger bool) {
	pos = d.lanePositions(width)
	for _, short := range []bool{false, true} {
		names = make([]string, len(d.lanes))
		for i, l := range d.lanes {
			names[i] = string(l)
			if short {
				names[i] = l.ShortName()
			}
		}
		if namesFit(names, pos, 1) {
			return names, pos, false
		}
	}
	return names, pos, true
}

// lanePositions places the lanes: where width allows, each gap between neighbouring lanes is as wide
// as the longest label drawn across it alone (full labels, else short ones) and the rest of the width
// is shared out; otherwise the lanes are spread evenly.
func (d diagram) lanePositions(width int) []int {
	n := len(d.lanes)
	left := max(2, (ansi.StringWidth(string(d.lanes[0]))+1)/2)
	right := max(2, (ansi.StringWidth(string(d.lanes[n-1]))+1)/2)
	pos := make([]int, n)
	pos[0] = left
	if n == 1 {
		return pos
	}
	span := max(n, width-1-left-right)
	for _, short := range []bool{false, true} {
		need := make([]int, n-1)
		for i := range need {
			a, b := string(d.lanes[i]), string(d.lanes[i+1])
			need[i] = (ansi.StringWidth(a)+ansi.StringWidth(b))/2 + 2
		}
		for i, h := range d.hops {
			lo, hi := min(h.from, h.to), max(h.from, h.to)
			if hi-lo != 1 {
				continue
			}
			label := d.hopLabel(i, h.hop.Label)
			if short {
				label = d.hopLabel(i, h.hop.ShortLabel())
			}
			need[lo] = max(need[lo], ansi.StringWidth(label)+6+2) // +2: room for the lit and state glyphs
		}
		total := 0
		for _, g := range need {
			total += g
		}
		if total > span {
			continue
		}
		extra := span - total
		for i, g := range need {
			pos[i+1] = pos[i] + g + extra/(n-1)
			if i < extra%(n-1) {
				pos[i+1]++
			}
		}
		return pos
	}
	for i := range pos {
		pos[i] = left + i*span/(n-1)
	}
	return pos
}

// namesFit reports whether names centred on pos keep a space between them, comparing each name with
// the one step lanes on (1: neighbours; 2: every other lane, for staggered names).
func namesFit(names []string, pos []int, step int) bool {
	for i := step; i < len(names); i++ {
		if (ansi.StringWidth(names[i-step])+ansi.StringWidth(names[i]))/2+1 >= pos[i]-pos[i-step] {
			return false
		}
	}
	return true
}

// header draws the lane names centred over their lanes, on two lines when staggered.
func (d diagram) header(st *Styles, names []string, pos []int, width int, stagger bool) string {
	rows := [][]rune{[]rune(strings.Repeat(" ", width))}
	if stagger {
		rows = append(rows, []rune(strings.Repeat(" ", width)))
	}
	for i, name := range names {
		row := rows[0]
		if stagger && i%2 == 1 {
			row = rows[1]
		}
		r := []rune(name)
		if len(r) > width {
			r = r[:width]
		}
		start := max(0, min(pos[i]-len(r)/2, width-len(r)))
		copy(row[start:], r)
	}
	out := make([]string, len(rows))
	for i, row := range rows {
		out[i] = st.Heading.Render(strings.TrimRight(string(row), " "))
	}
	return strings.Join(out, "\n")
}

// hopLabel is a hop's text: the lit or state glyph, the leg number of a hop aadx performs, the label.
func (d diagram) hopLabel(i int, text string) string {
	h := d.hops[i]
	prefix := ""
	switch {
	case i == d.lit:
		prefix = "▸ "
	case h.leg > 0 && (h.state == legDone || h.state == legFailed || h.state == legSkipped):
		prefix = h.state.glyph() + " "
	}
	if h.leg > 0 {
		prefix += "[" + strconv.Itoa(h.leg) + "] "
	}
	return prefix + text
}

func (d diagram) hopStyle(st *Styles, i int) lipgloss.Style {
	h := d.hops[i]
	switch {
	case i == d.lit:
		return st.ArrowLit
	case h.leg > 0 && h.state == legDone:
		return st.ArrowDone
	case h.leg > 0 && h.state == legFailed:
		return st.Error
	}
	return st.Arrow
}

// lanesRow is a blank line with every lane's line.
func lanesRow(pos []int, width int) []rune {
	row := []rune(strings.Repeat(" ", width))
	for _, p := range pos {
		if p < width {
			row[p] = '│'
		}
	}
	return row
}

// drawHop returns the lines of hop i: label lines (when the label goes above) and the arrow line.
func (d diagram) drawHop(st *Styles, i int, pos []int, width int) []diagramLine {
	h := d.hops[i]
	style := d.hopStyle(st, i)
	full, short := d.hopLabel(i, h.hop.Label), d.hopLabel(i, h.hop.ShortLabel())
	lo, hi := pos[min(h.from, h.to)], pos[max(h.from, h.to)]
	right := pos[h.to] > pos[h.from]

	arrow := lanesRow(pos, width)
	var above []string
	if lo == hi {
		// A step inside one participant: a note beside its lane.
		above, _ = placeAbove(full, short, lo+2, width)
		if len(above) == 1 && lo+2+ansi.StringWidth(above[0]) <= width {
			return []diagramLine{{text: st.Lane.Render(string(arrow[:lo+1])) + " " + style.Render(above[0]), hop: i, arrow: true}}
		}
	} else {
		dash := '─'
		if h.hop.Response {
			dash = '┄'
		}
		for x := lo + 1; x < hi; x++ {
			if arrow[x] == '│' {
				arrow[x] = '┼' // the arrow passes over a participant it does not stop at
			} else {
				arrow[x] = dash
			}
		}
		start := lo + 2
		if right {
			arrow[hi-1] = '▶'
		} else {
			arrow[lo+1] = '◀'
			start = lo + 3
		}
		room := hi - lo - 6
		inline := ""
		switch {
		case ansi.StringWidth(full) <= room:
			inline = full
		case ansi.StringWidth(short) <= room:
			inline = short
		}
		if inline != "" {
			copy(arrow[start:], []rune(" "+inline+" "))
		} else {
			above, _ = placeAbove(full, short, lo+2, width)
		}
	}
	var out []diagramLine
	for _, text := range above {
		row := lanesRow(pos, width)
		at := max(0, min(lo+2, width-ansi.StringWidth(text)))
		copy(row[at:], []rune(text))
		out = append(out, diagramLine{text: st.Lane.Render(string(row[:at])) + style.Render(text) +
			st.Lane.Render(strings.TrimRight(string(row[at+len([]rune(text)):]), " ")), hop: i})
	}
	line := st.Lane.Render(string(arrow[:lo+1])) + style.Render(string(arrow[lo+1:hi])) +
		st.Lane.Render(strings.TrimRight(string(arrow[hi:]), " "))
	if lo == hi {
		line = st.Lane.Render(strings.TrimRight(string(arrow), " "))
	}
	return append(out, diagramLine{text: line, hop: i, arrow: true})
}

// placeAbove picks the label lines for a label moved off its arrow: the full label if it fits the
// width from start (or shifted left), else the short one, else the full label word-wrapped.
func placeAbove(full, short string, start, width int) ([]string, bool) {
	for _, l := range []string{full, short} {
		if ansi.StringWidth(l) <= width {
			return []string{l}, true
		}
	}
	return wrapText(full, width), false
}

// render draws the diagram in width: every hop when height is 0, else at most height lines
// (the header included) windowed around hop focus.
func (d diagram) render(st *Styles, width, height, focus int) (header string, lines []diagramLine) {
	if width < 16 || len(d.lanes) == 0 {
		return "", nil
	}
	names, pos, stagger := d.layout(width)
	header = d.header(st, names, pos, width, stagger)
	drawn := make([][]diagramLine, len(d.hops))
	for i := range d.hops {
		drawn[i] = d.drawHop(st, i, pos, width)
	}
	first, last := 0, len(drawn)
	if height > 0 {
		first, last = hopWindow(drawn, max(0, min(focus, len(drawn)-1)), height-lipgloss.Height(header))
	}
	for _, hl := range drawn[first:last] {
		lines = append(lines, hl...)
	}
	return header, lines
}

// hopWindow picks the hops around focus whose lines fit in n, growing below and above in turn, so the
// answer to the focused hop shows before what led to it.
func hopWindow(drawn [][]diagramLine, focus, n int) (first, last int) {
	if len(drawn) == 0 {
		return 0, 0
	}
	first, last = focus, focus+1
	used := len(drawn[focus])
	for {
		canBelow := last < len(drawn) && used+len(drawn[last]) <= n
		canAbove := first > 0 && used+len(drawn[first-1]) <= n
		switch {
		case canBelow && (!canAbove || last-focus-1 <= focus-first): // the answer to the focus first
			used += len(drawn[last])
			last++
		case canAbove:
			first--
			used += len(drawn[first])
		default:
			return first, last
		}
	}
}

// draw renders the diagram as one block: every hop when height is 0, else windowed around focus.
func (d diagram) draw(st *Styles, width, height, focus int) string {
	header, lines := d.render(st, width, height, focus)
	if header == "" {
		return ""
	}
	out := make([]string, 0, len(lines)+1)
	out = append(out, header)
	for _, l := range lines {
		out = append(out, l.text)
	}
	return strings.Join(out, "\n")
}

// height is the number of lines the whole diagram takes in width.
func (d diagram) height(st *Styles, width int) int {
	header, lines := d.render(st, width, 0, 0)
	return len(lines) + lipgloss.Height(header)
}
