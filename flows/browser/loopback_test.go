package browser

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aadx/aadx/flows"
)

func TestListenerReceivesOneRedirect(t *testing.T) {
	tests := []struct {
		name     string
		send     func(uri string) (*http.Response, error)
		wantCode string
		wantErr  error
		formPost bool
	}{
		{name: "query", send: func(uri string) (*http.Response, error) { return http.Get(uri + "?code=abc&state=s1") }, wantCode: "abc"},
		{name: "form_post", send: func(uri string) (*http.Response, error) {
			return http.PostForm(uri, url.Values{"code": {"xyz"}, "state": {"s1"}})
		}, wantCode: "xyz", formPost: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Listen("http://localhost/callback")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(l.RedirectURI(), "http://localhost:") || !strings.HasSuffix(l.RedirectURI(), "/callback") {
				t.Fatalf("RedirectURI = %s", l.RedirectURI())
			}
			l.Expect("s1")
			target := strings.Replace(l.RedirectURI(), "localhost", "127.0.0.1", 1)
			// A stray request to another path must not be taken for the redirect.
			if resp, err := http.Get(strings.TrimSuffix(target, "/callback") + "/favicon.ico"); err == nil {
				resp.Body.Close()
			}
			resp, err := tt.send(target)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			red, err := l.Wait(ctx)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("err = %v, status %d", err, resp.StatusCode)
				}
				return
			}
			if err != nil || red.Params.Get("code") != tt.wantCode || red.FormPost != tt.formPost {
				t.Fatalf("redirect = %+v, err %v", red, err)
			}
			if !strings.Contains(string(page), "You may close this tab") {
				t.Errorf("page = %s", page)
			}
			// The listener is closed after one redirect.
			if resp, err := http.Get(target + "?code=again&state=s1"); err == nil {
				resp.Body.Close()
				t.Error("listener still accepts after the first redirect")
			}
		})
	}
}

func TestListenerTimesOut(t *testing.T) {
	l, err := Listen("http://127.0.0.1:0/")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = l.Wait(ctx)
	var ne *flows.NetworkError
	if !errors.As(err, &ne) || !ne.Timeout {
		t.Fatalf("err = %v, want a timeout", err)
	}
}

func TestListenRefusesNonLoopback(t *testing.T) {
	for _, uri := range []string{"https://localhost/cb", "http://example.com/cb", "::"} {
		if _, err := Listen(uri); err == nil {
			t.Errorf("Listen(%q) accepted", uri)
		}
	}
}

func TestLoopbackBrowserCompletesPKCE(t *testing.T) {
	l, err := Listen("http://localhost")
	if err != nil {
		t.Fatal(err)
	}
	// The "browser" follows the authorize URL to the redirect URI with a code, as a provider would.
	open := func(authURL string) error {
		u, _ := url.Parse(authURL)
		q := u.Query()
		go func() {
			resp, err := http.Get(strings.Replace(q.Get("redirect_uri"), "localhost", "127.0.0.1", 1) + "?code=the-code&state=" + url.QueryEscape(q.Get("state")))
			if err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	s := flows.Settings{Authority: "https://login.microsoftonline.com", Tenant: "8eaef023-2b34-4da1-9baa-8bc8c9d6a490", ClientID: "535fb089-9ff3-47b6-9bfb-4f1264799865", RedirectURI: l.RedirectURI()}
	run, err := flows.NewRun(flows.FlowPKCE, s, flows.Options{Browser: &Loopback{Listener: l, Open: open, Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	req, err := run.Prepare(0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run.Send(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if run.State().Code != "the-code" {
		t.Fatalf("code = %q", run.State().Code)
	}
}
