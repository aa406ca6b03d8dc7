package browser

import (
	"context"
	"strings"

	"github.com/aadx/aadx/flows"
)

// Paste completes a browser leg with a redirect URL the user copies from the browser's address bar: show
// presents the authorize URL, read returns the pasted redirect.
func Paste(show func(url string), read func(ctx context.Context) (string, error)) flows.Browser {
	return flows.BrowserFunc(func(ctx context.Context, authorizeURL, _ string) (*flows.Redirect, error) {
		show(authorizeURL)
		raw, err := read(ctx)
		if err != nil {
			return nil, err
		}
		return flows.ParseRedirect(strings.TrimSpace(raw))
	})
}
