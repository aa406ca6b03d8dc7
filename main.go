// Command aadx explores Microsoft Entra ID OAuth 2.0 flows: a TUI, headless runs, a token decoder and a
// built-in Entra ID emulator. See README.md.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise the module version is used.
var version = "dev"

func main() {
	os.Exit(execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// execute runs the command line and returns the process exit code (DESIGN.md §3): 0 success, 1 the identity
// provider said no or a token is malformed, 2 usage or invalid input, 3 network, TLS or timeout.
func execute(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
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

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "aadx",
		Short:         "Explore Microsoft Entra ID OAuth 2.0 flows, leg by leg",
		Long:          "aadx steps through Microsoft Entra ID (Azure AD) OAuth 2.0 flows with the live HTTP on screen,\ndecodes and explains tokens, and ships an offline Entra ID emulator.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })
	addTUIFlags(root)
	root.AddCommand(
		newRunCmd(),
		newDecodeCmd(),
		newExplainCmd(),
		newEmulatorCmd(),
		newProfilesCmd(),
		newVersionCmd(),
	)
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of aadx",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "aadx "+buildVersion())
			return err
		},
	}
}

func buildVersion() string {
	if version != "dev" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return version
}
