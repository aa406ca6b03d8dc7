package emulator

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOversizeParametersRefused: a parameter longer than its cap is refused with AADSTS90015 naming it, on
// /devicecode and /authorize, and nothing is stored.
func TestOversizeParametersRefused(t *testing.T) {
	s := newTestServer(t, Options{NoListener: true, AutoApprove: true})
	huge := strings.Repeat("x", 512<<10)
	resp, body := s.call(t, tokenCall{path: "/" + demoTenantID + "/oauth2/v2.0/devicecode",
		form: url.Values{"client_id": {publicClientID}, "scope": {"openid " + apiScope()}, "claims": {huge}}})
	if resp.StatusCode != 400 || errorCode(t, body) != 90015 || !strings.Contains(body, "'claims'") {
		t.Errorf("512 KiB claims at /devicecode: %d %.300s", resp.StatusCode, body)
	}
	for _, name := range []string{"state", "login_hint", "claims", "nonce"} {
		resp, body := s.call(t, tokenCall{method: http.MethodGet, path: authorizeQuery(s.Description().Apps.Web, name, huge[:64<<10])})
		if resp.StatusCode != 400 || resp.Header.Get("Location") != "" || !strings.Contains(body, "AADSTS90015") || !strings.Contains(body, "&#39;"+name+"&#39;") {
			t.Errorf("64 KiB %s at /authorize: %d %q %.300s", name, resp.StatusCode, resp.Header.Get("Location"), body)
		}
	}
	if n := s.devices.len() + s.codes.len(); n != 0 {
		t.Errorf("%d entries stored from refused requests", n)
	}
}

// TestStoreBytesBounded: the store's total size is capped as well as its count.
func TestStoreBytesBounded(t *testing.T) {
	clk := &clock{t: time.Now()}
	st := newStore[string](1000, clk.Now).withBytes(10_000)
	for i := range 100 {
		st.putSized(fmt.Sprint(i), "v", time.Minute, 1000)
	}
	if st.len() > 10 || st.bytes > 10_000 {
		t.Errorf("len %d, bytes %d; cap 10,000 bytes", st.len(), st.bytes)
	}
	if _, ok := st.get("99"); !ok {
		t.Error("newest entry evicted")
	}
}

// TestFloodKeepsPendingDeviceCode: a legitimate pending device code outlives a flood of new ones: when the
// store is full the flood is refused (429), not the pending code evicted.
func TestFloodKeepsPendingDeviceCode(t *testing.T) {
	s := newTestServer(t, Options{NoListener: true, DeviceInterval: time.Hour})
	s.devices = newStore[*deviceGrant](50, s.now).keepWhenFull()
	s.userCode = newStore[string](50, s.now).keepWhenFull()
	legit := deviceCode(t, s)
	refused := 0
	for range 200 {
		resp, _ := s.call(t, tokenCall{path: "/" + demoTenantID + "/oauth2/v2.0/devicecode",
			form: url.Values{"client_id": {publicClientID}, "scope": {"openid " + apiScope()}}})
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") != "" {
			refused++
		}
	}
	if refused != 200-49 {
		t.Errorf("%d of the flood refused with 429 and Retry-After, want %d", refused, 200-49)
	}
	_, body := s.call(t, tokenCall{form: url.Values{"grant_type": {grantDeviceCodeURN}, "client_id": {publicClientID}, "device_code": {legit}}})
	if !strings.Contains(body, "authorization_pending") {
		t.Errorf("the pending code after the flood: %s", body)
	}
}

// TestStalledBodyIsClosed: a request whose body stops half-way is closed by the read timeout instead of
// holding a connection and goroutine forever.
func TestStalledBodyIsClosed(t *testing.T) {
	s := newTestServer(t, Options{readTimeout: 300 * time.Millisecond})
	host := strings.TrimPrefix(s.URL(), "http://")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /%s/oauth2/v2.0/token HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=cl", demoTenantID, host)
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second)) // a failsafe, far past the server's timeout
	_, err = io.Copy(io.Discard, bufio.NewReader(conn))
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the server kept the stalled connection open")
	}
}

// TestLoginCSRF: a cross-origin POST of credentials to the sign-in form neither signs the browser in nor
// issues a code; the form carries an anti-forgery flow token, and pages carry a Content-Security-Policy.
func TestLoginCSRF(t *testing.T) {
	s := newTestServer(t, Options{TLS: true})
	d := s.Description()
	web := d.Apps.Web
	q, _ := url.ParseQuery(strings.SplitN(authorizeQuery(web), "?", 2)[1])
	forged := url.Values{}
	for k, v := range q {
		forged[k] = v
	}
	forged.Set("step", "signin")
	forged.Set("login", d.Users[0].Username)
	forged.Set("passwd", d.Users[0].Password)
	for name, headers := range map[string]map[string]string{
		"cross-origin":  {"Origin": "https://evil.example"},
		"no flow token": nil,
	} {
		resp, body := s.call(t, tokenCall{path: "/" + demoTenantID + "/login", form: forged, headers: headers})
		if c := resp.Header.Get("Set-Cookie"); strings.Contains(c, sessionCookie+"=") && !strings.Contains(c, sessionCookie+"=;") {
			t.Errorf("%s: a forged sign-in set a session: %s", name, c)
		}
		if strings.Contains(resp.Header.Get("Location"), "code=") || strings.Contains(body, "Permissions requested") {
			t.Errorf("%s: a forged sign-in went on: %d %s", name, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, page := s.call(t, tokenCall{method: http.MethodGet, path: authorizeQuery(web)})
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self'", "http://localhost"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	_, fields := parseForm(t, page)
	if fields.Get("flow") == "" {
		t.Fatalf("the sign-in form has no flow token: %s", page)
	}
	// The genuine form, posted from the emulator's own origin, still signs in.
	fields.Set("login", d.Users[0].Username)
	fields.Set("passwd", d.Users[0].Password)
	resp, body := s.call(t, tokenCall{path: "/" + demoTenantID + "/login", form: fields, headers: map[string]string{"Origin": s.URL()}})
	if !strings.Contains(resp.Header.Get("Set-Cookie"), sessionCookie+"=") || !strings.Contains(body, "Permissions requested") {
		t.Errorf("genuine sign-in: %d %s", resp.StatusCode, body)
	}
	// The same token twice: it was spent.
	resp, body = s.call(t, tokenCall{path: "/" + demoTenantID + "/login", form: fields})
	if strings.Contains(body, "Permissions requested") {
		t.Errorf("a flow token signed in twice: %d", resp.StatusCode)
	}
}

// TestKeyFilesPrivateAndNoSymlinks: the CA and daemon files are 0600 even over a wider existing file, and a
// symlink planted in --dir is replaced, never followed.
func TestKeyFilesPrivateAndNoSymlinks(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(dir, "daemon.pem")); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{TLS: true, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d := s.Description()
	for _, f := range []string{d.CAFile, d.Apps.Daemon.CertFile} {
		fi, err := os.Lstat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Type() != 0 || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want a regular file 0600", f, fi.Mode())
		}
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me" {
		t.Errorf("the symlink's target was written: %q", b)
	}
}
