package tui

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/flows"
)

// A hostile server's or token's text (OSC 52 clipboard, window title, clear screen) is shown escaped in every
// pane that quotes it: the exchange detail and the poll list, the error panel, the claims pane.
func TestPanesEscapeControlSequences(t *testing.T) {
	const attack = "\x1b]52;c;ZXZpbA==\x07\x1b]0;pwned\x07\x1b[2J\u009b"
	st := NewStyles(true)
	body, _ := json.Marshal(map[string]any{"error": "invalid_client", "error_description": "AADSTS7000215: bad" + attack})
	ex := flows.Exchange{ID: 1, Method: "POST", URL: "https://login.example/token?x=" + attack, Status: 401, StatusText: "401 Unauthorized" + attack,
		ResponseBody: string(body), ResponseHeaders: []flows.Header{{Name: "X-Debug", Value: attack}}}
	failed := ex
	failed.Status, failed.Err = 0, errors.New("connection reset"+attack)
	var out []string
	out = append(out, exchangeLines(st, ex, 200)...)
	out = append(out, exchangeSummary(st, ex), exchangeSummary(st, failed))
	out = append(out, errorLines(st, &flows.OAuthError{Status: 401, Code: "invalid_client", Description: "AADSTS7000215: bad" + attack, Message: "bad" + attack}, flows.NewRedactor(), 200)...)
	seg := func(v any) string { b, _ := json.Marshal(v); return base64.RawURLEncoding.EncodeToString(b) }
	token := seg(map[string]any{"alg": "RS256", "kid": "k"}) + "." + seg(map[string]any{"aud": "api", "name": "Mallory" + attack}) + ".c2ln"
	view := buildTokenView(context.Background(), "access token", token, nil, decode.Expect{}, time.Unix(1e9, 0))
	out = append(out, renderTokenLines(st, view, 200)...)
	screen := strings.Join(out, "\n")
	for _, raw := range []string{"\x1b]", "\x07", "\x1b[2J", "\u009b"} {
		if strings.Contains(screen, raw) {
			t.Errorf("a pane shows %q raw", raw)
		}
	}
	for _, want := range []string{`\u001b]52;c;`, "Mallory", "bad"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the panes do not show %q", want)
		}
	}
}
