// Package completeness says how completely and how punctually the reporting
// bodies report: for every month and every cell a body reports, whether its
// figures came by the due date (on time), after it (late), not yet (missing,
// or not due yet), whether what came was a recorded zero, and the reporting
// rate — the share of the cells due that were filled by their due date — per
// month, per body and overall. The rules are pure functions (this file);
// the store reads what they need.
package completeness

import (
	"time"

	"hrx/internal/bodies"
	"hrx/internal/month"
)

// Status is where one cell of one month stands.
type Status int

// The statuses of a cell. Pending is not yet due and not filled; it is not
// counted in the rate. OnTime, Zero and Nothing were filled by the due date.
const (
	Pending Status = iota // not filled, and its due date has not passed
	Missing               // not filled, and its due date has passed
	Late                  // filled after its due date
	OnTime                // filled with people by its due date
	Zero                  // filled with a recorded zero by its due date
	Nothing               // the month was published as "nothing to report" by the due date

	nStatuses = iota
)

// Statuses lists every status, in the order the tables show them.
var Statuses = []Status{OnTime, Zero, Nothing, Late, Missing, Pending}

// Code is the status as machines read it: in CSV and JSON, and in the catalog ids.
func (s Status) Code() string {
	return [...]string{"pending", "missing", "late", "on_time", "recorded_zero", "nothing"}[s]
}

// Reported reports whether the cell was filled by its due date.
func (s Status) Reported() bool { return s == OnTime || s == Zero || s == Nothing }

// MarshalText writes the status's code, for JSON.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.Code()), nil }

// Fill is what a cell of a month holds: how many figure rows, their total,
// and when the earliest of them was first recorded.
type Fill struct {
	Rows  int
	Total int64
	First time.Time
}

// Classify is the status of one cell: fill is what it holds (zero Rows for
// nothing), deadline when it was due, now the time of asking, and nothing the
// time the month was published as "nothing to report" (zero if it was not).
// A cell filled exactly at the deadline is late: the deadline is the first
// instant after the due day.
func Classify(fill Fill, deadline, now, nothing time.Time) Status {
	switch {
	case fill.Rows > 0 && fill.First.Before(deadline) && fill.Total == 0:
		return Zero
	case fill.Rows > 0 && fill.First.Before(deadline):
		return OnTime
	case fill.Rows > 0:
		return Late
	case !nothing.IsZero() && nothing.Before(deadline):
		return Nothing
	case !nothing.IsZero():
		return Late
	case now.Before(deadline):
		return Pending
	}
	return Missing
}

// Tally counts the cells of each status.
type Tally [nStatuses]int

// Add counts one cell.
func (t *Tally) Add(s Status) { (*t)[s]++ }

// Of is how many cells have status s.
func (t Tally) Of(s Status) int { return t[s] }

// Due is how many cells were due: every one but those pending.
func (t Tally) Due() int {
	n := 0
	for s, c := range t {
		if Status(s) != Pending {
			n += c
		}
	}
	return n
}

// Reported is how many cells were filled by their due date.
func (t Tally) Reported() int { return t[OnTime] + t[Zero] + t[Nothing] }

// Rate is the reporting rate, the share (0–1) of the cells due that were
// filled by their due date; ok is false when no cell was due yet.
func (t Tally) Rate() (rate float64, ok bool) {
	if t.Due() == 0 {
		return 0, false
	}
	return float64(t.Reported()) / float64(t.Due()), true
}

// Percent is the rate in per cent, rounded to one decimal; -1 when no cell was due.
func (t Tally) Percent() float64 {
	r, ok := t.Rate()
	if !ok {
		return -1
	}
	return float64(int64(r*1000+0.5)) / 10
}

// Key names one cell of one month.
type Key struct {
	Month month.Month
	Cell  bodies.Cell
}

// Input is what the computation reads.
type Input struct {
	Months []month.Month
	// Owners are the bodies, each with the cells it reports, the
	// administrators' share last when some cell has no body
	// (bodies.Assignment.Owners).
	Owners  []bodies.Body
	Fills   map[Key]Fill
	Nothing map[month.Month]time.Time // months published as "nothing to report", when
	Now     time.Time
}

// Cell is one cell of one month with its status.
type Cell struct {
	Cell     bodies.Cell
	Status   Status
	Fill     Fill
	Deadline time.Time
}

// Result is the completeness of some months: the tallies of every month ×
// body, and the totals per month, per body and overall.
type Result struct {
	Months  []month.Month
	Owners  []bodies.Body
	Grid    [][]Tally // [month][owner]
	ByMonth []Tally
	ByOwner []Tally
	Total   Tally
	Cells   [][][]Cell // [month][owner][cell], in the owner's cell order
}

// Compute classifies every cell each owner reports in every month and
// tallies them.
func Compute(in Input) Result {
	r := Result{Months: in.Months, Owners: in.Owners, Grid: make([][]Tally, len(in.Months)), ByMonth: make([]Tally, len(in.Months)),
		ByOwner: make([]Tally, len(in.Owners)), Cells: make([][][]Cell, len(in.Months))}
	for i, m := range in.Months {
		r.Grid[i] = make([]Tally, len(in.Owners))
		r.Cells[i] = make([][]Cell, len(in.Owners))
		nothing := in.Nothing[m]
		for j, o := range in.Owners {
			deadline := bodies.Deadline(o.DueDay, m)
			cells := make([]Cell, len(o.Cells))
			for k, c := range o.Cells {
				f := in.Fills[Key{m, c}]
				s := Classify(f, deadline, in.Now, nothing)
				cells[k] = Cell{Cell: c, Status: s, Fill: f, Deadline: deadline}
				r.Grid[i][j].Add(s)
				r.ByMonth[i].Add(s)
				r.ByOwner[j].Add(s)
				r.Total.Add(s)
			}
			r.Cells[i][j] = cells
		}
	}
	return r
}
