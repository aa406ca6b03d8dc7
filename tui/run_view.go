package tui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/aadx/aadx/flows"
)

// legColumn is the width of the status and timing column beside the diagram.
const legColumn = 16

// claimsWidth is the width of the claims pane when it sits beside the run.
func claimsWidth(width int) int { return max(40, width*2/5) }

// View lays the run screen out: the diagram with each leg's status, then the panel of the current or
// selected leg; the claims pane beside it from claimsSplitWidth columns, or instead of it when toggled.
func (r *runScreen) View() string {
	st := r.common.Styles
	if r.initErr != nil {
		lines := []string{st.Title.Render(r.flow.Title)}
		lines = append(lines, errorLines(st, r.initErr, flows.NewRedactor(), r.width)...)
		lines = append(lines, st.Muted.Render("esc goes back to the settings"))
		return strings.Join(lines, "\n")
	}
	w, h := r.width, r.height
	if r.full != nil {
		return r.fullValueView(w, h)
	}
	hasClaims := !r.claims.Empty()
	switch {
	case hasClaims && w >= claimsSplitWidth && !r.claimsHidden:
		cw := claimsWidth(w)
		r.claims.focused = r.focus == focusClaims
		if r.common.Present != nil {
			// Presenter mode keeps the diagram whole: it spans the width above the panel and the claims.
			top := r.diagramView(w, 0) + "\n" + st.Lane.Render(strings.Repeat("─", w))
			rest := max(1, h-lipgloss.Height(top))
			r.claims.SetSize(cw, rest)
			sep := st.Lane.Render(strings.Repeat("│\n", max(0, rest-1)) + "│")
			return top + "\n" + lipgloss.JoinHorizontal(lipgloss.Top, r.lowerView("", w-cw-1, rest), sep, r.claims.View())
		}
		r.claims.SetSize(cw, h)
		sep := st.Lane.Render(strings.Repeat("│\n", max(0, h-1)) + "│")
		return lipgloss.JoinHorizontal(lipgloss.Top, r.mainView(w-cw-1, h), sep, r.claims.View())
	case r.showClaims:
		r.claims.SetSize(w, h-1)
		r.claims.focused = r.focus == focusClaims
		return st.Muted.Render(truncate("claims · t back to the run · [ ] tokens · ↑/↓ scroll", w)) + "\n" + r.claims.View()
	}
	return r.mainView(w, h)
}

// mainView is the diagram and the leg panel. The diagram is windowed around the lit hop in what the
// panel can spare (4 lines at 80x24, 7 at 100x30, every hop of a flow from about 45 lines); presenter
// mode draws every hop.
func (r *runScreen) mainView(w, h int) string {
	height := max(3, min(h/2, (h-12)/2))
	if r.common.Present != nil {
		height = 0
	}
	top := r.diagramView(w, height)
	return r.lowerView(top+"\n"+r.common.Styles.Lane.Render(strings.Repeat("─", w)), w, h)
}

// lowerView puts the narration (presenter mode) and the leg panel below top.
func (r *runScreen) lowerView(top string, w, h int) string {
	st := r.common.Styles
	rest := h
	if top != "" {
		rest -= lipgloss.Height(top)
	}
	if r.editing || r.pasting {
		rest -= 2
	}
	var parts []string
	if top != "" {
		parts = append(parts, top)
	}
	if r.common.Present != nil {
		n := r.narrationView(w)
		rest -= lipgloss.Height(n) + 1
		parts = append(parts, n, "")
	}
	parts = append(parts, r.panelView(w, rest))
	out := strings.Join(parts, "\n")
	if r.editing || r.pasting {
		out += "\n" + st.Muted.Render(truncate("enter saves · esc cancels", w)) + "\n" + r.input.View()
	}
	return out
}

// runDiagram is the flow's sequence diagram with the legs' states, the hop being sent or awaited lit.
func (r *runScreen) runDiagram() diagram {
	legs := make([]flows.Leg, len(r.legs))
	states := make([]legState, len(r.legs))
	for i, lv := range r.legs {
		legs[i], states[i] = lv.leg, lv.state
	}
	d := buildDiagram(flows.SequenceFor(r.flow, r.settings), legs, states)
	if !r.finished {
		d.light(r.current)
	}
	return d
}

// diagramView draws the sequence diagram in at most h lines (every hop when h is 0), with each leg's
// status and timing beside its first hop; the leg shown below is marked › in the margin.
func (r *runScreen) diagramView(w, h int) string {
	st := r.common.Styles
	d := r.runDiagram()
	focus := d.lit
	if focus < 0 || r.selected != r.current {
		focus = max(0, d.firstHopOf(r.selected))
	}
	dw := max(24, w-legColumn-1)
	header, lines := d.render(st, dw, h, focus)
	out := make([]string, 0, len(lines)+1)
	out = append(out, " "+strings.ReplaceAll(header, "\n", "\n "))
	shown := map[int]bool{}
	for _, line := range lines {
		hv := d.hops[line.hop]
		margin, status := " ", ""
		if line.arrow && hv.legIndex >= 0 && !shown[hv.legIndex] {
			shown[hv.legIndex] = true
			status = r.legStatus(hv.legIndex)
			if hv.legIndex == r.selected && r.focus == focusLegs {
				margin = st.Key.Render(focusMark) // the focus reads without colour too (NO_COLOR)
			} else if hv.legIndex == r.selected {
				margin = st.Muted.Render("›")
			}
		}
		if status == "" {
			out = append(out, margin+line.text)
			continue
		}
		out = append(out, margin+padRightStyled(line.text, dw)+" "+status)
	}
	return strings.Join(out, "\n")
}

// legStatus is leg i's state and, once done, its time, styled by state.
func (r *runScreen) legStatus(i int) string {
	st := r.common.Styles
	lv := r.legs[i]
	status := lv.state.glyph() + " " + lv.state.String()
	if lv.took > 0 && lv.state == legDone {
		status = lv.state.glyph() + " " + formatDuration(lv.took)
	}
	style := st.Muted
	switch lv.state {
	case legDone:
		style = st.OK
	case legFailed:
		style = st.Error
	case legPrepared, legSending, legWaiting:
		style = st.Active
	}
	return style.Render(truncate(status, legColumn))
}

// panelView picks the panel of the selected leg: the browser or device panel while the person has to
// act, otherwise the request, response or error.
func (r *runScreen) panelView(w, h int) string {
	if h <= 0 || len(r.legs) == 0 {
		return ""
	}
	sel := min(r.selected, len(r.legs)-1)
	lv := r.legs[sel]
	var head string
	switch {
	case sel == r.current && lv.leg.Kind == flows.KindBrowser && lv.state != legDone && lv.state != legFailed && lv.req != nil:
		head = r.browserPanel(w, h)
	case sel == r.current && lv.leg.Kind == flows.KindPoll && r.state.Device != nil && (lv.state == legWaiting || lv.state == legSending):
		return r.devicePanel(w, h)
	}
	rest := h
	if head != "" {
		rest -= lipgloss.Height(head) + 1
		if rest <= 0 {
			return head
		}
	}
	redact := r.run.Redactor().With(r.common.ShowSecrets, r.common.ShowSecrets)
	in := detailInput{leg: lv, index: sel, editable: r.editableRequest() != nil && r.focus == focusDetail,
		paramCursor: r.paramCursor, redact: redact, width: w}
	if lv.state == legFailed {
		in.hint = r.challengeHint(sel)
	}
	in.focused, in.wrap = r.focus == focusDetail, r.common.WrapValues
	lines := r.detail.lines(sel, w, stampOf(in), func() ([]string, int) { return buildDetail(r.common.Styles, in) })
	body := r.detail.window(lines, rest)
	if head != "" {
		return head + "\n\n" + body
	}
	return body
}

func (r *runScreen) detailHeight() int { return max(1, r.height-len(r.legs)-3) }

// browserPanel offers the ways to complete a browser leg, with a QR code of the URL when it fits.
func (r *runScreen) browserPanel(w, h int) string {
	st := r.common.Styles
	lv := r.legs[r.current]
	url := lv.authorizeURL()
	redacted := r.run.Redactor().With(r.common.ShowSecrets, r.common.ShowSecrets).URL(url)
	lines := []string{
		st.Bold.Render("Sign in (browser)") + st.Muted.Render(" · the browser visits:"),
		st.URL.Render(truncate(redacted, w)),
	}
	if lv.note != "" {
		lines = append(lines, st.Highlight.Render(truncate(lv.note, w)))
	}
	if r.deps.Demo != nil && len(r.deps.Demo.Users) > 0 && !r.busy {
		u := r.deps.Demo.Users[r.userIndex%len(r.deps.Demo.Users)]
		lines = append(lines, st.Key.Render("enter")+" sign in here as "+st.Bold.Render(u.Username)+st.Muted.Render(" (←/→ other user: "+u.Note+")"))
	}
	switch {
	case !r.busy:
		lines = append(lines,
			st.Key.Render("o")+" open the system browser · "+st.Key.Render("p")+" paste the redirect URL · "+st.Key.Render("c")+" copy the URL")
	case lv.state == legWaiting:
		lines = append(lines,
			st.Key.Render("p")+" paste the redirect URL instead · "+st.Key.Render("v")+" the whole URL · "+st.Key.Render("esc")+" stop waiting")
	}
	block := truncateBlock(strings.Join(lines, "\n"), w)
	if qr, err := r.qr.render(url, st.IsDark); err == nil && lipgloss.Height(qr)+lipgloss.Height(block)+1 <= h && lipgloss.Width(qr) <= w {
		block += "\n" + qr
	}
	return block
}

// padRightStyled pads a styled line to width cells.
func padRightStyled(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-lipgloss.Width(s)))
}
