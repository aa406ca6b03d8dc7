package emulator

import (
	"container/list"
	"runtime"
	"sync"
)

// fifoLimit lets at most n holders in at once and lets the others in strictly in the order they came.
//
// RS256 signing is pure CPU (about 1 ms per token). With no limit, every concurrent token request signs at
// once, the scheduler time-slices them all, and the unlucky ones finish long after the rest: on two cores,
// 20 keep-alive clients saw p50 16 ms but p99 over 100 ms. With as many signers as cores and an ordered
// queue, each request waits for the ones that came before it and no longer: the same throughput, a tail
// close to the median.
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

// signers bounds concurrent RSA signing to the cores the process may use, for every Server in the process
// (they share the cores). Made on first use, not at package init.
var signers = sync.OnceValue(func() *fifoLimit { return newFIFOLimit(runtime.GOMAXPROCS(0)) })
