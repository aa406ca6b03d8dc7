package tui

import (
	"context"
	"time"

	"github.com/aadx/aadx/decode"
)

// tokenView is a decoded token ready for the claims pane: built once in a Cmd (the signature check may
// fetch a key set), then only rendered. What depends on the time (relative times, expiry warnings) is
// recomputed with at, so "expires in …" ticks while the pane is open.
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
	Verdict   *decode.Verdict // access tokens: would the API of their own aud accept them? (verdict.go)
	Err       error

	token  *decode.Token // nil when it could not be decoded
	expect decode.Expect
	timeAt time.Time // the instant Header, Claims, Times and Warnings were computed for
}

// jwksTimeout bounds a key set download.
const jwksTimeout = 10 * time.Second

// buildTokenView decodes, explains, times, lints and (with keys) verifies one token.
func buildTokenView(ctx context.Context, label, raw string, keys decode.KeySource, expect decode.Expect, now time.Time) tokenView {
	v := tokenView{Label: label, Raw: raw, expect: expect}
	t, err := decode.Unverified(raw)
	if err != nil {
		v.Err = err
		return v
	}
	v.token = t
	v.Raw = t.Raw // what c copies: the token alone, without the quotes or header it was pasted in
	v.Kind = t.Kind
	v.Secret = t.Kind == decode.KindAssertion
	v = v.at(now)
	if keys != nil {
		keys = &memoKeys{src: keys}
		ctx, cancel := context.WithTimeout(ctx, jwksTimeout)
		defer cancel()
		v.Signature = decode.Verify(ctx, t, keys)
	} else {
		v.Signature = decode.Signature{Status: decode.StatusUnverified, KeyID: t.KeyID(), Reason: "not checked"}
	}
	v.Verdict = ownAudienceVerdict(ctx, t, keys, v.Signature, now)
	return v
}

// at returns the view with its time-dependent parts computed for now (to the second).
func (v tokenView) at(now time.Time) tokenView {
	now = now.Truncate(time.Second)
	if v.token == nil || v.timeAt.Equal(now) {
		return v
	}
	v.Header, v.Claims = nil, nil
	for _, e := range decode.Explain(v.token, decode.WithNow(now)) {
		if e.Part == "header" {
			v.Header = append(v.Header, e)
		} else {
			v.Claims = append(v.Claims, e)
		}
	}
	v.Times = decode.Times(v.token, now)
	v.Warnings = decode.Lint(v.token, v.expect, now)
	v.timeAt = now
	return v
}
