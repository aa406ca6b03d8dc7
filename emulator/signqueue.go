package emulator

import (
	"runtime"
	"sync"
)

// signQueue runs the emulator's token signing on a fixed set of goroutines, one fewer than the processors Go
// may use (at least one), taking the tokens in the order their requests queued them.
//
// RS256 signing is nearly all of a token's CPU (0.45 ms with AVX-512 IFMA, 1.1 ms without). If every
// request signed on its own goroutine, the scheduler would time-slice them all and the unlucky ones would
// finish long after the rest. With every processor signing, Go's scheduler polls the network only when a
// processor runs out of work (or every 10 ms), so requests that arrive wait unread behind luckier
// connections: on two cores, 20 keep-alive clients saw p99 at 4-6x p50. With a processor left over, requests
// are read as they arrive and queue here in that order, and the signers do nothing else: the handler reads,
// answers and writes on the processor left over while the next token is signed.
type signQueue struct {
	jobs chan func()
}

func newSignQueue(signers int) *signQueue {
	q := &signQueue{jobs: make(chan func(), 4096)} // past the buffer, senders wait in order too
	for range max(signers, 1) {
		go q.serve()
	}
	return q
}

func (q *signQueue) serve() {
	for job := range q.jobs {
		job()
	}
}

// do runs sign on one of the queue's goroutines, after every job queued before it has started, and returns
// once it has run.
func (q *signQueue) do(sign func()) {
	done := make(chan struct{})
	q.jobs <- func() { sign(); close(done) }
	<-done
}

// queued is how many jobs wait for a signer, for tests.
func (q *signQueue) queued() int { return len(q.jobs) }

// signers is the process's queue, shared by every Server in it (they share the processors). Its goroutines
// start on first use, not at package init, and last as long as the process.
var signers = sync.OnceValue(func() *signQueue { return newSignQueue(runtime.GOMAXPROCS(0) - 1) })
