package tui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/flows/export"
)

// exportCmd writes the run's trace as a HAR file and a Markdown report into dir, both redacted by the
// engine (secrets masked, tokens shortened): safe to attach to a ticket. includeTokens is the person's
// explicit choice (E) to keep tokens whole; secrets stay masked and the file names say "with-tokens".
// Files are created 0600 and never overwritten.
//
// The TUI tells the report what only it knows: whether the run was against the emulator (and which fault
// scenario was on); the report adds the decoded claims of the run's tokens (flows/export).
func exportCmd(runID int, run *flows.Run, dir string, at time.Time, includeTokens bool, origin string) tea.Cmd {
	return func() tea.Msg {
		name := "aadx-" + string(run.Flow().ID)
		if includeTokens {
			name += "-with-tokens" // early in the name, so the status bar's notice shows it
		}
		base := filepath.Join(dir, name+"-"+at.Format("20060102-150405"))
		opts := export.Options{Redactor: run.Redactor(), IncludeTokens: includeTokens, Origin: origin}
		har, err := writeNew(base+".har", func(f *os.File) error { return export.HAR(f, run.Exchanges(), opts) })
		if err != nil {
			return exportedMsg{RunID: runID, Err: err}
		}
		md, err := writeNew(base+".md", func(f *os.File) error { return export.Markdown(f, run, opts) })
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
