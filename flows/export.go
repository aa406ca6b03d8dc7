package flows

// ExportOptions control HAR and Markdown exports. Exports are always redacted: secrets are masked whatever the
// redactor's Reveal says, and tokens are shortened unless IncludeTokens is set.
type ExportOptions struct {
	Redactor      *Redactor // the run's redactor (knows its secrets); nil means a fresh one
	IncludeTokens bool
	Creator       string // application name in the HAR creator, default "aadx"
	Version       string // application version
}

func (o ExportOptions) redactor() *Redactor {
	r := o.Redactor
	if r == nil {
		r = NewRedactor()
	}
	return r.With(false, o.IncludeTokens)
}
