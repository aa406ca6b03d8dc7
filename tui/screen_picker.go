package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aadx/aadx/flows"
)

// picker is the first screen: the recommendation matrix row for row (scenario → recommended flow →
// preset), the card of the row under the cursor (why the flow fits, what the alternatives cost) and
// the flow's sequence diagram.
type picker struct {
	common *Common
	rows   []flows.Scenario
	cursor int
	// choice is the flow picked in a row that offers several (IoT: device code or client credentials).
	choice int
	// diagramOnly shows the diagram instead of the card where both do not fit (tab).
	diagramOnly bool
	width       int
	height      int
	// cramped is asked twice a frame (the view and the help bar), and each answer renders the card and
	// measures the whole diagram: the last answer is kept for the state it was computed in.
	crampedFor   crampedKey
	crampedValue bool
}

// crampedKey is everything cramped depends on (the styles pointer changes with the palette).
type crampedKey struct {
	known                         bool
	styles                        *Styles
	width, height, cursor, choice int
}

// pickerWide is the width from which the card and the diagram sit side by side.
const pickerWide = 120

func newPicker(c *Common) *picker {
	return &picker{common: c, rows: flows.Matrix()}
}

// Selected returns the flow chosen in the row under the cursor and the preset it implies.
func (p *picker) Selected() (flows.Flow, flows.Preset) {
	ch := p.selectedChoice()
	f, _ := flows.Lookup(string(ch.Flow))
	return f, ch.Preset
}

func (p *picker) selectedChoice() flows.Choice {
	row := p.rows[p.cursor]
	return row.Choices[min(p.choice, len(row.Choices)-1)]
}

func (p *picker) SetSize(width, height int) { p.width, p.height = width, height }

var (
	pickerDiagramKey = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "diagram / card"))
	pickerChoiceKey  = key.NewBinding(key.WithKeys("left", "right", "h", "l"), key.WithHelp("←/→", "other flow"))
)

func (p *picker) ShortHelp() []key.Binding {
	k := p.common.KeyMap
	out := []key.Binding{k.Up, k.Down}
	if len(p.rows[p.cursor].Choices) > 1 {
		out = append(out, pickerChoiceKey)
	}
	out = append(out, k.Enter)
	if p.cramped() {
		out = append(out, pickerDiagramKey)
	}
	return append(out, k.Decode, k.Help, k.Quit)
}

func (p *picker) FullHelp() [][]key.Binding {
	k := p.common.KeyMap
	return [][]key.Binding{{k.Up, k.Down, pickerChoiceKey, k.Enter, pickerDiagramKey}, {k.Decode, k.Scenario, k.Reproduce, k.Profiles, k.Demo, k.Secrets}, {k.Help, k.Quit}}
}

func (p *picker) Update(msg tea.Msg) (Component, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	k, n := p.common.KeyMap, len(p.rows)
	switch {
	case key.Matches(km, k.Up):
		p.cursor, p.choice = (p.cursor+n-1)%n, 0
	case key.Matches(km, k.Down):
		p.cursor, p.choice = (p.cursor+1)%n, 0
	case key.Matches(km, pickerChoiceKey):
		c := len(p.rows[p.cursor].Choices)
		if km.String() == "left" || km.String() == "h" {
			p.choice = (p.choice + c - 1) % c
		} else {
			p.choice = (p.choice + 1) % c
		}
	case key.Matches(km, pickerDiagramKey):
		p.diagramOnly = !p.diagramOnly
	case key.Matches(km, k.Enter):
		f, preset := p.Selected()
		return p, p.common.nav.openSettings(f, preset)
	}
	return p, nil
}

// View is the matrix, then the card and the diagram: side by side from pickerWide columns, stacked
// below it, and one at a time (tab) where the height holds only one.
func (p *picker) View() string {
	w, h := p.width, p.height
	table := p.matrix(w)
	rest := h - lipgloss.Height(table) - 1
	if w >= pickerWide {
		cw := min(60, w*2/5)
		card := p.card(cw)
		diagram := p.diagram(w-cw-3, rest)
		return table + "\n\n" + lipgloss.JoinHorizontal(lipgloss.Top, card, "   ", diagram)
	}
	card := p.card(w)
	if !p.crampedWith(func() int { return lipgloss.Height(card) }) {
		return table + "\n\n" + card + "\n\n" + p.diagram(w, rest-lipgloss.Height(card)-1)
	}
	st := p.common.Styles
	if p.diagramOnly {
		// The whole matrix and the whole diagram do not fit: keep the row under the cursor.
		if p.diagramHeight() > rest-1 {
			table = p.matrixRow(w)
			rest = h - lipgloss.Height(table) - 1
		}
		return table + "\n\n" + p.diagram(w, rest-1) + "\n" + st.Muted.Render(truncate("tab shows the card", w))
	}
	return table + "\n\n" + card + "\n" + st.Muted.Render(truncate("tab shows the sequence diagram", w))
}

// cramped reports whether the card and the diagram do not both fit below the matrix.
func (p *picker) cramped() bool {
	return p.crampedWith(func() int { return lipgloss.Height(p.card(p.width)) })
}

// crampedWith is cramped with the card's height at the full width from cardHeight, called only when the
// answer is not kept already (View has the card drawn, and need not draw it twice).
func (p *picker) crampedWith(cardHeight func() int) bool {
	if p.width >= pickerWide {
		return false
	}
	k := crampedKey{true, p.common.Styles, p.width, p.height, p.cursor, p.choice}
	if k != p.crampedFor {
		rest := p.height - len(p.rows) - 2
		p.crampedFor, p.crampedValue = k, cardHeight()+1+p.diagramHeight() > rest
	}
	return p.crampedValue
}

// matrixColumns are the three cells of a row: scenario, recommended flow and preset, long or short.
func (p *picker) matrixCells(row flows.Scenario, short bool) [3]string {
	flow := row.FlowLabel
	if short {
		flow = row.FlowShort
	}
	return [3]string{row.Name, flow, row.PresetLabel(short)}
}

// columnWidths picks the longest labels that fit width with two spaces between columns; the last
// column is cut only when even the short labels do not fit.
func (p *picker) columnWidths(width int) (short bool, widths [3]int) {
	for _, short = range []bool{false, true} {
		widths = [3]int{len("scenario"), len("recommended flow"), len("preset")}
		for _, row := range p.rows {
			for i, c := range p.matrixCells(row, short) {
				widths[i] = max(widths[i], ansi.StringWidth(c))
			}
		}
		if 2+widths[0]+2+widths[1]+2+widths[2] <= width {
			return short, widths
		}
	}
	widths[2] = max(4, width-2-widths[0]-2-widths[1]-2)
	return true, widths
}

// matrix renders the recommendation matrix with the cursor row marked (▸ and bold, so it reads
// without colour); follow-up rows are muted.
func (p *picker) matrix(width int) string {
	st := p.common.Styles
	short, cw := p.columnWidths(width)
	line := func(c [3]string) string {
		return padRight(c[0], cw[0]) + "  " + padRight(c[1], cw[1]) + "  " + padRight(c[2], cw[2])
	}
	rows := []string{st.TableHeader.Render(truncate("  "+line([3]string{"scenario", "recommended flow", "preset"}), width))}
	for i, row := range p.rows {
		text := line(p.matrixCells(row, short))
		switch {
		case i == p.cursor:
			rows = append(rows, st.Selected.Render(truncate("▸ "+text, width)))
		case row.FollowUp:
			rows = append(rows, st.Muted.Render(truncate("  "+text, width)))
		default:
			rows = append(rows, st.TableCell.Render(truncate("  "+text, width)))
		}
	}
	return strings.Join(rows, "\n")
}

// matrixRow is the matrix cut to its header and the row under the cursor.
func (p *picker) matrixRow(width int) string {
	lines := strings.Split(p.matrix(width), "\n")
	return lines[0] + "\n" + lines[1+p.cursor]
}

// card says which flow the row recommends, why it fits and what the alternatives would cost; a row
// offering several flows lists them with when to pick which.
func (p *picker) card(width int) string {
	st := p.common.Styles
	row := p.rows[p.cursor]
	f, preset := p.Selected()
	head := st.Title.Render(f.Title) + st.Muted.Render("  "+string(f.ID))
	if withPreset := head + st.Muted.Render(" · "+preset.Label); preset.Label != "" && ansi.StringWidth(withPreset) <= width {
		head = withPreset
	}
	lines := []string{truncate(head, width)}
	if len(row.Choices) > 1 {
		nw := 0
		for _, c := range row.Choices {
			if cf, ok := flows.Lookup(string(c.Flow)); ok {
				nw = max(nw, ansi.StringWidth(cf.Title))
			}
		}
		for i, c := range row.Choices {
			cf, _ := flows.Lookup(string(c.Flow))
			mark, style := "  ", st.Text
			if i == p.choice {
				mark, style = "▸ ", st.Bold
			}
			lines = append(lines, hanging(style.Render(mark+padRight(cf.Title, nw)+"  "), c.When, width, st.Text)...)
		}
	}
	lines = append(lines, hanging(st.Key.Render("why      "), row.Why, width, st.Text)...)
	lines = append(lines, hanging(st.Key.Render("instead  "), row.Alternatives, width, st.Text)...)
	return strings.Join(lines, "\n")
}

// hanging wraps text beside a label, the continuation lines indented under the text.
func hanging(label, text string, width int, style lipgloss.Style) []string {
	indent := ansi.StringWidth(label)
	lines := wrapText(text, max(10, width-indent))
	for i := range lines {
		if i == 0 {
			lines[i] = label + style.Render(lines[i])
		} else {
			lines[i] = strings.Repeat(" ", indent) + style.Render(lines[i])
		}
	}
	return lines
}

// flowDiagram is the selected flow's sequence diagram, the optional legs left out.
func (p *picker) flowDiagram() diagram {
	f, _ := p.Selected()
	return buildDiagram(flows.SequenceOf(f), visibleLegs(f.Legs), nil)
}

// diagramHeight is the number of lines the selected flow's whole diagram takes at the picker's width.
func (p *picker) diagramHeight() int {
	return p.flowDiagram().height(p.common.Styles, p.width)
}

// diagram draws the selected flow's sequence diagram in at most width × height.
func (p *picker) diagram(width, height int) string {
	if height < 2 {
		return ""
	}
	return p.flowDiagram().draw(p.common.Styles, width, height, 0)
}

// presetSettings applies a row's preset to the prefilled settings. On the demo tenant, whose
// registrations are known, the SPA preset switches to the demo's SPA app (its redirect is registered on
// the SPA platform) and the desktop preset's loopback redirect replaces the demo's default.
func presetSettings(d *Demo, p flows.Preset, s flows.Settings) flows.Settings {
	if d != nil {
		if p.Platform == flows.PlatformSPA && d.Apps.SPA.ClientID != "" {
			s.ClientID, s.RedirectURI = d.Apps.SPA.ClientID, d.Apps.SPA.RedirectURI
		}
		if p.RedirectURI != "" {
			s.RedirectURI = p.RedirectURI
		}
	}
	return p.Apply(s)
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
