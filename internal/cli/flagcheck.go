package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// Exact flags: a value aadx cannot honour is refused with one line naming the flag (exit 2), never replaced by
// a silent default.

// checkRunFlags checks the flags of `aadx run` that no settings rule covers.
func (o *runOptions) checkRunFlags(cmd *cobra.Command, tr *tracer) error {
	changed := cmd.Flags().Changed
	switch {
	case changed("browser-timeout") && o.browserTimeout <= 0:
		return usageErrorf("--browser-timeout must be positive, e.g. --browser-timeout 5m")
	case changed("timeout") && o.timeout <= 0:
		return usageErrorf("--timeout must be positive, e.g. --timeout 30s")
	case o.credential != "" && o.credential != "secret" && o.credential != "cert":
		return usageErrorf("--credential %q is not a demo credential; use secret or cert", o.credential)
	case o.credential != "" && !o.demo:
		return usageErrorf("--credential chooses the demo tenant's credential: use it with --demo, or give --cert or AZURE_CLIENT_SECRET")
	case o.harFile != "" && o.markdownFile != "" && samePath(o.harFile, o.markdownFile):
		return usageErrorf("--har and --markdown name the same file %s: give each its own", o.harFile)
	}
	if o.demo {
		// The demo tenant fills these; say so rather than drop them silently.
		var replaced []string
		for _, name := range o.settingsFlags.names() {
			if name != "--platform" && name != "--scope" && name != "--assertion-alg" {
				replaced = append(replaced, name)
			}
		}
		if len(replaced) > 0 {
			tr.warn("--demo uses the demo tenant, which replaces " + strings.Join(replaced, ", ") + " (--platform, --scope and --assertion-alg still apply)")
		}
	}
	return nil
}

// checkTUIFlags checks the root command's own flags.
func checkTUIFlags(cmd *cobra.Command, f tuiFlags) error {
	changed := cmd.Flags().Changed
	switch {
	case changed("auto-advance") && f.autoAdvance <= 0:
		return usageErrorf("--auto-advance must be positive, e.g. --auto-advance 3s")
	case changed("timeout") && f.timeout <= 0:
		return usageErrorf("--timeout must be positive, e.g. --timeout 30s")
	}
	return nil
}

func samePath(a, b string) bool {
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && x == y
}

// strictCompletion makes `aadx completion SHELL` refuse a shell it does not know (cobra's own command prints
// its help and exits 0).
func strictCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Args = func(_ *cobra.Command, args []string) error {
				if len(args) > 0 {
					return usageErrorf("completion %q: use bash, zsh, fish or powershell", args[0])
				}
				return nil
			}
			c.RunE = func(c *cobra.Command, _ []string) error {
				return usageErrorf("completion needs a shell: bash, zsh, fish or powershell")
			}
		}
	}
}

// createExport opens an export file for writing, 0600 whether or not it existed: a trace names the tenant,
// the app and the user. It refuses a symbolic link (which could point the redacted trace, or the truncation,
// at another file) and anything that is not a regular file.
func createExport(path string) (*os.File, error) {
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSymlink != 0 {
			return nil, errors.New("it is a symbolic link; give the file itself")
		}
		if !fi.Mode().IsRegular() {
			return nil, errors.New("it is not a regular file")
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC|noFollow, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil { // an existing file keeps its mode through O_CREATE
		f.Close()
		return nil, err
	}
	return f, nil
}
