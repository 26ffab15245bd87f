package report

import (
	"math"
	"strconv"

	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/progress"
	"hrx/internal/upload"
)

// The charts a target's page offers for download, by the name in their
// addresses (/targets/{slug}/charts/{name}.{csv,xlsx,svg,png}).
const (
	ChartCumulative = "cumulative"
	ChartMonthly    = "monthly"
	ChartSplit      = "split"
)

// ChartNames are the downloadable charts, in the order the pages show them.
var ChartNames = []string{ChartCumulative, ChartMonthly, ChartSplit}

// ChartTitle is a chart's title, as the page's chart says it.
func (tp TargetProgress) ChartTitle(l i18n.Locale, chart string) string {
	name := tp.Target.Name(l.Lang)
	switch chart {
	case ChartMonthly:
		return l.Tr(i18n.M("charts.bars.title", "name", name))
	case ChartSplit:
		return l.Tr(i18n.M("charts.split.title", "name", name))
	}
	return l.Tr(i18n.M("charts.cumulative.title", "name", name))
}

// ChartTable is the numbers a chart draws, in the reader's words: months as
// YYYY-MM, people as whole numbers, an empty cell where the chart draws
// nothing (a month published as "nothing to report", a month past the
// projection). ok is false for an unknown chart.
func (tp TargetProgress) ChartTable(l i18n.Locale, chart string) (t upload.Table, ok bool) {
	word := func(id string) string { return l.Tr(i18n.M("downloads.column." + id)) }
	round := func(v float64) string { return strconv.FormatInt(int64(math.Round(v)), 10) }
	switch chart {
	case ChartCumulative:
		t = upload.Table{Header: []string{word("month"), word("achieved"), word("expected"), word("projection")},
			Numeric: []bool{false, true, true, true}}
		start := tp.Target.Start
		for _, m := range month.Range(start, tp.Target.End) {
			t.Rows = append(t.Rows, []string{m.String(), "", "", ""})
		}
		for col, ps := range [][]progress.CumPoint{1: tp.Result.Actual, 2: tp.Result.ExpectedPath, 3: tp.Result.Projection} {
			for _, p := range ps {
				if i := p.Month.Sub(start); i >= 0 && i < len(t.Rows) {
					t.Rows[i][col] = round(p.Value)
				}
			}
		}
	case ChartMonthly:
		t = upload.Table{Header: []string{word("month")}, Numeric: []bool{false}}
		for _, s := range tp.ByCategory {
			t.Header = append(t.Header, s.Category.Name(l.Lang))
			t.Numeric = append(t.Numeric, true)
		}
		t.Header = append(t.Header, word("total"))
		t.Numeric = append(t.Numeric, true)
		for i, m := range tp.Months {
			row := []string{m.String()}
			nothing := i < len(tp.NothingReported) && tp.NothingReported[i]
			for _, s := range tp.ByCategory {
				v := ""
				if i < len(s.Values) && !nothing {
					v = strconv.FormatInt(s.Values[i], 10)
				}
				row = append(row, v)
			}
			total := ""
			if i < len(tp.Monthly) && !nothing {
				total = strconv.FormatInt(tp.Monthly[i], 10)
			}
			t.Rows = append(t.Rows, append(row, total))
		}
	case ChartSplit:
		t = upload.Table{Header: []string{word("direction_code"), word("direction"), word("people")}, Numeric: []bool{false, false, true}}
		for _, p := range tp.ByDir {
			t.Rows = append(t.Rows, []string{p.Direction, DirectionName(l, p.Direction), strconv.FormatInt(p.Total, 10)})
		}
	default:
		return t, false
	}
	t.Sheet = chart
	return t, true
}
