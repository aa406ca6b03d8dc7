package emulator

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// BenchmarkStartToFirstRequest: from New to the first served discovery request over a real socket. RSA
// key generation runs in the background and must not be on this path.
func BenchmarkStartToFirstRequest(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		s, err := New(Options{Dir: dir, TLS: true})
		if err != nil {
			b.Fatal(err)
		}
		resp, err := s.HTTPClient().Get(s.URL() + "/common/v2.0/.well-known/openid-configuration")
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("first request: %v", err)
		}
		resp.Body.Close()
		b.StopTimer()
		_ = s.Close()
		b.StartTimer()
	}
}

// BenchmarkMemoryAfter100kTokens signs in and redeems 100,000 authorization codes per iteration (each a
// session, a code and a refresh token in the store), then reports the live heap: state stays bounded.
// Run with -benchtime=1x.
func BenchmarkMemoryAfter100kTokens(b *testing.B) {
	s := newTestServer(b, Options{NoListener: true, AutoApprove: true})
	h := s.Handler()
	web := s.Description().Apps.Web
	authorize := "/" + demoTenantID + "/oauth2/v2.0/authorize?" + url.Values{"client_id": {web.ClientID},
		"redirect_uri": {web.RedirectURI}, "response_type": {"code"}, "scope": {"offline_access " + apiScope()}}.Encode()
	var issued atomic.Int64
	b.ResetTimer()
	for range b.N {
		var next atomic.Int64
		done := make(chan struct{})
		for range runtime.GOMAXPROCS(0) {
			go func() {
				defer func() { done <- struct{}{} }()
				for next.Add(1) <= 100_000 {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, authorize, nil))
					loc, _ := url.Parse(rec.Header().Get("Location"))
					form := url.Values{"grant_type": {"authorization_code"}, "client_id": {web.ClientID}, "client_secret": {web.ClientSecret},
						"code": {loc.Query().Get("code")}, "redirect_uri": {web.RedirectURI}}
					req := httptest.NewRequest(http.MethodPost, "/"+demoTenantID+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					rec = httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code == http.StatusOK {
						issued.Add(1)
					}
				}
			}()
		}
		for range runtime.GOMAXPROCS(0) {
			<-done
		}
	}
	b.StopTimer()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(issued.Load())/float64(b.N), "tokens/op")
	b.ReportMetric(float64(s.refresh.len()+s.codes.len()+s.sessions.len()), "stored-entries")
}
