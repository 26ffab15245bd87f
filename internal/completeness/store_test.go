package completeness_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/bodies"
	"hrx/internal/completeness"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/users"
)

var ctx = context.Background()

var admin = audit.Actor{Name: "admin@example.org"}

// TestLoad: the figures' first times against each body's due date, a
// recorded zero, a cell with no body counted for the administrators, and a
// month published as "nothing to report".
func TestLoad(t *testing.T) {
	d := dbtest.New(t)
	bs := bodies.NewStore(d)
	desk, err := bs.Save(ctx, admin, users.Admin, bodies.Input{NameEN: "Desk", DueDay: "10", Cells: []string{"IN-JP/student", "JP-IN/student"}})
	if err != nil {
		t.Fatal(err)
	}
	fs := figures.NewStore(d)
	if err := fs.Insert(ctx, audit.System("test"), []figures.Figure{
		{Month: "2025-10", Direction: "IN-JP", Category: "student", Sector: "education", Count: 5},
		{Month: "2025-10", Direction: "IN-JP", Category: "student", Sector: "research", Count: 7},
		{Month: "2025-10", Direction: "JP-IN", Category: "student", Count: 0},
		{Month: "2025-10", Direction: "IN-JP", Category: "engineer", Count: 3},
	}, "test"); err != nil {
		t.Fatal(err)
	}
	// Recorded on 5 November 2025, but one student row only on 11 November (IST).
	set := func(at time.Time, where string) {
		if err := d.W.Exec("UPDATE figures SET created_at = ? WHERE "+where, at.UTC()).Error; err != nil {
			t.Fatal(err)
		}
		if err := figures.RefreshTotals(d.W, []string{"2025-10"}); err != nil {
			t.Fatal(err)
		}
	}
	set(time.Date(2025, 11, 5, 10, 0, 0, 0, bodies.Zone), "1 = 1")
	set(time.Date(2025, 11, 11, 10, 0, 0, 0, bodies.Zone), "direction = 'IN-JP' AND category = 'student' AND sector = 'research'")
	// September published as "nothing to report".
	if _, err := approval.NewStore(d, fs).PublishRange(ctx, audit.System("test"), month.MustParse("2025-09"), month.MustParse("2025-09"),
		approval.RangeOptions{NothingToReport: true, SingleApprover: true, Comment: "none"}); err != nil {
		t.Fatal(err)
	}

	r, err := completeness.NewStore(d).Load(ctx, month.MustParse("2025-09"), month.MustParse("2025-10"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Owners) != 2 || r.Owners[0].ID != desk.ID || !r.Owners[1].Admins() || len(r.Owners[1].Cells) != len(reference.Directions)*10-2 {
		t.Fatalf("owners: %+v", r.Owners)
	}
	oct := r.Cells[1]
	if s := oct[0][0]; s.Status != completeness.OnTime || s.Fill.Rows != 2 || s.Fill.Total != 12 {
		t.Errorf("the desk's students, India to Japan: %+v", s)
	}
	if s := oct[0][1]; s.Status != completeness.Zero {
		t.Errorf("the desk's recorded zero: %+v", s)
	}
	var engineer completeness.Cell
	for _, c := range oct[1] {
		if c.Cell == (bodies.Cell{Direction: "IN-JP", Category: "engineer"}) {
			engineer = c
		}
	}
	if engineer.Status != completeness.OnTime || r.Grid[1][1].Of(completeness.Missing) != 17 {
		t.Errorf("the administrators' share: %+v, %+v", engineer, r.Grid[1][1])
	}
	// September was published as "nothing to report" now, after its due date.
	if r.ByMonth[0].Of(completeness.Late) != 20 {
		t.Errorf("September: %+v", r.ByMonth[0])
	}
}

// TestFirstTimesOfAnOlderDatabase: a database from before month_totals kept
// each cell's first time gets them when it is migrated, so the months filled
// before the upgrade stay on time or late as they were.
func TestFirstTimesOfAnOlderDatabase(t *testing.T) {
	d, err := db.Open(ctx, dbtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.MigrateTo(ctx, 22); err != nil {
		t.Fatal(err)
	}
	if _, err := bodies.NewStore(d).Save(ctx, admin, users.Admin, bodies.Input{NameEN: "Desk", DueDay: "10", Cells: []string{"IN-JP/student", "IN-JP/engineer"}}); err != nil {
		t.Fatal(err)
	}
	// As the older schema wrote them: figures, and their cells' totals without a time.
	onTime, late := time.Date(2025, 11, 5, 10, 0, 0, 0, bodies.Zone).UTC(), time.Date(2025, 11, 12, 10, 0, 0, 0, bodies.Zone).UTC()
	for _, f := range []struct {
		category, sector string
		at               time.Time
	}{{"student", "education", onTime}, {"student", "research", late}, {"engineer", "", late}} {
		if err := d.W.Exec(`INSERT INTO figures (month, direction, category, sector, count, created_at, updated_at)
			VALUES ('2025-10', 'IN-JP', ?, ?, 4, ?, ?)`, f.category, f.sector, f.at, f.at).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := d.W.Exec(`INSERT INTO month_totals (month, direction, category, total, row_count)
		SELECT month, direction, category, SUM(count), COUNT(*) FROM figures GROUP BY month, direction, category`).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	oct := month.MustParse("2025-10")
	r, err := completeness.NewStore(d).Load(ctx, oct, oct, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]completeness.Status{}
	for _, c := range r.Cells[0][0] {
		got[c.Cell.Key()] = c.Status
	}
	if got["IN-JP/student"] != completeness.OnTime || got["IN-JP/engineer"] != completeness.Late {
		t.Errorf("after the upgrade: %v; want the students on time (first row on 5 November) and the engineers late", got)
	}
}

// BenchmarkLoad: 60 months × 20 bodies, each reporting one of the 20 cells,
// every cell of every month filled with five rows (6,000 figures), read and
// computed as /completeness does.
func BenchmarkLoad(b *testing.B) {
	d := dbtest.New(b)
	seed(b, d, 60)
	st := completeness.NewStore(d)
	from := month.MustParse("2021-01")
	to := from.Add(59)
	now := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := st.Load(ctx, from, to, now)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Owners) != 20 || r.Total.Due() != 1200 {
			b.Fatalf("owners %d, due %d", len(r.Owners), r.Total.Due())
		}
	}
}

// seed makes 20 bodies, one cell each, and five figures in every cell of n
// months from January 2021.
func seed(b *testing.B, d *db.DB, n int) {
	bs := bodies.NewStore(d)
	cells, err := bs.Cells(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for i, c := range cells {
		if _, err := bs.Save(ctx, admin, users.Admin, bodies.Input{NameEN: "Body " + strconv.Itoa(i+1), DueDay: strconv.Itoa(i + 1), Cells: []string{c.Key()}}); err != nil {
			b.Fatal(err)
		}
	}
	sectors := []string{"education", "research", "it_software", "construction", "agriculture"}
	var rows []figures.Figure
	for m := month.MustParse("2021-01"); m < month.MustParse("2021-01").Add(n); m++ {
		for _, c := range cells {
			for k, s := range sectors {
				rows = append(rows, figures.Figure{Month: m.String(), Direction: c.Direction, Category: c.Category, Sector: s, Count: int64(k + 1)})
			}
		}
	}
	if err := figures.NewStore(d).Insert(ctx, audit.System("bench"), rows, fmt.Sprintf("%d months", n)); err != nil {
		b.Fatal(err)
	}
}
