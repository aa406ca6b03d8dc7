package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aadx/aadx/flows"
)

// focused is the value that has focus on the run screen, for c (copy) and v (full-value view).
type focused struct {
	what, text string
	blocked    string // why it may not be shown or copied (a secret while secrets are hidden)
}

// focusedValue picks what has focus: a token in the claims pane, the error of a failed leg, the authorize
// URL or user code of a waiting leg, the selected parameter of a prepared request, else the run's token.
func (r *runScreen) focusedValue() (focused, bool) {
	c := r.common
	if r.focus == focusClaims || (r.showClaims && !r.claims.Empty()) {
		if t, ok := r.claims.Current(); ok {
			return tokenValue(c, t), true
		}
	}
	if r.selected < len(r.legs) {
		if lv := r.legs[r.selected]; lv.state == legFailed && lv.err != nil {
			return focused{what: "error", text: errorReport(lv.err, r.run.Redactor().With(c.ShowSecrets, c.ShowSecrets), c.Now)}, true
		}
	}
	if r.current < len(r.legs) {
		lv := r.legs[r.current]
		switch {
		case lv.leg.Kind == flows.KindBrowser && lv.req != nil && lv.state != legDone && !(r.focus == focusDetail && r.editableRequest() != nil):
			return focused{what: "authorize URL", text: lv.req.FullURL()}, true
		case r.state.Device != nil && lv.leg.Kind == flows.KindPoll && lv.state != legDone:
			return focused{what: "user code", text: r.state.Device.UserCode}, true
		}
	}
	if req := r.editableRequest(); req != nil && r.paramCursor < len(req.Params) {
		p := req.Params[r.paramCursor]
		if p.Secret && !c.ShowSecrets {
			return focused{blocked: p.Name + " is secret: press s to show secrets first"}, true
		}
		return focused{what: p.Name, text: p.Value}, true
	}
	if r.finished && r.state.Tokens != nil {
		if t, ok := r.claims.Current(); ok {
			return tokenValue(c, t), true
		}
	}
	return focused{}, false
}

// tokenValue is a token as it may leave the screen: a client assertion is a credential, so its
// signature is masked unless secrets are shown.
func tokenValue(c *Common, t tokenView) focused {
	return focused{what: t.Label + " token", text: copyableToken(c, t)}
}

// errorReport is a failed leg's error as support staff need it in a ticket: the error and its codes,
// the trace and correlation ids and the timestamp, redacted like the screen.
func errorReport(err error, redact *flows.Redactor, now func() time.Time) string {
	var oe *flows.OAuthError
	if !errors.As(err, &oe) {
		return redact.Text(err.Error()) + "\nseen at: " + now().UTC().Format(time.RFC3339)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "error: %s\n", oe.Code)
	if len(oe.Codes) > 0 {
		codes := make([]string, len(oe.Codes))
		for i, c := range oe.Codes {
			codes[i] = fmt.Sprintf("AADSTS%d", c)
		}
		fmt.Fprintf(&b, "error codes: %s\n", strings.Join(codes, ", "))
	}
	if oe.Suberror != "" {
		fmt.Fprintf(&b, "suberror: %s\n", oe.Suberror)
	}
	if oe.Status != 0 {
		fmt.Fprintf(&b, "http status: %d\n", oe.Status)
	}
	fmt.Fprintf(&b, "description: %s\n", redact.Text(strings.TrimSpace(oe.Description+orMessage(oe))))
	fmt.Fprintf(&b, "trace id: %s\n", orNone(oe.TraceID))
	fmt.Fprintf(&b, "correlation id: %s\n", orNone(oe.CorrelationID))
	fmt.Fprintf(&b, "timestamp: %s\n", orNone(oe.Timestamp))
	if oe.Claims != "" {
		fmt.Fprintf(&b, "claims: %s\n", oe.Claims)
	}
	return strings.TrimRight(b.String(), "\n")
}

func orMessage(oe *flows.OAuthError) string {
	if oe.Description == "" {
		return oe.Message
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "(none sent)"
	}
	return s
}

// fullValue is the full-value view: one value wrapped whole, scrollable; v or esc closes it.
type fullValue struct {
	what, text string
	offset     int
}

// fullValueView renders the open full-value view in w×h.
func (r *runScreen) fullValueView(w, h int) string {
	st := r.common.Styles
	lines := hardWrap(r.full.text, w)
	room := max(1, h-2)
	r.full.offset = max(0, min(r.full.offset, len(lines)-room))
	end := min(len(lines), r.full.offset+room)
	head := st.Bold.Render(r.full.what) + st.Muted.Render(fmt.Sprintf(" · full value, %d characters · c copies · ↑/↓ scroll · v or esc closes", len(r.full.text)))
	return truncate(head, w) + "\n\n" + strings.Join(lines[r.full.offset:end], "\n")
}
