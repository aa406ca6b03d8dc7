package decode_test

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/internal/testkit"
)

// daemonToken gets a client-credentials access token for the demo daemon app.
func daemonToken(t *testing.T, srv *emulator.Server) *decode.Token {
	t.Helper()
	d := srv.Description()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {d.Apps.Daemon.ClientID},
		"client_secret": {d.Apps.Daemon.ClientSecret}, "scope": {d.Apps.Daemon.Scope}}
	resp, err := srv.HTTPClient().PostForm(srv.URL()+"/"+d.TenantID+"/oauth2/v2.0/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		t.Fatalf("token response %s: %v", resp.Status, err)
	}
	tok, err := decode.Unverified(body.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestEmulatorTokens(t *testing.T) {
	srv := testkit.Emulator(t, emulator.Options{NoListener: true})
	fetch := decode.HTTPFetcher(srv.HTTPClient())
	discovered := decode.DiscoveredJWKS(fetch)
	tok := daemonToken(t, srv)

	if tok.Kind != decode.KindAccess {
		t.Errorf("kind = %s", tok.Kind)
	}
	sig := decode.Verify(t.Context(), tok, discovered)
	if sig.Status != decode.StatusValid || sig.KeyID != tok.KeyID() {
		t.Fatalf("emulator token: %+v", sig)
	}
	for _, e := range decode.Explain(tok) {
		if e.Name == "azpacr" && !strings.Contains(e.Text, "client secret") {
			t.Errorf("azpacr: %s", e.Text)
		}
	}
	if ws := decode.Lint(tok, decode.Expect{}, time.Now()); slices.ContainsFunc(ws, func(w decode.Warning) bool { return w.Severity == decode.SeverityError }) {
		t.Errorf("fresh emulator token has errors: %+v", ws)
	}

	parts := strings.Split(tok.Raw, ".")
	payload := strings.Replace(string(tok.Claims.JSON()), `"ver":"2.0"`, `"ver":"2.0","roles":["Everything.All"]`, 1)
	flipped := []byte(parts[2])
	flipped[10] = map[bool]byte{true: 'B', false: 'A'}[flipped[10] == 'A'] // still base64url, another signature
	for name, raw := range map[string]string{
		"claims tampered":    parts[0] + "." + encode(payload) + "." + parts[2],
		"signature tampered": parts[0] + "." + parts[1] + "." + string(flipped),
	} {
		if sig := decode.Verify(t.Context(), mustUnverified(t, raw), discovered); sig.Status != decode.StatusInvalid {
			t.Errorf("%s: %+v", name, sig)
		}
	}

	// A JWKS cached before a key rotation cannot check tokens signed with the new key; discovery can.
	d := srv.Description()
	cachedJWKS, err := fetch(t.Context(), srv.URL()+"/"+d.TenantID+"/discovery/v2.0/keys")
	if err != nil {
		t.Fatal(err)
	}
	cached, err := decode.StaticJWKS(cachedJWKS, "cached JWKS")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetScenarios([]string{"key-rotated", "clock-skew"}); err != nil {
		t.Fatal(err)
	}
	rotated := daemonToken(t, srv)
	if sig := decode.Verify(t.Context(), rotated, cached); sig.Status != decode.StatusUnverifiable || !strings.Contains(sig.Reason, "rotated") {
		t.Errorf("rotated key against cached JWKS: %+v", sig)
	}
	if sig := decode.Verify(t.Context(), rotated, discovered); sig.Status != decode.StatusValid {
		t.Errorf("rotated key via discovery: %+v", sig)
	}
	ws := decode.Lint(rotated, decode.Expect{}, time.Now())
	if !slices.ContainsFunc(ws, func(w decode.Warning) bool { return w.Code == "not-yet-valid" }) {
		t.Errorf("clock-skewed token: %+v", ws)
	}
}

func encode(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func mustUnverified(t *testing.T, raw string) *decode.Token {
	t.Helper()
	tok, err := decode.Unverified(raw)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
