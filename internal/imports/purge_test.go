package imports_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/db/dbtest"
	"hrx/internal/imports"
)

// TestPurgeStale deletes the previews never applied a week after they
// expired, with their staged rows, problems and removals, and nothing else:
// not applied or reverted imports, not fresh previews, not the audit log.
func TestPurgeStale(t *testing.T) {
	d := dbtest.New(t)
	s := imports.NewStore(d)
	ctx := context.Background()
	actor := audit.System("test")
	now := time.Now().UTC()
	s.SetClock(func() time.Time { return now })

	applied := stage(t, s, "applied.csv", twoRows, imports.Merge)
	if _, err := s.Apply(ctx, actor, applied.ID); err != nil {
		t.Fatal(err)
	}
	reverted := stage(t, s, "reverted.csv", "month,direction,category,count\n2025-10,IN-JP,student,3\n", imports.Merge)
	if _, err := s.Apply(ctx, actor, reverted.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Revert(ctx, actor, reverted.ID); err != nil {
		t.Fatal(err)
	}
	preview := stage(t, s, "preview.csv", "month,direction,category,count\n2025-09,IN-JP,student,11\n2025-09,IN-JP,ssw,4\n", imports.Merge)
	replace := stage(t, s, "replace.csv", "month,direction,category,count\n2025-09,IN-JP,student,12\n", imports.Replace) // would remove JP-IN business
	broken := stage(t, s, "broken.csv", "month,direction,category,count\n2025-09,IN-JP,nonsense,1\n", imports.Merge)
	if replace.RemovedCount != 1 || broken.ErrorCount != 1 {
		t.Fatalf("replace %+v, broken %+v", replace, broken)
	}
	count := func(table string, id int64) (n int64) {
		d.R.Raw("SELECT COUNT(*) FROM "+table+" WHERE import_id = ?", id).Scan(&n)
		return n
	}
	var audited int64
	d.R.Raw("SELECT COUNT(*) FROM audit_log").Scan(&audited)

	// A week after they expired, less a minute: nothing goes.
	now = now.Add(imports.PreviewLifetime + imports.PreviewRetention - time.Minute)
	if n, err := s.PurgeStale(ctx); err != nil || n != 0 {
		t.Fatalf("before the week is out: %d purged, %v", n, err)
	}
	// Past it: the three previews go, whether still marked preview or expired.
	now = now.Add(2 * time.Minute)
	fresh := stage(t, s, "fresh.csv", "month,direction,category,count\n2025-09,IN-JP,student,99\n2025-09,IN-JP,hsp,1\n", imports.Merge) // also marks the old previews expired
	if im, _ := s.Get(ctx, preview.ID); im.State != imports.Expired {
		t.Fatalf("old preview is %s", im.State)
	}
	n, err := s.PurgeStale(ctx)
	if err != nil || n != 3 {
		t.Fatalf("purged %d, %v; want 3", n, err)
	}
	for _, im := range []imports.Import{preview, replace, broken} {
		if _, err := s.Get(ctx, im.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("%s: %v, want it gone", im.FileName, err)
		}
		if rows, issues, changes := count("import_rows", im.ID), count("import_issues", im.ID), count("import_changes", im.ID); rows+issues+changes != 0 {
			t.Errorf("%s left %d rows, %d issues, %d changes", im.FileName, rows, issues, changes)
		}
	}
	for _, im := range []imports.Import{applied, reverted, fresh} {
		if _, err := s.Get(ctx, im.ID); err != nil {
			t.Errorf("%s: %v, want it kept", im.FileName, err)
		}
	}
	if count("import_rows", applied.ID) != 2 || count("import_rows", fresh.ID) != 2 {
		t.Error("the staged rows of an applied import or a fresh preview were deleted")
	}
	var after int64
	d.R.Raw("SELECT COUNT(*) FROM audit_log").Scan(&after)
	if after != audited {
		t.Errorf("the audit log went from %d to %d entries", audited, after)
	}
	if n, err := s.PurgeStale(ctx); err != nil || n != 0 {
		t.Errorf("second purge: %d, %v", n, err)
	}
}
