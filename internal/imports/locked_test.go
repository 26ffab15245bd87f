package imports_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/i18n"
	"hrx/internal/imports"
	"hrx/internal/month"
)

// lockedBase is what the database holds before each case: September 2025
// published, October 2025 submitted, November 2025 open.
const lockedBase = "month,direction,category,count\n" +
	"2025-09,IN-JP,student,10\n2025-09,JP-IN,business,20\n" +
	"2025-10,IN-JP,student,30\n" +
	"2025-11,IN-JP,student,40\n"

var (
	publishedAt = time.Date(2025, 10, 5, 9, 30, 0, 0, time.UTC)
	submittedAt = time.Date(2025, 11, 3, 11, 0, 0, 0, time.UTC)
)

func lockedDB(t *testing.T) (*db.DB, *imports.Store) {
	t.Helper()
	d := dbtest.New(t)
	s := imports.NewStore(d)
	base := stage(t, s, "base.csv", lockedBase, imports.Merge)
	if _, err := s.Apply(context.Background(), audit.System("test"), base.ID); err != nil {
		t.Fatal(err)
	}
	states := []approval.MonthState{
		{Month: month.MustParse("2025-09"), State: approval.Published, Actor: "approver@example.gov.in", Action: "publish", ChangedAt: publishedAt, Publications: 1},
		{Month: month.MustParse("2025-10"), State: approval.Submitted, Actor: "editor@example.gov.in", Action: "submit", ChangedAt: submittedAt},
	}
	if err := d.W.Create(&states).Error; err != nil {
		t.Fatal(err)
	}
	return d, s
}

// TestYearToDateFiles: rows of a submitted or published month that change
// nothing count as unchanged and are accepted; rows that would change a
// locked month are refused with one message a month, naming who locked it
// and when; in merge and in replace mode.
func TestYearToDateFiles(t *testing.T) {
	const head = "month,direction,category,count\n"
	const sepUnchanged = "2025-09,IN-JP,student,10\n2025-09,JP-IN,business,20\n"
	cases := []struct {
		name, file, mode                 string
		new, changed, unchanged, removed int64
		months, locked                   string
		refused                          []string // per refused month: "month message-id count line"
	}{
		{name: "unchanged rows of a published month", file: head + sepUnchanged + "2025-11,IN-JP,student,45\n", mode: imports.Merge,
			changed: 1, unchanged: 2, months: "2025-11", locked: "2025-09"},
		{name: "a whole year to date, nothing changed in the locked months", file: head + sepUnchanged + "2025-10,IN-JP,student,30\n2025-11,IN-JP,student,41\n2025-12,IN-JP,student,50\n", mode: imports.Merge,
			new: 1, changed: 1, unchanged: 3, months: "2025-11,2025-12", locked: "2025-09,2025-10"},
		{name: "changed rows: one message a month", file: head + "2025-09,IN-JP,student,11\n2025-09,JP-IN,business,21\n2025-10,IN-JP,student,31\n2025-11,IN-JP,student,40\n", mode: imports.Merge,
			unchanged: 1, months: "2025-11",
			refused: []string{"2025-09 uploads.locked.rows 2 2", "2025-10 uploads.locked.rows 1 4"}},
		{name: "a new row in a published month", file: head + sepUnchanged + "2025-09,IN-JP,hsp,5\n", mode: imports.Merge,
			unchanged: 2, refused: []string{"2025-09 uploads.locked.rows 1 4"}},
		{name: "mixed: unchanged rows stay unchanged beside a refused one", file: head + "2025-10,IN-JP,student,30\n2025-09,IN-JP,student,10\n2025-09,JP-IN,business,25\n2025-11,IN-JP,ssw,3\n", mode: imports.Merge,
			new: 1, unchanged: 2, months: "2025-11", refused: []string{"2025-09 uploads.locked.rows 1 4"}},
		{name: "replace: a locked month the file has whole", file: head + sepUnchanged + "2025-11,IN-JP,ssw,3\n", mode: imports.Replace,
			new: 1, unchanged: 2, removed: 1, months: "2025-11", locked: "2025-09"},
		{name: "replace: a locked month missing a row", file: head + "2025-09,IN-JP,student,10\n", mode: imports.Replace,
			unchanged: 1, refused: []string{"2025-09 uploads.locked.removed 1 0"}},
		{name: "replace: a locked month changed and missing a row", file: head + "2025-09,IN-JP,student,12\n", mode: imports.Replace,
			refused: []string{"2025-09 uploads.locked.rows_removed 1 2"}},
	}
	en := i18n.New(i18n.EN, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, s := lockedDB(t)
			ctx := context.Background()
			im := stage(t, s, "ytd.csv", tc.file, tc.mode)
			got := [4]int64{im.NewCount, im.ChangedCount, im.UnchangedCount, im.RemovedCount}
			if want := [4]int64{tc.new, tc.changed, tc.unchanged, tc.removed}; got != want {
				t.Errorf("new, changed, unchanged, removed = %v, want %v", got, want)
			}
			issues, err := s.Issues(ctx, im.ID, "error", 0)
			if err != nil {
				t.Fatal(err)
			}
			if im.ErrorCount != int64(len(tc.refused)) || len(issues) != len(tc.refused) {
				t.Fatalf("%d errors (%d listed), want %d: %+v", im.ErrorCount, len(issues), len(tc.refused), issues)
			}
			for i, is := range issues {
				desc := fmt.Sprint(is.Value, " ", is.Msg.ID, " ", is.Msg.Arg("count"), " ", is.Line)
				if desc != tc.refused[i] {
					t.Errorf("refusal %d: %s, want %s", i, desc, tc.refused[i])
				}
				words := en.Tr(is.Msg)
				who, when := "approver@example.gov.in", en.Time(publishedAt)
				if is.Value == "2025-10" {
					who, when = "editor@example.gov.in", en.Time(submittedAt)
				}
				if !strings.Contains(words, who) || !strings.Contains(words, when) {
					t.Errorf("refusal %d does not name %s and %s: %s", i, who, when, words)
				}
			}
			if len(tc.refused) > 0 {
				if im.State != imports.Rejected {
					t.Errorf("state %s, want rejected", im.State)
				}
				if _, err := s.Apply(ctx, audit.System("test"), im.ID); apperr.KindOf(err) != apperr.Conflict {
					t.Errorf("applying a rejected file: %v", err)
				}
				return
			}
			if im.Months != tc.months || im.LockedMonths != tc.locked || im.State != imports.Preview {
				t.Errorf("months %q, locked %q, state %s; want %q, %q, preview", im.Months, im.LockedMonths, im.State, tc.months, tc.locked)
			}
			before := lockedFigures(t, d)
			if _, err := s.Apply(ctx, audit.System("test"), im.ID); err != nil {
				t.Fatalf("apply: %v", err)
			}
			if after := lockedFigures(t, d); after != before {
				t.Errorf("the locked months changed: %s, then %s", before, after)
			}
		})
	}
}

// lockedFigures sums up the figures of the locked months.
func lockedFigures(t *testing.T, d *db.DB) string {
	t.Helper()
	var r struct{ N, S, V int64 }
	d.R.Raw("SELECT COUNT(*) AS n, COALESCE(SUM(count), 0) AS s, COALESCE(SUM(version), 0) AS v FROM figures WHERE month IN ('2025-09', '2025-10')").Scan(&r)
	return fmt.Sprintf("%d/%d/%d", r.N, r.S, r.V)
}

// TestYearToDateChangedSince: a preview whose locked months were reopened and
// changed before it is applied is refused, as for the months it writes.
func TestYearToDateChangedSince(t *testing.T) {
	d, s := lockedDB(t)
	ctx := context.Background()
	im := stage(t, s, "ytd.csv", "month,direction,category,count\n2025-09,IN-JP,student,10\n2025-11,IN-JP,student,44\n", imports.Merge)
	if im.ErrorCount != 0 || im.LockedMonths != "2025-09" {
		t.Fatalf("preview: %+v", im)
	}
	// September is reopened and its student figure corrected.
	d.W.Exec("UPDATE month_states SET state = 'open' WHERE month = '2025-09'")
	d.W.Exec("UPDATE figures SET count = 12, version = version + 1 WHERE month = '2025-09' AND category = 'student'")
	_, err := s.Apply(ctx, audit.System("test"), im.ID)
	if apperr.KindOf(err) != apperr.Conflict || apperr.MsgOf(err).ID != "imports.apply.changed_since" {
		t.Fatalf("apply after the locked month changed: %v", err)
	}
}
