package review_test

import (
	"context"
	"strings"
	"testing"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/imports"
	"hrx/internal/month"
	"hrx/internal/review"
	"hrx/internal/users"
)

var ctx = context.Background()

func seed(t *testing.T, d *db.DB, rows ...figures.Figure) {
	t.Helper()
	if err := figures.NewStore(d).Insert(ctx, audit.System("test"), rows, "test"); err != nil {
		t.Fatal(err)
	}
}

func publish(t *testing.T, d *db.DB, m string, opts approval.RangeOptions) {
	t.Helper()
	opts.SingleApprover = true
	mm := month.MustParse(m)
	res, err := approval.NewStore(d, figures.NewStore(d)).PublishRange(ctx, audit.System("test"), mm, mm, opts)
	if err != nil || res.Stopped != nil {
		t.Fatalf("publishing %s: %+v %v", m, res, err)
	}
}

func save(t *testing.T, d *db.DB, actor audit.Actor, m, dir, cat string, n int64) {
	t.Helper()
	fs := figures.NewStore(d)
	g, err := fs.Grid(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.SaveGrid(ctx, actor, m, []figures.CellInput{{Direction: dir, Category: cat, Value: &n, Version: g.Cell(dir, cat).Version()}}); err != nil {
		t.Fatal(err)
	}
}

func monthReview(t *testing.T, d *db.DB, m string) review.Review {
	t.Helper()
	r, err := review.NewStore(d).Month(ctx, month.MustParse(m))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func change(before, after int64) review.Change {
	return review.Change{Before: before, After: after, HadBefore: true, HasAfter: true}
}

// TestReviewBases: a month never published is compared with the latest
// earlier month with figures (or with nothing, when there is none); a month
// reopened for revision with its last publication, as the public sees it.
func TestReviewBases(t *testing.T) {
	d := dbtest.New(t)
	ed := audit.System("ed@example.gov.in")
	if r := monthReview(t, d, "2025-09"); r.Base.Kind != review.NoBase || len(r.Cells) != 0 || len(r.Edits) != 0 {
		t.Errorf("an empty tracker: %+v", r)
	}
	seed(t, d,
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 100},
		figures.Figure{Month: "2025-09", Direction: "JP-IN", Category: "business", Count: 40},
	)
	if r := monthReview(t, d, "2025-09"); r.Base.Kind != review.NoBase || r.Cell("IN-JP", "student") != (review.Change{After: 100, HasAfter: true}) {
		t.Errorf("the first month with figures: %+v", r)
	}
	// October, never published, with September before it: compared with September.
	seed(t, d,
		figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 120},
		figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "engineer", Count: 7},
	)
	r := monthReview(t, d, "2025-10")
	if r.Base.Kind != review.EarlierMonth || r.Base.Month != month.MustParse("2025-09") {
		t.Fatalf("base of a first publication: %+v", r.Base)
	}
	wants := map[review.Cell]review.Change{
		{Direction: "IN-JP", Category: "student"}:  change(100, 120),
		{Direction: "IN-JP", Category: "engineer"}: {After: 7, HasAfter: true},
		{Direction: "JP-IN", Category: "business"}: {Before: 40, HadBefore: true},
	}
	for c, w := range wants {
		if got := r.Cell(c.Direction, c.Category); got != w {
			t.Errorf("first publication, %v: %+v, want %+v", c, got, w)
		}
	}
	if tot := r.Total(); tot.Before != 140 || tot.After != 127 {
		t.Errorf("total: %+v", tot)
	}
	// A gap: December is compared with the latest month with figures, October.
	if r := monthReview(t, d, "2025-12"); r.Base.Kind != review.EarlierMonth || r.Base.Month != month.MustParse("2025-10") {
		t.Errorf("December's base: %+v", r.Base)
	}

	// Published, reopened and changed: compared with its publication.
	publish(t, d, "2025-09", approval.RangeOptions{})
	publish(t, d, "2025-10", approval.RangeOptions{})
	if _, err := approval.NewStore(d, figures.NewStore(d)).Do(ctx, audit.System("ap"), users.Admin, "2025-10", approval.Reopen, "JASSO revised October"); err != nil {
		t.Fatal(err)
	}
	save(t, d, ed, "2025-10", "IN-JP", "student", 90)
	save(t, d, ed, "2025-10", "JP-IN", "ssw", 3)
	r = monthReview(t, d, "2025-10")
	if r.Base.Kind != review.LastPublication || r.Base.By != "test" || r.Base.At.IsZero() || r.Base.NothingToReport {
		t.Fatalf("base of a revision: %+v", r.Base)
	}
	if got := r.Cell("IN-JP", "student"); got != change(120, 90) {
		t.Errorf("revised cell: %+v", got)
	}
	if got := r.Cell("IN-JP", "engineer"); !got.Same() || !got.HasAfter {
		t.Errorf("unchanged cell: %+v", got)
	}
	if got := r.Cell("JP-IN", "ssw"); !got.Added() {
		t.Errorf("new cell: %+v", got)
	}
	if n := r.ChangedCells(); n != 2 {
		t.Errorf("%d cells changed, want 2", n)
	}
	// Only the edits since the publication are behind the differences.
	if len(r.Edits) != 2 || r.Edits[0].Kind != review.FigureEdit || r.Edits[0].Actor != "ed@example.gov.in" ||
		!strings.Contains(r.Edits[0].Entry.EntityKey, "IN-JP/student") || !strings.Contains(r.Edits[1].Entry.EntityKey, "JP-IN/ssw") {
		t.Errorf("edits since the publication: %+v", r.Edits)
	}
}

// TestReviewNothingToReport: a month last published as "nothing to report"
// and then given figures shows every figure as new.
func TestReviewNothingToReport(t *testing.T) {
	d := dbtest.New(t)
	publish(t, d, "2025-09", approval.RangeOptions{NothingToReport: true, Comment: "no file"})
	if _, err := approval.NewStore(d, figures.NewStore(d)).Do(ctx, audit.System("ap"), users.Admin, "2025-09", approval.Reopen, "the file came"); err != nil {
		t.Fatal(err)
	}
	seed(t, d, figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 30})
	r := monthReview(t, d, "2025-09")
	if r.Base.Kind != review.LastPublication || !r.Base.NothingToReport || !r.Cell("IN-JP", "student").Added() {
		t.Errorf("review: %+v", r)
	}
	if len(r.Edits) != 1 || r.Edits[0].Kind != review.LoadEdit || r.Edits[0].Cells != 1 {
		t.Errorf("edits: %+v", r.Edits)
	}
}

// TestReviewEditsGroupImports: an import, and its revert, is one edit each,
// with the number of the month's cells it changed.
func TestReviewEditsGroupImports(t *testing.T) {
	d := dbtest.New(t)
	ed := audit.System("ed@example.gov.in")
	is := imports.NewStore(d)
	im, err := is.Stage(ctx, ed, imports.Upload{Name: "oct.csv", Mode: "merge",
		Body: strings.NewReader("month,direction,category,count\n2025-10,IN-JP,student,5\n2025-10,IN-JP,engineer,6\n2025-11,IN-JP,student,7\n")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := is.Apply(ctx, ed, im.ID); err != nil {
		t.Fatal(err)
	}
	save(t, d, ed, "2025-10", "JP-IN", "business", 2)
	if _, err := is.Revert(ctx, ed, im.ID); err != nil {
		t.Fatal(err)
	}
	r := monthReview(t, d, "2025-10")
	if len(r.Edits) != 3 {
		t.Fatalf("edits: %+v", r.Edits)
	}
	id := strings.TrimSpace(strings.TrimPrefix(r.Edits[0].Entry.Reason, "import #"))
	for i, w := range []struct {
		kind  review.EditKind
		cells int
	}{{review.ImportEdit, 2}, {review.FigureEdit, 0}, {review.RevertEdit, 2}} {
		e := r.Edits[i]
		if e.Kind != w.kind || e.Cells != w.cells {
			t.Errorf("edit %d: %s with %d cells, want %s with %d", i, e.Kind, e.Cells, w.kind, w.cells)
		}
		if e.Kind != review.FigureEdit && (e.File != "oct.csv" || !strings.HasPrefix(id, e.ImportID+" ")) {
			t.Errorf("edit %d names import %q (%q), reason %q", i, e.ImportID, e.File, e.Entry.Reason)
		}
	}
}
