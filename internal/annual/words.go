package annual

import (
	"strconv"

	"hrx/internal/i18n"
)

// Name is the year as people name it: "2025–26" (its years as text, not
// numbers, so that they are never written "2,025").
func (y Year) Name() i18n.Msg {
	from, to := y.From.Year(), y.To.Year()
	if from == to {
		return i18n.M("annual.year.name_one", "year", strconv.Itoa(from))
	}
	return i18n.M("annual.year.name", "from", strconv.Itoa(from), "to", strconv.Itoa(to%100 + 100)[1:])
}

// Span is the year's months: "September 2025 – August 2026".
func (y Year) Span() i18n.Msg { return i18n.M("annual.year.span", "from", y.From, "to", y.To) }

// Sentences is the summary in words: the year's people against the year
// before, then each target's year against its expected path, in lang (for
// the targets' names).
func Sentences(s Summary, ts []TargetYear, lang i18n.Lang) []i18n.Msg {
	if s.AsOf == 0 {
		return []i18n.Msg{i18n.M("annual.summary.none", "year", s.Year.Name())}
	}
	id := "annual.summary.year"
	if s.SoFar() {
		id = "annual.summary.sofar"
	}
	args := []any{"year", s.Year.Name(), "span", s.Year.Span(), "people", s.People, "asof", s.AsOf, "prev", s.Year.Prev().Name(), "before", s.Prev}
	if p, ok := s.Change(); !ok {
		id += "_alone"
	} else {
		switch {
		case p > 0:
			id += "_up"
		case p < 0:
			id += "_down"
			p = -p
		default:
			id += "_same"
		}
		args = append(args, "percent", p)
	}
	out := []i18n.Msg{i18n.M(id, args...)}
	for _, t := range ts {
		name := t.Progress.Target.Name(lang)
		tid := "annual.summary.target"
		if t.AsOf < s.Year.To {
			tid = "annual.summary.target_sofar"
		}
		out = append(out, i18n.M(tid, "name", name, "achieved", t.Achieved, "expected", t.Expected, "asof", t.AsOf))
		out = append(out, i18n.M("annual.summary.target_total", "name", name, "cumulative", t.Cumulative,
			"target", t.Progress.Target.Value, "expected", t.CumExpected, "asof", t.AsOf, "start", t.Progress.Target.Start))
	}
	return out
}

// NoteSentences say how many flags, revisions and late months the year had.
func NoteSentences(flags, revisions, late int) []i18n.Msg {
	return []i18n.Msg{
		i18n.M("annual.summary.flags", "count", flags),
		i18n.M("annual.summary.revisions", "count", revisions),
		i18n.M("annual.summary.late", "count", late),
	}
}
