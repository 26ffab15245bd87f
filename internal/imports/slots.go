package imports

import (
	"context"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
)

// Reading and staging a large file takes a core and a few hundred megabytes
// for as long as it runs, and applying or reverting one holds the database's
// writer; so a Store does only so many at once. The rest wait a little, then
// are told to come back.
const (
	importSlots    = 2
	importSlotWait = 10 * time.Second
)

// slots limits the imports one Store reads, stages, applies or reverts at once.
type slots struct {
	free chan struct{}
	wait time.Duration
}

func newSlots(n int, wait time.Duration) slots {
	return slots{free: make(chan struct{}, n), wait: wait}
}

// errImportsBusy is the answer when no slot comes free in time.
func errImportsBusy() error {
	return &apperr.Error{Kind: apperr.Busy, Msg: i18n.M("imports.busy"), RetryAfter: time.Minute}
}

// acquire takes a slot, waiting up to s.wait while ctx lasts, and returns
// the function that gives it back.
func (s slots) acquire(ctx context.Context) (release func(), err error) {
	release = func() { <-s.free }
	select {
	case s.free <- struct{}{}:
		return release, nil
	default:
	}
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case s.free <- struct{}{}:
		return release, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, errImportsBusy()
	}
}
