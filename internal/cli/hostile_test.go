package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// hostileServer counts the requests it gets and whether any came with credentials.
type hostileServer struct {
	*httptest.Server
	requests  atomic.Int32
	basicAuth atomic.Int32
}

func newHostileServer(t *testing.T, handler http.HandlerFunc) *hostileServer {
	t.Helper()
	h := &hostileServer{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.requests.Add(1)
		if _, _, ok := r.BasicAuth(); ok {
			h.basicAuth.Add(1)
		}
		if handler != nil {
			handler(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(h.Close)
	return h
}

// A URL with user:password@ would be sent as Basic auth, printed in traces and saved in profiles: every place a
// URL is given refuses it with one line naming the flag, and without printing the password.
func TestURLsWithUserinfoAreRefused(t *testing.T) {
	isolateProfiles(t)
	srv := newHostileServer(t, nil)
	const password = "hunter2-not-for-the-trace"
	withCreds := strings.Replace(srv.URL, "http://", "http://alice:"+password+"@", 1)
	client := "--client-id=00000000-0000-0000-0000-0000000000aa"
	tests := []struct {
		flag string
		args []string
	}{
		{"--issuer", []string{"run", "client-credentials", client, "--scope", "api://x/.default", "--issuer", withCreds}},
		{"--authority", []string{"run", "client-credentials", client, "--tenant", "contoso.onmicrosoft.com", "--scope", "api://x/.default", "--authority", withCreds}},
		{"--redirect-uri", []string{"run", "pkce", client, "--tenant", "contoso.onmicrosoft.com", "--authority", srv.URL, "--no-browser", "--redirect-uri", "https://bob:" + password + "@app.example/cb"}},
		{"--call-api", []string{"run", "client-credentials", client, "--tenant", "contoso.onmicrosoft.com", "--scope", "api://x/.default", "--authority", srv.URL, "--call-api", withCreds + "/api"}},
		{"--issuer", []string{"profiles", "save", "hostile", client, "--issuer", withCreds}},
		{"--authority", []string{"profiles", "save", "hostile", client, "--tenant", "contoso.onmicrosoft.com", "--authority", withCreds}},
		{"--jwks", []string{"decode", "--jwks", withCreds + "/keys", "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcGkifQ.c2ln"}},
	}
	for _, tt := range tests {
		for attempt := 1; attempt <= 2; attempt++ { // the same answer the second time
			t.Setenv("AZURE_CLIENT_SECRET", "a-client-secret-value")
			code, out, errOut := cli(t, "", tt.args...)
			if code != exitUsage || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.flag) || !strings.Contains(errOut, "user:password@") {
				t.Errorf("aadx %s: exit %d, stderr %q; want exit 2 and one line naming %s and user:password@", strings.Join(tt.args, " "), code, errOut, tt.flag)
			}
			if strings.Contains(out+errOut, password) {
				t.Errorf("aadx %s prints the password: %s%s", strings.Join(tt.args, " "), out, errOut)
			}
		}
	}
	if n := srv.requests.Load(); n != 0 {
		t.Errorf("the server got %d requests (%d with Basic auth); want none", n, srv.basicAuth.Load())
	}
	if code, out, _ := cli(t, "", "profiles", "list"); code != 0 || strings.Contains(out, "hostile") {
		t.Errorf("a profile with user:password@ was saved: %s", out)
	}
}
