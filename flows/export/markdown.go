package export

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aadx/aadx/flows"
)

// Run is what a report reads of a flow's run; *flows.Run is one.
type Run interface {
	Flow() flows.Flow
	Settings() flows.Settings
	State() flows.State
	Legs() []flows.Leg
	Status(i int) flows.LegStatus
	Exchanges() []flows.Exchange
	Done() bool
	Redactor() *flows.Redactor
	Now() time.Time
}

// Markdown writes a redacted report of the run for a support ticket: settings (no secrets), the outcome with
// the error explained, every leg's status and every exchange, then where the run went and the decoded claims
// of every token it mentions.
func Markdown(w io.Writer, r Run, opts Options) error {
	if opts.Redactor == nil {
		opts.Redactor = r.Redactor()
	}
	red := opts.redactor()
	var b strings.Builder
	s := r.Settings()
	st := r.State()
	fmt.Fprintf(&b, "# aadx report: %s (`%s`)\n\n", r.Flow().Title, r.Flow().ID)
	fmt.Fprintf(&b, "Generated %s by %s %s.\n\n", r.Now().UTC().Format(time.RFC3339), orDefault(opts.Creator, "aadx"), orDefault(opts.Version, "dev"))
	b.WriteString("| setting | value |\n| --- | --- |\n")
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "| %s | %s |\n", k, mdCell(red.Text(v)))
		}
	}
	if s.Issuer != "" {
		row("issuer", s.Issuer)
	} else {
		row("authority", s.AuthorityURL())
		row("tenant", s.Tenant)
	}
	row("client id", s.ClientID)
	row("credential", s.Credential())
	if s.Certificate != nil {
		row("certificate", s.Certificate.String())
		row("assertion", string(s.AssertionAlg))
	}
	row("platform", string(s.Platform))
	row("redirect uri", s.RedirectURI)
	row("scopes", strings.Join(s.Scopes, " "))

	b.WriteString("\n## Outcome\n\n")
	var oe *flows.OAuthError
	switch {
	case errors.As(st.Err, &oe):
		writeOAuthErrorMarkdown(&b, oe, red)
	case st.Err != nil:
		fmt.Fprintf(&b, "Failed: %s\n", red.Text(st.Err.Error()))
	case r.Done():
		b.WriteString("Succeeded.\n")
		if t := st.Tokens; t != nil {
			b.WriteString("\n| token | value |\n| --- | --- |\n")
			for _, kv := range [][2]string{{"access_token", t.AccessToken}, {"id_token", t.IDToken}, {"refresh_token", t.RefreshToken}} {
				if kv[1] != "" {
					fmt.Fprintf(&b, "| %s | `%s` |\n", kv[0], red.Value(kv[0], kv[1]))
				}
			}
			fmt.Fprintf(&b, "| scope | %s |\n| expires_in | %d |\n", mdCell(t.Scope), t.ExpiresIn)
		}
	default:
		b.WriteString("Not finished.\n")
	}

	b.WriteString("\n## Legs\n\n| # | leg | status |\n| --- | --- | --- |\n")
	for i, l := range r.Legs() {
		fmt.Fprintf(&b, "| %d | %s | %s |\n", i+1, l.Title, r.Status(i))
	}
	b.WriteString("\n## Exchanges\n")
	for _, raw := range r.Exchanges() {
		ex := red.Exchange(raw)
		fmt.Fprintf(&b, "\n### %d. %s %s\n\n", ex.ID, ex.Method, ex.URL)
		fmt.Fprintf(&b, "Leg `%s`%s, %s, %s.\n\n", ex.LegName, prefixIf(" ", ex.Step), orDefault(ex.StatusText, "no response"), ex.Timing.Total.Round(time.Microsecond))
		b.WriteString("```http\n")
		fmt.Fprintf(&b, "%s %s %s\n", ex.Method, ex.URL, orDefault(ex.Proto, "HTTP/1.1"))
		for _, h := range ex.RequestHeaders {
			fmt.Fprintf(&b, "%s: %s\n", h.Name, h.Value)
		}
		if ex.RequestBody != "" {
			b.WriteString("\n" + ex.RequestBody + "\n")
		}
		b.WriteString("```\n\n")
		if ex.Err != nil {
			fmt.Fprintf(&b, "Error: %s\n", ex.Err)
			continue
		}
		b.WriteString("```http\n")
		fmt.Fprintf(&b, "%s %s\n", orDefault(ex.Proto, "HTTP/1.1"), ex.StatusText)
		for _, h := range ex.ResponseHeaders {
			fmt.Fprintf(&b, "%s: %s\n", h.Name, h.Value)
		}
		if ex.ResponseBody != "" {
			b.WriteString("\n" + strings.TrimRight(ex.ResponseBody, "\n") + "\n")
		}
		b.WriteString("```\n")
	}
	b.WriteString(tokenReport(st, opts.Origin, red))
	_, err := io.WriteString(w, b.String())
	return err
}

func writeOAuthErrorMarkdown(b *strings.Builder, oe *flows.OAuthError, red *flows.Redactor) {
	fmt.Fprintf(b, "The identity provider said no: `%s`", oe.Code)
	if c := oe.AADSTS(); c != 0 {
		fmt.Fprintf(b, " (AADSTS%d)", c)
	}
	b.WriteString(".\n\n")
	if oe.Message != "" {
		fmt.Fprintf(b, "> %s\n\n", red.Text(oe.Message))
	}
	listed := false
	for _, kv := range [][2]string{{"Trace ID", oe.TraceID}, {"Correlation ID", oe.CorrelationID}, {"Timestamp", oe.Timestamp}, {"Suberror", oe.Suberror}} {
		if kv[1] != "" {
			fmt.Fprintf(b, "- %s: `%s`\n", kv[0], kv[1])
			listed = true
		}
	}
	if listed {
		b.WriteString("\n")
	}
	if e, ok := oe.Help(); ok {
		fmt.Fprintf(b, "**%s.** %s\n\n**Likely fix:** %s\n", e.Name, e.Cause, e.Fix)
	}
}

func mdCell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }

func prefixIf(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}
