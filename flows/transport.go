package flows

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// tracingTransport records every round trip as an Exchange and emits it as it happens. It reads each response
// body up to the run's limit, so callers always get a bounded, replayable body.
type tracingTransport struct {
	base http.RoundTripper
	run  *Run
}

type exchangeKey struct{}

// exchangeSlot travels in the request context: the leg it belongs to in, the record out.
type exchangeSlot struct {
	leg  int
	step string
	ex   *Exchange
}

func (r *Run) tracingClient() *http.Client {
	base := sharedTransport()
	if r.opts.HTTPClient != nil && r.opts.HTTPClient.Transport != nil {
		base = r.opts.HTTPClient.Transport
	}
	return &http.Client{
		Transport: &tracingTransport{base: base, run: r},
		// The engine follows redirects itself (sign-in) or not at all (token endpoints never redirect).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// sharedTransport is the transport of runs given no HTTP client. It is shared so that successive runs reuse
// keep-alive connections instead of each leaving its own idle connection behind until the idle timeout.
var sharedTransport = sync.OnceValue(func() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	return t
})

func (t *tracingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	slot, _ := req.Context().Value(exchangeKey{}).(*exchangeSlot)
	if slot == nil {
		slot = &exchangeSlot{leg: -1}
	}
	r := t.run
	ex := &Exchange{Leg: slot.leg, Step: slot.step, Method: req.Method, URL: req.URL.String(), Started: r.opts.Now()}
	if slot.leg >= 0 && slot.leg < len(r.legs) {
		ex.LegName = r.legs[slot.leg].Name
	}
	if req.Body != nil && req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(body, r.opts.MaxBody))
			_ = body.Close()
			ex.RequestBody = string(b)
		}
	}
	ex.RequestHeaders = orderedHeaders(req.Header, req.Host, req.URL)
	r.mu.Lock()
	r.nextID++
	ex.ID = r.nextID
	r.mu.Unlock()
	if r.opts.Events != nil {
		r.emit(Event{Kind: EventExchangeStarted, Leg: ex.Leg, LegName: ex.LegName, Exchange: snapshot(ex)})
	}

	var tm timingProbe
	start := time.Now()
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), tm.trace()))
	resp, err := t.base.RoundTrip(req)
	if err == nil {
		ex.Status, ex.StatusText, ex.Proto = resp.StatusCode, resp.Status, resp.Proto
		ex.ResponseHeaders = sortedHeaders(resp.Header)
		var body []byte
		body, err = io.ReadAll(io.LimitReader(resp.Body, r.opts.MaxBody+1))
		_ = resp.Body.Close()
		if int64(len(body)) > r.opts.MaxBody {
			body, ex.Truncated = body[:r.opts.MaxBody], true
		}
		ex.ResponseBody = string(body)
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	ex.Timing = tm.timing(start, time.Now())
	if err != nil {
		ex.Err = err
	}
	r.mu.Lock()
	r.exchanges = append(r.exchanges, *ex)
	r.mu.Unlock()
	slot.ex = ex
	if r.opts.Events != nil {
		r.emit(Event{Kind: EventExchangeFinished, Leg: ex.Leg, LegName: ex.LegName, Exchange: snapshot(ex), Err: err})
	}
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func snapshot(ex *Exchange) *Exchange { c := *ex; return &c }

// sendHTTP performs an HTTP leg's request with the run's timeout and returns its record.
func (r *Run) sendHTTP(ctx context.Context, req *Request, step string) (*Exchange, error) {
	target := req.FullURL()
	if err := checkScheme(target); err != nil {
		return nil, err
	}
	var body io.Reader
	if req.Method == http.MethodPost {
		body = strings.NewReader(req.Encode())
	}
	hr, err := http.NewRequest(req.Method, target, body)
	if err != nil {
		return nil, fmt.Errorf("%s: the URL %q cannot be requested: %w", req.Name, target, err)
	}
	for _, h := range req.Headers {
		hr.Header.Add(h.Name, h.Value)
	}
	return r.do(ctx, hr, req.Leg, step)
}

// do sends one traced request, bounded by the run's timeout and ctx.
func (r *Run) do(ctx context.Context, hr *http.Request, leg int, step string) (*Exchange, error) {
	return r.doWith(ctx, r.client, hr, leg, step)
}

// BrowserClient returns a copy of the run's HTTP client, tracing included, for a scripted browser to give a
// cookie jar of its own.
func (r *Run) BrowserClient() *http.Client {
	c := *r.client
	return &c
}

// TraceExchange sends hr through client (from BrowserClient) as one traced exchange of the leg named legName,
// labelled step, bounded by the run's timeout and ctx; https only, plain http on loopback (DESIGN §6). It is how
// a scripted browser's page visits appear in the run's trace.
func (r *Run) TraceExchange(ctx context.Context, client *http.Client, hr *http.Request, legName, step string) (*Exchange, error) {
	if err := checkScheme(hr.URL.String()); err != nil {
		return nil, err
	}
	return r.doWith(ctx, client, hr, r.legIndex(legName), step)
}

// legIndex finds the named leg among the legs RunAll considers (after an answered claims challenge, the
// new ones).
func (r *Run) legIndex(name string) int {
	for i := r.firstLeg(); i < len(r.legs); i++ {
		if r.legs[i].Name == name {
			return i
		}
	}
	return -1
}

// doWith is do with another client sharing the tracing transport (a scripted browser adds cookies).
func (r *Run) doWith(ctx context.Context, client *http.Client, hr *http.Request, leg int, step string) (*Exchange, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	slot := &exchangeSlot{leg: leg, step: step}
	hr = hr.WithContext(context.WithValue(ctx, exchangeKey{}, slot))
	resp, err := client.Do(hr)
	if err != nil {
		return slot.ex, classifyNetwork(hr, err)
	}
	_ = resp.Body.Close() // the body was read into the record by the transport
	return slot.ex, nil
}

func classifyNetwork(hr *http.Request, err error) error {
	var ne net.Error
	timeout := errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
	return &NetworkError{Op: hr.Method + " " + redactURLForError(hr.URL), Timeout: timeout, Err: err}
}

// redactURLForError drops the query, which may carry codes, from URLs quoted in error messages.
func redactURLForError(u *url.URL) string {
	c := *u
	c.RawQuery, c.Fragment = "", ""
	return c.String()
}

// checkScheme enforces DESIGN §6: https everywhere, plain http only for loopback hosts (the emulator).
func checkScheme(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("the URL %q is malformed: %w", raw, err)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) || isLinkLocal(u.Hostname()) { // link-local: IMDS at 169.254.169.254
			return nil
		}
		return fmt.Errorf("refusing plain http to %s: only loopback hosts may use http; use https", u.Host)
	default:
		return fmt.Errorf("the URL %q must be https (or http on a loopback host)", raw)
	}
}

// IsLoopbackHost reports whether host is localhost or a loopback address, where plain http is allowed.
func IsLoopbackHost(host string) bool { return isLoopbackHost(host) }

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// orderedHeaders lists request headers in a stable order: Host first, then alphabetical.
func orderedHeaders(h http.Header, host string, u *url.URL) []Header {
	if host == "" {
		host = u.Host
	}
	out := []Header{{Name: "Host", Value: host}}
	return append(out, sortedHeaders(h)...)
}

func sortedHeaders(h http.Header) []Header {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []Header
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, Header{Name: k, Value: v, Secret: isSecretHeader(k)})
		}
	}
	return out
}

// timingProbe collects httptrace callbacks, which may run on dialing goroutines (even after RoundTrip returns).
type timingProbe struct {
	mu                                                                          sync.Mutex
	dnsStart, dnsDone, connStart, connDone, tlsStart, tlsDone, wrote, firstByte time.Time
}

func (p *timingProbe) mark(t *time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.IsZero() {
		*t = time.Now()
	}
}

func (p *timingProbe) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		DNSStart:             func(httptrace.DNSStartInfo) { p.mark(&p.dnsStart) },
		DNSDone:              func(httptrace.DNSDoneInfo) { p.mark(&p.dnsDone) },
		ConnectStart:         func(string, string) { p.mark(&p.connStart) },
		ConnectDone:          func(string, string, error) { p.mark(&p.connDone) },
		TLSHandshakeStart:    func() { p.mark(&p.tlsStart) },
		TLSHandshakeDone:     func(tls.ConnectionState, error) { p.mark(&p.tlsDone) },
		WroteRequest:         func(httptrace.WroteRequestInfo) { p.mark(&p.wrote) },
		GotFirstResponseByte: func() { p.mark(&p.firstByte) },
	}
}

func (p *timingProbe) timing(start, end time.Time) Timing {
	p.mu.Lock()
	defer p.mu.Unlock()
	span := func(a, b time.Time) time.Duration {
		if a.IsZero() || b.IsZero() {
			return 0
		}
		return b.Sub(a)
	}
	t := Timing{DNS: span(p.dnsStart, p.dnsDone), Connect: span(p.connStart, p.connDone),
		TLS: span(p.tlsStart, p.tlsDone), Total: end.Sub(start)}
	// Wait is measured from the request being written; an in-memory transport reports neither, so it is zero.
	t.FirstByte = span(p.wrote, p.firstByte)
	return t
}
