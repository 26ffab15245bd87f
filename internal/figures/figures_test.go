package figures_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"hrx/internal/audit"
	"hrx/internal/dataversion"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
)

func seven(v int64) *int64 { return &v }

func TestSaveGrid(t *testing.T) {
	d := dbtest.New(t)
	s := figures.NewStore(d)
	ctx := context.Background()
	actor := audit.System("test")
	v0, _ := dataversion.Current(ctx, d)
	n, err := s.SaveGrid(ctx, actor, "2025-09", []figures.CellInput{
		{Direction: "IN-JP", Category: "student", Value: seven(143)},
		{Direction: "JP-IN", Category: "student", Value: nil},
	})
	if err != nil || n != 1 {
		t.Fatalf("first save: %d, %v", n, err)
	}
	if v1, _ := dataversion.Current(ctx, d); v1 != v0+1 {
		t.Errorf("data version %d → %d", v0, v1)
	}
	// Saving the same values again changes nothing and keeps the version.
	n, err = s.SaveGrid(ctx, actor, "2025-09", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: seven(143), Version: 1}})
	if err != nil || n != 0 {
		t.Fatalf("same values: %d, %v", n, err)
	}
	// A stale version is a conflict naming the cell; nothing changes.
	_, err = s.SaveGrid(ctx, actor, "2025-09", []figures.CellInput{
		{Direction: "IN-JP", Category: "ssw", Value: seven(5)},
		{Direction: "IN-JP", Category: "student", Value: seven(1), Version: 0},
	})
	var ce *figures.ConflictError
	if !errors.As(err, &ce) || len(ce.Conflicts) != 1 || ce.Conflicts[0].Category != "student" || ce.Conflicts[0].Current.Total != 143 {
		t.Fatalf("stale save: %v", err)
	}
	g, _ := s.Grid(ctx, "2025-09")
	if len(g.Cells) != 1 || g.Total() != 143 {
		t.Errorf("after the refused save: %+v", g.Cells)
	}
	// Clearing a box removes the figure and its total.
	if n, err := s.SaveGrid(ctx, actor, "2025-09", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: nil, Version: 1}}); err != nil || n != 1 {
		t.Fatalf("clear: %d, %v", n, err)
	}
	if g, _ := s.Grid(ctx, "2025-09"); len(g.Cells) != 0 {
		t.Errorf("after clearing: %+v", g.Cells)
	}
	if totals, _ := s.Totals(ctx, figures.Staff); len(totals) != 0 {
		t.Errorf("totals after clearing: %+v", totals)
	}
}

// TestTwoPoolsUnderLoad runs 8 readers and 2 writers at once: with the separate
// write pool, no request fails with "database is locked".
func TestTwoPoolsUnderLoad(t *testing.T) {
	d := dbtest.New(t)
	if d.Dialect != db.SQLite {
		t.Skip("SQLite's locking only")
	}
	s := figures.NewStore(d)
	ctx := context.Background()
	deadline := time.Now().Add(700 * time.Millisecond)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			m := fmt.Sprintf("2025-%02d", w+1)
			for i := int64(0); time.Now().Before(deadline); i++ {
				g, err := s.Grid(ctx, m)
				if err == nil {
					_, err = s.SaveGrid(ctx, audit.System("load"), m, []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: seven(i), Version: g.Cell("IN-JP", "student").Version()}})
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	for r := 0; r < 8; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, err := s.Totals(ctx, figures.Staff); err != nil {
					errs <- err
					return
				}
				if _, err := dataversion.Current(ctx, d); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
