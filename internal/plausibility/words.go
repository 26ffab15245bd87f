package plausibility

import (
	"math"

	"hrx/internal/i18n"
)

// Msg says the flag in words: "412 is 5.5 times the median of the last 6
// months (75) and 4.9 times September 2024 (84)"; "The month's total, 9,120,
// is 62.5 % more than August 2025 (5,612)". It does not name the cell: the
// page shows it beside the cell, or names it around the sentence.
func (f Flag) Msg() i18n.Msg {
	if f.Kind == TotalFlag {
		return f.totalMsg()
	}
	var parts []i18n.Msg
	if f.Median != nil {
		parts = append(parts, f.medianMsg())
	}
	if f.YearAgo != nil {
		parts = append(parts, f.yearMsg())
	}
	return i18n.M("plausibility.cell.flag", "value", f.Value, "comparisons", parts)
}

// Short is the flag in a few words, for a narrow column or an icon's label:
// "Far above its recent level" or "Far below its recent level".
func (f Flag) Short() i18n.Msg {
	if f.Up {
		return i18n.M("plausibility.short.above")
	}
	return i18n.M("plausibility.short.below")
}

func (f Flag) medianMsg() i18n.Msg {
	r := f.Median
	switch {
	case !f.Up:
		return i18n.M("plausibility.median.percent", "percent", percent(r.Ratio), "count", r.Months, "median", people(r.Value))
	case r.Value == 0:
		return i18n.M("plausibility.median.above_zero", "count", r.Months)
	}
	return i18n.M("plausibility.median.times", "ratio", r.Ratio, "count", r.Months, "median", people(r.Value))
}

func (f Flag) yearMsg() i18n.Msg {
	r := f.YearAgo
	switch {
	case !f.Up:
		return i18n.M("plausibility.year.percent", "percent", percent(r.Ratio), "month", r.Month, "year_value", people(r.Value))
	case r.Value == 0:
		return i18n.M("plausibility.year.above_zero", "month", r.Month)
	}
	return i18n.M("plausibility.year.times", "ratio", r.Ratio, "month", r.Month, "year_value", people(r.Value))
}

func (f Flag) totalMsg() i18n.Msg {
	p := f.Previous
	switch {
	case p.Value == 0:
		return i18n.M("plausibility.total.from_zero", "value", f.Value, "month", p.Month)
	case f.Up:
		return i18n.M("plausibility.total.up", "value", f.Value, "percent", f.Percent, "month", p.Month, "previous", people(p.Value))
	}
	return i18n.M("plausibility.total.down", "value", f.Value, "percent", f.Percent, "month", p.Month, "previous", people(p.Value))
}

// people is a count shown to a person: whole (a median of 75.5 reads 76).
func people(v float64) int64 { return int64(math.Round(v)) }

// percent is a ratio below 1 as a per cent of its reference.
func percent(r float64) float64 { return r * 100 }
