package imports_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/db/dbtest"
	"hrx/internal/imports"
)

// heldBody is an upload that, once read, holds its staging (and its slot)
// until released.
type heldBody struct {
	io.ReadSeeker
	reading, release chan struct{}
	once             sync.Once
}

func newHeldBody(content string) *heldBody {
	return &heldBody{ReadSeeker: strings.NewReader(content), reading: make(chan struct{}), release: make(chan struct{})}
}

func (b *heldBody) Read(p []byte) (int, error) {
	b.once.Do(func() {
		close(b.reading)
		<-b.release
	})
	return b.ReadSeeker.Read(p)
}

// TestImportSlots stages two files at once with one slot: the second waits,
// gets the slot when the first is done, or is told the server is busy.
func TestImportSlots(t *testing.T) {
	d := dbtest.New(t)
	s := imports.NewStore(d)
	imports.SetSlots(s, 1, 300*time.Millisecond)
	ctx := context.Background()
	actor := audit.System("test")

	earlier := stage(t, s, "earlier.csv", twoRows, imports.Merge)
	first := newHeldBody(twoRows)
	done := make(chan error, 1)
	go func() {
		_, err := s.Stage(ctx, actor, imports.Upload{Name: "first.csv", Body: first})
		done <- err
	}()
	<-first.reading

	// No slot comes free: staging, applying and reverting are all refused after the wait.
	start := time.Now()
	_, err := s.Stage(ctx, actor, imports.Upload{Name: "second.csv", Body: strings.NewReader(twoRows)})
	var busy *apperr.Error
	if !errors.As(err, &busy) || !errors.Is(err, apperr.ErrBusy) || busy.RetryAfter != time.Minute ||
		busy.Msg.String() != "The server is busy checking other uploads. Try again in a minute." {
		t.Fatalf("second staging: %v, want the busy error", err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond || waited > 5*time.Second {
		t.Errorf("the second staging waited %v, want the 300 ms wait", waited)
	}
	if _, err := s.Apply(ctx, actor, earlier.ID); !errors.As(err, &busy) {
		t.Errorf("apply while busy: %v", err)
	}
	if _, err := s.Revert(ctx, actor, earlier.ID); !errors.As(err, &busy) {
		t.Errorf("revert while busy: %v", err)
	}

	// A request that goes away stops waiting.
	gone, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := s.Stage(gone, actor, imports.Upload{Name: "gone.csv", Body: strings.NewReader(twoRows)}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("staging for a request that went away: %v", err)
	}

	close(first.release)
	if err := <-done; err != nil {
		t.Fatalf("the first staging: %v", err)
	}

	// One that is waiting when the first finishes gets the slot.
	imports.SetSlots(s, 1, 10*time.Second)
	held := newHeldBody(twoRows)
	go func() {
		_, err := s.Stage(ctx, actor, imports.Upload{Name: "held.csv", Body: held})
		done <- err
	}()
	<-held.reading
	second := make(chan error, 1)
	go func() {
		_, err := s.Stage(ctx, actor, imports.Upload{Name: "waiting.csv", Body: strings.NewReader(twoRows)})
		second <- err
	}()
	time.Sleep(100 * time.Millisecond)
	close(held.release)
	if err := <-done; err != nil {
		t.Errorf("the held staging: %v", err)
	}
	if err := <-second; err != nil {
		t.Errorf("the waiting staging: %v", err)
	}
}
