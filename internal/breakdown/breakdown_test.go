package breakdown

import (
	"fmt"
	"testing"

	"hrx/internal/month"
	"hrx/internal/reference"
)

const (
	inJP = reference.IndiaToJapan
	jpIN = reference.JapanToIndia
)

var (
	sep = month.MustParse("2025-09")
	oct = month.MustParse("2025-10")
	nov = month.MustParse("2025-11")
)

func cell(m month.Month, dir, cat, code string, n int64) Cell {
	return Cell{Month: m, Direction: dir, Category: cat, Code: code, People: n}
}

// show writes a breakdown as "known/total pct% [code:people …]".
func show(b Breakdown) string {
	s := fmt.Sprintf("%d/%d %d%%", b.Known, b.Total, b.Percent())
	for _, it := range b.Items {
		s += fmt.Sprintf(" %s:%d", it.Code, it.People)
	}
	return s
}

func TestCompute(t *testing.T) {
	// Every figure broken down by sector, origin and destination.
	all := Data{
		Sector:      []Cell{cell(sep, inJP, "ssw", "nursing_care", 60), cell(sep, inJP, "ssw", "construction", 40), cell(oct, jpIN, "student", "it_software", 10)},
		Origin:      []Cell{cell(sep, inJP, "ssw", "IN-KA", 70), cell(sep, inJP, "ssw", "IN-TN", 30), cell(oct, jpIN, "student", "JP-13", 10)},
		Destination: []Cell{cell(sep, inJP, "ssw", "JP-13", 100), cell(oct, jpIN, "student", "IN-DL", 10)},
	}
	// No figure broken down.
	none := Data{
		Sector:      []Cell{cell(sep, inJP, "ssw", "", 100), cell(oct, jpIN, "student", "", 10)},
		Origin:      []Cell{cell(sep, inJP, "ssw", "", 100), cell(oct, jpIN, "student", "", 10)},
		Destination: []Cell{cell(sep, inJP, "ssw", "", 100), cell(oct, jpIN, "student", "", 10)},
	}
	// Some: 62 of 100 people India → Japan with a sector; a region of the
	// wrong country counts as not known; a zero counts for nothing.
	some := Data{
		Sector:      []Cell{cell(sep, inJP, "ssw", "nursing_care", 62), cell(sep, inJP, "ssw", "", 38), cell(nov, inJP, "ssw", "agriculture", 0)},
		Origin:      []Cell{cell(sep, inJP, "ssw", "IN-KA", 1), cell(sep, inJP, "ssw", "", 998), cell(sep, inJP, "ssw", "JP-01", 1)},
		Destination: []Cell{cell(sep, inJP, "ssw", "JP-27", 999), cell(sep, inJP, "ssw", "", 1)},
	}
	skilled := map[string]bool{"ssw": true}
	for _, c := range []struct {
		name                string
		d                   Data
		q                   Query
		sector, india, japn string
	}{
		{"all, both directions", all, Query{},
			"110/110 100% nursing_care:60 construction:40 it_software:10",
			"110/110 100% IN-KA:70 IN-TN:30 IN-DL:10",
			"110/110 100% JP-13:110"},
		{"all, India to Japan", all, Query{Direction: inJP},
			"100/100 100% nursing_care:60 construction:40",
			"100/100 100% IN-KA:70 IN-TN:30",
			"100/100 100% JP-13:100"},
		{"all, Japan to India: India is the destination", all, Query{Direction: jpIN},
			"10/10 100% it_software:10",
			"10/10 100% IN-DL:10",
			"10/10 100% JP-13:10"},
		{"all, a period", all, Query{From: oct, To: nov},
			"10/10 100% it_software:10", "10/10 100% IN-DL:10", "10/10 100% JP-13:10"},
		{"all, a period without figures", all, Query{From: nov, To: nov}, "0/0 0%", "0/0 0%", "0/0 0%"},
		{"all, a target of skilled people", all, Query{SkilledOnly: true, Skilled: skilled},
			"100/100 100% nursing_care:60 construction:40", "100/100 100% IN-KA:70 IN-TN:30", "100/100 100% JP-13:100"},
		{"all, a target of a category and direction", all, Query{Directions: []string{jpIN}, Categories: []string{"student"}},
			"10/10 100% it_software:10", "10/10 100% IN-DL:10", "10/10 100% JP-13:10"},
		{"none", none, Query{}, "0/110 0%", "0/110 0%", "0/110 0%"},
		{"none, Japan to India", none, Query{Direction: jpIN}, "0/10 0%", "0/10 0%", "0/10 0%"},
		{"some", some, Query{},
			"62/100 62% nursing_care:62",
			"1/1000 1% IN-KA:1",
			"999/1000 99% JP-27:999"},
		{"some, to before the figures", some, Query{To: month.MustParse("2025-08")}, "0/0 0%", "0/0 0%", "0/0 0%"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Compute(c.d, c.q)
			if got := show(r.Sector); got != c.sector {
				t.Errorf("sector: %s, want %s", got, c.sector)
			}
			if got := show(r.India); got != c.india {
				t.Errorf("india: %s, want %s", got, c.india)
			}
			if got := show(r.Japan); got != c.japn {
				t.Errorf("japan: %s, want %s", got, c.japn)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		known, total int64
		want         int
	}{
		{0, 0, 0}, {0, 5, 0}, {5, 5, 100}, {1, 1000, 1}, {999, 1000, 99}, {1, 10000, 1}, {9999, 10000, 99}, {62, 100, 62}, {5, 8, 63},
	} {
		if got := (Breakdown{Known: c.known, Total: c.total}).Percent(); got != c.want {
			t.Errorf("%d of %d: %d%%, want %d%%", c.known, c.total, got, c.want)
		}
	}
}

// Items with equal people are ordered by code.
func TestOrder(t *testing.T) {
	d := Data{Sector: []Cell{cell(sep, inJP, "a", "b", 5), cell(sep, inJP, "a", "a", 5), cell(oct, inJP, "a", "c", 9), cell(oct, inJP, "a", "a", 1)}}
	if got := show(Compute(d, Query{}).Sector); got != "20/20 100% c:9 a:6 b:5" {
		t.Errorf("got %s", got)
	}
}
