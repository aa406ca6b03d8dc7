// Package cli is aadx's command line: one file per command, the settings flags shared by `aadx`, `aadx run`
// and `aadx profiles save`, and the exit codes (DESIGN.md §3). The main package only wires it to the process.
package cli

import (
	"errors"
	"fmt"
	"github.com/aadx/aadx/internal/termsafe"
	"io"

	"github.com/spf13/cobra"

	"github.com/aadx/aadx/internal/earlyenv"
)

// version is the build's version, given by the main package (set with -ldflags "-X main.version=…");
// "dev" means the module version is used.
var version = "dev"

// Execute runs the command line for a build of the given version and returns the process exit code.
func Execute(buildVersion string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	earlyenv.Restore() // $TMUX was hidden from package initialisation only
	if buildVersion != "" {
		version = buildVersion
	}
	return execute(args, stdin, stdout, stderr)
}

// execute runs the command line and returns the process exit code (DESIGN.md §3): 0 success, 1 the identity
// provider said no or a token is malformed, 2 usage or invalid input, 3 network, TLS or timeout.
func execute(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return executeRoot(newRootCmd(args), args, stdin, stdout, stderr)
}

// executeRoot runs args on a command tree built by newRootCmd.
func executeRoot(root *cobra.Command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root.SetArgs(args)
	root.SetIn(stdin)
	// Everything the commands print passes termsafe: text from servers and tokens cannot drive the terminal.
	stdout, stderr = termsafe.NewWriter(stdout), termsafe.NewWriter(stderr)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var silent silentError
	if !errors.As(err, &silent) {
		fmt.Fprintln(stderr, "aadx: "+err.Error())
	}
	return exitCode(err)
}

// subcommands are aadx's commands, each with the function that builds it (flags and all).
var subcommands = []struct {
	name  string
	build func() *cobra.Command
}{
	{"run", newRunCmd},
	{"decode", newDecodeCmd},
	{"explain", newExplainCmd},
	{"emulator", newEmulatorCmd},
	{"profiles", newProfilesCmd},
	{"version", newVersionCmd},
}

// newRootCmd builds the command tree for args. When args start with a subcommand's name, cobra runs that
// subcommand and reads nothing else of the tree (no flag is persistent, no command has an alias), so only
// that subcommand is built: the root's and the other commands' flag sets cost more than `aadx decode` takes
// to decode. Any other command line (the TUI, help, completion, a typo) gets the whole tree.
func newRootCmd(args []string) *cobra.Command {
	invoked := invokedSubcommand(args)
	root := &cobra.Command{
		Use:           "aadx",
		Short:         "Explore Microsoft Entra ID OAuth 2.0 flows, leg by leg",
		Long:          "aadx steps through Microsoft Entra ID (Azure AD) OAuth 2.0 flows with the live HTTP on screen,\ndecodes and explains tokens, and ships an offline Entra ID emulator.\n\n" + settingsHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })
	if invoked == "" {
		addTUIFlags(root)
	}
	for _, sub := range subcommands {
		if invoked == "" || sub.name == invoked {
			root.AddCommand(sub.build())
		}
	}
	if invoked != "" {
		root.CompletionOptions.DisableDefaultCmd = true // `aadx completion` is not this command line
		return root
	}
	strictCompletion(root)
	return root
}

// invokedSubcommand is the subcommand args name first, or "" when args start with anything else.
func invokedSubcommand(args []string) string {
	if len(args) == 0 {
		return ""
	}
	for _, sub := range subcommands {
		if sub.name == args[0] {
			return sub.name
		}
	}
	return ""
}
