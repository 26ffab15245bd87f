// Package progress compares a target for the India–Japan human resource
// exchange plan with monthly counts of people. Everything here is a pure
// function over plain values: no database, no I/O.
package progress

import "hrx/internal/month"

// Status is a stable word that summarises how a target is going.
type Status string

// Status values; their strings are stable API values.
const (
	NotStarted Status = "not-started" // NotStarted means no data inside the window yet.
	OnTrack    Status = "on-track"    // OnTrack means the projection reaches the target.
	AtRisk     Status = "at-risk"     // AtRisk means the projection reaches at least 90 % of the target.
	OffTrack   Status = "off-track"   // OffTrack means the projection falls below 90 % of the target.
	Achieved   Status = "achieved"    // Achieved means the target has already been reached.
)

// Milestone is a cumulative value due by the end of Month.
type Milestone struct {
	Month month.Month
	Value int64
}

// Target is a number of people to reach within Start..End inclusive.
type Target struct {
	Value      int64
	Start, End month.Month
	Milestones []Milestone
}

// Point is the number of people counted in one month.
type Point struct {
	Month month.Month
	Count int64
}

// CumPoint is a cumulative value at the end of Month.
type CumPoint struct {
	Month month.Month
	Value float64
}

// Result is the progress of a target as of its latest month with data.
//
// Without data in the window (AsOf is month.Zero) nothing is known but the
// target itself: Achieved and Percent are 0, MonthsTotal and ExpectedPath
// describe the window, Status is NotStarted, and every figure computed from
// data (Expected, AheadBy, the run rate, the projection, RequiredMonthly,
// MonthsElapsed, MonthsRemaining) is zero and means nothing: readers say that
// there are no figures yet instead of showing them (see HasData).
type Result struct {
	Achieved            int64       // sum of counts of months inside the window
	Percent             float64     // Achieved/Value*100, rounded to 1 decimal (0 when Value <= 0)
	Expected            int64       // expected cumulative by the end of AsOf, rounded
	AheadBy             int64       // Achieved - Expected (negative = behind)
	RunRate             float64     // mean count of the last 6 months with data, rounded to 1 decimal (machine outputs)
	RunRatePeople       int64       // the same mean rounded to whole people, as people read it
	ProjectedTotal      int64       // Achieved + RunRate*MonthsRemaining, rounded
	RequiredMonthly     int64       // monthly count needed after AsOf to reach Value
	ProjectedCompletion month.Month // month the target is (or would be) reached; month.Zero when none
	Status              Status      // summary word
	AsOf                month.Month // latest month with data inside the window; month.Zero when none
	MonthsTotal         int         // End-Start+1
	MonthsElapsed       int         // calendar months of the window up to and including AsOf (not up to today)
	MonthsRemaining     int         // MonthsTotal-MonthsElapsed: the months after AsOf
	Actual              []CumPoint  // cumulative achieved at the end of every month Start..AsOf
	ExpectedPath        []CumPoint  // expected cumulative at the end of every month Start..End
	Projection          []CumPoint  // Achieved at AsOf plus RunRate per month up to End
}

// HasData reports whether any month of the window has data, that is whether
// the figures computed from data mean anything.
func (r Result) HasData() bool { return r.AsOf != month.Zero }
