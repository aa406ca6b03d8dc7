package emulator

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// waitQueued yields until n jobs are queued: the queue's own count, not a sleep.
func waitQueued(q *signQueue, n int) {
	for q.queued() != n {
		runtime.Gosched()
	}
}

// TestSignQueueSignsInArrivalOrder: with every signer busy, queued jobs run in the order they queued (one
// signer, so that the order is the queue's, not the scheduler's), and never more than the signers run at
// once. Twice each, to see the queue come back to its first state.
func TestSignQueueSignsInArrivalOrder(t *testing.T) {
	for _, signers := range []int{1, 2} {
		q := newSignQueue(signers, false)
		for round := range 2 {
			checkSignQueue(t, q, signers, round)
		}
	}
}

func checkSignQueue(t *testing.T, q *signQueue, signers, round int) {
	const waiters = 8
	var (
		mu           sync.Mutex
		order        []int
		inside, most int
		all          sync.WaitGroup
		busy         sync.WaitGroup
	)
	hold := make(chan struct{})
	busy.Add(signers)
	for range signers { // occupy every signer until hold closes
		all.Add(1)
		go func() {
			defer all.Done()
			q.do(func() { busy.Done(); <-hold })
		}()
	}
	busy.Wait()
	for i := range waiters {
		all.Add(1)
		go func() {
			defer all.Done()
			q.do(func() {
				mu.Lock()
				order = append(order, i)
				inside++
				most = max(most, inside)
				mu.Unlock()
				runtime.Gosched() // hold the signer a moment, so that jobs overlap if the queue lets them
				mu.Lock()
				inside--
				mu.Unlock()
			})
		}()
		waitQueued(q, i+1) // the next one arrives only once this one is queued
	}
	close(hold)
	all.Wait()
	for i, got := range order {
		if signers == 1 && got != i {
			t.Fatalf("round %d: signed %v, want arrival order", round, order)
		}
	}
	if len(order) != waiters || most > signers || q.queued() != 0 {
		t.Fatalf("%d signers, round %d: %d jobs ran, %d at once, %d still queued", signers, round, len(order), most, q.queued())
	}
}

// TestSignQueueAssistsOnlyALongQueue: the processor kept for connections signs a queued token while the
// queue holds more than assistAfter of signing, and not while it holds less; twice each.
func TestSignQueueAssistsOnlyALongQueue(t *testing.T) {
	for _, tc := range []struct {
		name     string
		signTime time.Duration // what the queue believes one signature takes
		assisted bool
	}{{"long", time.Second, true}, {"short", time.Nanosecond, false}} {
		q := newSignQueue(1, true)
		for round := range 2 {
			q.signTime.Store(int64(tc.signTime))
			hold, held := make(chan struct{}), make(chan struct{})
			var mu sync.Mutex
			var finished []string
			note := func(s string) { mu.Lock(); finished = append(finished, s); mu.Unlock() }
			var all sync.WaitGroup
			all.Add(2)
			go func() { defer all.Done(); q.do(func() { close(held); <-hold; note("held") }) }()
			<-held // the dedicated signer is busy
			q.signTime.Store(int64(tc.signTime))
			go func() { defer all.Done(); q.do(func() { note("queued") }) }()
			if tc.assisted {
				for deadline := time.Now().Add(10 * time.Second); ; runtime.Gosched() { // the assistant signs it while the signer is held
					mu.Lock()
					n := len(finished)
					mu.Unlock()
					if n == 1 {
						break
					}
					if time.Now().After(deadline) {
						close(hold)
						t.Fatalf("%s queue, round %d: the queued token waited for the held one", tc.name, round)
					}
				}
			} else {
				waitQueued(q, 1)
			}
			close(hold)
			all.Wait()
			want := []string{"held", "queued"}
			if tc.assisted {
				want = []string{"queued", "held"}
			}
			if fmt.Sprint(finished) != fmt.Sprint(want) {
				t.Fatalf("%s queue, round %d: finished %v, want %v", tc.name, round, finished, want)
			}
		}
	}
}
