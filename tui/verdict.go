package tui

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/aadx/aadx/decode"
)

// ownAudienceVerdict asks "would the API this token is for accept it?": the validator of an Entra-protected
// API (decode.WouldAccept) with the token's own aud as the API's audience, its issuer's host as the
// authority, and the key set when there is one. It answers what a pasted token alone can tell: expired,
// not yet valid, a Graph token, iss and tid disagreeing, neither scp nor roles, a bad signature.
func ownAudienceVerdict(ctx context.Context, t *decode.Token, keys decode.KeySource, sig decode.Signature, now time.Time) *decode.Verdict {
	if sig.Status != decode.StatusValid && sig.Status != decode.StatusInvalid {
		keys = nil // the keys could not be had here: say "not checked" rather than blame the API
	}
	auds := t.Claims.Strings("aud")
	if t.Kind != decode.KindAccess || len(auds) == 0 {
		return nil
	}
	api := decode.API{Name: apiName(auds[0]), Audiences: auds, Keys: keys, Host: issuerHost(t)}
	v := decode.WouldAccept(ctx, t, api, now)
	return &v
}

// apiName names an audience the way a person knows it (Microsoft Graph rather than its app id).
func apiName(aud string) string {
	switch aud {
	case "00000003-0000-0000-c000-000000000000", "https://graph.microsoft.com", "https://graph.microsoft.com/":
		return "Microsoft Graph"
	}
	return aud
}

// issuerHost is the scheme and host of a v2 issuer (the emulator's or a national cloud's), so that the
// verdict checks the issuer's shape and tenant rather than which cloud it is.
func issuerHost(t *decode.Token) string {
	iss, _ := t.Claims.String("iss")
	u, err := url.Parse(iss)
	if err != nil || u.Host == "" || u.Host == "sts.windows.net" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// verdictLines renders the verdict: a heading with the answer, one line per rule, the failing rule's code,
// message and fix highlighted.
func verdictLines(st *Styles, v *decode.Verdict, width int) []string {
	if v == nil {
		return nil
	}
	var out []string
	add := func(s string) { out = append(out, truncate(s, width)) }
	wrap := func(style func(...string) string, indent int, text string) {
		for _, l := range wrapText(safeText(text), width-indent) {
			out = append(out, strings.Repeat(" ", indent)+style(l))
		}
	}
	title := "would " + safeText(v.API) + " accept this?"
	add(st.Heading.Render("─ " + title + " " + strings.Repeat("─", max(0, width-len([]rune(title))-3))))
	if f, ok := v.Failure(); ok {
		answer := "no: " + itoa(v.Status)
		if f.Code != "" && f.Code != "403" {
			answer += " " + f.Code
		}
		add(st.Error.Render("✗ " + answer + " (" + f.Rule + ")"))
	} else {
		add(st.OK.Render("✓ yes: 200"))
	}
	// Passing rules share one line; a failing rule shows its code, and the one the API reports its message
	// and fix: the pane is narrow and the claims follow.
	var passed, skipped []string
	for i, c := range v.Checks {
		switch {
		case c.Skipped:
			skipped = append(skipped, c.Rule)
		case c.OK:
			passed = append(passed, c.Rule)
		case i == v.Decisive:
			add(st.Error.Render("✗ " + c.Rule + " " + c.Code))
			wrap(st.Error.Render, 2, c.Message)
			wrap(st.Explain.Render, 2, "fix: "+c.Fix)
		default:
			add(st.Warn.Render("✗ "+c.Rule+" "+c.Code) + st.Muted.Render(" (fails too)"))
			wrap(st.Muted.Render, 2, "fix: "+c.Fix)
		}
	}
	if len(passed) > 0 {
		wrap(st.Muted.Render, 0, "✓ "+strings.Join(passed, ", "))
	}
	if len(skipped) > 0 {
		wrap(st.Muted.Render, 0, "- not checked: "+strings.Join(skipped, ", ")+" (no key set)")
	}
	if v.WWWAuthenticate != "" {
		wrap(st.Muted.Render, 2, "WWW-Authenticate: "+v.WWWAuthenticate)
	}
	return out
}

// safeText drops control characters (escape sequences, newlines) from token-derived text.
func safeText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}

// memoKeys fetches a key set once for the signature check and the verdict.
type memoKeys struct {
	src  decode.KeySource
	set  decode.KeySet
	err  error
	done bool
}

func (m *memoKeys) KeySet(ctx context.Context, t *decode.Token) (decode.KeySet, error) {
	if !m.done {
		m.set, m.err = m.src.KeySet(ctx, t)
		m.done = true
	}
	return m.set, m.err
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [12]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}
