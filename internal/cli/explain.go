package cli

import (
	"encoding/json"
	"fmt"
	"github.com/aadx/aadx/internal/termsafe"
	"io"
	"strings"

	"github.com/aadx/aadx/flows"
	"github.com/spf13/cobra"
)

// explainJSON is `aadx explain --json`.
type explainJSON struct {
	Code          int    `json:"code,omitempty"`
	Known         bool   `json:"known"`
	Name          string `json:"name,omitempty"`
	Error         string `json:"error,omitempty"`
	Cause         string `json:"cause,omitempty"`
	Fix           string `json:"fix,omitempty"`
	Message       string `json:"message,omitempty"`
	TraceID       string `json:"trace_id,omitempty"`
	CorrelationID string `json:"correlation_id,omitempty"`
	Timestamp     string `json:"timestamp,omitempty"`
	Suberror      string `json:"suberror,omitempty"`
	LookupURL     string `json:"lookup_url,omitempty"`
}

func newExplainCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "explain CODE|-",
		Short: "Explain an AADSTS error code, or an Entra error JSON body read from stdin",
		Long: `Explain an Entra ID (AADSTS) error: what it means and the likely fix.

CODE is a number such as 7000215 or AADSTS7000215. With "-", an error response body
(the JSON the token endpoint returned) is read from stdin and its code, message,
Trace ID, Correlation ID and Timestamp are shown with the explanation.

Exit codes: 0 explained, 1 the code is not in aadx's catalogue, 2 the input is not a code or an error body.`,
		Example: `  aadx explain 7000215
  aadx explain AADSTS50011
  curl -s ... | aadx explain -`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("explain needs one CODE (e.g. 7000215) or - to read an error body from stdin")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var x explainJSON
			if args[0] == "-" {
				body, err := readLimited(cmd.InOrStdin(), 1<<20)
				if err != nil {
					return usageErrorf("stdin could not be read: %v", err)
				}
				oe, ok := flows.ParseError(0, []byte(strings.TrimSpace(body)))
				if !ok {
					return usageErrorf("stdin is not an OAuth error body: expected JSON with an \"error\" member")
				}
				x = explainJSON{Code: oe.AADSTS(), Error: oe.Code, Message: oe.Message, TraceID: oe.TraceID,
					CorrelationID: oe.CorrelationID, Timestamp: oe.Timestamp, Suberror: oe.Suberror}
			} else {
				code, err := flows.ParseAADSTS(args[0])
				if err != nil {
					return usageError(err)
				}
				x.Code = code
			}
			if e, ok := flows.LookupAADSTS(x.Code); ok {
				x.Known, x.Name, x.Cause, x.Fix = true, e.Name, e.Cause, e.Fix
				if x.Error == "" {
					x.Error = e.Error
				}
			}
			if x.Code != 0 {
				x.LookupURL = fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", x.Code)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(x); err != nil {
					return err
				}
			} else {
				writeExplanation(out, x)
			}
			if !x.Known && x.Code != 0 {
				if !asJSON {
					return silent(exitDenied, fmt.Errorf("AADSTS%d is not in the catalogue", x.Code))
				}
				return silent(exitDenied, fmt.Errorf("unknown code"))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the explanation as JSON")
	return cmd
}

func writeExplanation(w io.Writer, x explainJSON) {
	var b strings.Builder
	switch {
	case x.Code == 0:
		fmt.Fprintf(&b, "%s (no AADSTS code: a plain OAuth 2.0 error)\n", x.Error)
	case x.Known:
		fmt.Fprintf(&b, "AADSTS%d %s (error: %s)\n", x.Code, x.Name, x.Error)
	default:
		fmt.Fprintf(&b, "AADSTS%d is not in aadx's catalogue.\n", x.Code)
	}
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%-15s %s\n", k+":", v)
		}
	}
	row("Message", x.Message)
	row("What it means", x.Cause)
	row("Likely fix", x.Fix)
	row("Suberror", x.Suberror)
	row("Trace ID", x.TraceID)
	row("Correlation ID", x.CorrelationID)
	row("Timestamp", x.Timestamp)
	row("Look up", x.LookupURL)
	_, _ = io.WriteString(w, termsafe.Escape(b.String())) // the message and IDs are the server's text
}
