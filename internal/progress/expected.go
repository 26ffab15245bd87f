package progress

import (
	"sort"

	"hrx/internal/month"
)

// knot is one corner of the piecewise-linear expected path.
type knot struct {
	m month.Month
	v float64
}

// ExpectedAt returns the expected cumulative value by the end of month m.
func ExpectedAt(t Target, m month.Month) float64 {
	if m < t.Start {
		return 0
	}
	if m >= t.End {
		return float64(t.Value)
	}
	ks := knots(t)
	for i := 1; i < len(ks); i++ {
		a, b := ks[i-1], ks[i]
		if m <= b.m {
			return a.v + (b.v-a.v)*float64(m.Sub(a.m))/float64(b.m.Sub(a.m))
		}
	}
	return float64(t.Value) // unreachable: the last knot is End
}

// knots lists (Start-1 → 0), the milestones strictly inside Start..End-1 in
// month order, and (End → Value). A later milestone for the same month
// replaces an earlier one.
func knots(t Target) []knot {
	ms := make([]Milestone, 0, len(t.Milestones))
	for _, x := range t.Milestones {
		if x.Month >= t.Start && x.Month < t.End {
			ms = append(ms, x)
		}
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Month < ms[j].Month })
	ks := []knot{{t.Start.Add(-1), 0}}
	for _, x := range ms {
		if last := &ks[len(ks)-1]; last.m == x.Month {
			last.v = float64(x.Value)
			continue
		}
		ks = append(ks, knot{x.Month, float64(x.Value)})
	}
	return append(ks, knot{t.End, float64(t.Value)})
}
