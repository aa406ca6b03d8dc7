package browser

import (
	"errors"
	"os/exec"
	"runtime"

	"github.com/aadx/aadx/flows"
)

// ErrNoBrowser means no system browser could be started; show the URL instead.
var ErrNoBrowser = errors.New("no system browser could be opened")

// OpenSystem starts the system's browser on url without waiting for it.
func OpenSystem(url string) error {
	if err := flows.CheckOpenable(url); err != nil {
		return errors.Join(ErrNoBrowser, err)
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return errors.Join(ErrNoBrowser, err)
	}
	go func() { _ = cmd.Wait() }() // reap the opener
	return nil
}
