package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newExplainCmd is being written; it is owned by the explain work.
func newExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "explain",
		Hidden: true,
		RunE:   func(*cobra.Command, []string) error { return errors.New("explain is not available yet") },
	}
}
