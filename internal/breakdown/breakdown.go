// Package breakdown says where people come from and go to: the published
// people of a period and direction by sector, by Indian state or union
// territory and by Japanese prefecture, with the share of people whose
// figures carry each breakdown.
//
// The figures are summed once per data version into cells of (month,
// direction, category, code) (Data, read by Service); a question for a
// period, a direction and a target's filter is then answered from those
// cells by Compute, a pure function.
package breakdown

import (
	"cmp"
	"slices"
	"strings"

	"hrx/internal/month"
	"hrx/internal/reference"
)

// Cell is the people of one month, direction and category with one value of
// a breakdown; Code is "" for the people not broken down that way.
type Cell struct {
	Month     month.Month
	Direction string
	Category  string
	Code      string
	People    int64
}

// Data is the published figures summed by sector, by origin and by
// destination, at one data version.
type Data struct {
	Version                     int64
	Sector, Origin, Destination []Cell
	First, Last                 month.Month // the months with figures; Zero when there are none
}

// Query is what a breakdown covers: a period, a direction and, for a
// target, the people who count toward it.
type Query struct {
	From, To  month.Month // inclusive; Zero for no bound
	Direction string      // reference.IndiaToJapan, JapanToIndia, or "" for both
	// The target's filter: directions and categories (empty for all), and
	// whether only skilled categories count (Skilled says which are).
	Directions, Categories []string
	SkilledOnly            bool
	Skilled                map[string]bool
}

// counts reports whether a cell is in the query.
func (q Query) counts(c Cell) bool {
	switch {
	case q.From != month.Zero && c.Month < q.From, q.To != month.Zero && c.Month > q.To:
		return false
	case q.Direction != "" && c.Direction != q.Direction:
		return false
	case len(q.Directions) > 0 && !slices.Contains(q.Directions, c.Direction):
		return false
	case len(q.Categories) > 0 && !slices.Contains(q.Categories, c.Category):
		return false
	case q.SkilledOnly && !q.Skilled[c.Category]:
		return false
	}
	return true
}

// Item is the people with one value of a breakdown.
type Item struct {
	Code   string
	People int64
}

// Breakdown is the people of a query by one breakdown.
type Breakdown struct {
	Items []Item // the values with people, most people first, then by code
	Known int64  // the people whose figures carry the breakdown
	Total int64  // all the people of the query
}

// Percent is the share of people whose figures carry the breakdown, in
// whole per cent: 100 only when all do, 0 only when none do (so that "sector
// known for 100 %" is never said of a breakdown with a gap). A query without
// people has 0.
func (b Breakdown) Percent() int {
	switch {
	case b.Total <= 0 || b.Known <= 0:
		return 0
	case b.Known >= b.Total:
		return 100
	}
	p := int((b.Known*100 + b.Total/2) / b.Total)
	return min(max(p, 1), 99)
}

// Top is the people of the first item (the most), 0 when there is none.
func (b Breakdown) Top() int64 {
	if len(b.Items) == 0 {
		return 0
	}
	return b.Items[0].People
}

// Result is a query's three breakdowns. India is the Indian end of each
// move (the state people leave from when moving to Japan, the one they go
// to when moving to India); Japan is the Japanese end.
type Result struct {
	Sector, India, Japan Breakdown
}

// Compute answers a query from the data.
func Compute(d Data, q Query) Result {
	return Result{
		Sector: sum(d.Sector, q, func(Cell) bool { return true }, ""),
		India:  sumEnds(d, q, "IN-"),
		Japan:  sumEnds(d, q, "JP-"),
	}
}

// endIn is the code prefix of the country at one end of a move: the origin
// of a move from India is in India ("IN-"), its destination in Japan ("JP-").
func endIn(origin bool, direction string) string {
	if (direction == reference.IndiaToJapan) == origin {
		return "IN-"
	}
	return "JP-"
}

// sumEnds sums the people by the region at the end of their move that lies
// in the country of the code prefix: the origin cells of one direction and
// the destination cells of the other. A code of the other country counts as
// not known.
func sumEnds(d Data, q Query, prefix string) Breakdown {
	origin := sum(d.Origin, q, func(c Cell) bool { return endIn(true, c.Direction) == prefix }, prefix)
	dest := sum(d.Destination, q, func(c Cell) bool { return endIn(false, c.Direction) == prefix }, prefix)
	acc := map[string]int64{}
	for _, it := range append(origin.Items, dest.Items...) {
		acc[it.Code] += it.People
	}
	return Breakdown{Items: sorted(acc), Known: origin.Known + dest.Known, Total: origin.Total + dest.Total}
}

// sum adds up the cells of one breakdown that are in the query and kept by
// keep; a code counts as known when it starts with prefix.
func sum(cells []Cell, q Query, keep func(Cell) bool, prefix string) Breakdown {
	acc := map[string]int64{}
	var b Breakdown
	for _, c := range cells {
		if c.People <= 0 || !q.counts(c) || !keep(c) {
			continue
		}
		b.Total += c.People
		if c.Code != "" && strings.HasPrefix(c.Code, prefix) {
			b.Known += c.People
			acc[c.Code] += c.People
		}
	}
	b.Items = sorted(acc)
	return b
}

// sorted lists the values with people, most first, then by code.
func sorted(acc map[string]int64) []Item {
	out := make([]Item, 0, len(acc))
	for code, n := range acc {
		if n > 0 {
			out = append(out, Item{code, n})
		}
	}
	slices.SortFunc(out, func(a, b Item) int {
		if c := cmp.Compare(b.People, a.People); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
	return out
}
