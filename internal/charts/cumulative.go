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
}

// Layout of the cumulative chart, in viewBox units.
const (
	cumWidth      = 640.0
	cumPlotHeight = 240.0
)

// SVG renders the chart.
func (c Cumulative) SVG() template.HTML {
	id := cleanID(c.ID)
	format := formatter(c.Format)

	projStart := c.ProjectionStart
	if projStart < 0 {
		projStart = 0
	}
	n := len(c.Labels)
	n = max(n, len(c.Actual), len(c.Expected))
	if len(c.Projection) > 0 {
		n = max(n, projStart+len(c.Projection))
	}

	clean := func(v float64) float64 { return math.Max(0, finite(v)) }
	maxV := clean(c.Target)
	for _, s := range [][]float64{c.Actual, c.Expected, c.Projection} {
		for _, v := range s {
			maxV = math.Max(maxV, clean(v))
		}
	}
	top, step := niceScale(maxV)

	labelW := maxLabelWidth(c.Labels)
	left := math.Max(yLabelWidth(format, top, step)+14, labelW/2+6)
	right := cumWidth - math.Max(18, labelW/2+6)
	plotW := right - left

	// Legend.
	var items []legendItem
	lineSwatch := func(class, color, width, dash string) func(b *strings.Builder, x, y float64) {
		return func(b *strings.Builder, x, y float64) {
			fmt.Fprintf(b, `<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>`,
				class, num(x), num(y), num(x+22), num(y), color, width, dash)
		}
	}
	if len(c.Actual) > 0 && c.ActualLabel != "" {
		items = append(items, legendItem{c.ActualLabel, lineSwatch("hrx-actual", colorActual, "3.5", ` stroke-linecap="round"`)})
	}
	if len(c.Expected) > 0 && c.ExpectedLabel != "" {
		items = append(items, legendItem{c.ExpectedLabel, lineSwatch("hrx-expected", colorExpected, "2", ` stroke-dasharray="6 4"`)})
	}
	if len(c.Projection) > 0 && c.ProjectionLabel != "" {
		items = append(items, legendItem{c.ProjectionLabel, lineSwatch("hrx-projection", colorProjection, "2.5", ` stroke-dasharray="0.5 5" stroke-linecap="round"`)})
	}
	marked := slices.Contains(c.Marked, true)
	if marked {
		items = append(items, markItem(id, c.MarkedLabel))
	}
	legendTop := 10.0
	plotTop := legendTop + legendHeight(items, right-left) + 24
	if len(items) == 0 {
		plotTop = 18
	}
	plotBottom := plotTop + cumPlotHeight
	height := plotBottom + 32

	xAt := func(i int) float64 {
		if n <= 1 {
			return left + plotW/2
		}
		return left + float64(i)*plotW/float64(n-1)
	}
	yAt := func(v float64) float64 {
		return plotBottom - clean(v)/top*(plotBottom-plotTop)
	}

	var b strings.Builder
	open(&b, id, "cumulative", c.Title, c.Desc, cumWidth, height)
	spacing := plotW
	if n > 1 {
		spacing = plotW / float64(n-1)
	}
	if marked {
		markDef(&b, id)
		markBands(&b, id, c.Marked, xAt, spacing, plotTop, plotBottom)
	}
	yAxis(&b, format, top, step, left, right, plotTop, plotBottom)
	xAxis(&b, c.Labels, xTicks(c.Labels, n, spacing, 12), xAt, left, right, plotBottom)

	// Lines are drawn first and remembered as obstacles; the direct labels
	// are placed afterwards where they cross as few lines as possible.
	var obstacles []segment
	var labels []placedLabel
	var boxes []box

	// Target line.
	targetY := math.NaN()
	if t := clean(c.Target); t > 0 {
		targetY = yAt(t)
		fmt.Fprintf(&b, `<line class="hrx-target" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`,
			num(left), num(targetY), num(right), num(targetY), colorTarget)
		obstacles = append(obstacles, segment{left, targetY, right, targetY})
	}

	// path writes one series starting at index from and returns its last
	// point; a series with a single visible point is drawn as a dot.
	path := func(class, color, width, extra string, from int, vals []float64) {
		var d strings.Builder
		count := 0
		var px, py float64
		for k, v := range vals {
			i := from + k
			if i >= n {
				break
			}
			x, y := xAt(i), yAt(v)
			if count == 0 {
				d.WriteString("M")
			} else {
				d.WriteString(" L")
				obstacles = append(obstacles, segment{px, py, x, y})
			}
			fmt.Fprintf(&d, "%s,%s", num(x), num(y))
			px, py = x, y
			count++
		}
		switch {
		case count == 1:
			fmt.Fprintf(&b, `<circle class="%s" cx="%s" cy="%s" r="3.5" fill="%s"/>`, class, num(px), num(py), color)
			obstacles = append(obstacles, segment{px, py, px, py})
		case count > 1:
			fmt.Fprintf(&b, `<path class="%s" d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"%s/>`,
				class, d.String(), color, width, extra)
		}
	}
	path("hrx-expected", colorExpected, "2", ` stroke-dasharray="6 4"`, 0, c.Expected)
	if len(c.Projection) > 0 {
		path("hrx-projection", colorProjection, "2.5", ` stroke-dasharray="0.5 5" stroke-linecap="round"`, projStart, c.Projection)
	}
	path("hrx-actual", colorActual, "3.5", ` stroke-linecap="round"`, 0, c.Actual)

	// End markers with their values.
	bounds := box{left, plotTop - 24, cumWidth - 2, plotBottom - 2}
	marker := func(class, color string, i int, v float64) {
		x, y := xAt(i), yAt(v)
		fmt.Fprintf(&b, `<circle class="%s" cx="%s" cy="%s" r="4" fill="%s" stroke="#ffffff" stroke-width="1.5"/>`,
			class, num(x), num(y), color)
		obstacles = append(obstacles, segment{x, y, x, y})
	}
	type endLabel struct {
		class, color string
		i            int
		v            float64
	}
	var ends []endLabel
	if k := len(c.Projection) - 1; k > 0 && projStart+k < n {
		ends = append(ends, endLabel{"hrx-projection", colorProjection, projStart + k, c.Projection[k]})
	}
	if k := min(len(c.Actual), n) - 1; k >= 0 {
		ends = append(ends, endLabel{"hrx-actual", colorActual, k, c.Actual[k]})
	}
	for _, e := range ends {
		marker(e.class, e.color, e.i, e.v)
	}

	// Target label: under the line at the left, or above it.
	if !math.IsNaN(targetY) {
		label := c.TargetLabel
		if label == "" {
			label = format(toInt64(clean(c.Target)))
		}
		tw := textWidth(label, 12)
		l := place(label, tw, []candidate{
			{"start", left + 6, targetY + 16},
			{"start", left + 6, targetY - 6},
			{"end", right - 6, targetY + 16},
			{"end", right - 6, targetY - 6},
		}, bounds, obstacles, boxes)
		l.class, l.color = "hrx-target", colorTarget
		labels = append(labels, l)
		boxes = append(boxes, l.box)
	}
	for _, e := range ends {
		x, y := xAt(e.i), yAt(e.v)
		text := format(toInt64(clean(e.v)))
		tw := textWidth(text, 12)
		l := place(text, tw, []candidate{
			{"end", x - 8, y - 10},   // above left
			{"start", x + 8, y - 10}, // above right
			{"end", x - 10, y + 4},   // left
			{"start", x + 10, y + 4}, // right
			{"start", x + 8, y + 20}, // below right
			{"end", x - 8, y + 20},   // below left
		}, bounds, obstacles, boxes)
		l.class, l.color = e.class, e.color
		labels = append(labels, l)
		boxes = append(boxes, l.box)
	}
	for _, l := range labels {
		fmt.Fprintf(&b, `<text class="%s" x="%s" y="%s" font-size="12" font-weight="600" fill="%s" text-anchor="%s" %s>%s</text>`,
			l.class, num(l.x), num(l.y), l.color, l.anchor, halo, esc(l.text))
	}

	legend(&b, items, left, legendTop, right-left)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

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

// candidate is a possible text position: anchor and baseline point.
type candidate struct {
	anchor string
	x, y   float64
}

// placedLabel is a direct label with its chosen position.
type placedLabel struct {
	candidate
	text, class, color string
	box                box
}

// labelBox is the area covered by 12px text of width tw at c, with a margin.
func labelBox(c candidate, tw float64) box {
	x0 := c.x
	switch c.anchor {
	case "end":
		x0 = c.x - tw
	case "middle":
		x0 = c.x - tw/2
	}
	return box{x0 - 3, c.y - 12, x0 + tw + 3, c.y + 4}
}

// place chooses the first candidate that stays inside bounds and crosses the
// fewest lines and other labels.
func place(text string, tw float64, cands []candidate, bounds box, obstacles []segment, taken []box) placedLabel {
	best, bestScore := 0, math.MaxInt
	for i, c := range cands {
		r := labelBox(c, tw)
		score := 0
		if !r.inside(bounds) {
			score += 1000
		}
		for _, t := range taken {
			if r.overlaps(t) {
				score += 100
			}
		}
		for _, s := range obstacles {
			if r.hits(s) {
				score++
			}
		}
		if score < bestScore {
			best, bestScore = i, score
		}
	}
	c := cands[best]
	return placedLabel{candidate: c, text: text, box: labelBox(c, tw)}
}
