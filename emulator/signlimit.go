package emulator

import (
	"container/list"
	"runtime"
	"sync"
)

// fifoLimit lets at most n holders in at once and lets the others in strictly in the order they came.
//
// RS256 signing is pure CPU (0.45 ms per token with AVX-512 IFMA, 1.1 ms without). With no limit, every
// concurrent token request signs at once, the scheduler time-slices them all, and the unlucky ones finish long
// after the rest: on two cores, 20 keep-alive clients saw p50 16 ms but p99 over 100 ms. With an ordered
// queue, each request waits for the ones that came before it and no longer.
type fifoLimit struct {
	mu      sync.Mutex
	free    int
	waiters list.List // of chan struct{}, closed when the waiter is let in
}

func newFIFOLimit(n int) *fifoLimit { return &fifoLimit{free: max(n, 1)} }

// acquire waits for a place, behind everyone already waiting.
func (l *fifoLimit) acquire() {
	l.mu.Lock()
	if l.free > 0 && l.waiters.Len() == 0 {
		l.free--
		l.mu.Unlock()
		return
	}
	ready := make(chan struct{})
	l.waiters.PushBack(ready)
	l.mu.Unlock()
	<-ready
}

// release hands the place to the longest waiter, or frees it.
func (l *fifoLimit) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if front := l.waiters.Front(); front != nil {
		close(l.waiters.Remove(front).(chan struct{}))
		return
	}
	l.free++
}

// waiting is how many are queued, for tests.
func (l *fifoLimit) waiting() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.waiters.Len()
}

// signers bounds concurrent RSA signing for every Server in the process (they share the cores): one signer
// fewer than the processors Go may use, and at least one. Go's scheduler polls the network only when a
// processor runs out of work (or every 10 ms), so with every processor signing, a request that arrives waits
// unread behind luckier connections and never reaches the ordered queue in time: on two cores (20 keep-alive
// clients) p99 was 4-6x p50. With a processor left for reading and writing, requests join the queue as
// they arrive: p99 1.6-2.7x p50, for a quarter fewer tokens a second on two cores (none on one; a smaller
// share on more). See docs/benchmarks.md. Made on first use, not at package init.
var signers = sync.OnceValue(func() *fifoLimit { return newFIFOLimit(max(1, runtime.GOMAXPROCS(0)-1)) })
