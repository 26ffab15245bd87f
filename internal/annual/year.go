// Package annual is the annual review report: a programme year's published
// people against each public target and its expected path, the year's
// months and categories against the year before, the flags confirmed and
// the months revised or reported late, and a short summary in words.
//
// The arithmetic (this file, summary.go, notes.go) is pure and works on
// values the other packages already read: the breakdowns' monthly cells,
// each target's progress, the completeness of the bodies' reporting and
// the audit log's entries. store.go reads the last two.
package annual

import (
	"hrx/internal/month"
)

// DefaultStart is the calendar month (September) a programme year starts
// in when no target says otherwise: the Action Plan runs September to August.
const DefaultStart = 9

// Year is a programme year: the twelve months that end in year N (with the
// default start, September N-1 to August N).
type Year struct {
	N        int
	From, To month.Month
}

// StartMonth is the calendar month the programme years start in: that of
// the earliest target window's first month, DefaultStart without targets.
func StartMonth(starts []month.Month) int {
	first := month.Zero
	for _, s := range starts {
		if s != month.Zero && (first == month.Zero || s < first) {
			first = s
		}
	}
	if first == month.Zero {
		return DefaultStart
	}
	return first.Num()
}

// Of is the programme year named n, whose years start in calendar month
// start (1–12): the year that ends in n.
func Of(n, start int) Year {
	if start < 1 || start > 12 {
		start = DefaultStart
	}
	from := month.New(n, start)
	if start != 1 {
		from = month.New(n-1, start)
	}
	return Year{N: n, From: from, To: from.Add(11)}
}

// Containing is the programme year month m falls in.
func Containing(m month.Month, start int) Year {
	n := m.Year()
	if start != 1 && m.Num() >= start {
		n++
	}
	return Of(n, start)
}

// Contains reports whether month m is in the year.
func (y Year) Contains(m month.Month) bool { return m >= y.From && m <= y.To }

// Prev is the year before.
func (y Year) Prev() Year { return Year{N: y.N - 1, From: y.From.Add(-12), To: y.To.Add(-12)} }

// Ordinal is the year's place in the programme, 1 for the year the
// programme starts in (first, its first month); 0 or less before it.
func (y Year) Ordinal(first month.Month) int {
	return y.N - Containing(first, y.From.Num()).N + 1
}

// Years lists the programme years from the one holding first to the one
// holding last, newest first; none when first is Zero or after last.
func Years(first, last month.Month, start int) []Year {
	if first == month.Zero || last < first {
		return nil
	}
	var out []Year
	for n := Containing(last, start).N; n >= Containing(first, start).N; n-- {
		out = append(out, Of(n, start))
	}
	return out
}
