package decode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// maxFetchBody bounds a discovery document or key set download; real ones are a few KiB.
const maxFetchBody = 1 << 20

// HTTPFetcher is the Fetcher for real use: a GET through the caller's client (which owns TLS, the transport
// and any timeout), accepting only 200, reading at most 1 MiB, and following redirects only to https or
// loopback http (CheckFetchURL) and at most five times. The client itself is not changed.
func HTTPFetcher(client *http.Client) Fetcher {
	c := http.Client{}
	if client != nil {
		c = *client
	}
	c.CheckRedirect = checkFetchRedirect
	return func(ctx context.Context, url string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %s", resp.Status)
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxFetchBody+1))
		if err == nil && len(b) > maxFetchBody {
			err = fmt.Errorf("response over %d bytes", maxFetchBody)
		}
		return b, err
	}
}

// checkFetchRedirect keeps key and discovery fetches on https (or loopback) when they are redirected: a
// redirect to plain http would let anyone on the path swap the keys.
func checkFetchRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if err := CheckFetchURL(req.URL.String()); err != nil {
		return fmt.Errorf("refusing the redirect to %s, which %w", req.URL.Redacted(), err)
	}
	return nil
}
