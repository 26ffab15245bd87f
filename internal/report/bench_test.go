package report

import (
	"testing"
	"time"

	"hrx/internal/month"
	"hrx/internal/targets"
)

// BenchmarkTargets times the part of a report build after the queries: every
// target's progress over the demonstration's month totals.
func BenchmarkTargets(b *testing.B) {
	totals := demoTotals(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	cats := categories()
	ts := append(append([]targets.Target{}, seeded...),
		targets.Target{Slug: "students", Value: 100, Start: month.MustParse("2025-09"), End: month.MustParse("2030-08"),
			Filter: targets.Filter{Categories: targets.Codes{"student", "researcher"}}})
	b.ReportAllocs()
	for b.Loop() {
		rs := rowsOf(cats, totals)
		for _, t := range ts {
			compute(t, cats, rs)
		}
	}
}
