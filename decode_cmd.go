package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newDecodeCmd is being written; it is owned by the decode work.
func newDecodeCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "decode",
		Hidden: true,
		RunE:   func(*cobra.Command, []string) error { return errors.New("decode is not available yet") },
	}
}
