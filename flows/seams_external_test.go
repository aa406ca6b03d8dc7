package flows_test

import (
	"io"
	"time"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/flows/browser"
	"github.com/aadx/aadx/flows/export"
)

func init() {
	flows.WriteExportsForTest = func(w io.Writer, run *flows.Run, red *flows.Redactor) error {
		if err := export.HAR(w, run.Exchanges(), export.Options{Redactor: red}); err != nil {
			return err
		}
		return export.Markdown(w, run, export.Options{Redactor: red})
	}
	flows.CurlForTest = export.Curl
	flows.ScriptedForTest = browser.Scripted
	flows.ApproveDeviceForTest = browser.ApproveDevice
	flows.LoopbackForTest = func(redirectURI string, open func(string) error, timeout time.Duration) (flows.Browser, string, error) {
		l, err := browser.Listen(redirectURI)
		if err != nil {
			return nil, "", err
		}
		return &browser.Loopback{Listener: l, Open: open, Timeout: timeout}, l.RedirectURI(), nil
	}
}
