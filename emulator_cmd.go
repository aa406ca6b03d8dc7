package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newEmulatorCmd is being written; it is owned by the emulator work.
func newEmulatorCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "emulator",
		Hidden: true,
		RunE:   func(*cobra.Command, []string) error { return errors.New("emulator is not available yet") },
	}
}
