package cli

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// A command line that starts with a subcommand builds only that subcommand; what the user sees must be
// exactly what the whole command tree gives: help, flag errors, exit codes. Each case runs twice, so a second
// run in the same process sees the same as the first.
func TestSubcommandAloneAnswersAsTheWholeTree(t *testing.T) {
	var cases [][]string
	for _, sub := range subcommands {
		cases = append(cases,
			[]string{sub.name, "--help"},
			[]string{sub.name, "-h"},
			[]string{sub.name, "--no-such-flag"},
		)
	}
	cases = append(cases,
		[]string{"version"},
		[]string{"version", "extra"},
		[]string{"decode", "--timeout", "0", "x"},
		[]string{"decode", "--jwks", "a.json", "--verify", "x"},
		[]string{"run", "no-such-flow"},
		[]string{"explain", "no-such-code"},
		[]string{"profiles", "no-such-subcommand"},
	)
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if got := invokedSubcommand(args); got != args[0] {
				t.Fatalf("invokedSubcommand(%q) = %q, want %q", args, got, args[0])
			}
			whole := runTree(newRootCmd(nil), args)
			if len(args) > 1 && args[1] == "--help" && !strings.Contains(whole, "Usage:\n  aadx "+args[0]) {
				t.Fatalf("aadx %s --help printed no usage:\n%s", args[0], whole)
			}
			for i := 0; i < 2; i++ {
				if alone := runTree(newRootCmd(args), args); alone != whole {
					t.Fatalf("run %d with %q alone:\n%s\nwith the whole tree:\n%s", i+1, args[0], alone, whole)
				}
			}
		})
	}
}

// The whole tree is built for anything that does not start with a subcommand's name.
func TestWholeTreeUnlessASubcommandComesFirst(t *testing.T) {
	for _, args := range [][]string{nil, {}, {"--demo"}, {"help"}, {"help", "decode"}, {"completion", "bash"},
		{"__complete", "de"}, {"decod"}, {"--json", "decode"}, {"DECODE"}} {
		if got := invokedSubcommand(args); got != "" {
			t.Errorf("invokedSubcommand(%q) = %q, want the whole tree", args, got)
		}
		root := newRootCmd(args)
		if n := len(root.Commands()); n < len(subcommands) {
			t.Errorf("newRootCmd(%q) has %d commands, want all %d", args, n, len(subcommands))
		}
		if root.Flags().Lookup("present") == nil {
			t.Errorf("newRootCmd(%q) lacks the TUI's flags", args)
		}
	}
	// Help and completion list every command.
	out := runTree(newRootCmd([]string{"help"}), []string{"help"})
	for _, sub := range subcommands {
		if !strings.Contains(out, "\n  "+sub.name+" ") {
			t.Errorf("aadx help does not list %s:\n%s", sub.name, out)
		}
	}
	out = runTree(newRootCmd([]string{"__complete", ""}), []string{"__complete", ""})
	for _, sub := range subcommands {
		if !strings.Contains(out, sub.name) {
			t.Errorf("completion does not offer %s:\n%s", sub.name, out)
		}
	}
}

// runTree runs args on root and returns the exit code, stdout and stderr as one text.
func runTree(root *cobra.Command, args []string) string {
	var out, errOut bytes.Buffer
	code := executeRoot(root, args, strings.NewReader(""), &out, &errOut)
	return "exit " + strconv.Itoa(code) + "\nstdout:\n" + out.String() + "\nstderr:\n" + errOut.String()
}
