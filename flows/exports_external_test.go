package flows_test

import (
	"io"

	"github.com/aadx/aadx/flows"
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
}
