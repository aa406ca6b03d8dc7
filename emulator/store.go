package emulator

import (
	"sync"
	"time"
)

// store is a bounded map whose entries expire: every code, device code, refresh token, session and assertion
// id lives here, so nothing grows without bound under load. It is capped by count and by the bytes its values
// hold. A FIFO of insertions makes eviction amortised O(1): when the map is full, the oldest entries go first
// (expired or not), which for one lifetime per store is also the soonest to expire. A store of pending items
// (keepWhenFull) drops only expired entries and otherwise refuses new ones, so a flood cannot evict the
// codes of people in the middle of signing in.
type store[V any] struct {
	mu       sync.Mutex
	max      int
	maxBytes int
	bytes    int
	keep     bool
	now      func() time.Time
	entries  map[string]storeEntry[V]
	order    []queued // insertion order; may hold stale keys, skipped when popped
	seq      uint64
}

type storeEntry[V any] struct {
	val     V
	expires time.Time
	size    int
	seq     uint64 // matches the queued item that inserted this value
}

type queued struct {
	key string
	seq uint64
}

// defaultStoreBytes caps the bytes any store's values hold (each value's size as its put declares it).
const defaultStoreBytes = 32 << 20

func newStore[V any](max int, now func() time.Time) *store[V] {
	return &store[V]{max: max, maxBytes: defaultStoreBytes, now: now, entries: make(map[string]storeEntry[V])}
}

// withBytes sets the cap on the bytes the store's values hold.
func (s *store[V]) withBytes(n int) *store[V] { s.maxBytes = n; return s }

// keepWhenFull makes a full store refuse new entries rather than evict live ones.
func (s *store[V]) keepWhenFull() *store[V] { s.keep = true; return s }

// entryOverhead is what an entry costs beyond its declared size (key, map slot, queue item).
const entryOverhead = 128

// put stores val under key until ttl has passed; false means the store is full and keeps what it has.
func (s *store[V]) put(key string, val V, ttl time.Duration) bool {
	return s.putSized(key, val, ttl, 0)
}

// putSized is put for a value holding about size bytes of request data.
func (s *store[V]) putSized(key string, val V, ttl time.Duration, size int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	size += len(key) + entryOverhead
	if old, exists := s.entries[key]; exists {
		s.bytes -= old.size
		delete(s.entries, key)
	}
	full := func() bool { return len(s.entries) >= s.max || s.bytes+size > s.maxBytes }
	if full() {
		s.compactLocked() // expired entries go first
	}
	for full() {
		if s.keep || !s.evictOldestLocked() {
			return false
		}
	}
	s.seq++
	s.entries[key] = storeEntry[V]{val: val, expires: now.Add(ttl), size: size, seq: s.seq}
	s.bytes += size
	s.order = append(s.order, queued{key, s.seq})
	if len(s.order) > 2*s.max+16 {
		s.compactLocked()
	}
	return true
}

// evictOldestLocked removes the oldest live entry; it reports false when there is nothing left to pop.
func (s *store[V]) evictOldestLocked() bool {
	for len(s.order) > 0 {
		q := s.order[0]
		s.order = s.order[1:]
		if e, ok := s.entries[q.key]; ok && e.seq == q.seq {
			s.removeLocked(q.key, e)
			return true
		}
	}
	return false
}

func (s *store[V]) removeLocked(key string, e storeEntry[V]) {
	delete(s.entries, key)
	s.bytes -= e.size
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
			s.removeLocked(q.key, e)
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
	if ok {
		s.removeLocked(key, e)
	}
	if !ok || !s.now().Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.val, true
}

func (s *store[V]) delete(key string) {
	s.mu.Lock()
	if e, ok := s.entries[key]; ok {
		s.removeLocked(key, e)
	}
	s.mu.Unlock()
}

func (s *store[V]) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}
