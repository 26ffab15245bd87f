package imports_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/imports"
)

func stage(t *testing.T, s *imports.Store, name, content, mode string) imports.Import {
	t.Helper()
	im, err := s.Stage(context.Background(), audit.System("test"), imports.Upload{Name: name, Body: strings.NewReader(content), Mode: mode})
	if err != nil {
		t.Fatal(err)
	}
	return im
}

func people(t *testing.T, d *db.DB) (n, sum int64) {
	t.Helper()
	var r struct{ N, S int64 }
	d.R.Raw("SELECT COUNT(*) AS n, COALESCE(SUM(count), 0) AS s FROM figures").Scan(&r)
	return r.N, r.S
}

const twoRows = "month,direction,category,count\n2025-09,IN-JP,student,10\n2025-09,JP-IN,business,20\n"

func TestStageApplyRevert(t *testing.T) {
	d := dbtest.New(t)
	s := imports.NewStore(d)
	ctx := context.Background()
	im := stage(t, s, "a.csv", twoRows, imports.Merge)
	if im.State != imports.Preview || im.NewCount != 2 || im.RowCount != 2 || im.ErrorCount != 0 || len(im.SHA256) != 64 {
		t.Fatalf("staged: %+v", im)
	}
	if n, _ := people(t, d); n != 0 {
		t.Fatal("staging wrote figures")
	}
	im, err := s.Apply(ctx, audit.System("test"), im.ID)
	if err != nil || im.State != imports.Applied {
		t.Fatalf("apply: %v %+v", err, im)
	}
	if n, sum := people(t, d); n != 2 || sum != 30 {
		t.Fatalf("after apply: %d figures, %d people", n, sum)
	}
	// A second file changes one row and adds one.
	im2 := stage(t, s, "b.csv", "month,direction,category,count,note\n2025-09,IN-JP,student,15,corrected\n2025-09,IN-JP,ssw,5,\n2025-09,JP-IN,business,20,\n", imports.Merge)
	if im2.NewCount != 1 || im2.ChangedCount != 1 || im2.UnchangedCount != 1 {
		t.Fatalf("second preview: %+v", im2)
	}
	changed, _ := s.Changed(ctx, im2.ID, 10)
	if len(changed) != 1 || changed[0].OldCount != 10 || changed[0].NewCount != 15 || changed[0].NewNote != "corrected" {
		t.Errorf("changed rows: %+v", changed)
	}
	if _, err := s.Apply(ctx, audit.System("test"), im2.ID); err != nil {
		t.Fatal(err)
	}
	// Reverting the first import now is refused: the second touched its student row.
	_, err = s.Revert(ctx, audit.System("test"), im.ID)
	if rc := apperr.MsgOf(err); apperr.KindOf(err) != apperr.Conflict || rc.Arg("count") != int64(1) || rc.Arg("rows") != "2025-09/IN-JP/student" {
		t.Fatalf("revert of the first: %v", err)
	}
	// Reverting the second restores the old value and removes what it added.
	if _, err := s.Revert(ctx, audit.System("test"), im2.ID); err != nil {
		t.Fatal(err)
	}
	if n, sum := people(t, d); n != 2 || sum != 30 {
		t.Fatalf("after reverting the second: %d figures, %d people", n, sum)
	}
	// Now the first can go too, and the month is empty.
	if _, err := s.Revert(ctx, audit.System("test"), im.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := people(t, d); n != 0 {
		t.Fatalf("after reverting both: %d figures", n)
	}
	totals, _ := figures.NewStore(d).Totals(ctx, figures.Staff)
	if len(totals) != 0 {
		t.Errorf("month totals left: %+v", totals)
	}
}

func TestApplyRefusesAStalePreview(t *testing.T) {
	d := dbtest.New(t)
	s := imports.NewStore(d)
	im := stage(t, s, "a.csv", twoRows, imports.Merge)
	// Someone saves a figure of the same month after the preview.
	v := int64(3)
	if _, err := figures.NewStore(d).SaveGrid(context.Background(), audit.System("test"), "2025-09", []figures.CellInput{{Direction: "IN-JP", Category: "hsp", Value: &v}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Apply(context.Background(), audit.System("test"), im.ID)
	if apperr.KindOf(err) != apperr.Conflict || !strings.Contains(apperr.MsgOf(err).String(), "changed after this preview") {
		t.Fatalf("stale apply: %v", err)
	}
	if n, _ := people(t, d); n != 1 {
		t.Errorf("%d figures", n)
	}
}

func TestPreviewExpires(t *testing.T) {
	d := dbtest.New(t)
	s := imports.NewStore(d)
	im := stage(t, s, "a.csv", twoRows, imports.Merge)
	s.SetClock(func() time.Time { return time.Now().Add(25 * time.Hour) })
	got, _ := s.Get(context.Background(), im.ID)
	if got.State != imports.Expired {
		t.Errorf("state after 25 hours: %s", got.State)
	}
	_, err := s.Apply(context.Background(), audit.System("test"), im.ID)
	if apperr.KindOf(err) != apperr.Conflict || !strings.Contains(apperr.MsgOf(err).String(), "expired") {
		t.Fatalf("apply after expiry: %v", err)
	}
}

// TestFailureHalfWayLeavesNoTrace makes the database fail in the middle of
// applying (as a full disk or a killed process would) and checks that nothing
// of the import remains.
func TestFailureHalfWayLeavesNoTrace(t *testing.T) {
	d := dbtest.New(t)
	s := imports.NewStore(d)
	ctx := context.Background()
	content := "month,direction,category,count\n"
	for _, c := range []string{"engineer", "hsp", "ssw", "titp", "student", "researcher"} {
		content += "2025-09,IN-JP," + c + ",7\n"
	}
	im := stage(t, s, "a.csv", content, imports.Merge)
	if d.Dialect == db.SQLite {
		d.W.Exec(`CREATE TRIGGER fail_half_way BEFORE INSERT ON figures WHEN NEW.category = 'titp' BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
	} else {
		d.W.Exec(`CREATE FUNCTION fail_half_way() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.category = 'titp' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$`)
		d.W.Exec(`CREATE TRIGGER fail_half_way BEFORE INSERT ON figures FOR EACH ROW EXECUTE FUNCTION fail_half_way()`)
	}
	if _, err := s.Apply(ctx, audit.System("test"), im.ID); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("apply: %v", err)
	}
	if n, _ := people(t, d); n != 0 {
		t.Errorf("%d figures written by a failed apply", n)
	}
	var changes, applied int64
	d.R.Raw("SELECT COUNT(*) FROM import_changes").Scan(&changes)
	d.R.Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'apply'").Scan(&applied)
	got, _ := s.Get(ctx, im.ID)
	if changes != 0 || applied != 0 || got.State != imports.Preview {
		t.Errorf("traces: %d changes, %d audit entries, state %s", changes, applied, got.State)
	}
	// A cancelled upload leaves no import at all.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	big := "month,direction,category,count\n" + strings.Repeat("2025-10,IN-JP,student,1\n", 10)
	if _, err := s.Stage(cctx, audit.System("test"), imports.Upload{Name: "b.csv", Body: strings.NewReader(big)}); err == nil {
		t.Fatal("a cancelled upload succeeded")
	}
	list, _ := s.List(ctx, 10)
	if len(list) != 1 {
		t.Errorf("%d imports after a cancelled upload, want 1", len(list))
	}
}

func TestSamplesStaged(t *testing.T) {
	d := dbtest.New(t)
	s := imports.NewStore(d)
	for name, want := range map[string]struct{ rows, errs int64 }{
		"2025-09.csv":           {10, 0},
		"2025-09-shift_jis.csv": {10, 0},
		"2025-09-errors.csv":    {5, 4},
	} {
		b, err := os.ReadFile("../upload/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		im := stage(t, s, name, string(b), imports.Merge)
		if im.RowCount != want.rows || im.ErrorCount != want.errs {
			t.Errorf("%s: %d rows, %d errors; want %d, %d", name, im.RowCount, im.ErrorCount, want.rows, want.errs)
		}
	}
}
