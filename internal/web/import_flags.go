package web

import (
	"math"

	"hrx/internal/i18n"
	"hrx/internal/plausibility"
)

// flagView is a plausibility flag as the upload preview shows it: an icon
// whose shape says which way (▲ above, ▼ below), a few words, the sentence,
// and its numbers in the reader's convention ("" where there is none).
type flagView struct {
	Flag    plausibility.Flag
	Icon    string
	Short   string
	Words   string
	Value   string
	Median  string // the median of recent months, whole
	YearAgo string // the same month a year earlier, with the month named
}

func (p importPage) flagView(f plausibility.Flag, words i18n.Msg) flagView {
	v := flagView{Flag: f, Icon: "▼", Short: p.Tr(f.Short()), Words: p.Tr(words), Value: p.N(f.Value)}
	if f.Up {
		v.Icon = "▲"
	}
	if f.Median != nil {
		v.Median = p.N(int64(math.Round(f.Median.Value)))
	}
	if f.YearAgo != nil {
		v.YearAgo = p.Tr(i18n.M("plausibility.preview.year_value", "value", int64(math.Round(f.YearAgo.Value)), "month", f.YearAgo.Month))
	}
	return v
}

// FlagViews are the preview's flags, month by month: each cell in direction
// and category order, then the month's total.
func (p importPage) FlagViews() []flagView {
	out := make([]flagView, len(p.Flags))
	for i, f := range p.Flags {
		out[i] = p.flagView(f, f.Msg())
	}
	return out
}

// CellFlag is the flag of the cell a staged row falls in, nil when it has
// none. A row that is not the whole of its cell (one of several sectors or
// regions) is told that the sentence is about the cell's total.
func (p importPage) CellFlag(month, direction, category string, count int64) *flagView {
	for _, f := range p.Flags {
		if f.Kind == plausibility.CellFlag && f.Month.String() == month && f.Cell.Direction == direction && f.Cell.Category == category {
			words := f.Msg()
			if f.Value != count {
				words = i18n.M("plausibility.preview.in_total", "flag", words)
			}
			v := p.flagView(f, words)
			return &v
		}
	}
	return nil
}

// FlagCount is how many flags applying the file would raise.
func (p importPage) FlagCount() int { return len(p.Flags) }
