package report

import (
	"hrx/internal/charts"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
)

// The charts of a target, built once here for the dashboard, the target pages
// and the widgets, with their titles, descriptions and legends in the reader's
// language (catalog area "charts"). Months in unpublished (the staff view)
// are hatched.

// CumulativeChart is the people counted so far against the target: achieved,
// the expected path and the projection over the whole window, with the target
// line. Its description is the target's Sentence.
func (tp TargetProgress) CumulativeChart(l i18n.Locale, id string, unpublished map[month.Month]bool) charts.Cumulative {
	name := tp.Target.Name(l.Lang)
	r := tp.Result
	c := charts.Cumulative{
		ID:    id,
		Title: l.Tr(i18n.M("charts.cumulative.title", "name", name)), Desc: l.Tr(tp.Sentence(name)),
		Target: float64(tp.Target.Value), TargetLabel: l.Tr(i18n.M("charts.cumulative.target", "target", tp.Target.Value)),
		ActualLabel:     l.Tr(i18n.M("charts.legend.achieved")),
		ExpectedLabel:   l.Tr(i18n.M("charts.legend.expected")),
		ProjectionLabel: l.Tr(i18n.M("charts.legend.projection")),
		Format:          l.N,
	}
	for _, m := range month.Range(tp.Target.Start, tp.Target.End) {
		c.Labels = append(c.Labels, l.MonthShort(m))
		c.Marked = append(c.Marked, unpublished[m])
	}
	c.MarkedLabel = l.Tr(i18n.M("charts.legend.unpublished"))
	for _, p := range r.Actual {
		c.Actual = append(c.Actual, p.Value)
	}
	for _, p := range r.ExpectedPath {
		c.Expected = append(c.Expected, p.Value)
	}
	for _, p := range r.Projection {
		c.Projection = append(c.Projection, p.Value)
	}
	if len(c.Actual) > 0 {
		c.ProjectionStart = len(c.Actual) - 1
	}
	return c
}

// BarsChart is the people counted each month, stacked by category, and
// described by the largest category.
func (tp TargetProgress) BarsChart(l i18n.Locale, id string, unpublished map[month.Month]bool) charts.StackedBars {
	name := tp.Target.Name(l.Lang)
	c := charts.StackedBars{ID: id, Title: l.Tr(i18n.M("charts.bars.title", "name", name)), Format: l.N,
		TotalLabel: l.Tr(i18n.M("charts.bars.total"))}
	for _, m := range tp.Months {
		c.Labels = append(c.Labels, l.MonthShort(m))
		c.Marked = append(c.Marked, unpublished[m])
	}
	c.MarkedLabel = l.Tr(i18n.M("charts.legend.unpublished"))
	c.Empty, c.EmptyLabel = tp.NothingReported, l.Tr(i18n.M("charts.legend.nothing"))
	var best string
	var most int64
	for _, sr := range tp.ByCategory {
		name := sr.Category.Name(l.Lang)
		c.Series = append(c.Series, charts.Series{Name: name, Values: sr.Values})
		if t := sr.Total(); t > most {
			best, most = name, t
		}
	}
	c.Desc = l.Tr(i18n.M("charts.none"))
	if most > 0 {
		c.Desc = l.Tr(i18n.M("charts.bars.desc", "category", best, "people", most))
	}
	return c
}

// Total is the category's people in the window so far.
func (s Series) Total() int64 {
	var t int64
	for _, x := range s.Values {
		t += x
	}
	return t
}

// DirectionName is a direction's name in the reader's language.
func DirectionName(l i18n.Locale, code string) string {
	return l.Tr(reference.DirectionMsg(code))
}

// SplitChart is the people counted by direction, described by the share of
// the first direction.
func (tp TargetProgress) SplitChart(l i18n.Locale, id string) charts.Split {
	name := tp.Target.Name(l.Lang)
	c := charts.Split{ID: id, Title: l.Tr(i18n.M("charts.split.title", "name", name)), Format: l.N}
	for _, p := range tp.ByDir {
		c.Parts = append(c.Parts, charts.Part{Name: DirectionName(l, p.Direction), Value: p.Total})
	}
	c.Desc = l.Tr(i18n.M("charts.none"))
	if achieved := tp.Result.Achieved; len(c.Parts) > 0 && achieved > 0 {
		c.Desc = l.Tr(i18n.M("charts.split.desc", "percent", float64(c.Parts[0].Value)*100/float64(achieved),
			"achieved", achieved, "direction", c.Parts[0].Name))
	}
	return c
}

// Sparkline is the people counted in each of the latest n months (fewer when
// there are fewer), described by the latest; ok is false when there are none.
// Months published as "nothing to report" are left out, not drawn as zero.
func (tp TargetProgress) Sparkline(l i18n.Locale, id string, n int) (s charts.Sparkline, ok bool) {
	var m []int64
	for i, x := range tp.Monthly {
		if i >= len(tp.NothingReported) || !tp.NothingReported[i] {
			m = append(m, x)
		}
	}
	if len(m) > n {
		m = m[len(m)-n:]
	}
	if len(m) == 0 {
		return s, false
	}
	s = charts.Sparkline{ID: id, Title: l.Tr(i18n.M("charts.spark.title", "count", len(m))),
		Desc: l.Tr(i18n.M("charts.spark.desc", "people", m[len(m)-1], "month", tp.Result.AsOf))}
	for _, x := range m {
		s.Values = append(s.Values, float64(x))
	}
	return s, true
}
