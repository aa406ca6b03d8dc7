package emulator

import (
	"strconv"
	"testing"
	"time"
)

func TestStoreIsBounded(t *testing.T) {
	clk := &clock{t: time.Now()}
	s := newStore[int](100, clk.Now)
	for i := range 1000 {
		s.put(strconv.Itoa(i), i, time.Minute)
	}
	if n := s.len(); n != 100 {
		t.Fatalf("len = %d, want the cap 100", n)
	}
	if _, ok := s.get("999"); !ok {
		t.Error("newest entry evicted")
	}
	clk.Advance(2 * time.Minute)
	if _, ok := s.get("999"); ok {
		t.Error("expired entry still served")
	}
	if _, found, expired := s.lookup("999"); !found || !expired {
		t.Errorf("lookup = found %v expired %v, want an expired entry", found, expired)
	}
	s.put("fresh", 1, time.Minute) // a put at the cap drops the expired entries first
	if n := s.len(); n != 1 {
		t.Errorf("len = %d, want 1: the expired entries dropped", n)
	}
	for i := range 10_000 { // takes and re-puts must not grow the insertion queue without bound
		s.put("k", i, time.Minute)
		s.take("k")
	}
	if len(s.order) > 2*s.max+16 {
		t.Errorf("insertion queue = %d items for cap %d", len(s.order), s.max)
	}
	if v, ok := s.take("fresh"); !ok || v != 1 {
		t.Error("take failed")
	}
	if _, ok := s.take("fresh"); ok {
		t.Error("take returned a value twice")
	}
}

// TestStateBoundedUnderLoad: many device codes and codes do not grow the server's state past its caps.
func TestStateBoundedUnderLoad(t *testing.T) {
	s := newTestServer(t, Options{NoListener: true})
	s.devices = newStore[*deviceGrant](50, s.now)
	s.userCode = newStore[string](50, s.now)
	for range 200 {
		deviceCode(t, s)
	}
	if s.devices.len() > 50 || s.userCode.len() > 50 {
		t.Errorf("device codes = %d, user codes = %d; cap 50", s.devices.len(), s.userCode.len())
	}
}

// TestNoListenerServesInMemory: HTTPClient reaches the handler without a socket and URL is a valid authority.
func TestNoListenerServesInMemory(t *testing.T) {
	s := newTestServer(t, Options{NoListener: true, TLS: true})
	if s.URL() != "https://127.0.0.1" || s.listener != nil {
		t.Fatalf("URL = %q listener = %v", s.URL(), s.listener)
	}
	if c := ccToken(t, s); c["iss"] != s.URL()+"/"+demoTenantID+"/v2.0" {
		t.Errorf("iss = %v", c["iss"])
	}
}
