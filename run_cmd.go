package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newRunCmd is being written; it is owned by the run work.
func newRunCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "run",
		Hidden: true,
		RunE:   func(*cobra.Command, []string) error { return errors.New("run is not available yet") },
	}
}
