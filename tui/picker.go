package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aadx/aadx/flows"
)

// picker is the first screen: the recommendation matrix as a table (scenario → flow → what the user
// does), the selected flow's card and its sequence diagram.
type picker struct {
	common *Common
	flows  []flows.Flow
	cursor int
	width  int
	height int
}

func newPicker(c *Common) *picker {
	return &picker{common: c, flows: flows.Catalog()}
}

// Selected returns the flow under the cursor.
func (p *picker) Selected() flows.Flow { return p.flows[p.cursor] }

// Select moves the cursor to the flow with id, if it is in the matrix.
func (p *picker) Select(id flows.FlowID) {
	for i, f := range p.flows {
		if f.ID == id {
			p.cursor = i
		}
	}
}

func (p *picker) SetSize(width, height int) { p.width, p.height = width, height }

func (p *picker) ShortHelp() []key.Binding {
	k := p.common.KeyMap
	return []key.Binding{k.Up, k.Down, k.Enter, k.Decode, k.Help, k.Quit}
}

func (p *picker) FullHelp() [][]key.Binding {
	k := p.common.KeyMap
	return [][]key.Binding{{k.Up, k.Down, k.Enter}, {k.Decode, k.Scenario, k.Reproduce, k.Profiles, k.Secrets}, {k.Help, k.Quit}}
}

func (p *picker) Update(msg tea.Msg) (Component, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	k := p.common.KeyMap
	switch {
	case key.Matches(km, k.Up):
		p.cursor = (p.cursor + len(p.flows) - 1) % len(p.flows)
	case key.Matches(km, k.Down):
		p.cursor = (p.cursor + 1) % len(p.flows)
	case key.Matches(km, k.Enter):
		return p, p.common.nav.openSettings(p.Selected())
	}
	return p, nil
}

func (p *picker) View() string {
	st, w, h := p.common.Styles, p.width, p.height
	table := p.matrix(w)
	f := p.Selected()
	cardWidth := w
	title := st.Title.Render(f.Title) + st.Muted.Render("  "+string(f.ID))
	purpose := wrapBlock(f.Purpose, cardWidth)
	legs := visibleLegs(f.Legs)
	names := make([]string, len(legs))
	for i, l := range legs {
		names[i] = st.Bold.Render(strconv.Itoa(i+1)) + " " + l.Title
	}
	legLine := st.Muted.Render("legs: ") + strings.Join(names, st.Muted.Render(" → "))
	legLine = wrapBlock(legLine, cardWidth)
	used := lipgloss.Height(table) + 1 + 1 + lipgloss.Height(purpose) + lipgloss.Height(legLine) + 1
	diagram := renderDiagram(st, flowDiagram(legs, -1), -1, min(w, 72), h-used)
	parts := []string{table, "", title, purpose, legLine}
	if diagram != "" {
		parts = append(parts, "", diagram)
	}
	return strings.Join(parts, "\n")
}

// matrix renders the recommendation matrix with the cursor row marked (▸ and bold, so it reads
// without colour).
func (p *picker) matrix(width int) string {
	st := p.common.Styles
	c1, c2 := 32, 27
	if width < 100 {
		c1, c2 = 26, 25
	}
	c3 := max(10, width-c1-c2-4)
	cell := func(s string, n int) string {
		return ansi.Truncate(s, n, "…") + strings.Repeat(" ", max(0, n-ansi.StringWidth(ansi.Truncate(s, n, "…"))))
	}
	rows := []string{st.TableHeader.Render("  " + cell("scenario", c1) + " " + cell("recommended flow", c2) + " " + cell("user interaction", c3))}
	for i, f := range p.flows {
		line := cell(f.Scenario, c1) + " " + cell(f.Title, c2) + " " + cell(f.Interaction, c3)
		if i == p.cursor {
			rows = append(rows, st.Selected.Render("▸ "+line))
		} else {
			rows = append(rows, st.TableCell.Render("  "+line))
		}
	}
	return strings.Join(rows, "\n")
}

// visibleLegs drops the optional legs (discovery, JWKS) that a run skips unless asked for.
func visibleLegs(legs []flows.Leg) []flows.Leg {
	out := make([]flows.Leg, 0, len(legs))
	for _, l := range legs {
		if !l.Optional {
			out = append(out, l)
		}
	}
	return out
}

// flowDiagram turns a flow's legs into diagram arrows; legs before current are done.
func flowDiagram(legs []flows.Leg, current int) []diagramLeg {
	out := make([]diagramLeg, len(legs))
	for i, l := range legs {
		out[i] = diagramLeg{From: laneOf(l.From), To: laneOf(l.To), Label: l.Title}
	}
	return out
}

func laneOf(l flows.Lane) lane {
	switch l {
	case flows.LaneUser:
		return laneUser
	case flows.LaneIdP:
		return laneEntra
	}
	return laneApp
}
