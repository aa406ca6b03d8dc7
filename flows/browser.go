package flows

import (
	"context"
	"errors"
	"os/exec"
	"runtime"
)

// Browser completes a browser leg: it sends a user agent to the authorize URL and returns the authorization
// response that came back to redirectURI. Implementations: a LoopbackBrowser (system browser and a loopback
// listener), Run.SignIn (scripted sign-in against the emulator), or a pasted redirect via Run.ApplyRedirect.
type Browser interface {
	Visit(ctx context.Context, authorizeURL, redirectURI string) (*Redirect, error)
}

// BrowserFunc adapts a function to Browser.
type BrowserFunc func(ctx context.Context, authorizeURL, redirectURI string) (*Redirect, error)

// Visit calls f.
func (f BrowserFunc) Visit(ctx context.Context, authorizeURL, redirectURI string) (*Redirect, error) {
	return f(ctx, authorizeURL, redirectURI)
}

// ErrNoBrowser means no system browser could be started; show the URL instead.
var ErrNoBrowser = errors.New("no system browser could be opened")

// OpenSystemBrowser starts the system's browser on url without waiting for it.
func OpenSystemBrowser(url string) error {
	if err := CheckOpenable(url); err != nil {
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
