package emulator

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// jwksKids is the kids the JWKS publishes, first to last.
func jwksKids(t *testing.T, s *Server) []string {
	t.Helper()
	resp, body := s.call(t, tokenCall{method: http.MethodGet, path: "/common/discovery/v2.0/keys"})
	var set struct{ Keys []jwk }
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &set) != nil {
		t.Fatalf("JWKS: %d %s", resp.StatusCode, body)
	}
	var kids []string
	for _, k := range set.Keys {
		kids = append(kids, k.Kid)
	}
	return kids
}

// TestKeyCacheReusesKeys: a second start with the same cache publishes the same key and hands out the same
// daemon certificate; the files are private to the user (0600 in a 0700 directory).
func TestKeyCacheReusesKeys(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "demo-keys")
	first := newTestServer(t, Options{KeyCache: cache})
	a := jwksKids(t, first)
	_ = first.Description()
	second := newTestServer(t, Options{KeyCache: cache})
	if b := jwksKids(t, second); len(a) != 1 || len(b) != 1 || a[0] != b[0] {
		t.Errorf("kids %v then %v, want the cached key both times", a, b)
	}
	if a, b := first.Description().Apps.Daemon.CertPEM, second.Description().Apps.Daemon.CertPEM; len(a) == 0 || string(a) != string(b) {
		t.Errorf("daemon certificate differs between starts with one cache")
	}
	if info, err := os.Stat(cache); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("cache directory: %v %v, want 0700", info.Mode(), err)
	}
	for _, name := range []string{"signing.pem", "daemon.pem"} {
		if info, err := os.Stat(filepath.Join(cache, name)); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, want 0600", name, err)
		}
	}
}

// TestKeyCacheReplacesBadFiles: a cached key that is garbage, or readable by others, is replaced by a new
// key (and a private file) rather than used or failed on.
func TestKeyCacheReplacesBadFiles(t *testing.T) {
	cache := t.TempDir()
	kid := jwksKids(t, newTestServer(t, Options{KeyCache: cache}))[0]
	file := filepath.Join(cache, "signing.pem")

	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	exposed := jwksKids(t, newTestServer(t, Options{KeyCache: cache}))[0]
	if exposed == kid {
		t.Error("a key readable by others was reused")
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("replaced key file: %v, want 0600", err)
	}

	for i := 0; i < 2; i++ { // twice: the replacement itself is reused afterwards
		if err := os.WriteFile(file, []byte("-----BEGIN CERTIFICATE-----\nnot base64\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		fresh := jwksKids(t, newTestServer(t, Options{KeyCache: cache}))[0]
		again := jwksKids(t, newTestServer(t, Options{KeyCache: cache}))[0]
		if fresh == exposed || fresh != again {
			t.Errorf("round %d: after a corrupt file kid %s then %s (old %s)", i, fresh, again, exposed)
		}
		exposed = fresh
	}
}

// TestRotatedKeyOnlyWithItsScenario: the rotated key is not made until key-rotated is switched on, and
// then the JWKS leads with it; a server started with the scenario has it at once.
func TestRotatedKeyOnlyWithItsScenario(t *testing.T) {
	cache := t.TempDir()
	s := newTestServer(t, Options{KeyCache: cache})
	if kids := jwksKids(t, s); len(kids) != 1 {
		t.Fatalf("kids = %v", kids)
	}
	_ = s.Description()
	if _, err := os.Stat(filepath.Join(cache, "rotated.pem")); !os.IsNotExist(err) {
		t.Errorf("rotated key made without its scenario (%v)", err)
	}
	for i := 0; i < 2; i++ { // on, off, on again: the same rotated key each time
		if err := s.SetScenarios([]string{scenarioKeyRotated}); err != nil {
			t.Fatal(err)
		}
		if kids := jwksKids(t, s); len(kids) != 2 || kids[0] == kids[1] {
			t.Fatalf("round %d: rotated kids = %v", i, kids)
		}
		if err := s.SetScenarios(nil); err != nil {
			t.Fatal(err)
		}
		if kids := jwksKids(t, s); len(kids) != 1 {
			t.Fatalf("round %d: scenario off, kids = %v", i, kids)
		}
	}
	withScenario := newTestServer(t, Options{KeyCache: cache, Scenarios: []string{scenarioKeyRotated}})
	if kids := jwksKids(t, withScenario); len(kids) != 2 {
		t.Errorf("started with key-rotated: kids = %v", kids)
	}
}

// TestDescriptionWithoutCertificateMakesNoDaemonKey: a secret-only caller gets the same tenant with no
// certificate, and no daemon key is made for it; Description afterwards still names the certificate.
func TestDescriptionWithoutCertificateMakesNoDaemonKey(t *testing.T) {
	cache := t.TempDir()
	s := newTestServer(t, Options{KeyCache: cache})
	for i := 0; i < 2; i++ {
		d := s.DescriptionWithoutCertificate()
		if d.Apps.Daemon.CertFile != "" || len(d.Apps.Daemon.CertPEM) != 0 || d.Apps.Daemon.ClientSecret == "" || d.Authority != s.URL() {
			t.Fatalf("without certificate: %+v", d.Apps.Daemon)
		}
	}
	if _, err := os.Stat(filepath.Join(cache, "daemon.pem")); !os.IsNotExist(err) {
		t.Errorf("a daemon key was made for a secret-only description (%v)", err)
	}
	if d := s.Description(); d.Apps.Daemon.CertFile == "" || len(d.Apps.Daemon.CertPEM) == 0 {
		t.Errorf("Description afterwards has no certificate: %+v", d.Apps.Daemon)
	}
}
