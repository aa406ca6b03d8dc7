package flows

import "io"

// The exports live in flows/export, which imports this package, so this package's tests cannot import it.
// exports_external_test.go (package flows_test, in the same test binary) sets these to the real exports, so
// the engine's leak tests keep checking what a user attaches to a ticket.
var (
	// WriteExportsForTest writes the run's HAR and Markdown exports with redactor red (nil: the run's).
	WriteExportsForTest func(w io.Writer, run *Run, red *Redactor) error
	// CurlForTest renders a prepared request as the copied curl command.
	CurlForTest func(req *Request, reveal bool) string
)
