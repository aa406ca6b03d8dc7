package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/internal/termsafe"
)

// focused is the value that has focus on the run screen, for c (copy) and v (full-value view).
type focused struct {
	what, text string
	token      *tokenView // when the value is a token: its full-value view lists its claims too
	blocked    string     // why it may not be shown or copied (a secret while secrets are hidden)
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
			return focused{what: "authorize URL", text: lv.authorizeURL()}, true
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
	return focused{what: t.Label + " token", text: copyableToken(c, t), token: &t}
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

// fullValue is the full-value view: one value wrapped whole, scrollable; v or esc closes it. The run and
// decode screens share it.
type fullValue struct {
	what, text string
	copy       string // what c copies, when it is not all of text (a token, without its claims listed)
	offset     int
}

// fullValueView renders the open full-value view in w×h.
func (r *runScreen) fullValueView(w, h int) string { return r.full.view(r.common.Styles, w, h) }

func (f *fullValue) view(st *Styles, w, h int) string {
	lines := hardWrap(termsafe.Escape(f.text), w)
	room := max(1, h-2)
	f.offset = max(0, min(f.offset, len(lines)-room))
	end := min(len(lines), f.offset+room)
	head := st.Bold.Render(f.what) + st.Muted.Render(fmt.Sprintf(" · full value, %d characters · c copies · ↑/↓ scroll · v or esc closes", len(f.copied())))
	return truncate(head, w) + "\n\n" + strings.Join(lines[f.offset:end], "\n")
}

func (f *fullValue) copied() string {
	if f.copy != "" {
		return f.copy
	}
	return f.text
}

// handleKey scrolls, copies or closes the view; it reports whether the view closed.
func (f *fullValue) handleKey(c *Common, msg tea.KeyPressMsg, page int) (bool, tea.Cmd) {
	k := c.KeyMap
	switch {
	case key.Matches(msg, k.FullValue, k.Back):
		return true, nil
	case key.Matches(msg, k.Copy):
		return false, copyCmd(c.clipboard, f.what, f.copied())
	case key.Matches(msg, k.Down):
		f.offset++
	case key.Matches(msg, k.Up):
		f.offset = max(0, f.offset-1)
	case key.Matches(msg, k.PageDown):
		f.offset += max(1, page)
	case key.Matches(msg, k.PageUp):
		f.offset = max(0, f.offset-max(1, page))
	}
	return false, nil
}

// tokenFullValue is a token for the full-value view: the token itself (what c copies), then every header
// field and claim with its value whole, which the claims pane may cut at its edge.
func tokenFullValue(c *Common, t tokenView) *fullValue {
	raw := copyableToken(c, t)
	var b strings.Builder
	b.WriteString(raw)
	for _, part := range []struct {
		name string
		list []decode.Explained
	}{{"header", t.Header}, {"claims", t.Claims}} {
		if len(part.list) == 0 {
			continue
		}
		b.WriteString("\n\n" + part.name)
		for _, e := range part.list {
			b.WriteString("\n" + e.Name + ": " + e.Value)
		}
	}
	return &fullValue{what: t.Label + " token", text: b.String(), copy: raw}
}
