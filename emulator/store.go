package emulator

import (
	"sync"
	"time"
)

// store is a bounded map whose entries expire: every code, device code, refresh token, session and assertion
// id lives here, so nothing grows without bound under load. When full, expired entries are swept; if it is
// still full, the entry closest to expiry is evicted.
type store[V any] struct {
	mu      sync.Mutex
	max     int
	now     func() time.Time
	entries map[string]storeEntry[V]
}

type storeEntry[V any] struct {
	val     V
	expires time.Time
}

func newStore[V any](max int, now func() time.Time) *store[V] {
	return &store[V]{max: max, now: now, entries: make(map[string]storeEntry[V])}
}

// put stores val under key until ttl has passed.
func (s *store[V]) put(key string, val V, ttl time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if _, exists := s.entries[key]; !exists && len(s.entries) >= s.max {
		s.sweepLocked(now)
		if len(s.entries) >= s.max {
			s.evictSoonestLocked()
		}
	}
	s.entries[key] = storeEntry[V]{val: val, expires: now.Add(ttl)}
}

// get returns the live value under key.
func (s *store[V]) get(key string) (V, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok || !s.now().Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// lookup tells apart a key never seen (or evicted) from one that has expired but is not yet swept.
func (s *store[V]) lookup(key string) (val V, found, expired bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok {
		return val, false, false
	}
	return e.val, true, !s.now().Before(e.expires)
}

// take removes key and returns its value if it was live: single-use items (codes) are taken atomically.
func (s *store[V]) take(key string) (V, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	delete(s.entries, key)
	if !ok || !s.now().Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.val, true
}

func (s *store[V]) delete(key string) {
	s.mu.Lock()
	delete(s.entries, key)
	s.mu.Unlock()
}

func (s *store[V]) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

func (s *store[V]) sweepLocked(now time.Time) {
	for k, e := range s.entries {
		if !now.Before(e.expires) {
			delete(s.entries, k)
		}
	}
}

func (s *store[V]) evictSoonestLocked() {
	var victim string
	var soonest time.Time
	for k, e := range s.entries {
		if victim == "" || e.expires.Before(soonest) {
			victim, soonest = k, e.expires
		}
	}
	delete(s.entries, victim)
}
