package logbuf

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the writer's goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLinesGoOutInOrderAndCloseFlushes(t *testing.T) {
	var out syncBuffer
	w := New(&out)
	var want strings.Builder
	for i := range 5000 {
		line := fmt.Sprintf("line %d\n", i)
		want.WriteString(line)
		if _, err := w.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	w.Write([]byte("after close\n"))
	want.WriteString("after close\n")
	if out.String() != want.String() {
		t.Fatalf("got %d bytes, want %d; in order: %v", len(out.String()), want.Len(), strings.HasPrefix(want.String(), out.String()))
	}
}

func TestWritesComeOutWithoutClose(t *testing.T) {
	var out syncBuffer
	w := New(&out)
	defer w.Close()
	w.Write([]byte("one line\n"))
	deadline := time.Now().Add(2 * time.Second)
	for out.String() != "one line\n" {
		if time.Now().After(deadline) {
			t.Fatalf("not written after 2 s: %q", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// blocked is an output that does not return until released.
type blocked struct{ release chan struct{} }

func (b blocked) Write(p []byte) (int, error) { <-b.release; return len(p), nil }

func TestAStuckOutputDropsLinesInsteadOfBlocking(t *testing.T) {
	out := blocked{release: make(chan struct{})}
	w := New(out)
	line := bytes.Repeat([]byte("x"), 1000)
	done := make(chan struct{})
	go func() {
		for range 3 * Max / len(line) {
			w.Write(line)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("writes blocked on a stuck output")
	}
	if w.Dropped() == 0 {
		t.Error("no line counted as dropped")
	}
	close(out.release)
	w.Close()
}
