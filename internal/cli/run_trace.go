package cli

import (
	"context"
	"errors"
	"fmt"
	"github.com/aadx/aadx/internal/termsafe"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aadx/aadx/flows"
	"github.com/charmbracelet/x/term"
)

// tracer writes the human trace of a run on stderr as events arrive: one line per request and response,
// secrets redacted, colour only on a terminal and never with NO_COLOR.
type tracer struct {
	w     io.Writer
	mu    *sync.Mutex
	color bool
	label string

	run          *flows.Run
	ctx          context.Context
	lastLeg      int
	onDeviceCode func(context.Context)
	wg           *sync.WaitGroup
}

func newTracer(w io.Writer) *tracer {
	f, ok := termsafe.Underlying(w).(*os.File)
	color := ok && term.IsTerminal(f.Fd()) && os.Getenv("NO_COLOR") == ""
	return &tracer{w: w, mu: &sync.Mutex{}, color: color, lastLeg: -1, ctx: context.Background(), wg: &sync.WaitGroup{}}
}

// setup returns a tracer for a chained run, its lines marked "setup".
func (t *tracer) setup() *tracer {
	c := *t
	c.label, c.lastLeg, c.run, c.onDeviceCode = "setup ", -1, nil, nil
	return &c
}

const (
	ansiDim, ansiRed, ansiGreen, ansiYellow, ansiBold, ansiReset = "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[1m", "\x1b[0m"
)

// painted is text the tracer styled itself: line prints it as is, while every other string argument (a URL, an
// error_description, a header: text a server chose) is escaped so that it cannot act on the terminal.
type painted string

func (t *tracer) paint(code, s string) painted {
	if !t.color {
		return painted(termsafe.Escape(s))
	}
	return painted(code + termsafe.Escape(s) + ansiReset)
}

func (t *tracer) line(format string, args ...any) {
	for i, a := range args {
		switch v := a.(type) {
		case string:
			args[i] = termsafe.Escape(v)
		case error:
			args[i] = termsafe.Escape(v.Error())
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, format+"\n", args...)
}

func (t *tracer) warn(msg string) { t.line("%s %s", t.paint(ansiYellow, "warning:"), msg) }

// openURL puts the authorize URL on a line of its own (DESIGN.md §3).
func (t *tracer) openURL(u string) {
	t.line("Open this URL in a browser and sign in:")
	t.line("%s", u)
}

func (t *tracer) pasteURL(u string) {
	t.line("Open this URL in a browser and sign in, then paste here the full address the browser was sent to:")
	t.line("%s", u)
}

func (t *tracer) start(run *flows.Run, target string) {
	f := run.Flow()
	t.line("%s%s %s", t.label, t.paint(ansiBold, "aadx run "+string(f.ID)), t.paint(ansiDim, "→ "+target))
}

func (t *tracer) redactor() *flows.Redactor {
	if t.run == nil {
		return flows.NewRedactor()
	}
	return t.run.Redactor()
}

func (t *tracer) legHeader(i int, name string) {
	if t.run == nil || i < 0 || i >= len(t.run.Legs()) {
		return
	}
	t.mu.Lock()
	same := i == t.lastLeg
	t.lastLeg = i
	t.mu.Unlock()
	if same {
		return
	}
	leg := t.run.Legs()[i]
	t.line("%s[%d/%d] %s %s", t.label, i+1, len(t.run.Legs()), t.paint(ansiBold, leg.Title), t.paint(ansiDim, "("+name+")"))
}

func (t *tracer) event(e flows.Event) {
	red := t.redactor()
	switch e.Kind {
	case flows.EventExchangeStarted:
		t.legHeader(e.Leg, e.LegName)
		var step painted
		if e.Exchange.Step != "" {
			step = t.paint(ansiDim, " ["+e.Exchange.Step+"]")
		}
		if t.run != nil {
			for _, check := range t.run.State().LegChecks(e.LegName) {
				t.line("  %s", red.Text(check))
			}
		}
		t.line("  → %s %s%s", e.Exchange.Method, red.URL(e.Exchange.URL), step)
	case flows.EventExchangeFinished:
		ex := e.Exchange
		ms := fmt.Sprintf("%.1f ms", float64(ex.Timing.Total.Microseconds())/1000)
		switch {
		case ex.Err != nil:
			t.line("  %s %s", t.paint(ansiRed, "✗"), red.Text(ex.Err.Error()))
		case ex.Status >= 400:
			t.line("  ← %s %s", t.paint(ansiRed, ex.StatusText), t.paint(ansiDim, ms))
		default:
			t.line("  ← %s %s", t.paint(ansiGreen, ex.StatusText), t.paint(ansiDim, ms))
		}
	case flows.EventWaiting:
		t.line("  %s", t.paint(ansiDim, "… "+e.Message))
	case flows.EventUserAction:
		if e.Action.UserCode == "" {
			return // the authorize URL is printed by the browser choice when a person must open it
		}
		t.line("%s", e.Action.Message)
		t.line("Verification URI: %s", e.Action.URL)
		t.line("User code: %s", e.Action.UserCode)
		for _, note := range e.Action.Notes {
			t.warn(note)
		}
		if t.onDeviceCode != nil {
			t.wg.Add(1)
			go func() { defer t.wg.Done(); t.onDeviceCode(t.ctx) }()
		}
	case flows.EventLegFailed:
		t.legHeader(e.Leg, e.LegName)
	case flows.EventLegDone:
		if t.run != nil {
			if note := t.run.State().LegOutcome(e.LegName, time.Now()); note != "" {
				t.line("  %s", t.paint(ansiDim, red.Text(note)))
			}
		}
	}
}

// finish ends the trace with the outcome: success, or the error explained in one sentence with its fix.
func (t *tracer) finish(run *flows.Run, err error) {
	t.wg.Wait()
	red := run.Redactor()
	if err == nil {
		t.line("%s%s %s succeeded", t.label, t.paint(ansiGreen, "✓"), run.Flow().ID)
		return
	}
	if t.finishAPI(run, err) {
		return
	}
	var oe *flows.OAuthError
	if errors.As(err, &oe) {
		t.line("%s%s the identity provider said no: %s", t.label, t.paint(ansiRed, "✗"), red.Text(oe.Error()))
		if e, ok := oe.Help(); ok {
			t.line("  %s: %s", e.Name, e.Cause)
			t.line("  Fix: %s", e.Fix)
		}
		var ids []string
		for _, kv := range [][2]string{{"Trace ID", oe.TraceID}, {"Correlation ID", oe.CorrelationID}, {"Timestamp", oe.Timestamp}} {
			if kv[1] != "" {
				ids = append(ids, kv[0]+": "+kv[1])
			}
		}
		if len(ids) > 0 {
			t.line("  %s", t.paint(ansiDim, strings.Join(ids, "  ")))
		}
		return
	}
	msg := red.Text(err.Error())
	if flows.IsNetwork(err) {
		msg += " (check the network, the authority URL and --timeout " + durationText(run.Settings().Timeout) + ")"
	}
	t.line("%s%s %s", t.label, t.paint(ansiRed, "✗"), msg)
}

func durationText(d time.Duration) string {
	if d == 0 {
		d = flows.DefaultTimeout
	}
	return d.String()
}
