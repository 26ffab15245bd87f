package imports_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/imports"
	"hrx/internal/upload"
)

// bigFile writes n rows with distinct keys over twelve months; change(i) may
// alter row i's count cell.
func bigFile(n int, change func(i int, count string) string) string {
	cats := []string{"engineer", "hsp", "ssw", "titp", "student", "researcher", "language_teacher", "short_term", "business", "other"}
	sectors := []string{"nursing_care", "construction", "it_software", "semiconductors", "agriculture", "food_service", "research", "education", "healthcare", "business_services", "other"}
	states := []string{"AP", "AS", "BR", "CG", "DL", "GA", "GJ", "HR", "HP", "JH", "KA", "KL", "MP", "MH", "MN", "OD", "PB", "RJ", "TN", "TS", "UP", "UK", "WB"}
	var b strings.Builder
	b.WriteString("month,direction,category,count,sector,origin,note\n")
	for i := 0; i < n; i++ {
		m := fmt.Sprintf("2024-%02d", 1+(i/(10*11*23))%12)
		count := fmt.Sprint(i%500 + 1)
		if change != nil {
			count = change(i, count)
		}
		fmt.Fprintf(&b, "%s,IN-JP,%s,%s,%s,IN-%s,\"row %d, with \"\"quotes\"\"\"\n", m, cats[i%10], count, sectors[(i/10)%11], states[(i/110)%23], i)
	}
	return b.String()
}

// TestStageManyRows stages files of several thousand rows, more than one batch
// of reading and of writing, and checks that counts, problems (in line order,
// a repeated key naming its first line), the listed rows and a replace all
// come out as they would a row at a time.
func TestStageManyRows(t *testing.T) {
	d := dbtest.New(t)
	s := imports.NewStore(d)
	ctx := context.Background()
	const n = 5000
	im := stage(t, s, "big.csv", bigFile(n, nil), imports.Merge)
	if im.RowCount != n || im.NewCount != n || im.ErrorCount != 0 {
		t.Fatalf("first file: %+v", im)
	}
	added, err := s.Added(ctx, im.ID, 3)
	if err != nil || len(added) != 3 || added[0].Line != 2 || added[2].Line != 4 || added[1].Note != `row 1, with "quotes"` {
		t.Fatalf("added rows: %v %+v", err, added)
	}
	if _, err := s.Apply(ctx, audit.System("test"), im.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := people(t, d); got != n {
		t.Fatalf("%d figures after apply, want %d", got, n)
	}

	// The same file with every 1000th row corrected, every 997th broken,
	// and the row of line 7 repeated on line 4002; as a replace, the rows of
	// the file's months it no longer has are removed.
	again := bigFile(n, func(i int, count string) string {
		switch {
		case i%997 == 0 && i > 0:
			return "many"
		case i%1000 == 0:
			return "9999"
		}
		return count
	})
	lines := strings.SplitAfter(again, "\n")
	lines[4001] = lines[6]
	lines = append(lines[:4500], lines[4600:]...) // drops lines 4501 to 4600
	im2 := stage(t, s, "big2.csv", strings.Join(lines, ""), imports.Replace)
	broken := int64(5) // 997, 1994, 2991, 3988, 4985 (4985 is after the cut, as line 4887)
	if im2.ErrorCount != broken+1 || im2.RowCount != n-100 {
		t.Fatalf("second file: %+v", im2)
	}
	issues, err := s.Issues(ctx, im2.ID, "error", 0)
	if err != nil || len(issues) != int(broken+1) {
		t.Fatalf("issues: %v %+v", err, issues)
	}
	for i := 1; i < len(issues); i++ {
		if issues[i].Line <= issues[i-1].Line {
			t.Errorf("issues out of line order: %+v", issues)
		}
	}
	var dup upload.Issue
	for _, is := range issues {
		if is.Column == "duplicate" {
			dup = is
		}
	}
	if dup.Line != 4002 || !strings.Contains(dup.Msg.String(), "line 7") {
		t.Errorf("repeated key: %+v", dup)
	}
	// Row 4000's key is now on line 4002 (a duplicate, so not in the file) and
	// 100 rows were cut; the broken rows are not removed, since the file has
	// errors and cannot be applied, but they are not in it either.
	wantChanged := int64(4) // rows 1000, 2000, 3000 and 0 (row 4000 was replaced by the repeat)
	if im2.ChangedCount != wantChanged || im2.NewCount != 0 {
		t.Errorf("second file: %d changed, %d new; want %d, 0", im2.ChangedCount, im2.NewCount, wantChanged)
	}
	if im2.RemovedCount != 100+broken+1 {
		t.Errorf("removed %d, want %d", im2.RemovedCount, 100+broken+1)
	}
	if got := im2.NewCount + im2.ChangedCount + im2.UnchangedCount + im2.ErrorCount; got != im2.RowCount {
		t.Errorf("counts add up to %d, not %d rows", got, im2.RowCount)
	}
	changed, err := s.Changed(ctx, im2.ID, 10)
	if err != nil || len(changed) != int(wantChanged) || changed[0].Line != 2 || changed[0].NewCount != 9999 || changed[0].OldCount != 1 || changed[1].Line != 1002 {
		t.Errorf("changed rows: %v %+v", err, changed)
	}

	// The first file again, unchanged, stages no rows and applies nothing.
	im3 := stage(t, s, "big.csv", bigFile(n, nil), imports.Merge)
	if im3.UnchangedCount != n || im3.NewCount+im3.ChangedCount+im3.ErrorCount != 0 {
		t.Errorf("same file again: %+v", im3)
	}
	var staged int64
	d.R.Raw("SELECT COUNT(*) FROM import_rows WHERE import_id = ?", im3.ID).Scan(&staged)
	if staged != 0 {
		t.Errorf("%d rows staged for a file that changes nothing", staged)
	}
}

// TestStageWriteFailsHalfWay makes writing the staged rows fail after a few
// batches: the upload fails as a whole, leaves no import, and the reading
// goroutine stops.
func TestStageWriteFailsHalfWay(t *testing.T) {
	d := dbtest.New(t)
	s := imports.NewStore(d)
	ctx := context.Background()
	if d.Dialect == db.SQLite {
		d.W.Exec(`CREATE TRIGGER fail_half_way BEFORE INSERT ON import_rows WHEN NEW.line = 3500 BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
	} else {
		d.W.Exec(`CREATE FUNCTION fail_half_way() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.line = 3500 THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$`)
		d.W.Exec(`CREATE TRIGGER fail_half_way BEFORE INSERT ON import_rows FOR EACH ROW EXECUTE FUNCTION fail_half_way()`)
	}
	_, err := s.Stage(ctx, audit.System("test"), imports.Upload{Name: "big.csv", Body: strings.NewReader(bigFile(20000, nil))})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("stage: %v", err)
	}
	var imps, rows int64
	d.R.Raw("SELECT COUNT(*) FROM imports").Scan(&imps)
	d.R.Raw("SELECT COUNT(*) FROM import_rows").Scan(&rows)
	if imps != 0 || rows != 0 {
		t.Errorf("a failed upload left %d imports, %d staged rows", imps, rows)
	}
}
