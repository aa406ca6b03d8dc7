package emulator

// future is a value computed in the background (RSA key generation must stay off the start path); wait
// blocks until it is ready.
type future[T any] struct {
	done chan struct{}
	val  T
	err  error
}

func startFuture[T any](compute func() (T, error)) *future[T] {
	f := &future[T]{done: make(chan struct{})}
	go func() {
		defer close(f.done)
		f.val, f.err = compute()
	}()
	return f
}

func (f *future[T]) wait() (T, error) {
	<-f.done
	return f.val, f.err
}
