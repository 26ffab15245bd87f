package report_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/dataversion"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/report"
	"hrx/internal/targets"
)

// TestNothingReportedAndGaps: a month published as "nothing to report" is in
// the report as such (its bar a ring, left out of the sparkline), not as a
// zero month like any other; and a month published out of order before the
// order rule existed is not shown to the public after the gap it leaves.
func TestNothingReportedAndGaps(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	fs := figures.NewStore(d)
	ap := approval.NewStore(d, fs)
	svc := report.NewService(d, fs, targets.NewStore(d), reference.NewStore(d), ap)
	if err := fs.Insert(ctx, audit.System("test"), []figures.Figure{
		{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 10},
		{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 30},
		{Month: "2025-12", Direction: "IN-JP", Category: "student", Count: 5},
		{Month: "2026-02", Direction: "IN-JP", Category: "student", Count: 700},
	}, "test"); err != nil {
		t.Fatal(err)
	}
	res, err := ap.PublishRange(ctx, audit.System("test"), month.MustParse("2025-09"), month.MustParse("2025-12"),
		approval.RangeOptions{SingleApprover: true, NothingToReport: true, Comment: "no file for October", ConfirmFlags: "test data"})
	if err != nil || res.Stopped != nil || strings.Join(res.Nothing, ",") != "2025-10" {
		t.Fatalf("publishing: %+v %v", res, err)
	}
	// February 2026 published around the rule (as before it existed): January is a gap.
	if err := fs.Snapshot(d.W, "2026-02"); err != nil {
		t.Fatal(err)
	}
	if err := dataversion.Bump(d.W); err != nil {
		t.Fatal(err)
	}
	for _, view := range []figures.View{figures.Public, figures.Staff} {
		r, err := svc.Current(ctx, view)
		if err != nil {
			t.Fatal(err)
		}
		if !r.NothingReported[month.MustParse("2025-10")] || len(r.NothingReported) != 1 {
			t.Errorf("view %v: nothing reported %v", view, r.NothingReported)
		}
		tp, _ := r.Find("total-exchange")
		if view == figures.Public {
			if r.Gap != month.MustParse("2026-01") || r.Latest != month.MustParse("2025-12") || tp.Result.AsOf != month.MustParse("2025-12") || tp.Result.Achieved != 45 {
				t.Errorf("public: gap %v, latest %v, as of %v, achieved %d", r.Gap, r.Latest, tp.Result.AsOf, tp.Result.Achieved)
			}
			if !slices.Equal(tp.NothingReported, []bool{false, true, false, false}) || !slices.Equal(tp.Monthly, []int64{10, 0, 30, 5}) {
				t.Errorf("public months: %v %v", tp.NothingReported, tp.Monthly)
			}
			l := i18n.New(i18n.EN, "")
			if svg := string(tp.BarsChart(l, "b", nil).SVG()); !strings.Contains(svg, "Oct 2025 · No figures reported</title>") {
				t.Error("the bars do not mark October as no figures reported")
			}
			if s, _ := tp.Sparkline(l, "s", 12); !slices.Equal(s.Values, []float64{10, 30, 5}) {
				t.Errorf("sparkline %v", s.Values)
			}
		} else if r.Gap != month.Zero || tp.Result.Achieved != 745 {
			t.Errorf("staff: gap %v, achieved %d", r.Gap, tp.Result.Achieved)
		}
	}
}
