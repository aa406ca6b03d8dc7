package cli

import (
	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/internal/demo/emulated"
	"github.com/aadx/aadx/tui"
)

// demoFrom copies what the TUI needs from the emulator, so the tui package does not import it.
func demoFrom(srv *emulator.Server) *tui.Demo {
	return &tui.Demo{Tenant: emulated.Tenant(srv.Description()), HTTPClient: srv.HTTPClient(),
		SetScenarios: srv.SetScenarios, Scenarios: emulated.Scenarios()}
}
