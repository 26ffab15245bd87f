// Package plausibility flags figures far from their recent level, as DHIS2's
// min–max and outlier rules do. A cell (one month, direction and category:
// the total of its figures) is compared with the median of the same cell over
// its previous months with figures and with the same month a year earlier; a
// month's total is compared with the previous month that has figures. A flag
// never blocks a save or an upload: it says, in words, what a reviewer should
// look at, and the publisher confirms it with a reason (package approval).
//
// The rules are pure functions over plain values (this file); store.go reads
// the totals they need, as they are or as an upload would make them.
package plausibility

import (
	"math"
	"slices"
	"strings"

	"hrx/internal/month"
	"hrx/internal/settings"
)

// Thresholds are the settings the rules apply.
type Thresholds struct {
	Ratio     float64 // flag a cell above Ratio× or below 1/Ratio of its usual level
	Floor     int64   // never flag a difference of fewer people than this
	History   int     // how many earlier months with figures the median is taken over
	TotalJump float64 // flag a month whose total moves more than this per cent
}

// ThresholdsOf reads the thresholds from the settings (their defaults where
// no one changed them). Counts of people and months are whole: a stored
// 2.5 months is taken as 3.
func ThresholdsOf(v settings.Values) Thresholds {
	return Thresholds{
		Ratio:     max(v.Number(settings.FlagRatio), 1),
		Floor:     max(int64(math.Round(v.Number(settings.FlagFloor))), 0),
		History:   max(int(math.Round(v.Number(settings.FlagHistory))), 1),
		TotalJump: max(v.Number(settings.FlagTotalJump), 0),
	}
}

// Defaults are the thresholds of an installation whose settings no one changed.
func Defaults() Thresholds { return ThresholdsOf(settings.Values{}) }

// Cell is one direction and category of a month: the total of its figures.
type Cell struct {
	Direction string `json:"direction"`
	Category  string `json:"category"`
}

// Kind says what a flag is about.
type Kind string

// The kinds of flag.
const (
	CellFlag  Kind = "cell"  // a cell against its recent median and the same month a year earlier
	TotalFlag Kind = "total" // a month's total against the previous month with figures
)

// Reference is what a figure was compared with.
type Reference struct {
	Value  float64     `json:"value"`            // the median may fall between two whole numbers
	Months int         `json:"months,omitempty"` // for a median: how many months it was taken over
	Month  month.Month `json:"month"`            // for a single month (a year earlier, the previous month): which
	Ratio  float64     `json:"ratio"`            // the figure ÷ Value; 0 when Value is 0
}

// Flag is a figure far from its usual level: what it is, its value, what it
// was compared with, and by how much it departs. Msg says it in words.
//
// A cell flag has Median, YearAgo or both (nil when there was nothing to
// compare with); a total flag has Previous. Ratio is the flagged figure ÷ the
// reference nearest to it among those it was flagged on (0 when that
// reference is 0); Percent, for a total, is how far it moved, in per cent of
// Previous (0 when Previous is 0).
type Flag struct {
	Kind     Kind        `json:"kind"`
	Month    month.Month `json:"month"`
	Cell     Cell        `json:"cell"` // zero for a total
	Value    int64       `json:"value"`
	Up       bool        `json:"up"` // above its usual level; false: below it
	Median   *Reference  `json:"median,omitempty"`
	YearAgo  *Reference  `json:"year_ago,omitempty"`
	Previous *Reference  `json:"previous,omitempty"`
	Ratio    float64     `json:"ratio"`
	Percent  float64     `json:"percent,omitempty"`
}

// Key names what the flag is about, stably, so that a confirmation can refer
// to it: "2025-09/IN-JP/engineer" for a cell (Figure.Key's layout),
// "2025-09/total" for a month's total.
func (f Flag) Key() string {
	if f.Kind == TotalFlag {
		return f.Month.String() + "/total"
	}
	return strings.Join([]string{f.Month.String(), f.Cell.Direction, f.Cell.Category}, "/")
}

// Totals are the cell totals the rules read: for each cell, its total in
// every month where it has figures. A month where a cell has no figures is
// missing, not zero (a figure of 0 people is a 0).
type Totals struct {
	byCell map[Cell]map[month.Month]int64
}

// NewTotals returns empty Totals.
func NewTotals() *Totals { return &Totals{byCell: map[Cell]map[month.Month]int64{}} }

// Set records a cell's total in a month.
func (t *Totals) Set(m month.Month, c Cell, total int64) {
	if t.byCell[c] == nil {
		t.byCell[c] = map[month.Month]int64{}
	}
	t.byCell[c][m] = total
}

// Remove records that a cell has no figures in a month.
func (t *Totals) Remove(m month.Month, c Cell) { delete(t.byCell[c], m) }

// Get returns a cell's total in a month, and whether it has figures there.
func (t *Totals) Get(m month.Month, c Cell) (int64, bool) {
	v, ok := t.byCell[c][m]
	return v, ok
}

// cells lists the cells with figures in m, in direction and category order.
func (t *Totals) cells(m month.Month) []Cell {
	var out []Cell
	for c, byMonth := range t.byCell {
		if _, ok := byMonth[m]; ok {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, compareCells)
	return out
}

func compareCells(a, b Cell) int {
	if c := strings.Compare(a.Direction, b.Direction); c != 0 {
		return c
	}
	return strings.Compare(a.Category, b.Category)
}

// recent is a cell's totals in up to n months before m where it has figures,
// latest first.
func (t *Totals) recent(c Cell, m month.Month, n int) []int64 {
	var months []month.Month
	for mm := range t.byCell[c] {
		if mm < m {
			months = append(months, mm)
		}
	}
	slices.Sort(months)
	months = months[max(len(months)-n, 0):]
	out := make([]int64, len(months))
	for i, mm := range months {
		out[len(months)-1-i] = t.byCell[c][mm]
	}
	return out
}

// monthTotal is the total of every cell of m, and whether m has figures.
func (t *Totals) monthTotal(m month.Month) (int64, bool) {
	var sum int64
	found := false
	for _, byMonth := range t.byCell {
		if v, ok := byMonth[m]; ok {
			sum, found = sum+v, true
		}
	}
	return sum, found
}

// previousMonth is the latest month before m with figures in any cell.
func (t *Totals) previousMonth(m month.Month) (month.Month, bool) {
	best, found := month.Zero, false
	for _, byMonth := range t.byCell {
		for mm := range byMonth {
			if mm < m && (!found || mm > best) {
				best, found = mm, true
			}
		}
	}
	return best, found
}

// Check returns the flags of month m: each cell in cells (every cell of m
// with figures when cells is nil) against its history, in direction and
// category order, then m's total against the previous month with figures.
// A cell without figures in m is not checked.
func Check(th Thresholds, t *Totals, m month.Month, cells []Cell) []Flag {
	if cells == nil {
		cells = t.cells(m)
	} else {
		cells = slices.Clone(cells)
		slices.SortFunc(cells, compareCells)
		cells = slices.Compact(cells)
	}
	var out []Flag
	for _, c := range cells {
		v, ok := t.Get(m, c)
		if !ok {
			continue
		}
		var median, yearAgo *Reference
		if recent := t.recent(c, m, th.History); len(recent) > 0 {
			median = &Reference{Value: Median(recent), Months: len(recent)}
		}
		if y, ok := t.Get(m.Add(-12), c); ok {
			yearAgo = &Reference{Value: float64(y), Month: m.Add(-12)}
		}
		if f, ok := CheckCell(th, v, median, yearAgo); ok {
			f.Month, f.Cell = m, c
			out = append(out, f)
		}
	}
	if v, ok := t.monthTotal(m); ok {
		if pm, ok := t.previousMonth(m); ok {
			pv, _ := t.monthTotal(pm)
			if f, ok := CheckTotal(th, v, Reference{Value: float64(pv), Month: pm}); ok {
				f.Month = m
				out = append(out, f)
			}
		}
	}
	return out
}

// CheckCell decides whether a cell's value v is far from its usual level: the
// median of its recent months and the same month a year earlier (either nil
// when there is none). When both exist it is flagged only when it departs
// from both, in the same direction; when only one exists, on that one alone
// (a cell with less than a year of figures has no same month a year earlier,
// and a new cell should not wait a year to be checked); with neither, a
// figure reported for the first time, it is not flagged. A comparison departs when
// the value is more than Ratio times the reference or less than the reference
// divided by Ratio, and differs from it by at least Floor people. A reference
// of 0 is departed from upwards by any value at least Floor above it, without
// a ratio.
func CheckCell(th Thresholds, v int64, median, yearAgo *Reference) (Flag, bool) {
	f := Flag{Kind: CellFlag, Value: v}
	dir := 0
	for _, ref := range []*Reference{median, yearAgo} {
		if ref == nil {
			continue
		}
		d := departs(th, v, ref.Value)
		if d == 0 || (dir != 0 && d != dir) {
			return Flag{}, false
		}
		dir = d
		ref.Ratio = ratio(v, ref.Value)
	}
	if dir == 0 {
		return Flag{}, false
	}
	f.Up = dir > 0
	f.Median, f.YearAgo = median, yearAgo
	f.Ratio = headline(f.Up, median, yearAgo)
	return f, true
}

// CheckTotal decides whether a month's total v moved more than TotalJump per
// cent from the previous month with figures, prev; a move of fewer than Floor
// people is not flagged, and a move up from 0 is flagged (without a per cent)
// when it is at least Floor.
func CheckTotal(th Thresholds, v int64, prev Reference) (Flag, bool) {
	diff := float64(v) - prev.Value
	if math.Abs(diff) < float64(th.Floor) || diff == 0 {
		return Flag{}, false
	}
	// More than TotalJump per cent, written without dividing by prev.
	if math.Abs(diff)*100 <= th.TotalJump*prev.Value {
		return Flag{}, false
	}
	prev.Ratio = ratio(v, prev.Value)
	f := Flag{Kind: TotalFlag, Value: v, Up: diff > 0, Previous: &prev, Ratio: prev.Ratio}
	if prev.Value != 0 {
		f.Percent = math.Abs(diff) * 100 / prev.Value
	}
	return f, true
}

// departs says whether v is far above (+1) or far below (−1) ref, or neither (0).
func departs(th Thresholds, v int64, ref float64) int {
	x := float64(v)
	if math.Abs(x-ref) < float64(th.Floor) {
		return 0
	}
	switch {
	case x > th.Ratio*ref:
		return 1
	case x*th.Ratio < ref:
		return -1
	}
	return 0
}

// ratio is v ÷ ref, or 0 when ref is 0.
func ratio(v int64, ref float64) float64 {
	if ref == 0 {
		return 0
	}
	return float64(v) / ref
}

// headline is the ratio a flag is summed up by: of the comparisons it was
// flagged on, the one nearest to 1 (the smaller ratio above, the larger
// below), leaving out references of 0 unless there is nothing else.
func headline(up bool, refs ...*Reference) float64 {
	best := 0.0
	for _, r := range refs {
		if r == nil || r.Value == 0 {
			continue
		}
		if best == 0 || (up && r.Ratio < best) || (!up && r.Ratio > best) {
			best = r.Ratio
		}
	}
	return best
}

// Median is the middle of the values (the mean of the two middle ones when
// there is an even number); 0 for none.
func Median(values []int64) float64 {
	if len(values) == 0 {
		return 0
	}
	s := slices.Clone(values)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return float64(s[n/2])
	}
	return (float64(s[n/2-1]) + float64(s[n/2])) / 2
}
