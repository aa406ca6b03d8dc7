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

// Any process on the machine can reach the loopback port while aadx waits. Forged redirects (a wrong or missing
// state, an error= without our state) are answered 400 and neither end the wait nor close the port: the real
// redirect that follows still completes it.
func TestListenerRefusesForgedRedirectsAndKeepsWaiting(t *testing.T) {
	forged := []struct {
		name string
		send func(uri string) (*http.Response, error)
	}{
		{"wrong state", func(uri string) (*http.Response, error) { return http.Get(uri + "?code=evil&state=evil") }},
		{"missing state", func(uri string) (*http.Response, error) { return http.Get(uri + "?code=evil") }},
		{"error without state", func(uri string) (*http.Response, error) {
			return http.Get(uri + "?error=access_denied&error_description=AADSTS65004")
		}},
		{"error with wrong state", func(uri string) (*http.Response, error) {
			return http.Get(uri + "?error=access_denied&state=evil")
		}},
		{"form_post with wrong state", func(uri string) (*http.Response, error) {
			return http.PostForm(uri, url.Values{"code": {"evil"}, "state": {"evil"}})
		}},
	}
	l, err := Listen("http://localhost/callback")
	if err != nil {
		t.Fatal(err)
	}
	l.Expect("s1")
	target := strings.Replace(l.RedirectURI(), "localhost", "127.0.0.1", 1)
	waited := make(chan struct{})
	var red *flows.Redirect
	var waitErr error
	go func() {
		defer close(waited)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		red, waitErr = l.Wait(ctx)
	}()
	for round := 0; round < 2; round++ { // forged twice over: the refusal does not wear out
		for _, f := range forged {
			resp, err := f.send(target)
			if err != nil {
				t.Fatalf("%s (round %d): the port is closed: %v", f.name, round+1, err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(page), "still waiting") {
				t.Errorf("%s: status %d, page %s; want 400 saying aadx still waits", f.name, resp.StatusCode, page)
			}
			select {
			case <-waited:
				t.Fatalf("%s ended the wait: %+v, %v", f.name, red, waitErr)
			default:
			}
		}
	}
	resp, err := http.Get(target + "?code=real&state=s1")
	if err != nil {
		t.Fatalf("the real redirect finds the port closed: %v", err)
	}
	resp.Body.Close()
	<-waited
	if waitErr != nil || red.Params.Get("code") != "real" {
		t.Fatalf("Wait = %+v, %v; want the real redirect", red, waitErr)
	}
}

// An error redirect that does carry our state is the provider's answer: it ends the wait and reaches the engine.
func TestListenerDeliversErrorRedirectWithItsState(t *testing.T) {
	l, err := Listen("http://127.0.0.1:0/")
	if err != nil {
		t.Fatal(err)
	}
	l.Expect("s1")
	resp, err := http.Get(l.RedirectURI() + "?error=access_denied&error_description=AADSTS65004&state=s1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	red, err := l.Wait(ctx)
	if err != nil || red.Params.Get("error") != "access_denied" || resp.StatusCode != http.StatusOK {
		t.Fatalf("Wait = %+v, %v (status %d)", red, err, resp.StatusCode)
	}
}

// Only forged redirects, then the timeout: the error says what was refused.
func TestListenerTimeoutNamesRefusedRedirects(t *testing.T) {
	l, err := Listen("http://127.0.0.1:0/")
	if err != nil {
		t.Fatal(err)
	}
	l.Expect("s1")
	resp, err := http.Get(l.RedirectURI() + "?code=evil&state=evil")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = l.Wait(ctx)
	var ne *flows.NetworkError
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), "refused 1 redirect(s) with a wrong or missing state") {
		t.Fatalf("Wait = %v", err)
	}
}
