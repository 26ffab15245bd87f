// Package logbuf is the writer under the server's log: each line is copied
// into memory and a goroutine writes them out in batches, so that a request
// never waits on a terminal, a pipe or a slow disk to log itself, and tens of
// thousands of lines a second cost a few writes, not one system call each.
package logbuf

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Writer batches writes to an io.Writer. Each Write is kept whole (slog
// writes one line per call), in order. Past Max bytes waiting (the output is
// stuck), lines are dropped and counted rather than holding up their writers.
type Writer struct {
	out     io.Writer
	max     int
	mu      sync.Mutex
	buf     []byte
	closed  bool
	once    sync.Once
	dropped atomic.Int64
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

// Sizes and timing: a batch goes out every Every, or as soon as FlushAt bytes wait.
const (
	Every   = 100 * time.Millisecond
	FlushAt = 32 << 10
	Max     = 8 << 20
)

// New starts a Writer on out; Close writes what is left and stops it.
func New(out io.Writer) *Writer {
	w := &Writer{out: out, max: Max, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

// Write keeps a copy of p for the next batch. It never fails: a line that
// does not fit is dropped and counted (Dropped).
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	if w.closed {
		defer w.mu.Unlock()
		return w.out.Write(p)
	}
	if len(w.buf)+len(p) > w.max {
		w.mu.Unlock()
		w.dropped.Add(1)
		return len(p), nil
	}
	w.buf = append(w.buf, p...)
	full := len(w.buf) >= FlushAt
	w.mu.Unlock()
	if full {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
	return len(p), nil
}

// Dropped is how many writes were dropped because the output fell behind.
func (w *Writer) Dropped() int64 { return w.dropped.Load() }

// Close writes out what waits and stops the goroutine; later writes go
// straight to the output.
func (w *Writer) Close() error {
	var err error
	w.once.Do(func() {
		close(w.stop)
		<-w.done
		// Lines written while the goroutine stopped, then the rest in order.
		w.mu.Lock()
		defer w.mu.Unlock()
		w.closed = true
		if len(w.buf) > 0 {
			_, err = w.out.Write(w.buf)
		}
		w.buf = nil
	})
	return err
}

func (w *Writer) loop() {
	defer close(w.done)
	t := time.NewTicker(Every)
	defer t.Stop()
	var spare []byte
	for {
		select {
		case <-t.C:
		case <-w.wake:
		case <-w.stop:
			return
		}
		w.mu.Lock()
		batch := w.buf
		w.buf = spare[:0]
		w.mu.Unlock()
		if len(batch) > 0 {
			w.out.Write(batch)
		}
		spare = batch
	}
}
