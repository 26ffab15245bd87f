package charts

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
)

// Cumulative shows the cumulative achieved line against the expected path and
// the projection, with a labelled horizontal target line.
//
// The achieved line is solid thick blue and its latest value is labelled at
// its end; the expected path is dashed grey; the projection is dotted orange
// and its final value is labelled; the target line is thin dark red with
// TargetLabel written on it (rendered verbatim — include the number if it
// should be shown; when TargetLabel is empty the formatted Target is used).
// Negative and non-finite values are drawn as 0.
type Cumulative struct {
	ID, Title, Desc string
	// Labels has one label per month of the whole window, in order.
	Labels []string
	// Actual is the cumulative achieved value for the first len(Actual) months.
	Actual []float64
	// Expected is the expected cumulative value per month (len == len(Labels)).
	Expected []float64
	// ProjectionStart is the index in Labels where Projection starts
	// (normally len(Actual)-1). Ignored when Projection is empty.
	ProjectionStart int
	// Projection is the projected cumulative value from ProjectionStart on.
	Projection []float64
	// Target is drawn as a horizontal line when > 0.
	Target      float64
	TargetLabel string
	// Legend texts. A series is listed in the legend when it has data.
	ActualLabel, ExpectedLabel, ProjectionLabel string
	Format                                      NumberFormat
	// Marked months (aligned with Labels) are hatched behind the lines and
	// listed in the legend as MarkedLabel: figures that are not public yet.
	Marked      []bool
	MarkedLabel string
	// PlotHeight is the height of the plot in pixels (default 240); the
	// chart adds room for the axis labels to it.
	PlotHeight float64
}

// Layout of the cumulative chart, in pixels.
const (
	cumPlotTop    = 22.0 // room for the top grid line's value above it
	cumPlotHeight = 240.0
	cumAxisHeight = 26.0   // under the plot: the month labels
	plotUnits     = 1000.0 // the nested plot's width in its own units
)

// cumulative is the chart's data worked out once for any width.
type cumulative struct {
	c          Cumulative
	id         string
	format     NumberFormat
	n          int
	projStart  int
	top, step  float64
	items      []legendItem
	marked     bool
	plotH      float64
	plotBottom float64
	height     float64
}

func (c Cumulative) prepare() cumulative {
	k := cumulative{c: c, id: cleanID(c.ID), format: formatter(c.Format), projStart: max(c.ProjectionStart, 0)}
	k.n = max(len(c.Labels), len(c.Actual), len(c.Expected))
	if len(c.Projection) > 0 {
		k.n = max(k.n, k.projStart+len(c.Projection))
	}
	maxV := clean(c.Target)
	for _, s := range [][]float64{c.Actual, c.Expected, c.Projection} {
		for _, v := range s {
			maxV = math.Max(maxV, clean(v))
		}
	}
	k.top, k.step = niceScale(maxV)
	lineSwatch := func(class, color, width, dash string) func(b *strings.Builder, x, y float64) {
		return func(b *strings.Builder, x, y float64) {
			fmt.Fprintf(b, `<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>`,
				class, num(x), num(y), num(x+22), num(y), color, width, dash)
		}
	}
	if len(c.Actual) > 0 && c.ActualLabel != "" {
		k.items = append(k.items, legendItem{c.ActualLabel, lineSwatch("hrx-actual", colorActual, "3.5", ` stroke-linecap="round"`)})
	}
	if len(c.Expected) > 0 && c.ExpectedLabel != "" {
		k.items = append(k.items, legendItem{c.ExpectedLabel, lineSwatch("hrx-expected", colorExpected, "2", ` stroke-dasharray="6 4"`)})
	}
	if len(c.Projection) > 0 && c.ProjectionLabel != "" {
		k.items = append(k.items, legendItem{c.ProjectionLabel, lineSwatch("hrx-projection", colorProjection, "2.5", ` stroke-dasharray="0.5 5" stroke-linecap="round"`)})
	}
	k.marked = slices.Contains(c.Marked, true)
	if k.marked {
		k.items = append(k.items, markItem(k.id, c.MarkedLabel))
	}
	k.plotH = cumPlotHeight
	if h := finite(c.PlotHeight); h > 0 {
		k.plotH = math.Min(math.Max(h, 60), 2000)
	}
	k.plotBottom = cumPlotTop + k.plotH
	k.height = k.plotBottom + cumAxisHeight
	return k
}

// clean draws negative and non-finite values as 0.
func clean(v float64) float64 { return math.Max(0, finite(v)) }

// xAt is month i's position as a fraction of the width.
func (k cumulative) xAt(i int) float64 {
	if k.n <= 1 {
		return 0.5
	}
	return float64(i) / float64(k.n-1)
}

func (k cumulative) yAt(v float64) float64 {
	return k.plotBottom - clean(v)/k.top*k.plotH
}

// SVG renders the chart to its container's width: the legend as an HTML
// list above the SVG, both in a <div class="hrx-chart-box">.
func (c Cumulative) SVG() template.HTML {
	k := c.prepare()
	var b strings.Builder
	b.WriteString(`<div class="hrx-chart-box">`)
	htmlLegend(&b, "hrx-legend-lines", k.items)
	openFluid(&b, k.id, "cumulative", "img", c.Title, c.Desc, k.height)
	k.body(&b, 0)
	b.WriteString(`</svg></div>`)
	return template.HTML(b.String())
}

// Image renders the chart as one standalone SVG image, width pixels wide,
// with its legend inside, for the widgets' images. Its height follows from
// the legend's rows.
func (c Cumulative) Image(width float64) template.HTML {
	k := c.prepare()
	width = math.Max(width, 100)
	legendH := 0.0
	if len(k.items) > 0 {
		legendH = legendHeight(k.items, width) + 4
	}
	var b strings.Builder
	open(&b, k.id, "cumulative", c.Title, c.Desc, width, legendH+k.height)
	legend(&b, k.items, 0, 0, width)
	fmt.Fprintf(&b, `<svg x="0" y="%s" width="%s" height="%s" overflow="visible">`, num(legendH), num(width), num(k.height))
	k.body(&b, width)
	b.WriteString(`</svg></svg>`)
	return template.HTML(b.String())
}

// body draws the chart inside a viewport as wide as the chart: width when it
// is known, 0 when the chart is fluid.
func (k cumulative) body(b *strings.Builder, width float64) {
	c, id, n := k.c, k.id, k.n
	plotTop, plotBottom := cumPlotTop, k.plotBottom
	if k.marked {
		half := 0.5
		if n > 1 {
			half = 0.5 / float64(n-1)
		}
		markDef(b, id)
		markBands(b, id, c.Marked, func(i int) float64 { return k.xAt(i) - half }, func(i int) float64 { return k.xAt(i) + half }, plotTop, plotBottom)
	}
	yGrid(b, k.top, k.step, plotTop, plotBottom)

	spacing := func(w float64) float64 {
		if n > 1 {
			return w / float64(n-1)
		}
		return w
	}
	labelW := maxLabelWidth(c.Labels)
	base, more := tickSets(c.Labels, n, spacing, func(float64) float64 { return labelW / 2 }, width)
	var ticks []tick
	for _, i := range mergeTicks(base, more) {
		anchor := "middle"
		switch {
		case n > 1 && i == 0:
			anchor = "start"
		case n > 1 && i == n-1:
			anchor = "end"
		}
		ticks = append(ticks, tick{i, k.xAt(i), anchor, more[i]})
	}
	xAxis(b, c.Labels, ticks, plotBottom)

	// The lines, in a plot stretched to the width; their points are kept as
	// obstacles for the direct labels, in fractions of the width.
	var lines []fline
	fmt.Fprintf(b, `<svg class="hrx-plot" x="0" y="%s" width="100%%" height="%s" viewBox="0 0 %s %s" preserveAspectRatio="none" overflow="visible">`,
		num(plotTop), num(k.plotH), num(plotUnits), num(k.plotH))
	targetY := math.NaN()
	if t := clean(c.Target); t > 0 {
		targetY = k.yAt(t)
		fmt.Fprintf(b, `<line class="hrx-target" x1="0" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5" vector-effect="non-scaling-stroke"/>`,
			num(targetY-plotTop), num(plotUnits), num(targetY-plotTop), colorTarget)
		lines = append(lines, fline{0, targetY, 1, targetY})
	}
	var dots []fpoint // a series of one point is drawn as a dot
	path := func(class, color, width, extra string, from int, vals []float64) {
		var d strings.Builder
		count := 0
		var pf, py float64
		for j, v := range vals {
			i := from + j
			if i >= n {
				break
			}
			f, y := k.xAt(i), k.yAt(v)
			if count == 0 {
				d.WriteString("M")
			} else {
				d.WriteString(" L")
				lines = append(lines, fline{pf, py, f, y})
			}
			fmt.Fprintf(&d, "%s,%s", num(f*plotUnits), num(y-plotTop))
			pf, py = f, y
			count++
		}
		switch {
		case count == 1:
			dots = append(dots, fpoint{class, color, pf, py})
			lines = append(lines, fline{pf, py, pf, py})
		case count > 1:
			fmt.Fprintf(b, `<path class="%s" d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round" vector-effect="non-scaling-stroke"%s/>`,
				class, d.String(), color, width, extra)
		}
	}
	path("hrx-expected", colorExpected, "2", ` stroke-dasharray="6 4"`, 0, c.Expected)
	if len(c.Projection) > 0 {
		path("hrx-projection", colorProjection, "2.5", ` stroke-dasharray="0.5 5" stroke-linecap="round"`, k.projStart, c.Projection)
	}
	path("hrx-actual", colorActual, "3.5", ` stroke-linecap="round"`, 0, c.Actual)
	b.WriteString(`</svg>`)
	for _, d := range dots {
		fmt.Fprintf(b, `<circle class="%s" cx="%s" cy="%s" r="3.5" fill="%s"/>`, d.class, pct(d.f), num(d.y), d.color)
	}

	// End markers with their values.
	type endLabel struct {
		class, color string
		i            int
		v            float64
	}
	var ends []endLabel
	if j := len(c.Projection) - 1; j > 0 && k.projStart+j < n {
		ends = append(ends, endLabel{"hrx-projection", colorProjection, k.projStart + j, c.Projection[j]})
	}
	if j := min(len(c.Actual), n) - 1; j >= 0 {
		ends = append(ends, endLabel{"hrx-actual", colorActual, j, c.Actual[j]})
	}
	for _, e := range ends {
		f, y := k.xAt(e.i), k.yAt(e.v)
		fmt.Fprintf(b, `<circle class="%s" cx="%s" cy="%s" r="4" fill="%s" stroke="#ffffff" stroke-width="1.5"/>`,
			e.class, pct(f), num(y), e.color)
		lines = append(lines, fline{f, y, f, y})
	}

	if width == 0 {
		k.columns(b, plotTop, plotBottom)
	}

	taken := yAxis(b, k.format, k.top, k.step, plotTop, plotBottom)

	// The direct labels, placed where they cross the fewest lines and other
	// labels at the widths the chart is drawn at.
	widths := []float64{narrowWidth, wideWidth, 1100}
	if width > 0 {
		widths = []float64{width}
	}
	bounds := func(w float64) box { return box{0, 0, w, plotBottom - 2} }
	var labels []placedLabel
	if !math.IsNaN(targetY) {
		label := c.TargetLabel
		if label == "" {
			label = k.format(toInt64(clean(c.Target)))
		}
		l := place(label, []candidate{
			{"start", 0, 6, targetY + 16},
			{"start", 0, 6, targetY - 6},
			{"end", 1, -6, targetY + 16},
			{"end", 1, -6, targetY - 6},
		}, widths, bounds, lines, taken, labels)
		l.class, l.color = "hrx-target", colorTarget
		labels = append(labels, l)
	}
	for _, e := range ends {
		f, y := k.xAt(e.i), k.yAt(e.v)
		l := place(k.format(toInt64(clean(e.v))), []candidate{
			{"end", f, -8, y - 10},  // above left
			{"start", f, 8, y - 10}, // above right
			{"end", f, -10, y + 4},  // left
			{"start", f, 10, y + 4}, // right
			{"start", f, 8, y + 20}, // below right
			{"end", f, -8, y + 20},  // below left
		}, widths, bounds, lines, taken, labels)
		l.class, l.color = e.class, e.color
		labels = append(labels, l)
	}
	for _, l := range labels {
		fmt.Fprintf(b, `<text class="%s" x="%s" dx="%s" y="%s" font-size="%s" font-weight="600" fill="%s" text-anchor="%s" %s>%s</text>`,
			l.class, pct(l.f), num(l.dx), num(l.y), num(tickFont), l.color, l.anchor, halo, esc(l.text))
	}
}

// columns makes each month with an achieved value a focusable image of its
// own on the page (as the monthly bars' columns are): its month, achieved
// and expected values as its title, shown beside its point on hover and
// keyboard focus.
func (k cumulative) columns(b *strings.Builder, plotTop, plotBottom float64) {
	c, n := k.c, k.n
	half := 0.5
	if n > 1 {
		half = 0.5 / float64(n-1)
	}
	for i, v := range c.Actual {
		if i >= n {
			break
		}
		words := labelAt(c.Labels, i) + " — " + c.ActualLabel + ": " + k.format(toInt64(clean(v)))
		if i < len(c.Expected) && c.ExpectedLabel != "" {
			words += "; " + c.ExpectedLabel + ": " + k.format(toInt64(clean(c.Expected[i])))
		}
		f, y := k.xAt(i), k.yAt(v)
		x0, x1 := math.Max(f-half, 0), math.Min(f+half, 1)
		fmt.Fprintf(b, `<g class="hrx-col" tabindex="0" role="img"><title>%s</title>`, esc(words))
		fmt.Fprintf(b, `<rect class="hrx-col-hit" x="%s" y="%s" width="%s" height="%s" fill="#ffffff" fill-opacity="0"/>`,
			pct(x0), num(plotTop), pct(x1-x0), num(plotBottom-plotTop))
		anchor := "middle"
		switch {
		case f < 0.1:
			anchor = "start"
		case f > 0.9:
			anchor = "end"
		}
		fmt.Fprintf(b, `<text class="hrx-col-value" x="%s" y="%s" font-size="%s" font-weight="600" fill="%s" text-anchor="%s" display="none" %s>%s</text></g>`,
			pct(f), num(math.Max(y-10, tickFont)), num(tickFont), colorActual, anchor, halo, esc(k.format(toInt64(clean(v)))))
	}
}

// mergeTicks is every label index of base and more, in order.
func mergeTicks(base []int, more map[int]bool) []int {
	all := slices.Clone(base)
	for i := range more {
		all = append(all, i)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// fpoint is a dot of a series with a single point.
type fpoint struct {
	class, color string
	f, y         float64
}

// fline is a line segment (or a point when both ends coincide) whose x
// coordinates are fractions of the width and y coordinates pixels.
type fline struct{ f1, y1, f2, y2 float64 }

func (l fline) at(w float64) segment { return segment{l.f1 * w, l.y1, l.f2 * w, l.y2} }

// segment is a line segment (or a point when both ends coincide) in chart
// coordinates.
type segment struct{ x1, y1, x2, y2 float64 }

// box is an axis-aligned rectangle.
type box struct{ x0, y0, x1, y1 float64 }

func (r box) overlaps(o box) bool {
	return r.x0 < o.x1 && o.x0 < r.x1 && r.y0 < o.y1 && o.y0 < r.y1
}

func (r box) inside(o box) bool {
	return r.x0 >= o.x0 && r.x1 <= o.x1 && r.y0 >= o.y0 && r.y1 <= o.y1
}

// hits reports whether segment s touches r (Liang–Barsky clipping).
func (r box) hits(s segment) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := s.x2-s.x1, s.y2-s.y1
	for _, pq := range [4][2]float64{{-dx, s.x1 - r.x0}, {dx, r.x1 - s.x1}, {-dy, s.y1 - r.y0}, {dy, r.y1 - s.y1}} {
		p, q := pq[0], pq[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return false
			}
			t0 = math.Max(t0, t)
		} else {
			if t < t0 {
				return false
			}
			t1 = math.Min(t1, t)
		}
	}
	return true
}

// candidate is a possible text position: its anchor, and its baseline
// point, f of the width plus dx pixels across and y down.
type candidate struct {
	anchor string
	f, dx  float64
	y      float64
}

// placedLabel is a direct label with its chosen position.
type placedLabel struct {
	candidate
	text, class, color string
	tw                 float64
}

// labelBox is the area covered by the label's text of width tw when the
// chart is w wide, with a margin.
func labelBox(c candidate, tw, w float64) box {
	x0 := c.f*w + c.dx
	switch c.anchor {
	case "end":
		x0 -= tw
	case "middle":
		x0 -= tw / 2
	}
	return box{x0 - 3, c.y - tickFont, x0 + tw + 3, c.y + 4}
}

// place chooses the first candidate that, over the widths, stays inside
// the bounds and crosses the fewest lines, fixed boxes and other labels.
func place(text string, cands []candidate, widths []float64, bounds func(w float64) box, lines []fline, fixed []box, placed []placedLabel) placedLabel {
	tw := textWidth(text, tickFont)
	best, bestScore := 0, math.MaxInt
	for i, c := range cands {
		score := 0
		for _, w := range widths {
			r := labelBox(c, tw, w)
			if !r.inside(bounds(w)) {
				score += 1000
			}
			for _, p := range placed {
				if r.overlaps(labelBox(p.candidate, p.tw, w)) {
					score += 100
				}
			}
			for _, f := range fixed {
				if r.overlaps(f) {
					score += 10
				}
			}
			for _, l := range lines {
				if r.hits(l.at(w)) {
					score++
				}
			}
		}
		if score < bestScore {
			best, bestScore = i, score
		}
	}
	return placedLabel{candidate: cands[best], text: text, tw: tw}
}
