package tui

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aadx/aadx/decode"
)

// tokenView is a decoded token ready for the claims pane: built once in a Cmd (the signature check may
// fetch a key set), then only rendered.
type tokenView struct {
	Label     string // the tab: access, id, assertion, pasted
	Raw       string
	Secret    bool // the raw token is a credential (a client assertion): never copied unmasked
	Kind      decode.Kind
	Header    []decode.Explained
	Claims    []decode.Explained
	Times     decode.Timeline
	Warnings  []decode.Warning
	Signature decode.Signature
	Err       error
}

// maxJWKSBody bounds a key set download; real ones are a few KiB.
const maxJWKSBody = 256 << 10

// jwksTimeout bounds a key set download.
const jwksTimeout = 10 * time.Second

// buildTokenView decodes, explains, times, lints and (with keys) verifies one token.
func buildTokenView(ctx context.Context, label, raw string, keys decode.KeySource, expect decode.Expect, now time.Time) tokenView {
	v := tokenView{Label: label, Raw: raw}
	t, err := decode.Unverified(raw)
	if err != nil {
		v.Err = err
		return v
	}
	v.Kind = t.Kind
	v.Secret = t.Kind == decode.KindAssertion
	for _, e := range decode.Explain(t, decode.WithNow(now)) {
		if e.Part == "header" {
			v.Header = append(v.Header, e)
		} else {
			v.Claims = append(v.Claims, e)
		}
	}
	v.Times = decode.Times(t, now)
	v.Warnings = decode.Lint(t, expect, now)
	if keys != nil {
		ctx, cancel := context.WithTimeout(ctx, jwksTimeout)
		defer cancel()
		v.Signature = decode.Verify(ctx, t, keys)
	} else {
		v.Signature = decode.Signature{Status: decode.StatusUnverified, KeyID: t.KeyID(), Reason: "not checked"}
	}
	return v
}

// httpFetcher fetches key sets through client with a timeout and a size limit (decode opens no
// connections of its own).
func httpFetcher(client *http.Client) decode.Fetcher {
	return func(ctx context.Context, url string) ([]byte, error) {
		ctx, cancel := context.WithTimeout(ctx, jwksTimeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBody+1))
		if err != nil {
			return nil, err
		}
		if len(body) > maxJWKSBody {
			return nil, fmt.Errorf("GET %s: key set larger than %d bytes", url, maxJWKSBody)
		}
		return body, nil
	}
}
