package decode

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHTTPFetcher(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/keys":
			w.Write([]byte(`{"keys":[]}`))
		case "/missing":
			http.NotFound(w, r)
		case "/huge":
			w.Write([]byte(strings.Repeat("x", maxFetchBody+1)))
		case "/off-https":
			// A redirect to plain http on a host that is not loopback would let anyone on the path swap keys.
			http.Redirect(w, r, "http://keys.example/keys", http.StatusFound)
		}
	}))
	defer srv.Close()
	fetch := HTTPFetcher(srv.Client())
	tests := []struct {
		path, body, err string
	}{
		{"/keys", `{"keys":[]}`, ""},
		{"/missing", "", "404"},
		{"/huge", "", "over 1048576 bytes"},
		{"/off-https", "", "refusing the redirect to http://keys.example/keys"},
	}
	for _, tt := range tests {
		b, err := fetch(context.Background(), srv.URL+tt.path)
		if tt.err == "" {
			if err != nil || string(b) != tt.body {
				t.Errorf("%s: got %q, %v; want %q", tt.path, b, err, tt.body)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.path, err, tt.err)
		}
	}
	if srv.Client().CheckRedirect != nil {
		t.Error("HTTPFetcher changed the caller's client")
	}
}
