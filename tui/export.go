package tui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/flows/export"
)

// exportCmd writes the run's trace as a HAR file and a Markdown report into dir, both redacted by the
// engine (secrets masked, tokens shortened): safe to attach to a ticket. includeTokens is the person's
// explicit choice (E) to keep tokens whole; secrets stay masked and the file names say "with-tokens".
// Files are created 0600 and never overwritten.
//
// The TUI adds to the Markdown report what only it knows: the decoded claims of the run's tokens and
// whether the run was against the emulator (and which fault scenario was on).
func exportCmd(runID int, run *flows.Run, dir string, at time.Time, includeTokens bool, origin string) tea.Cmd {
	return func() tea.Msg {
		name := "aadx-" + string(run.Flow().ID)
		if includeTokens {
			name += "-with-tokens" // early in the name, so the status bar's notice shows it
		}
		base := filepath.Join(dir, name+"-"+at.Format("20060102-150405"))
		opts := export.Options{Redactor: run.Redactor(), IncludeTokens: includeTokens}
		har, err := writeNew(base+".har", func(f *os.File) error { return export.HAR(f, run.Exchanges(), opts) })
		if err != nil {
			return exportedMsg{RunID: runID, Err: err}
		}
		md, err := writeNew(base+".md", func(f *os.File) error {
			if err := export.Markdown(f, run, opts); err != nil {
				return err
			}
			_, err := io.WriteString(f, tokenReport(run.State(), origin))
			return err
		})
		if err != nil {
			return exportedMsg{RunID: runID, Files: []string{har}, Err: err}
		}
		return exportedMsg{RunID: runID, Files: []string{har, md}}
	}
}

// writeNew creates path (failing if it exists) and fills it with write.
func writeNew(path string, write func(*os.File) error) (string, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	if err := errors.Join(write(f), f.Close()); err != nil {
		_ = os.Remove(path)
		return "", fmt.Errorf("export %s: %w", path, err)
	}
	return path, nil
}

// tokenReport is the Markdown section on where the run went and the claims of every token it obtained
// (claims are not credentials: the tokens themselves stay shortened above).
func tokenReport(st flows.State, origin string) string {
	var b strings.Builder
	if origin != "" {
		fmt.Fprintf(&b, "\n## Where this ran\n\n%s\n", origin)
	}
	type named struct{ label, raw string }
	var tokens []named
	if t := st.Tokens; t != nil {
		tokens = append(tokens, named{"access token", t.AccessToken}, named{"ID token", t.IDToken})
	}
	tokens = append(tokens, named{"client assertion", st.ClientAssertion})
	wrote := false
	for _, t := range tokens {
		tok, err := decode.Unverified(t.raw)
		if t.raw == "" || err != nil {
			continue
		}
		if !wrote {
			b.WriteString("\n## Decoded tokens\n")
			wrote = true
		}
		fmt.Fprintf(&b, "\n### %s\n\n| claim | value | meaning |\n| --- | --- | --- |\n", t.label)
		for _, e := range decode.Explain(tok) {
			if e.Part == "header" {
				continue
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCell(e.Name), mdCell(e.Value), mdCell(firstSentence(e.Text)))
		}
	}
	return b.String()
}

func mdCell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ", "\r", " ").Replace(s)
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
