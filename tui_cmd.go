package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// addTUIFlags adds the root command's flags and the action that starts the TUI; owned by the TUI work.
func addTUIFlags(root *cobra.Command) {
	root.RunE = func(*cobra.Command, []string) error { return errors.New("the TUI is not available yet") }
}
