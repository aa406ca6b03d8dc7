package flows

import "context"

// Browser completes a browser leg: it sends a user agent to the authorize URL and returns the authorization
// response that came back to redirectURI. The implementations are in flows/browser: the system browser with a
// loopback listener, a pasted redirect, and a scripted sign-in against the emulator.
type Browser interface {
	Visit(ctx context.Context, authorizeURL, redirectURI string) (*Redirect, error)
}

// BrowserFunc adapts a function to Browser.
type BrowserFunc func(ctx context.Context, authorizeURL, redirectURI string) (*Redirect, error)

// Visit calls f.
func (f BrowserFunc) Visit(ctx context.Context, authorizeURL, redirectURI string) (*Redirect, error) {
	return f(ctx, authorizeURL, redirectURI)
}
