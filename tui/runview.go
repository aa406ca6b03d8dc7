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
	hasClaims := !r.claims.Empty()
	switch {
	case hasClaims && w >= claimsSplitWidth:
		cw := claimsWidth(w)
		mw := w - cw - 1
		r.claims.SetSize(cw, h)
		r.claims.focused = r.focus == focusClaims
		sep := st.Lane.Render(strings.Repeat("│\n", max(0, h-1)) + "│")
		return lipgloss.JoinHorizontal(lipgloss.Top, r.mainView(mw, h), sep, r.claims.View())
	case r.showClaims:
		r.claims.SetSize(w, h-1)
		return st.Muted.Render(truncate("claims · t back to the run · [ ] tokens · ↑/↓ scroll", w)) + "\n" + r.claims.View()
	}
	return r.mainView(w, h)
}

// mainView is the diagram and the leg panel.
func (r *runScreen) mainView(w, h int) string {
	st := r.common.Styles
	diagramHeight := min(len(r.legs)+1, max(3, h/3))
	top := r.diagramView(w, diagramHeight)
	rest := h - lipgloss.Height(top) - 1
	if r.editing || r.pasting {
		rest -= 2
	}
	if r.common.Present != nil {
		n := r.narrationView(w)
		rest -= lipgloss.Height(n) + 1
		top += "\n\n" + n
	}
	panel := r.panelView(w, rest)
	out := top + "\n" + st.Lane.Render(strings.Repeat("─", w)) + "\n" + panel
	if r.editing || r.pasting {
		out += "\n" + st.Muted.Render(truncate("enter saves · esc cancels", w)) + "\n" + r.input.View()
	}
	return out
}

// diagramView draws the sequence diagram with the leg status and timing beside each arrow; the leg
// shown below is marked ▸ in the margin.
func (r *runScreen) diagramView(w, h int) string {
	st := r.common.Styles
	arrows := make([]diagramLeg, len(r.legs))
	for i, lv := range r.legs {
		arrows[i] = diagramLeg{From: laneOf(lv.leg.From), To: laneOf(lv.leg.To), Label: lv.leg.Title, State: lv.state}
	}
	lit := r.current
	if r.finished {
		lit = -1
	}
	dw := max(24, w-legColumn)
	header, rows, first := diagramRows(st, arrows, max(lit, r.selected), dw, h)
	out := make([]string, 0, len(rows)+1)
	out = append(out, header)
	for j, row := range rows {
		i := first + j
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
		margin := " "
		if i == r.selected && r.focus == focusLegs {
			margin = st.Key.Render("›")
		} else if i == r.selected {
			margin = st.Muted.Render("›")
		}
		out = append(out, margin+strings.TrimPrefix(padRightStyled(row, dw), " ")+" "+style.Render(truncate(status, legColumn-1)))
	}
	return strings.Join(out, "\n")
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
	lines := r.detail.lines(sel, w, stampOf(in), func() []string { return buildDetail(r.common.Styles, in) })
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
	url := lv.req.FullURL()
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
	if !r.busy {
		lines = append(lines,
			st.Key.Render("o")+" open the system browser · "+st.Key.Render("p")+" paste the redirect URL · "+st.Key.Render("c")+" copy the URL")
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
