package tui

import (
	"fmt"
	"github.com/aadx/aadx/internal/termsafe"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/aadx/aadx/flows"
)

// canApproveDevice reports whether enter may approve the device code in the terminal: the poll leg is
// polling against the demo tenant and nobody approved yet.
func (r *runScreen) canApproveDevice() bool {
	if r.deps.Demo == nil || len(r.deps.Demo.Users) == 0 || r.state.Device == nil || r.approving || r.approvedFor() != "" {
		return false
	}
	return r.current < len(r.legs) && r.legs[r.current].leg.Kind == flows.KindPoll && r.legs[r.current].state == legWaiting
}

func (r *runScreen) approveDevice() tea.Cmd {
	u := r.deps.Demo.Users[r.userIndex%len(r.deps.Demo.Users)]
	r.approving = true
	r.legs[r.current].note = "approving as " + u.Username + "…"
	return approveDeviceCmd(r.ctx, r.id, r.run, r.state.Device.UserCode, u)
}

// approvedFor names who approved the device code on show, or is empty: a new code starts unapproved.
func (r *runScreen) approvedFor() string {
	if r.state.Device == nil || r.approvedCode != r.state.Device.UserCode {
		return ""
	}
	return r.approvedAs
}

// devicePanel shows the device code the way a person needs it: the user code large, where to enter
// it, a QR code of that address, the countdown, every poll so far and how to approve here.
func (r *runScreen) devicePanel(width, height int) string {
	st := r.common.Styles
	d := r.state.Device
	lv := r.legs[r.current]
	code := st.UserCode.Render(spaced(termsafe.Escape(d.UserCode)))
	uri := termsafe.Escape(d.VerificationURI)
	left := []string{
		st.Bold.Render("Enter this code"),
		code,
		st.Muted.Render("at ") + st.URL.Render(uri),
		countdown(st, d, r.common.Now()),
	}
	for _, note := range d.Notes { // what aadx replaced in the provider's answer
		left = append(left, st.Warn.Render("! "+termsafe.Escape(note)))
	}
	if who := r.approvedFor(); who != "" {
		left = append(left, st.OK.Render("✓ approved as "+who))
	} else if r.deps.Demo != nil && len(r.deps.Demo.Users) > 0 {
		u := r.deps.Demo.Users[r.userIndex%len(r.deps.Demo.Users)]
		left = append(left, st.Key.Render("enter")+" approve here as "+st.Bold.Render(u.Username)+st.Muted.Render(" ←/→"))
		if u.Note != "" {
			left = append(left, st.Muted.Render("      "+u.Note))
		}
	}
	left = append(left, st.Key.Render("o")+" open browser  "+st.Key.Render("c")+" copy code")
	var polls []string
	for _, ex := range lv.exchanges {
		polls = append(polls, exchangeSummary(st, r.run.Redactor().With(r.common.ShowSecrets, r.common.ShowSecrets).Exchange(ex)))
	}
	if lv.note != "" {
		polls = append(polls, st.Muted.Render("  "+lv.note))
	}
	leftBlock := strings.Join(left, "\n")
	room := height - lipgloss.Height(leftBlock) - 1
	if len(polls) > room && room > 0 {
		polls = polls[len(polls)-room:]
	}
	block := leftBlock
	if room > 0 && len(polls) > 0 {
		block += "\n" + strings.Join(polls, "\n")
	}
	qrText := d.VerificationURIComplete
	if qrText == "" {
		qrText = uri
	}
	if qr, err := r.qr.render(qrText, st.IsDark); err == nil {
		qw := lipgloss.Width(qr)
		if lipgloss.Height(qr) <= height && width-qw-2 >= 40 {
			return lipgloss.JoinHorizontal(lipgloss.Top, truncateBlock(block, width-qw-2), "  ", qr)
		}
	}
	return truncateBlock(block, width)
}

// spaced shows a user code with room between its characters, readable across a room.
func spaced(code string) string {
	return strings.Join(strings.Split(code, ""), " ")
}

func countdown(st *Styles, d *flows.DeviceAuthorization, now time.Time) string {
	left := d.ExpiresAt.Sub(now).Truncate(time.Second)
	if d.ExpiresAt.IsZero() {
		return ""
	}
	if left <= 0 {
		return st.Error.Render("expired")
	}
	return st.Muted.Render(fmt.Sprintf("expires in %d:%02d · polls every %d s", int(left.Minutes()), int(left.Seconds())%60, d.Interval))
}

// truncateBlock cuts every line of a block to width.
func truncateBlock(block string, width int) string {
	lines := strings.Split(block, "\n")
	for i, l := range lines {
		lines[i] = truncate(l, width)
	}
	return strings.Join(lines, "\n")
}
