package emulator

import (
	"runtime"
	"sync"
	"testing"
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
		q := newSignQueue(signers)
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
