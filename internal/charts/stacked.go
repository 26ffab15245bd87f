package charts

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
)

// Series is one category of a stacked bar chart; Values are aligned with the
// chart's Labels (missing values count as 0, negative values are drawn as 0).
type Series struct {
	Name   string
	Values []int64
}

// StackedBars shows monthly bars stacked by series. Series k is filled with
// Palette[k] and pattern PatternNames[k] (both cycle after 10 series) and
// stacked bottom-up in the order given; the legend lists the series in the
// same order with a swatch.
type StackedBars struct {
	ID, Title, Desc string
	Labels          []string
	Series          []Series
	Format          NumberFormat
	// Marked months (aligned with Labels) are hatched behind lighter bars and
	// listed in the legend as MarkedLabel: figures that are not public yet.
	Marked      []bool
	MarkedLabel string
	// Empty months (aligned with Labels) had no figures to report: no bar is
	// drawn, a hollow ring sits on the axis instead (with EmptyLabel as its
	// title), and the legend lists EmptyLabel; never a bar of zero.
	Empty      []bool
	EmptyLabel string
}

const (
	barWidth      = 640.0
	barPlotHeight = 220.0
)

// SVG renders the chart.
func (s StackedBars) SVG() template.HTML {
	id := cleanID(s.ID)
	format := formatter(s.Format)

	n := len(s.Labels)
	for _, se := range s.Series {
		n = max(n, len(se.Values))
	}
	value := func(k, i int) float64 {
		if i < len(s.Series[k].Values) && s.Series[k].Values[i] > 0 {
			return float64(s.Series[k].Values[i])
		}
		return 0
	}
	maxV := 0.0
	for i := 0; i < n; i++ {
		t := 0.0
		for k := range s.Series {
			t += value(k, i)
		}
		maxV = math.Max(maxV, t)
	}
	top, step := niceScale(maxV)

	labelW := maxLabelWidth(s.Labels)
	left := math.Max(yLabelWidth(format, top, step)+14, 10)
	right := barWidth - 18
	plotW := right - left
	band := plotW
	if n > 0 {
		band = plotW / float64(n)
	}
	// Labels are centred on their bar; keep the first and last inside.
	if band/2 < labelW/2+6 {
		left = math.Max(left, labelW/2+6-band/2)
		right = barWidth - math.Max(18, labelW/2+6-band/2)
		plotW = right - left
		if n > 0 {
			band = plotW / float64(n)
		}
	}

	var items []legendItem
	for k, se := range s.Series {
		items = append(items, legendItem{se.Name, func(b *strings.Builder, x, y float64) {
			fmt.Fprintf(b, `<rect class="hrx-series-%d" x="%s" y="%s" width="18" height="14" fill="%s" stroke="%s" stroke-width="1"/>`,
				k, num(x), num(y-7), patternFill(id, k), seriesColor(k))
		}})
	}
	marked := slices.Contains(s.Marked, true)
	if marked {
		items = append(items, markItem(id, s.MarkedLabel))
	}
	empty := slices.Contains(s.Empty, true)
	if empty {
		items = append(items, emptyItem(s.EmptyLabel))
	}
	legendTop := 10.0
	plotTop := 18.0
	if len(items) > 0 {
		plotTop = legendTop + legendHeight(items, right-left) + 18
	}
	plotBottom := plotTop + barPlotHeight
	height := plotBottom + 32

	var b strings.Builder
	open(&b, id, "stacked-bars", s.Title, s.Desc, barWidth, height)
	if len(s.Series) > 0 {
		b.WriteString(`<defs>`)
		for k := range s.Series {
			patternDef(&b, id, k)
		}
		b.WriteString(`</defs>`)
	}
	xAt := func(i int) float64 { return left + (float64(i)+0.5)*band }
	if marked {
		markDef(&b, id)
		markBands(&b, id, s.Marked, xAt, band, plotTop, plotBottom)
	}
	yAxis(&b, format, top, step, left, right, plotTop, plotBottom)

	barW := band * 0.7
	if band < 4 {
		barW = band
	}
	sep := barW >= 6
	scale := (plotBottom - plotTop) / top
	isEmpty := func(i int) bool { return i < len(s.Empty) && s.Empty[i] }
	for k := range s.Series {
		fmt.Fprintf(&b, `<g class="hrx-bar hrx-series-%d" fill="%s">`, k, patternFill(id, k))
		for i := 0; i < n; i++ {
			v := value(k, i)
			if v <= 0 || isEmpty(i) {
				continue
			}
			below := 0.0
			for j := 0; j < k; j++ {
				below += value(j, i)
			}
			y0 := plotBottom - below*scale
			y1 := plotBottom - (below+v)*scale
			x := left + float64(i)*band + (band-barW)/2
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s"`, num(x), num(y1), num(barW), num(math.Max(y0-y1, 0.1)))
			if sep {
				b.WriteString(` stroke="#ffffff" stroke-width="0.75"`)
			}
			if i < len(s.Marked) && s.Marked[i] {
				b.WriteString(` fill-opacity="0.55"`)
			}
			b.WriteString(`/>`)
		}
		b.WriteString(`</g>`)
	}
	if empty {
		b.WriteString(`<g class="hrx-nothing">`)
		for i := 0; i < n; i++ {
			if isEmpty(i) {
				fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" %s><title>%s</title></circle>`,
					num(xAt(i)), num(plotBottom-emptyRing-1), num(emptyRing), emptyRingStyle, esc(s.EmptyLabel))
			}
		}
		b.WriteString(`</g>`)
	}
	xAxis(&b, s.Labels, xTicks(s.Labels, n, band, 12), xAt, left, right, plotBottom)

	legend(&b, items, left, legendTop, right-left)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// emptyRing is the radius of the ring that marks a month with no figures reported.
const emptyRing = 4.0

const emptyRingStyle = `fill="#ffffff" stroke="#505050" stroke-width="1.5"`

// emptyItem is the legend entry of the ring.
func emptyItem(label string) legendItem {
	return legendItem{label, func(b *strings.Builder, x, y float64) {
		fmt.Fprintf(b, `<circle class="hrx-nothing" cx="%s" cy="%s" r="%s" %s/>`, num(x+9), num(y), num(emptyRing), emptyRingStyle)
	}}
}
