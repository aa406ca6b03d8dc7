package emulator

import (
	"runtime"
	"sync"
	"testing"
)

// waitQueued yields until n holders are queued: the limiter's own count, not a sleep.
func waitQueued(l *fifoLimit, n int) {
	for l.waiting() != n {
		runtime.Gosched()
	}
}

// TestFIFOLimitLetsInInArrivalOrder: with the places taken, waiters get in in the order they queued (one
// place, so that the order is the limiter's, not the scheduler's), and never more than the limit hold a
// place at once. Twice each, to see the limiter come back to its first state.
func TestFIFOLimitLetsInInArrivalOrder(t *testing.T) {
	for _, places := range []int{1, 2} {
		checkFIFOLimit(t, places)
	}
}

func checkFIFOLimit(t *testing.T, places int) {
	const waiters = 8
	l := newFIFOLimit(places)
	for round := 0; round < 2; round++ {
		for i := 0; i < places; i++ {
			l.acquire()
		}
		var (
			mu           sync.Mutex
			order        []int
			inside, most int
			wg           sync.WaitGroup
		)
		for i := 0; i < waiters; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l.acquire()
				mu.Lock()
				order = append(order, i)
				inside++
				most = max(most, inside)
				mu.Unlock()
				runtime.Gosched() // hold the place a moment, so that holders overlap if the limit lets them
				mu.Lock()
				inside--
				mu.Unlock()
				l.release()
			}()
			waitQueued(l, i+1) // the next one arrives only once this one is in the queue
		}
		for i := 0; i < places; i++ {
			l.release()
		}
		wg.Wait()
		for i, got := range order {
			if places == 1 && got != i {
				t.Fatalf("round %d: let in %v, want arrival order", round, order)
			}
		}
		if most > places || l.waiting() != 0 || l.free != places {
			t.Fatalf("limit %d, round %d: %d inside at once, %d still waiting, %d free", places, round, most, l.waiting(), l.free)
		}
	}
}
