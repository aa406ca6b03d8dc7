package cli

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/internal/testkit"
)

const rfc7515A2 = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"

// decodeFixture is a signing key, its JWKS and a loopback issuer that publishes them.
type decodeFixture struct {
	key    *rsa.PrivateKey
	kid    string
	jwks   []byte
	issuer string
	srv    *httptest.Server
}

func newDecodeFixture(t *testing.T) *decodeFixture {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	fx := &decodeFixture{key: key, kid: "test-kid-1"}
	fx.jwks, _ = json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: fx.kid, Use: "sig"}}})
	mux := http.NewServeMux()
	fx.srv = httptest.NewServer(mux)
	t.Cleanup(fx.srv.Close)
	fx.issuer = fx.srv.URL + "/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
	mux.HandleFunc("/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, fx.issuer, fx.srv.URL+"/keys")
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, _ *http.Request) { w.Write(fx.jwks) })
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://login.example.com/keys", http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	return fx
}

// token signs claims (a JSON object literal, order kept) with the fixture's key.
func (fx *decodeFixture) token(t *testing.T, header map[string]any, claims string) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", fx.kid)
	for k, v := range header {
		opts.WithHeader(jose.HeaderKey(k), v)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: fx.key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign([]byte(claims))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := jws.CompactSerialize()
	return raw
}

func (fx *decodeFixture) accessToken(t *testing.T) string {
	now := time.Now().Unix()
	return fx.token(t, nil, fmt.Sprintf(`{"aud":"api://demo-api","iss":%q,"iat":%d,"nbf":%d,"exp":%d,"azp":"c0ffee00-0000-4000-8000-000000000001","azpacr":"1","oid":"690222be-ff1a-4d56-abd1-7e4f7d38e474","scp":"access_as_user","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","ver":"2.0"}`,
		fx.issuer, now-60, now-60, now+3480))
}

func tamperPayload(raw string) string {
	parts := strings.Split(raw, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	parts[1] = base64.RawURLEncoding.EncodeToString(bytes.Replace(payload, []byte("access_as_user"), []byte("admin_everything"), 1))
	return strings.Join(parts, ".")
}

func runAadx(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = execute(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestDecodeCommandExitCodes(t *testing.T) {
	fx := newDecodeFixture(t)
	good := fx.accessToken(t)
	dir := t.TempDir()
	jwksFile := filepath.Join(dir, "keys.json")
	os.WriteFile(jwksFile, fx.jwks, 0o600)
	tokenFile := filepath.Join(dir, "token.txt")
	os.WriteFile(tokenFile, []byte("Bearer "+good+"\n"), 0o600)
	notJWKS := filepath.Join(dir, "not.json")
	os.WriteFile(notJWKS, []byte(`{"hello":1}`), 0o600)

	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string // substring of stdout
		stderr string // substring of stderr
	}{
		{"argument, unverified", "", []string{"decode", good}, 0, "unverified", ""},
		{"stdin with -", good, []string{"decode", "-"}, 0, "access_as_user", ""},
		{"stdin without argument", good, []string{"decode"}, 0, "access_as_user", ""},
		{"@file with Bearer prefix", "", []string{"decode", "@" + tokenFile}, 0, "access_as_user", ""},
		{"valid with --jwks FILE", "", []string{"decode", "--jwks", jwksFile, good}, 0, "valid", ""},
		{"valid with --jwks URL", "", []string{"decode", "--jwks", fx.srv.URL + "/keys", good}, 0, "valid", ""},
		{"valid with --verify", "", []string{"decode", "--verify", good}, 0, "valid", ""},
		{"tampered with --verify", "", []string{"decode", "--verify", tamperPayload(good)}, 1, "invalid", ""},
		{"tampered with --jwks", "", []string{"decode", "--jwks", jwksFile, tamperPayload(good)}, 1, "invalid", ""},
		{"JWKS URL unreachable is unverifiable", "", []string{"decode", "--jwks", fx.srv.URL + "/missing", good}, 0, "unverifiable", ""},
		{"JWKS URL times out", "", []string{"decode", "--timeout", "200ms", "--jwks", fx.srv.URL + "/slow", good}, 0, "deadline exceeded", ""},
		{"malformed token", "", []string{"decode", "eyJhbGciOiJSUzI1NiJ9.!!!.c2ln"}, 1, "", "payload segment is not base64url"},
		{"opaque token", "", []string{"decode", "0.AXoAabc"}, 1, "", "2 parts"},
		{"empty stdin", "  \n", []string{"decode"}, 2, "", "no token given"},
		{"both key flags", "", []string{"decode", "--verify", "--jwks", jwksFile, good}, 2, "", "--jwks and --verify"},
		{"missing JWKS file", "", []string{"decode", "--jwks", filepath.Join(dir, "nope.json"), good}, 2, "", "--jwks"},
		{"JWKS file is not a JWKS", "", []string{"decode", "--jwks", notJWKS, good}, 2, "", "no keys"},
		{"plain http JWKS off loopback", "", []string{"decode", "--jwks", "http://login.example.com/keys", good}, 2, "", "https"},
		{"JWKS URL of another scheme", "", []string{"decode", "--jwks", "ftp://login.example.com/keys", good}, 2, "", "use https"},
		{"redirect off https refused", "", []string{"decode", "--jwks", fx.srv.URL + "/redirect", good}, 0, "refusing the redirect", ""},
		{"missing token file", "", []string{"decode", "@" + filepath.Join(dir, "nope.txt")}, 2, "", "nope.txt"},
		{"unknown flag", "", []string{"decode", "--frobnicate", good}, 2, "", "frobnicate"},
		{"audience mismatch warns", "", []string{"decode", "--audience", "api://other", good}, 0, "audience-mismatch", ""},
		{"encrypted token (JWE) is recognised", "", []string{"decode", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVy.dGFn"}, 0, "Encrypted token (JWE, RSA-OAEP + A256GCM)", ""},
		{"alg none is an invalid signature", "", []string{"decode", "--jwks", jwksFile, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}, 1, "alg-none", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runAadx(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if tt.code == 2 && strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("usage error is not one line: %q", stderr)
			}
		})
	}
}

func TestDecodeCommandJSON(t *testing.T) {
	fx := newDecodeFixture(t)
	code, stdout, stderr := runAadx(t, "", "decode", "--json", "--verify", fx.accessToken(t))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// The top-level keys are exactly those of DESIGN.md §3, in that order.
	dec := json.NewDecoder(strings.NewReader(stdout))
	var keys []string
	dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	if got := strings.Join(keys, ","); got != "header,claims,explanations,times,warnings,signature" {
		t.Errorf("keys = %s", got)
	}
	var out struct {
		Header       map[string]any
		Claims       map[string]any
		Explanations map[string]string
		Times        map[string]json.RawMessage
		Warnings     []struct{ Code, Severity, Message string }
		Signature    struct{ Status, Kid, Reason string }
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.Signature.Status != "valid" || out.Signature.Kid != fx.kid {
		t.Errorf("signature = %+v", out.Signature)
	}
	if !strings.Contains(out.Explanations["azpacr"], "client secret") || !strings.Contains(out.Explanations["scp"], "delegated") {
		t.Errorf("explanations = %v", out.Explanations)
	}
	var exp struct{ Time, Relative string }
	json.Unmarshal(out.Times["exp"], &exp)
	if !strings.HasPrefix(exp.Relative, "expires in 5") || !strings.HasSuffix(exp.Time, "Z") {
		t.Errorf("exp = %+v", exp)
	}
	if string(out.Times["lifetime"]) != `"59m"` {
		t.Errorf("lifetime = %s", out.Times["lifetime"])
	}
	// Claims keep the token's order.
	if i, j := strings.Index(stdout, `"aud"`), strings.Index(stdout, `"ver"`); i < 0 || j < i {
		t.Errorf("claims out of order:\n%s", stdout)
	}
}

func TestDecodeCommandView(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	code, stdout, _ := runAadx(t, "", "decode", rfc7515A2)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"Token · RS256", "Header", "Claims", "iss", "joe", "Times", "expired", "Warnings", "Signature", "unverified", "--jwks"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("view lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "\x1b[") {
		t.Errorf("colour written to a non-terminal:\n%q", stdout)
	}
	for _, line := range strings.Split(stdout, "\n") {
		if len([]rune(line)) > 100 {
			t.Errorf("line wider than 100 columns: %q", line)
		}
	}
}

// A client assertion's signature is its credential: no output may carry it.
func TestDecodeCommandNeverPrintsAssertionSignature(t *testing.T) {
	fx := newDecodeFixture(t)
	now := time.Now().Unix()
	assertion := fx.token(t, map[string]any{"x5t#S256": "q3ZR-xJ0w5kGEx1o7XyLmXnRHMXuGzLk7hIHaDbTFrk"},
		fmt.Sprintf(`{"aud":"https://login.microsoftonline.com/t/oauth2/v2.0/token","iss":"c1","sub":"c1","jti":"j1","nbf":%d,"exp":%d}`, now, now+600))
	sig := assertion[strings.LastIndex(assertion, ".")+1:]
	for _, args := range [][]string{{"decode", assertion}, {"decode", "--json", assertion}, {"decode", "--verify", assertion}} {
		code, stdout, stderr := runAadx(t, "", args...)
		if strings.Contains(stdout+stderr, sig) || strings.Contains(stdout+stderr, sig[:20]) {
			t.Errorf("%v printed the assertion signature", args)
		}
		if !strings.Contains(stdout, "Client assertion") && !strings.Contains(stdout, `"x5t#S256"`) {
			t.Errorf("%v (exit %d) did not show the assertion:\n%s", args, code, stdout)
		}
	}
}

func TestDecodeCommandClientInfo(t *testing.T) {
	const ci = "eyJ1aWQiOiIwMDAwMDAwMC0wMDAwLTAwMDAtY2Q5Mi04YTMwZTc2MmE4MmEiLCJ1dGlkIjoiOTE4ODA0MGQtNmM2Ny00YzViLWIxMTItMzZhMzA0YjY2ZGFkIn0"
	code, stdout, _ := runAadx(t, "", "decode", ci)
	if code != 0 || !strings.Contains(stdout, "00000000-0000-0000-cd92-8a30e762a82a.9188040d-6c67-4c5b-b112-36a304b66dad") || !strings.Contains(stdout, "personal Microsoft account") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	code, stdout, _ = runAadx(t, "", "decode", "--json", ci)
	if code != 0 || !strings.Contains(stdout, `"home_account_id"`) {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

func TestDecodeViewColourAndWidth(t *testing.T) {
	tok := mustDecodeForView(t, rfc7515A2)
	for _, tt := range []struct {
		color bool
		width int
	}{{true, 100}, {false, 60}, {false, 200}} {
		var b bytes.Buffer
		if err := writeDecodeView(&b, tok, decodeStylesWith(tt.color, tt.width)); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(b.String(), "\x1b["); got != tt.color {
			t.Errorf("colour %v: ANSI sequences present = %v", tt.color, got)
		}
		if tt.color {
			continue
		}
		for _, line := range strings.Split(b.String(), "\n") {
			if n := len([]rune(line)); n > tt.width {
				t.Errorf("width %d: line of %d columns: %q", tt.width, n, line)
			}
		}
	}
	// NO_COLOR wins even on a terminal; a pipe or file never gets colour.
	t.Setenv("NO_COLOR", "1")
	if newDecodeStyles(os.Stdout).color {
		t.Error("NO_COLOR ignored")
	}
	t.Setenv("NO_COLOR", "")
	f, _ := os.Create(filepath.Join(t.TempDir(), "out"))
	defer f.Close()
	if newDecodeStyles(f).color {
		t.Error("colour written to a file")
	}
}

func mustDecodeForView(t *testing.T, raw string) decodeReport {
	t.Helper()
	tok, err := decode.Unverified(raw)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	return decodeReport{token: tok, explained: decode.Explain(tok, decode.WithNow(now)), times: decode.Times(tok, now),
		warnings: decode.Lint(tok, decode.Expect{}, now), signature: decode.Signature{Status: decode.StatusUnverified, Reason: "not checked"}}
}

// aadx decode --verify against tokens from the built-in emulator, listening on loopback: the command's own
// fetcher does the discovery.
func TestDecodeCommandVerifiesEmulatorTokens(t *testing.T) {
	srv := testkit.Emulator(t, emulator.Options{})
	d := srv.Description()
	resp, err := srv.HTTPClient().PostForm(srv.URL()+"/"+d.TenantID+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {d.Apps.Daemon.ClientID},
		"client_secret": {d.Apps.Daemon.ClientSecret}, "scope": {d.Apps.Daemon.Scope}})
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

	code, stdout, stderr := runAadx(t, "", "decode", "--verify", "--audience", strings.TrimSuffix(strings.TrimPrefix(d.Apps.Daemon.Scope, "api://"), "/.default"), body.AccessToken)
	if code != 0 || !strings.Contains(stdout, "valid  RS256 signature checked") || strings.Contains(stdout, "audience-mismatch") {
		t.Errorf("emulator token: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"Access token (v2.0)", "app-only", "client secret"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("view lacks %q", want)
		}
	}
	code, stdout, _ = runAadx(t, "", "decode", "--verify", tamperRoles(t, body.AccessToken))
	if code != 1 || !strings.Contains(stdout, "invalid") {
		t.Errorf("tampered emulator token: exit %d\n%s", code, stdout)
	}
}

// tamperRoles grants the token an extra application permission without re-signing it.
func tamperRoles(t *testing.T, raw string) string {
	t.Helper()
	parts := strings.Split(raw, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	payload = bytes.Replace(payload, []byte(`"roles":[`), []byte(`"roles":["Everything.ReadWrite.All",`), 1)
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}
