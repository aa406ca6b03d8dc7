package browser

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/aadx/aadx/flows"
)

// DefaultTimeout bounds how long a loopback listener waits for the browser to come back.
const DefaultTimeout = 5 * time.Minute

// Listener receives one authorization response on 127.0.0.1 (RFC 8252 §7.3), answers the browser with a page
// saying the tab may be closed, and stops accepting redirects after the first that carries the expected state.
// Any local process can reach the port: a redirect with a wrong or missing state, an error= one included, is
// answered 400 and the wait goes on, so it can neither end the run nor close the port on the real redirect.
type Listener struct {
	ln          net.Listener
	srv         *http.Server
	redirectURI string
	path        string

	mu      sync.Mutex
	state   string
	done    bool
	refused int // redirects answered 400 for their state
	result  chan *flows.Redirect
}

// Listen binds 127.0.0.1 on the redirect URI's port, or a random port when it has none or port 0, and returns
// the listener. The redirect URI must be http on localhost or 127.0.0.1; RedirectURI gives the URI to send, with
// the port actually bound.
func Listen(redirectURI string) (*Listener, error) {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Scheme != "http" || (u.Hostname() != "localhost" && u.Hostname() != "127.0.0.1") {
		return nil, &flows.FieldError{Field: "redirect-uri", Value: redirectURI, Problem: "cannot be served on this machine", Fix: "use http://localhost[:port][/path] or 127.0.0.1, or paste the redirect instead"}
	}
	port := u.Port()
	if port == "" {
		port = "0"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port)) // loopback only, never 0.0.0.0 (DESIGN §6)
	if err != nil {
		return nil, &flows.FieldError{Field: "redirect-uri", Value: redirectURI, Problem: "cannot be listened on: " + err.Error(), Fix: "pick a free port or leave the port out for a random one"}
	}
	u.Host = net.JoinHostPort(u.Hostname(), fmt.Sprint(ln.Addr().(*net.TCPAddr).Port))
	l := &Listener{ln: ln, redirectURI: u.String(), path: u.Path, result: make(chan *flows.Redirect, 1)}
	if l.path == "" {
		l.path = "/"
	}
	l.srv = &http.Server{Handler: l, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = l.srv.Serve(ln) }()
	return l, nil
}

// RedirectURI is the redirect URI with the bound port.
func (l *Listener) RedirectURI() string { return l.redirectURI }

// Expect sets the state a redirect must carry; a redirect with another state or none is refused with 400 and
// the listener keeps waiting for the right one.
func (l *Listener) Expect(state string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.state = state
}

// Wait returns the first redirect, or an error when ctx ends first. The listener closes either way.
func (l *Listener) Wait(ctx context.Context) (*flows.Redirect, error) {
	defer l.Close()
	select {
	case red := <-l.result:
		return red, nil
	case <-ctx.Done():
		op := "waiting for the browser on " + l.redirectURI
		l.mu.Lock()
		if l.refused > 0 {
			op += fmt.Sprintf(" (refused %d redirect(s) with a wrong or missing state)", l.refused)
		}
		l.mu.Unlock()
		return nil, &flows.NetworkError{Op: op, Timeout: errors.Is(ctx.Err(), context.DeadlineExceeded), Err: ctx.Err()}
	}
}

// Close stops the listener.
func (l *Listener) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return l.srv.Shutdown(ctx)
}

func (l *Listener) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path != l.path {
		http.NotFound(w, req) // e.g. /favicon.ico: not the redirect
		return
	}
	var params url.Values
	formPost := false
	switch req.Method {
	case http.MethodGet:
		params = req.URL.Query()
	case http.MethodPost: // response_mode=form_post
		req.Body = http.MaxBytesReader(w, req.Body, 64<<10)
		if err := req.ParseForm(); err != nil {
			writePage(w, http.StatusBadRequest, "Sign-in response unreadable", "The form could not be read: "+err.Error())
			return
		}
		params, formPost = req.PostForm, true
	default:
		w.Header().Set("Allow", "GET, POST")
		writePage(w, http.StatusMethodNotAllowed, "Method not allowed", "Only the sign-in redirect is expected here.")
		return
	}
	l.mu.Lock()
	if l.done {
		l.mu.Unlock()
		writePage(w, http.StatusGone, "Already done", "aadx already received a sign-in response. You may close this tab.")
		return
	}
	// The state is checked on error redirects too: an error= without our state is as forged as a code.
	if want := l.state; want != "" && params.Get("state") != want {
		l.refused++
		l.mu.Unlock()
		writePage(w, http.StatusBadRequest, "Sign-in refused", "This response was not started by aadx (its state is wrong or missing). aadx is still waiting for the sign-in it started.")
		return
	}
	l.done = true
	l.mu.Unlock()

	red := &flows.Redirect{URL: l.redirectURI + "?" + req.URL.RawQuery, Params: params, FormPost: formPost}
	if formPost {
		red.URL = l.redirectURI
	}
	if params.Get("error") != "" {
		writePage(w, http.StatusOK, "Sign-in failed", "The identity provider said: "+params.Get("error")+". Details are in aadx. You may close this tab.")
	} else {
		writePage(w, http.StatusOK, "Signed in", "aadx received the sign-in response. You may close this tab and return to the terminal.")
	}
	l.result <- red
}

func writePage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>aadx: %[1]s</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;line-height:1.5}</style></head>
<body><h1>%[1]s</h1><p>%[2]s</p></body></html>`, html.EscapeString(title), html.EscapeString(text))
}

// Loopback completes a browser leg with a real browser: it opens the authorize URL (Open, default the system
// browser) and waits on a Listener for the redirect.
type Loopback struct {
	Listener *Listener
	Open     func(url string) error
	Timeout  time.Duration
}

// Visit opens the URL and waits for the redirect, at most Timeout (default DefaultTimeout).
func (b *Loopback) Visit(ctx context.Context, authorizeURL, _ string) (*flows.Redirect, error) {
	if u, err := url.Parse(authorizeURL); err == nil {
		b.Listener.Expect(u.Query().Get("state"))
	}
	open := b.Open
	if open == nil {
		open = OpenSystem
	}
	if err := open(authorizeURL); err != nil {
		b.Listener.Close()
		return nil, err
	}
	timeout := b.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return b.Listener.Wait(ctx)
}
