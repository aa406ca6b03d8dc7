package emulator

import (
	"sync"
	"time"
)

// store is a bounded map whose entries expire: every code, device code, refresh token, session and assertion
// id lives here, so nothing grows without bound under load. A FIFO of insertions makes eviction amortised
// O(1): when the map is full, the oldest entries go first (expired or not), which for one lifetime per store
// is also the soonest to expire.
type store[V any] struct {
	mu      sync.Mutex
	max     int
	now     func() time.Time
	entries map[string]storeEntry[V]
	order   []queued // insertion order; may hold stale keys, skipped when popped
	seq     uint64
}

type storeEntry[V any] struct {
	val     V
	expires time.Time
	seq     uint64 // matches the queued item that inserted this value
}

type queued struct {
	key string
	seq uint64
}

func newStore[V any](max int, now func() time.Time) *store[V] {
	return &store[V]{max: max, now: now, entries: make(map[string]storeEntry[V])}
}

// put stores val under key until ttl has passed.
func (s *store[V]) put(key string, val V, ttl time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if _, exists := s.entries[key]; !exists {
		for len(s.entries) >= s.max {
			if !s.evictOldestLocked() {
				break
			}
		}
	}
	s.seq++
	s.entries[key] = storeEntry[V]{val: val, expires: now.Add(ttl), seq: s.seq}
	s.order = append(s.order, queued{key, s.seq})
	if len(s.order) > 2*s.max+16 {
		s.compactLocked()
	}
}

// evictOldestLocked removes the oldest live entry; it reports false when there is nothing left to pop.
func (s *store[V]) evictOldestLocked() bool {
	for len(s.order) > 0 {
		q := s.order[0]
		s.order = s.order[1:]
		if e, ok := s.entries[q.key]; ok && e.seq == q.seq {
			delete(s.entries, q.key)
			return true
		}
	}
	return false
}

// compactLocked drops queue items whose entries were taken, replaced or evicted, and expired entries.
func (s *store[V]) compactLocked() {
	now := s.now()
	live := make([]queued, 0, len(s.entries))
	for _, q := range s.order {
		e, ok := s.entries[q.key]
		switch {
		case !ok || e.seq != q.seq:
		case !now.Before(e.expires):
			delete(s.entries, q.key)
		default:
			live = append(live, q)
		}
	}
	s.order = live
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

// lookup tells apart a key never seen (or evicted) from one that has expired but is not yet evicted.
func (s *store[V]) lookup(key string) (val V, found, expired bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok {
		return val, false, false
	}
	return e.val, true, !s.now().Before(e.expires)
}

// take removes key and returns its value if it was live: single-use items are taken atomically.
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
