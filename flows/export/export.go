// Package export writes a run for someone else to read or replay: a HAR 1.2 trace, a Markdown report for a
// support ticket, and a leg as a curl command. Every export is redacted.
package export

import "github.com/aadx/aadx/flows"

// Options control HAR and Markdown exports. Exports are always redacted: secrets are masked whatever the
// redactor's Reveal says, and tokens are shortened unless IncludeTokens is set.
type Options struct {
	Redactor      *flows.Redactor // the run's redactor (knows its secrets); nil means a fresh one
	IncludeTokens bool
	Creator       string // application name in the HAR creator, default "aadx"
	Version       string // application version
	// Origin says where the run went, for the report's "Where this ran" (EmulatorOrigin); "" leaves it out.
	Origin string
}

func (o Options) redactor() *flows.Redactor {
	r := o.Redactor
	if r == nil {
		r = flows.NewRedactor()
	}
	return r.With(false, o.IncludeTokens)
}
