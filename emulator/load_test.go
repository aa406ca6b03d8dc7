package emulator

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The load test: 50 concurrent clients on loopback, half asking for client-credentials tokens, half running
// device-code flows (device authorization, then polling until the token comes, then one stale poll). Every
// answer must be the expected one, and the heap must stay bounded while the stores fill and evict.
//
// By default it runs 3 seconds; the recorded figure is 60 seconds:
//
//	go test ./emulator -run TestLoad -v -load-duration=60s   (or AADX_LOAD_DURATION=60s)

var loadDuration = flag.Duration("load-duration", 0, "how long TestLoad runs (default 3s, or AADX_LOAD_DURATION)")

const (
	loadClients = 50
	// loadHeapGrowthLimit bounds how much the live heap may grow from the end of warm-up to the end of the run:
	// the stores are capped, so growth beyond this means state that is never evicted.
	loadHeapGrowthLimit = 64 << 20
)

func loadTestDuration(t *testing.T) time.Duration {
	if *loadDuration > 0 {
		return *loadDuration
	}
	if v := os.Getenv("AADX_LOAD_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("AADX_LOAD_DURATION=%q is not a positive duration such as 60s", v)
		}
		return d
	}
	return 3 * time.Second
}

// loadStats counts outcomes across the clients.
type loadStats struct {
	tokens, polls, requests atomic.Int64
	mu                      sync.Mutex
	errors                  []string
}

func (s *loadStats) fail(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errors) < 10 {
		s.errors = append(s.errors, fmt.Sprintf(format, args...))
	}
}

func (s *loadStats) failures() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.errors...)
}

func TestLoad(t *testing.T) {
	duration := loadTestDuration(t)
	srv := newTestServer(t, Options{AutoApprove: true, DeviceInterval: time.Millisecond})
	d := srv.Description()
	base := srv.URL() + "/" + d.TenantID + "/oauth2/v2.0/"
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConns: loadClients, MaxIdleConnsPerHost: loadClients, IdleConnTimeout: 30 * time.Second}}
	defer client.CloseIdleConnections()
	if _, err := srv.signing.wait(); err != nil { // keys are generated in the background: not part of the load
		t.Fatal(err)
	}

	var stats loadStats
	post := func(ctx context.Context, endpoint string, form url.Values) (int, map[string]any, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+endpoint, strings.NewReader(form.Encode()))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		stats.requests.Add(1)
		var body map[string]any
		if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
			return resp.StatusCode, nil, fmt.Errorf("HTTP %d, body not JSON: %w", resp.StatusCode, err)
		}
		return resp.StatusCode, body, nil
	}
	daemon, public := d.Apps.Daemon, d.Apps.Public
	credentials := func(ctx context.Context) {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {daemon.ClientID},
			"client_secret": {daemon.ClientSecret}, "scope": {daemon.Scope}}
		status, body, err := post(ctx, "token", form)
		switch {
		case ctx.Err() != nil:
		case err != nil || status != http.StatusOK || body["access_token"] == nil:
			stats.fail("client credentials: HTTP %d %v %v", status, err, body["error_description"])
		default:
			stats.tokens.Add(1)
		}
	}
	device := func(ctx context.Context) {
		status, body, err := post(ctx, "devicecode", url.Values{"client_id": {public.ClientID}, "scope": {"openid profile"}})
		if ctx.Err() != nil {
			return
		}
		code, _ := body["device_code"].(string)
		if err != nil || status != http.StatusOK || code == "" {
			stats.fail("device authorization: HTTP %d %v %v", status, err, body["error_description"])
			return
		}
		poll := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "client_id": {public.ClientID}, "device_code": {code}}
		for attempt := 0; ; attempt++ {
			time.Sleep(2 * time.Millisecond) // past the 1 ms interval, so no slow_down
			status, body, err = post(ctx, "token", poll)
			stats.polls.Add(1)
			switch {
			case ctx.Err() != nil:
				return
			case err == nil && status == http.StatusOK && body["access_token"] != nil:
				stats.tokens.Add(1)
				// A second poll of a redeemed code must be refused (RFC 8628 §3.5: the code is single use).
				status, body, err = post(ctx, "token", poll)
				stats.polls.Add(1)
				if ctx.Err() == nil && (err != nil || status != http.StatusBadRequest || body["error"] != "invalid_grant") {
					stats.fail("stale poll: HTTP %d %v %v", status, err, body["error"])
				}
				return
			case err == nil && status == http.StatusBadRequest && body["error"] == "authorization_pending" && attempt < 100:
			default:
				stats.fail("device poll: HTTP %d %v %v", status, err, body["error"])
				return
			}
		}
	}

	// Warm up (connections, caches) before the heap baseline is taken.
	warm, cancelWarm := context.WithTimeout(context.Background(), duration/10+200*time.Millisecond)
	runClients(warm, credentials, device)
	cancelWarm()
	before := liveHeap()

	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	tokensBefore := stats.tokens.Load()
	start := time.Now()
	runClients(ctx, credentials, device)
	elapsed := time.Since(start)
	after := liveHeap()

	tokens := stats.tokens.Load() - tokensBefore
	t.Logf("%d clients for %s: %d tokens (%.0f tokens/s), %d requests, %d device polls; live heap %.1f MiB -> %.1f MiB; stored device codes %d",
		loadClients, elapsed.Round(time.Millisecond), tokens, float64(tokens)/elapsed.Seconds(), stats.requests.Load(),
		stats.polls.Load(), float64(before)/(1<<20), float64(after)/(1<<20), srv.devices.len())
	if errs := stats.failures(); len(errs) > 0 {
		t.Fatalf("%d+ unexpected answers under load, first: %s", len(errs), strings.Join(errs, "; "))
	}
	if tokens == 0 {
		t.Fatal("no token was issued under load")
	}
	if after > before+loadHeapGrowthLimit {
		t.Errorf("live heap grew from %d to %d bytes, more than %d: state is not evicted", before, after, loadHeapGrowthLimit)
	}
	if n := srv.devices.len(); n > maxDeviceCodes {
		t.Errorf("%d device codes stored, over the cap of %d", n, maxDeviceCodes)
	}
}

// runClients runs loadClients goroutines, half of each kind, each repeating its flow until ctx ends.
func runClients(ctx context.Context, kinds ...func(context.Context)) {
	var wg sync.WaitGroup
	for i := range loadClients {
		flow := kinds[i%len(kinds)]
		wg.Go(func() {
			for ctx.Err() == nil {
				flow(ctx)
			}
		})
	}
	wg.Wait()
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkSignRS256 is the floor of a token's cost: one RS256 signature (RSA-2048, PKCS#1 v1.5 over SHA-256)
// of a client-credentials access token's claims, made the way the emulator makes it (go-jose, kid header).
// Compare its ns/op with BenchmarkTokenRequestKeysReady at -cpu 1: the whole request on one core.
func BenchmarkSignRS256(b *testing.B) {
	key, err := newSigningKey("", "", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	claims := map[string]any{"aud": "api://" + apiClientID, "iss": "https://login.microsoftonline.com/" + demoTenantID + "/v2.0",
		"iat": 1700000000, "nbf": 1700000000, "exp": 1700003599, "aio": strings.Repeat("A", 60), "azp": daemonClientID,
		"azpacr": "1", "idtyp": "app", "oid": "5f1c8e2a-0000-4000-8000-000000000001", "rh": "0.AXoA" + strings.Repeat("B", 40),
		"roles": []string{"Data.Read"}, "sub": "5f1c8e2a-0000-4000-8000-000000000001", "tid": demoTenantID,
		"uti": "fqiBqXLPj0eQa82S-IYFAA", "ver": "2.0"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := signClaims(key.signer, claims); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTokenRequestKeysReady is the whole client-credentials request through the handler (form parsing,
// client authentication, claims, signing, JSON answer) once every key the emulator makes in the background is
// ready, so that start-up work does not count as per-token cost. At -cpu 1 its ns/op is one token's cost on
// one core, to set against BenchmarkSignRS256.
func BenchmarkTokenRequestKeysReady(b *testing.B) {
	s := newTestServer(b, Options{NoListener: true})
	_ = s.Description() // waits for the daemon's certificate
	if _, err := s.signing.wait(); err != nil {
		b.Fatal(err)
	}
	if _, err := s.rotated.wait(); err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	daemon := s.Description().Apps.Daemon
	body := url.Values{"grant_type": {"client_credentials"}, "client_id": {daemon.ClientID},
		"client_secret": {daemon.ClientSecret}, "scope": {daemon.Scope}}.Encode()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/"+demoTenantID+"/oauth2/v2.0/token", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// TestLoadSurvivesBadClients keeps good clients asking for tokens while bad ones misbehave against the same
// listener: headers sent half-way and left hanging, 10 MB bodies, bodies cut by a reset, garbage instead of
// HTTP. Every good request must still succeed, and every oversized form must be refused with a 4xx.
func TestLoadSurvivesBadClients(t *testing.T) {
	srv := newTestServer(t, Options{})
	d := srv.Description()
	if _, err := srv.signing.wait(); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(srv.URL(), "http://")
	path := "/" + d.TenantID + "/oauth2/v2.0/token"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	bad := map[string]func() error{
		"half-sent headers": func() error {
			conn, err := net.DialTimeout("tcp", host, time.Second)
			if err != nil {
				return err
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Ty", path, host)
			<-ctx.Done() // hold the connection open for the whole test
			return nil
		},
		"garbage": func() error {
			conn, err := net.DialTimeout("tcp", host, time.Second)
			if err != nil {
				return err
			}
			defer conn.Close()
			_, _ = conn.Write([]byte("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n"))
			_ = conn.SetReadDeadline(time.Now().Add(time.Second))
			_, _ = io.Copy(io.Discard, conn)
			return nil
		},
		"reset mid-body": func() error {
			conn, err := net.DialTimeout("tcp", host, time.Second)
			if err != nil {
				return err
			}
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\ngrant_type=client_cred", path, host)
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			return conn.Close()
		},
		"10 MB form": func() error {
			body := io.MultiReader(strings.NewReader("grant_type=client_credentials&x="), io.LimitReader(zeros{}, 10<<20))
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL()+path, body)
			if err != nil {
				return err
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return nil // the server may close the connection before the whole body is sent
			}
			defer resp.Body.Close()
			if resp.StatusCode < 400 || resp.StatusCode >= 500 {
				return fmt.Errorf("a 10 MB form got HTTP %d, want a 4xx", resp.StatusCode)
			}
			return nil
		},
	}
	var stats loadStats
	var wg sync.WaitGroup
	for name, misbehave := range bad {
		for range 3 {
			wg.Go(func() {
				for ctx.Err() == nil {
					if err := misbehave(); err != nil && ctx.Err() == nil {
						stats.fail("%s: %v", name, err)
						return
					}
				}
			})
		}
	}
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {d.Apps.Daemon.ClientID},
		"client_secret": {d.Apps.Daemon.ClientSecret}, "scope": {d.Apps.Daemon.Scope}}.Encode()
	for range 10 {
		wg.Go(func() {
			for ctx.Err() == nil {
				resp, err := client.Post(srv.URL()+path, "application/x-www-form-urlencoded", strings.NewReader(form))
				if err != nil {
					stats.fail("good client: %v", err)
					return
				}
				_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					stats.fail("good client: HTTP %d", resp.StatusCode)
					return
				}
				stats.tokens.Add(1)
			}
		})
	}
	wg.Wait()
	if errs := stats.failures(); len(errs) > 0 {
		t.Fatalf("under bad clients: %s", strings.Join(errs, "; "))
	}
	if stats.tokens.Load() == 0 {
		t.Fatal("no good client got a token while bad clients misbehaved")
	}
	t.Logf("%d tokens issued to good clients while bad clients misbehaved", stats.tokens.Load())
}

// zeros is an endless reader of '0' bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}
