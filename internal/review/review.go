// Package review says what a reviewer of a month should look at before it is
// published: each cell of the month's grid against the month's last
// publication (or, for a month never published, against the latest earlier
// month with figures), and the grid edits, imports and loads behind the
// changes, from the audit log. It only reads.
//
// The comparison is pure arithmetic over plain values (this file); store.go
// reads the totals and the audit log it needs.
package review

import (
	"time"

	"hrx/internal/audit"
	"hrx/internal/month"
)

// Cell is one direction and category of a month.
type Cell struct {
	Direction, Category string
}

// Change is one cell (or a sum of cells) compared with the base: the people
// before and after, and whether there were figures at all on each side (a
// cell without figures is not a cell of 0 people).
type Change struct {
	Before, After       int64
	HadBefore, HasAfter bool
}

// Diff is how many people more (or, negative, fewer) the cell has than its
// base; a side without figures counts as 0.
func (c Change) Diff() int64 { return c.After - c.Before }

// Percent is Diff in per cent of Before; false when there is no Before to
// divide by (no figures, or 0 people).
func (c Change) Percent() (float64, bool) {
	if !c.HadBefore || c.Before == 0 {
		return 0, false
	}
	return float64(c.Diff()) * 100 / float64(c.Before), true
}

// Same reports whether nothing changed: the same people, with figures on
// both sides or on neither.
func (c Change) Same() bool { return c.HadBefore == c.HasAfter && c.Before == c.After }

// Added reports whether the cell has figures now and had none in the base.
func (c Change) Added() bool { return !c.HadBefore && c.HasAfter }

// Removed reports whether the cell had figures in the base and has none now.
func (c Change) Removed() bool { return c.HadBefore && !c.HasAfter }

// Sum adds changes up: a row's, a column's or the month's total.
func Sum(cs ...Change) Change {
	var out Change
	for _, c := range cs {
		out.Before += c.Before
		out.After += c.After
		out.HadBefore = out.HadBefore || c.HadBefore
		out.HasAfter = out.HasAfter || c.HasAfter
	}
	return out
}

// Compare pairs each cell's total in the base (before) with its total now
// (after): every cell that has figures on either side.
func Compare(before, after map[Cell]int64) map[Cell]Change {
	out := make(map[Cell]Change, max(len(before), len(after)))
	for c, v := range before {
		out[c] = Change{Before: v, HadBefore: true}
	}
	for c, v := range after {
		x := out[c]
		x.After, x.HasAfter = v, true
		out[c] = x
	}
	return out
}

// BaseKind says what a month is compared with.
type BaseKind string

// What a month can be compared with.
const (
	// NoBase: the month was never published, and no earlier month has figures.
	NoBase BaseKind = ""
	// LastPublication: the month as it was last published (the public sees it so).
	LastPublication BaseKind = "published"
	// EarlierMonth: for a month never published, the latest earlier month with figures.
	EarlierMonth BaseKind = "month"
)

// Base is what a month is compared with.
type Base struct {
	Kind BaseKind
	// Month is the earlier month, for EarlierMonth.
	Month month.Month
	// At and By are when and by whom the month was last published, for
	// LastPublication; NothingToReport says that publication was of
	// "nothing to report", so every figure now is new.
	At              time.Time
	By              string
	NothingToReport bool
}

// Review is a month compared with its base, and what changed it.
type Review struct {
	Month month.Month
	Base  Base
	Cells map[Cell]Change // every cell with figures in the month or in its base
	// Edits are the changes to the month's figures since its last
	// publication (since the beginning, for a month never published),
	// oldest first; More says older ones were left out.
	Edits []Edit
	More  bool
}

// Cell is one cell's change; zero (Same) when it has figures on neither side.
func (r Review) Cell(direction, category string) Change { return r.Cells[Cell{direction, category}] }

// Total is the month's total against its base's.
func (r Review) Total() Change {
	all := make([]Change, 0, len(r.Cells))
	for _, c := range r.Cells {
		all = append(all, c)
	}
	return Sum(all...)
}

// ChangedCells counts the cells whose people changed, or that gained or lost
// their figures.
func (r Review) ChangedCells() int {
	n := 0
	for _, c := range r.Cells {
		if !c.Same() {
			n++
		}
	}
	return n
}

// EditKind says how a month's figures were changed.
type EditKind string

// The ways figures change.
const (
	FigureEdit EditKind = "figure" // one figure entered, changed or cleared (the month form)
	ImportEdit EditKind = "import" // an import applied
	RevertEdit EditKind = "revert" // an import reverted
	LoadEdit   EditKind = "insert" // figures loaded in bulk (the command line, the demonstration data)
)

// Edit is one change behind the differences: a figure changed on the month
// form (Entry says which, for audit.Describe), or an import applied or
// reverted, or a bulk load, with how many of the month's cells it changed.
type Edit struct {
	Kind  EditKind
	At    time.Time
	Actor string
	Entry audit.Entry // the figure's entry; for the others, the first cell's
	Cells int         // cells of the month changed (imports, reverts and loads)
	// ImportID and File name the import, for ImportEdit and RevertEdit.
	ImportID string
	File     string
}
