package progress

import (
	"math"
	"sort"

	"hrx/internal/month"
)

// runRateMonths is how many of the latest months with data the run rate averages.
const runRateMonths = 6

// Compute measures monthly counts against a target.
func Compute(t Target, monthly []Point) Result {
	r := Result{MonthsTotal: max(0, t.End.Sub(t.Start)+1)}

	// Sum counts per month inside the window; repeated months add up.
	byMonth := map[month.Month]int64{}
	for _, p := range monthly {
		if p.Month >= t.Start && p.Month <= t.End {
			byMonth[p.Month] += p.Count
		}
	}
	withData := make([]month.Month, 0, len(byMonth))
	for m, c := range byMonth {
		withData = append(withData, m)
		r.Achieved += c
	}
	sort.Slice(withData, func(i, j int) bool { return withData[i] < withData[j] })

	if t.Value > 0 {
		r.Percent = float64(roundDiv(r.Achieved*1000, t.Value)) / 10
	}
	r.Actual = []CumPoint{}
	r.Projection = []CumPoint{}
	r.ExpectedPath = make([]CumPoint, 0, r.MonthsTotal)
	for _, m := range month.Range(t.Start, t.End) {
		r.ExpectedPath = append(r.ExpectedPath, CumPoint{m, ExpectedAt(t, m)})
	}

	n := len(withData)
	if n == 0 {
		// Nothing is known yet: no as-of month, so no months elapsed or
		// remaining, nothing expected, no rate, no projection, no need.
		r.Status = NotStarted
		return r
	}
	r.AsOf = withData[n-1]
	// Calendar months of the window up to the as-of month, with or without
	// data: the figures are as of that month, however late it is today.
	r.MonthsElapsed = r.AsOf.Sub(t.Start) + 1
	r.MonthsRemaining = r.MonthsTotal - r.MonthsElapsed
	r.Expected = int64(math.Round(ExpectedAt(t, r.AsOf)))
	r.AheadBy = r.Achieved - r.Expected

	// runTenths is the run rate in tenths of a person, so that the rounded
	// RunRate drives every figure derived from it exactly.
	var sum int64
	last := withData[max(0, n-runRateMonths):]
	for _, m := range last {
		sum += byMonth[m]
	}
	runTenths := roundDiv(sum*10, int64(len(last)))
	r.RunRate = float64(runTenths) / 10
	r.RunRatePeople = roundDiv(sum, int64(len(last)))
	r.ProjectedTotal = r.Achieved + roundDiv(runTenths*int64(r.MonthsRemaining), 10)

	shortfall := max(0, t.Value-r.Achieved)
	if r.MonthsRemaining > 0 {
		r.RequiredMonthly = ceilDiv(shortfall, int64(r.MonthsRemaining))
	} else {
		r.RequiredMonthly = shortfall
	}

	var cum int64
	for _, m := range month.Range(t.Start, r.AsOf) {
		cum += byMonth[m]
		r.Actual = append(r.Actual, CumPoint{m, float64(cum)})
	}
	for i, m := range month.Range(r.AsOf, t.End) {
		v := float64(r.Achieved) + float64(runTenths*int64(i))/10
		r.Projection = append(r.Projection, CumPoint{m, v})
	}

	r.ProjectedCompletion = completion(t, r, runTenths)
	r.Status = status(t, r)
	return r
}

// completion returns the month the target was reached, or the month it
// would be reached at the run rate, or month.Zero.
func completion(t Target, r Result, runTenths int64) month.Month {
	if r.AsOf == month.Zero {
		return month.Zero
	}
	if r.Achieved >= t.Value {
		for _, p := range r.Actual {
			if p.Value >= float64(t.Value) {
				return p.Month
			}
		}
		return r.AsOf // unreachable: the last Actual value is Achieved
	}
	if runTenths <= 0 {
		return month.Zero
	}
	return r.AsOf.Add(int(ceilDiv((t.Value-r.Achieved)*10, runTenths)))
}

// status summarises a result in one word.
func status(t Target, r Result) Status {
	switch {
	case r.AsOf == month.Zero:
		return NotStarted
	case r.Achieved >= t.Value:
		return Achieved
	case t.Value <= 0:
		return OffTrack // only reachable with negative counts
	case r.ProjectedTotal >= t.Value:
		return OnTrack
	case r.ProjectedTotal*10 >= t.Value*9:
		return AtRisk
	default:
		return OffTrack
	}
}
