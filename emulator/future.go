package emulator

import (
	"sync"
	"sync/atomic"
)

// future is a value computed in the background at most once. RSA key generation must stay off the start
// path, and a key nobody needs (the rotated key without its scenario, the daemon's certificate when no one
// asks for it) must not be made at all: start begins the work without waiting, wait starts it if nobody
// has and blocks until it is ready.
type future[T any] struct {
	compute func() (T, error)
	once    sync.Once
	begun   atomic.Bool
	done    chan struct{}
	val     T
	err     error
}

func newFuture[T any](compute func() (T, error)) *future[T] {
	return &future[T]{compute: compute, done: make(chan struct{})}
}

// start begins the computation in the background, once; later calls do nothing.
func (f *future[T]) start() {
	f.once.Do(func() {
		f.begun.Store(true)
		go func() {
			defer close(f.done)
			f.val, f.err = f.compute()
		}()
	})
}

// wait starts the computation if needed and returns its result.
func (f *future[T]) wait() (T, error) {
	f.start()
	<-f.done
	return f.val, f.err
}

// started reports whether anyone asked for the value: a key never started signed nothing.
func (f *future[T]) started() bool { return f.begun.Load() }

// settle waits for a computation that was started, and does not start one.
func (f *future[T]) settle() {
	if f.started() {
		<-f.done
	}
}
