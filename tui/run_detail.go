package tui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/aadx/aadx/internal/termsafe"
	"net/url"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aadx/aadx/flows"
)

// detailView renders the selected leg: its prepared request with every parameter explained, or the
// exchanges it made with their responses, or its error explained. Each leg's lines are built once per
// change of that leg (invalidate) and View slices the visible window, so a 1 MiB body costs nothing per
// frame, nor does moving between legs.
type detailView struct {
	common  *Common
	offset  int
	leg     int         // the leg shown; the scroll offset resets when it changes
	all     int         // bumped when every leg must be rebuilt (styles, secrets shown)
	gens    map[int]int // per-leg change counters
	caches  map[int]detailCache
	current []string
	// cursor is the line of the parameter cursor in current, -1 when none; the window keeps it in view.
	cursor int
}

type detailCache struct {
	all, gen, width int
	stamp           detailStamp
	lines           []string
	cursor          int
}

// detailStamp is what a leg's lines depend on besides its exchanges' contents, so most changes need
// no explicit invalidation.
type detailStamp struct {
	state     legState
	exchanges int
	history   int
	note      string
	took      time.Duration
	failed    bool
	editable  bool
	cursor    int
	hint      string
	focused   bool
	opened    int
	wrap      bool
}

func stampOf(in detailInput) detailStamp {
	return detailStamp{state: in.leg.state, exchanges: len(in.leg.exchanges), history: len(in.leg.history), note: in.leg.note, took: in.leg.took,
		failed: in.leg.err != nil, editable: in.editable, cursor: in.paramCursor, hint: in.hint, focused: in.focused, opened: in.leg.opened, wrap: in.wrap}
}

// maxDetailCaches bounds the per-leg caches; beyond it they are dropped and rebuilt on demand.
const maxDetailCaches = 32

// invalidate marks one leg's lines stale.
func (d *detailView) invalidate(leg int) {
	if d.gens == nil {
		d.gens = map[int]int{}
	}
	d.gens[leg]++
}

// invalidateAll marks every leg stale.
func (d *detailView) invalidateAll() { d.all++ }

func (d *detailView) scroll(n int) {
	d.offset = max(0, min(d.offset+n, len(d.current)-1))
}

// lines returns the cached lines of leg, rebuilding them with build when stale.
func (d *detailView) lines(leg, width int, stamp detailStamp, build func() ([]string, int)) []string {
	if d.caches == nil {
		d.caches = map[int]detailCache{}
	}
	if leg != d.leg {
		d.leg, d.offset = leg, 0
	}
	c, ok := d.caches[leg]
	if !ok || c.all != d.all || c.gen != d.gens[leg] || c.width != width || c.stamp != stamp {
		if len(d.caches) >= maxDetailCaches {
			clear(d.caches)
		}
		c = detailCache{all: d.all, gen: d.gens[leg], width: width, stamp: stamp}
		c.lines, c.cursor = build()
		d.caches[leg] = c
	}
	d.current, d.cursor = c.lines, c.cursor
	d.offset = min(d.offset, max(0, len(c.lines)-1))
	return c.lines
}

// window returns height lines from the scroll offset.
func (d *detailView) window(lines []string, height int) string {
	if height <= 0 || len(lines) == 0 {
		return ""
	}
	if d.cursor >= 0 {
		// Keep the parameter cursor and the first lines of its explanation in view.
		if d.cursor < d.offset {
			d.offset = d.cursor
		} else if bottom := min(len(lines)-1, d.cursor+2); bottom >= d.offset+height {
			d.offset = bottom - height + 1
		}
	}
	start := min(d.offset, max(0, len(lines)-height))
	end := min(len(lines), start+height)
	return strings.Join(lines[start:end], "\n")
}

// detailInput is what the detail lines are built from.
type detailInput struct {
	leg         legView
	index       int
	editable    bool
	paramCursor int
	redact      *flows.Redactor
	width       int
	hint        string // what to do next about the leg's error (a claims challenge)
	focused     bool   // the detail panel has the focus
	wrap        bool   // long parameter values wrap instead of being cut (w)
}

// buildDetail lays out one leg; it also returns the line of the parameter cursor (-1 when none).
func buildDetail(st *Styles, in detailInput) ([]string, int) {
	cursor := -1
	var out []string
	w := max(20, in.width)
	add := func(s string) { out = append(out, ansi.Truncate(s, w, "…")) }
	wrap := func(style lipgloss.Style, indent int, text string) {
		for _, l := range wrapText(text, w-indent) {
			out = append(out, strings.Repeat(" ", indent)+style.Render(l))
		}
	}
	lv := in.leg
	head := st.Bold.Render(fmt.Sprintf("%d %s", in.index+1, lv.leg.Title)) + st.Muted.Render(" · "+lv.state.String())
	if in.focused {
		head = st.Key.Render(focusMark+" ") + head
	}
	if lv.took > 0 {
		head += st.Muted.Render(" · " + formatDuration(lv.took))
	}
	add(head)
	if lv.note != "" {
		add(st.Highlight.Render(lv.note))
	}
	if lv.err != nil {
		out = append(out, errorLines(st, lv.err, in.redact, w)...)
	}
	if in.hint != "" {
		wrap(st.Key, 0, in.hint)
		add("")
	}
	out = append(out, historyLines(st, lv.history, in.redact, w)...)
	switch {
	case lv.state == legPrepared && lv.req != nil:
		wrap(st.Explain, 0, lv.leg.Explanation)
		lines, at := requestLines(st, in.redact.Request(lv.req), in.editable, in.paramCursor, w, in.wrap)
		if at >= 0 {
			cursor = len(out) + at
		}
		out = append(out, lines...)
	case len(lv.exchanges) > 0:
		shown := len(lv.exchanges) - 1
		if lv.opened > 0 && lv.opened <= len(lv.exchanges) {
			shown = lv.opened - 1
		}
		if len(lv.exchanges) > 1 {
			add(st.Heading.Render(fmt.Sprintf("%d exchanges", len(lv.exchanges))) + st.Muted.Render(" · n/N opens the next/previous"))
			for i, ex := range lv.exchanges {
				row := exchangeSummary(st, in.redact.Exchange(ex))
				if i == shown {
					row = st.Key.Render("▸") + row[1:] // the one shown in full below
				}
				add(row)
			}
			add("")
		}
		out = append(out, exchangeLines(st, in.redact.Exchange(lv.exchanges[shown]), w)...)
	case lv.state == legPending:
		wrap(st.Explain, 0, lv.leg.Explanation)
	}
	return out, cursor
}

// maxHistoryLines bounds the earlier sends listed above a leg's latest exchange.
const maxHistoryLines = 3

// historyLines lists the exchanges of earlier sends of a leg, labelled and oldest first, so a retry's
// own exchange below is never mistaken for them.
func historyLines(st *Styles, history []flows.Exchange, redact *flows.Redactor, w int) []string {
	if len(history) == 0 {
		return nil
	}
	out := []string{ansi.Truncate(st.Heading.Render("earlier sends of this leg")+st.Muted.Render(", oldest first"), w, "…")}
	shown := history
	if len(shown) > maxHistoryLines {
		out = append(out, st.Muted.Render(fmt.Sprintf("  … %d more before these", len(shown)-maxHistoryLines)))
		shown = shown[len(shown)-maxHistoryLines:]
	}
	for _, ex := range shown {
		out = append(out, ansi.Truncate(exchangeSummary(st, redact.Exchange(ex)), w, "…"))
	}
	return append(out, "")
}

// requestLines shows a prepared request: method and URL, headers, then each parameter with its value
// and what it is for; the cursor marks the parameter i edits, and its line is returned (-1 when none).
func requestLines(st *Styles, req *flows.Request, editable bool, cursor, w int, wrap bool) ([]string, int) {
	var out []string
	at := -1
	add := func(s string) { out = append(out, ansi.Truncate(s, w, "…")) }
	add(st.Method.Render(req.Method) + " " + st.URL.Render(req.URL))
	for _, h := range req.Headers {
		add(st.HeaderName.Render(h.Name+": ") + h.Value)
	}
	if len(req.Params) == 0 && !editable {
		return out, at
	}
	where := "form body"
	if req.Method != "POST" {
		where = "query"
	}
	add(st.Heading.Render(where) + st.Muted.Render(editableHint(editable)))
	nameWidth := 0
	for _, p := range req.Params {
		nameWidth = max(nameWidth, len(p.Name))
	}
	nameWidth = min(nameWidth, 22)
	for i, p := range req.Params {
		marker := "  "
		if editable && i == cursor {
			marker, at = st.Key.Render("▸ "), len(out)
		}
		value := st.ParamValue.Render(p.Value)
		if p.Value == flows.Masked {
			value = st.Secret.Render(p.Value)
		}
		if room := w - 2 - nameWidth - 1; wrap && p.Value != flows.Masked && ansi.StringWidth(p.Value) > room {
			// w: the value whole, wrapped under itself, rather than cut at the edge.
			for j, l := range wrapText(p.Value, room) { // at spaces: each scope or URL whole where it fits
				lead := marker + st.ParamName.Render(padRight(p.Name, nameWidth)) + " "
				if j > 0 {
					lead = strings.Repeat(" ", 2+nameWidth+1)
				}
				add(lead + st.ParamValue.Render(l))
			}
		} else {
			add(marker + st.ParamName.Render(padRight(p.Name, nameWidth)) + " " + value)
		}
		if p.Explanation != "" {
			for _, l := range wrapText(p.Explanation, w-4) {
				out = append(out, "    "+st.Explain.Render(l))
			}
		}
	}
	if editable {
		marker := "  "
		if cursor >= len(req.Params) {
			marker, at = st.Key.Render("▸ "), len(out)
		}
		add(marker + st.ParamName.Render("+ add a parameter") + st.Muted.Render(" (i: name=value, e.g. claims, prompt, login_hint, domain_hint)"))
	}
	return out, at
}

func editableHint(editable bool) string {
	if editable {
		return "  (tab to focus, ↑/↓ pick, i edit, enter send)"
	}
	return ""
}

// exchangeSummary is one line per exchange: step, status and timing (the poll list).
func exchangeSummary(st *Styles, ex flows.Exchange) string {
	ex = escapeExchange(ex)
	step := ex.Step
	if step == "" {
		step = ex.Method + " " + shortURL(ex.URL)
	}
	status := st.Muted.Render("…")
	switch {
	case ex.Err != nil:
		status = st.Error.Render("✗ " + ex.Err.Error())
	case ex.Status >= 400:
		status = st.Warn.Render(fmt.Sprintf("%d %s", ex.Status, jsonField(ex.ResponseBody, "error")))
	case ex.Status >= 300 && ex.ResponseHeader("Location") != "":
		status = st.OK.Render(fmt.Sprintf("%d redirect → %s", ex.Status, redirectTarget(ex.ResponseHeader("Location"))))
	case ex.Status > 0:
		status = st.OK.Render(fmt.Sprintf("%d", ex.Status))
	}
	return fmt.Sprintf("  #%-3d %-18s %s  %s", ex.ID, ansi.Truncate(step, 18, "…"), status, st.Muted.Render(formatDuration(ex.Timing.Total)))
}

// exchangeLines shows one exchange in full: request line, response status with timing, headers and the
// body (pretty-printed JSON).
func exchangeLines(st *Styles, ex flows.Exchange, w int) []string {
	ex = escapeExchange(ex)
	var out []string
	add := func(s string) { out = append(out, ansi.Truncate(s, w, "…")) }
	add(st.Method.Render(ex.Method) + " " + st.URL.Render(ex.URL))
	for _, l := range hardWrap(formLines(ex.RequestBody, ex.RequestHeaders), w-2) {
		if l != "" {
			out = append(out, "  "+st.Muted.Render(l))
		}
	}
	switch {
	case ex.Err != nil:
		add(st.Error.Render("✗ no response: " + ex.Err.Error()))
		return out
	case ex.Status == 0:
		add(st.Muted.Render("… waiting for the response"))
		return out
	}
	statusStyle := st.OK
	if ex.Status >= 400 {
		statusStyle = st.Error
	}
	t := ex.Timing
	add(statusStyle.Render(ex.StatusText) + st.Muted.Render(fmt.Sprintf("  %s (dns %s · connect %s · tls %s · wait %s)",
		formatDuration(t.Total), formatDuration(t.DNS), formatDuration(t.Connect), formatDuration(t.TLS), formatDuration(t.FirstByte))))
	// The body first: it is what the leg is about; the headers follow.
	if body := prettyBody(ex.ResponseBody); body != "" {
		out = append(out, wrapBody(body, w)...)
	}
	if ex.Truncated {
		add(st.Warn.Render("… body cut at the read limit"))
	}
	for _, h := range ex.ResponseHeaders {
		add(st.HeaderName.Render(h.Name+": ") + h.Value)
	}
	return out
}

// errorLines explains an error: for an Entra error, the AADSTS code with its likely cause and fix.
func errorLines(st *Styles, err error, redact *flows.Redactor, w int) []string {
	var out []string
	wrap := func(style lipgloss.Style, prefix, text string) {
		text = termsafe.Escape(text) // error_description and the like are the server's text
		for i, l := range wrapText(text, w-len([]rune(prefix))) {
			if i == 0 {
				out = append(out, style.Render(prefix+l))
			} else {
				out = append(out, style.Render(strings.Repeat(" ", len([]rune(prefix)))+l))
			}
		}
	}
	var oe *flows.OAuthError
	var fe *flows.FieldError
	var ne *flows.NetworkError
	switch {
	case errors.As(err, &oe):
		wrap(st.Error, "✗ ", redact.Text(oe.Error()))
		if entry, ok := oe.Help(); ok {
			if entry.Cause != "" {
				wrap(st.Text, "  why: ", entry.Cause)
			}
			if entry.Fix != "" {
				wrap(st.OK, "  fix: ", entry.Fix)
			}
		}
		var ids []string
		if oe.TraceID != "" {
			ids = append(ids, "trace "+oe.TraceID)
		}
		if oe.CorrelationID != "" {
			ids = append(ids, "correlation "+oe.CorrelationID)
		}
		if oe.Timestamp != "" {
			ids = append(ids, oe.Timestamp)
		}
		if len(ids) > 0 {
			wrap(st.Muted, "  ", strings.Join(ids, " · "))
		}
	case apiErrorLines(err, wrap, st):
	case errors.As(err, &fe):
		wrap(st.Error, "✗ ", fe.Error())
		wrap(st.Muted, "  ", "go back (esc) and fix the setting")
	case errors.As(err, &ne):
		wrap(st.Error, "✗ network: ", redact.Text(ne.Error()))
	default:
		wrap(st.Error, "✗ ", redact.Text(err.Error()))
	}
	out = append(out, "")
	return out
}

// prettyBody indents a JSON body; anything else is returned as it is.
func prettyBody(body string) string {
	trimmed := strings.TrimSpace(body)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		var b bytes.Buffer
		if json.Indent(&b, []byte(trimmed), "", "  ") == nil {
			return b.String()
		}
	}
	return body
}

func jsonField(body, name string) string {
	var m map[string]any
	if json.Unmarshal([]byte(body), &m) != nil {
		return ""
	}
	s, _ := m[name].(string)
	return s
}

// redirectTarget is where a Location header sends the browser, host and path: its query (a code) is the
// exchange's to show in full.
func redirectTarget(loc string) string {
	if i := strings.IndexAny(loc, "?#"); i >= 0 {
		loc = loc[:i]
	}
	if i := strings.Index(loc, "://"); i >= 0 {
		loc = loc[i+3:]
	}
	return loc
}

func shortURL(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.Index(u, "/"); i >= 0 {
		return u[i:]
	}
	return u
}

// formatDuration shows a duration in ms below a second and in seconds above.
func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0 ms"
	case d < time.Millisecond:
		return "<1 ms"
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// formLines shows a form-encoded body one decoded parameter a line; other bodies pass unchanged. The
// Content-Type says which is which (a redacted form holds readable markers, spaces included).
func formLines(body string, headers []flows.Header) string {
	isForm := false
	for _, h := range headers {
		if strings.EqualFold(h.Name, "Content-Type") {
			isForm = strings.Contains(strings.ToLower(h.Value), "x-www-form-urlencoded")
		}
	}
	if body == "" || !isForm {
		return body
	}
	parts := strings.Split(body, "&")
	for i, p := range parts {
		if v, err := url.QueryUnescape(p); err == nil {
			parts[i] = v
		}
	}
	return strings.Join(parts, "\n")
}

// escapeExchange is an exchange for display: everything the server (or a user-edited request) wrote is
// escaped, so that control characters in it cannot act on the terminal.
func escapeExchange(ex flows.Exchange) flows.Exchange {
	ex.URL, ex.StatusText = termsafe.Escape(ex.URL), termsafe.Escape(ex.StatusText)
	ex.RequestBody, ex.ResponseBody = termsafe.Escape(ex.RequestBody), termsafe.Escape(ex.ResponseBody)
	escapeHeaders := func(hs []flows.Header) []flows.Header {
		out := make([]flows.Header, len(hs))
		for i, h := range hs {
			out[i] = flows.Header{Name: termsafe.Escape(h.Name), Value: termsafe.Escape(h.Value), Secret: h.Secret}
		}
		return out
	}
	ex.RequestHeaders, ex.ResponseHeaders = escapeHeaders(ex.RequestHeaders), escapeHeaders(ex.ResponseHeaders)
	if ex.Err != nil {
		ex.Err = errors.New(termsafe.Escape(ex.Err.Error()))
	}
	return ex
}
