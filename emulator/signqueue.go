package emulator

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// signQueue runs the emulator's token signing on dedicated goroutines, one fewer than the processors Go may
// use (at least one), taking the tokens in the order their requests queued them; the processor left over
// signs too, one token at a time, only while the queue is long.
//
// RS256 signing is nearly all of a token's CPU (0.45 ms with AVX-512 IFMA, 1.1 ms without). If every
// request signed on its own goroutine, the scheduler would time-slice them all and the unlucky ones would
// finish long after the rest. With every processor signing, Go's scheduler polls the network only when a
// processor runs out of work (or every 10 ms), so requests that arrive wait unread behind luckier
// connections: on two cores, 20 keep-alive clients saw p99 at 4-6x p50. With a processor left over, requests
// are read as they arrive and queue here in that order; the handler reads, answers and writes there while the
// next token is signed. When more than assistAfter of signing is already queued, that processor takes one
// token at a time from the queue as well and goes back to the connections between tokens, so it still
// reads each request within one signature of its arrival.
type signQueue struct {
	jobs     chan func()
	help     chan struct{} // a long queue asks the assistant for one job
	signTime atomic.Int64  // a recent signature's duration, in nanoseconds (a moving average)
}

// assistAfter is how much queued signing, in time, makes the processor kept for connections sign too.
const assistAfter = 8 * time.Millisecond

// newSignQueue starts signers dedicated goroutines and, if assistant, the one that signs while the queue is
// long.
func newSignQueue(signers int, assistant bool) *signQueue {
	q := &signQueue{jobs: make(chan func(), 4096), help: make(chan struct{}, 1)} // past the buffer, senders wait in order too
	for range max(signers, 1) {
		go q.serve()
	}
	if assistant {
		go q.assist()
	}
	return q
}

func (q *signQueue) serve() {
	for job := range q.jobs {
		q.run(job)
	}
}

// assist signs one queued job for each call for help, if one is still queued.
func (q *signQueue) assist() {
	for range q.help {
		select {
		case job := <-q.jobs:
			q.run(job)
			runtime.Gosched() // back to the connections (the answer just signed first) before another token
		default:
		}
	}
}

// run runs a job and folds its duration into the moving average.
func (q *signQueue) run(job func()) {
	start := time.Now()
	job()
	took := int64(time.Since(start))
	if avg := q.signTime.Load(); avg > 0 {
		took = avg + (took-avg)/8
	}
	q.signTime.Store(took)
}

// do runs sign on one of the queue's goroutines, after every job queued before it has started, and returns
// once it has run.
func (q *signQueue) do(sign func()) {
	done := make(chan struct{})
	q.jobs <- func() { sign(); close(done) }
	if time.Duration(int64(len(q.jobs))*q.signTime.Load()) > assistAfter {
		select {
		case q.help <- struct{}{}:
		default: // the assistant has a call waiting already
		}
	}
	<-done
}

// queued is how many jobs wait for a signer, for tests.
func (q *signQueue) queued() int { return len(q.jobs) }

// signers is the process's queue, shared by every Server in it (they share the processors). Its goroutines
// start on first use, not at package init, and last as long as the process.
var signers = sync.OnceValue(func() *signQueue {
	procs := runtime.GOMAXPROCS(0)
	return newSignQueue(procs-1, procs > 1) // one processor: it signs, and there is none to keep
})
