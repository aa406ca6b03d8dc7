package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aadx/aadx/flows"
	"github.com/charmbracelet/x/term"
)

// Input and output helpers shared by the commands: bounded reads of untrusted input, terminal checks, JSON.

// isTerminal reports whether f is a character device, so colour and layout suit a person reading.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// readLimitedFile reads a file of at most maxDecodeInput bytes.
func readLimitedFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxDecodeInput+1))
	if err == nil && len(b) > maxDecodeInput {
		err = fmt.Errorf("over %d bytes", maxDecodeInput)
	}
	return b, err
}

// writeJSON writes v as indented JSON, the shape of every --json output.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// promptSecret asks for a secret on a terminal without echoing it.
func promptSecret(w io.Writer, in *os.File, label string) (string, error) {
	fmt.Fprint(w, label+" (input hidden): ")
	b, err := term.ReadPassword(in.Fd())
	fmt.Fprintln(w)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// readerIsTerminal reports whether r is a terminal (so a hidden prompt can be shown).
func readerIsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// readLimited reads at most limit bytes, so a huge stdin cannot exhaust memory. Longer input is an error
// (errTooLong), never a value cut short: a truncated token or secret would be sent as if whole.
func readLimited(r io.Reader, limit int64) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err == nil && int64(len(b)) > limit {
		return "", fmt.Errorf("%w (%d KiB at most)", errTooLong, limit>>10)
	}
	return string(b), err
}

// errTooLong is input beyond a reader's limit.
var errTooLong = errors.New("is longer than aadx reads")

// inputProblem says in a few words why input could not be used: too long, unreadable, or empty.
func inputProblem(v string, err error) string {
	switch {
	case err != nil:
		return err.Error()
	case strings.TrimSpace(v) == "":
		return "is empty"
	}
	return ""
}

// readLine reads one line, for a pasted redirect URL.
func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 64<<10)).ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// readLineCtx reads a line but gives up when ctx ends (the reading goroutine ends with stdin).
func readLineCtx(ctx context.Context, in interface{ Read([]byte) (int, error) }) (string, error) {
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		line, err := readLine(in)
		ch <- result{line, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil || r.line == "" {
			return "", usageErrorf("no redirect URL was pasted: copy the whole address from the browser after signing in")
		}
		return r.line, nil
	case <-ctx.Done():
		return "", &flows.NetworkError{Op: "waiting for the pasted redirect", Err: ctx.Err()}
	}
}

// firstNonEmpty returns the first value given, in order of precedence.
func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
