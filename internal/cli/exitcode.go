package cli

import (
	"errors"
	"fmt"
)

// Exit codes of DESIGN.md §3, shared by every command.
const (
	exitOK      = 0
	exitDenied  = 1 // the identity provider said no (an OAuth error), or a token is malformed
	exitUsage   = 2 // usage or invalid input
	exitNetwork = 3 // network or TLS failure, or timeout
)

// codedError carries the exit code an error should end the process with.
type codedError struct {
	code int
	err  error
}

func (e codedError) Error() string { return e.err.Error() }
func (e codedError) Unwrap() error { return e.err }

// silentError marks an error whose message was already written (e.g. a rendered OAuth error); execute
// only sets the exit code.
type silentError struct{ codedError }

func usageError(err error) error  { return codedError{exitUsage, err} }
func deniedError(err error) error { return codedError{exitDenied, err} }

// usageErrorf is usageError with formatting: one sentence naming the flag or field, and the fix.
func usageErrorf(format string, args ...any) error { return usageError(fmt.Errorf(format, args...)) }

// silent wraps err so that execute prints nothing more but exits with code.
func silent(code int, err error) error { return silentError{codedError{code, err}} }

// exitCode maps an error to the process exit code; an error with no code is a usage error, since every
// protocol and network failure is classified where it happens.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var coded codedError
	if errors.As(err, &coded) {
		return coded.code
	}
	var s silentError
	if errors.As(err, &s) {
		return s.code
	}
	return exitUsage
}
