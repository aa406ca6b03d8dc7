package flows

import (
	"context"
	"io"
	"time"
)

// The exports (flows/export) and the browsers (flows/browser) import this package, so its tests cannot import
// them. seams_external_test.go (package flows_test, in the same test binary) sets these to the real ones, so
// the engine's tests keep driving whole runs and checking what a user attaches to a ticket.
var (
	// WriteExportsForTest writes the run's HAR and Markdown exports with redactor red.
	WriteExportsForTest func(w io.Writer, run *Run, red *Redactor) error
	// CurlForTest renders a prepared request as the copied curl command.
	CurlForTest func(req *Request, reveal bool) string
	// ScriptedForTest is browser.Scripted: the authorize leg walked over HTTP as a user.
	ScriptedForTest func(run *Run, username, password string) Browser
	// ApproveDeviceForTest is browser.ApproveDevice: the device code entered and approved (or declined).
	ApproveDeviceForTest func(ctx context.Context, run *Run, username, password string, accept bool) error
	// LoopbackForTest binds a loopback listener on redirectURI and returns it as a browser that opens the
	// authorize URL with open, and the redirect URI with the port bound.
	LoopbackForTest func(redirectURI string, open func(string) error, timeout time.Duration) (Browser, string, error)
)
