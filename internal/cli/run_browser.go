package cli

import (
	"context"
	"net/url"

	"github.com/aadx/aadx/flows/browser"
	"github.com/spf13/cobra"
)

// chooseBrowser decides how the authorize leg completes headless: a loopback listener (opening the system
// browser, or printing the URL with --no-browser), or, for a redirect URI not on this machine, a pasted
// redirect URL read from stdin.
func (o *runOptions) chooseBrowser(cmd *cobra.Command, env *runEnv, tr *tracer) error {
	u, err := url.Parse(env.settings.RedirectURI)
	loopback := err == nil && u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1")
	if !loopback {
		in := cmd.InOrStdin()
		env.browser = browser.Paste(tr.pasteURL, func(ctx context.Context) (string, error) {
			return readLineCtx(ctx, in)
		})
		return nil
	}
	l, err := browser.Listen(env.settings.RedirectURI)
	if err != nil {
		return o.inputError(cmd, err)
	}
	env.closers = append(env.closers, func() { _ = l.Close() })
	env.settings.RedirectURI = l.RedirectURI()
	open := func(authURL string) error {
		if o.noBrowser {
			tr.openURL(authURL)
			return nil
		}
		if err := browser.OpenSystem(authURL); err != nil {
			tr.warn("no browser could be opened; open the URL below yourself")
			tr.openURL(authURL)
		}
		return nil
	}
	env.browser = &browser.Loopback{Listener: l, Open: open, Timeout: o.browserTimeout}
	return nil
}
