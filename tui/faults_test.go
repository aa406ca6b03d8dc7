package tui

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aadx/aadx/flows"
)

// A provider that fails below OAuth (an HTML gateway page, a reset connection, a certificate nobody trusts)
// still ends in the error panel, naming what went wrong, with the secret masked; and the TUI stays usable.
func TestTransportFaultsShowTheErrorPanelAndStayUsable(t *testing.T) {
	const secret = "fault~Secret-Value-123"
	cases := []struct {
		name    string
		tls     bool
		handler http.HandlerFunc
		want    string
	}{
		{"HTML error page", false, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
		}, "502"},
		{"connection reset", false, func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}, "EOF"},
		{"untrusted certificate", true, func(w http.ResponseWriter, _ *http.Request) {}, "certificate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(tc.handler)
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point, not news
			if tc.tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			t.Cleanup(srv.Close)
			s := flows.Settings{Authority: srv.URL, Tenant: "contoso.onmicrosoft.com",
				ClientID: "535fb089-9ff3-47b6-9bfb-4f1264799865", ClientSecret: secret,
				Scopes: []string{"api://535fb089-9ff3-47b6-9bfb-4f1264799865/.default"}, Timeout: 5 * time.Second}
			// The system trust store, as for a real tenant: the test server's certificate is not in it.
			opts := live(Options{Settings: s, HTTPClient: &http.Client{Timeout: 5 * time.Second}})
			tm, _ := startTUI(t, opts, 100, 30)
			press(tm, toRow("background service", "enter")...)
			waitFor(t, tm, "ready")
			press(tm, "enter")
			waitFor(t, tm, "Request a token · prepared")
			press(tm, "enter")
			waitFor(t, tm, "Request a token · failed")
			screen := screenNow(t, tm)
			if !strings.Contains(screen, tc.want) {
				t.Errorf("the error panel should say %q:\n%s", tc.want, screen)
			}
			if strings.Contains(screen, secret) {
				t.Fatalf("the secret is on screen:\n%s", screen)
			}
			press(tm, "esc", "esc")
			waitFor(t, tm, "pick a flow")
		})
	}
}
