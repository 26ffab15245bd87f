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
// stacked bottom-up in the order given; the legend lists the series from the
// top of the stack down, as they lie in the bars, with a swatch.
//
// Each month is a focusable image of its own (tabindex="0") titled with its
// label, total and every series' value, and each segment has a title with
// its own value, so a thin segment can still be read by pointing at it or
// by keyboard; the month's total shows above its bar while it has focus or
// the pointer (a stylesheet rule, see Stylesheet).
type StackedBars struct {
	ID, Title, Desc string
	Labels          []string
	Series          []Series
	Format          NumberFormat
	// TotalLabel names a month's total in the titles ("Total").
	TotalLabel string
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

// Layout of the stacked bars, in pixels.
const (
	barPlotTop    = 22.0
	barPlotHeight = 220.0
	barHeight     = barPlotTop + barPlotHeight + 26
)

// SVG renders the chart to its container's width, followed by its legend
// as an HTML list, both in a <div class="hrx-chart-box">.
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
	isEmpty := func(i int) bool { return i < len(s.Empty) && s.Empty[i] }
	maxV := 0.0
	for i := 0; i < n; i++ {
		t := 0.0
		for k := range s.Series {
			t += value(k, i)
		}
		maxV = math.Max(maxV, t)
	}
	top, step := niceScale(maxV)

	var items []legendItem
	for k := len(s.Series) - 1; k >= 0; k-- {
		items = append(items, legendItem{s.Series[k].Name, func(b *strings.Builder, x, y float64) {
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
	plotTop, plotBottom := barPlotTop, barPlotTop+barPlotHeight

	var b strings.Builder
	b.WriteString(`<div class="hrx-chart-box hrx-stacked-box"><div class="hrx-chart-inner">`)
	// A group, not an image: each month inside is an image of its own.
	openFluid(&b, id, "stacked-bars", "group", s.Title, s.Desc, barHeight)
	if len(s.Series) > 0 {
		b.WriteString(`<defs>`)
		for k := range s.Series {
			patternDef(&b, id, k)
		}
		b.WriteString(`</defs>`)
	}
	band := 1.0
	if n > 0 {
		band = 1 / float64(n)
	}
	left := func(i int) float64 { return float64(i) * band }
	right := func(i int) float64 { return float64(i+1) * band }
	center := func(i int) float64 { return (float64(i) + 0.5) * band }
	if marked {
		markDef(&b, id)
		markBands(&b, id, s.Marked, left, right, plotTop, plotBottom)
	}
	yGrid(&b, top, step, plotTop, plotBottom)

	scale := (plotBottom - plotTop) / top
	for i := 0; i < n; i++ {
		if isEmpty(i) {
			continue
		}
		total := 0.0
		for k := range s.Series {
			total += value(k, i)
		}
		label := labelAt(s.Labels, i)
		head := label + ": " + format(toInt64(total))
		if s.TotalLabel != "" {
			head = label + " — " + s.TotalLabel + ": " + format(toInt64(total))
		}
		words := []string{head}
		for k := len(s.Series) - 1; k >= 0; k-- {
			if v := value(k, i); v > 0 {
				words = append(words, s.Series[k].Name+": "+format(toInt64(v)))
			}
		}
		fmt.Fprintf(&b, `<g class="hrx-col" tabindex="0" role="img"><title>%s</title>`, esc(strings.Join(words, "; ")))
		// The whole column answers the pointer; it is outlined when focused.
		fmt.Fprintf(&b, `<rect class="hrx-col-hit" x="%s" y="%s" width="%s" height="%s" fill="#ffffff" fill-opacity="0"/>`,
			pct(left(i)), num(plotTop), pct(band), num(plotBottom-plotTop))
		below := 0.0
		for k := range s.Series {
			v := value(k, i)
			if v <= 0 {
				continue
			}
			y0 := plotBottom - below*scale
			y1 := plotBottom - (below+v)*scale
			below += v
			fmt.Fprintf(&b, `<rect class="hrx-bar hrx-series-%d" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#ffffff" stroke-width="0.75"`,
				k, pct(left(i)+0.15*band), num(y1), pct(0.7*band), num(math.Max(y0-y1, 0.1)), patternFill(id, k))
			if i < len(s.Marked) && s.Marked[i] {
				b.WriteString(` fill-opacity="0.55"`)
			}
			fmt.Fprintf(&b, `><title>%s</title></rect>`, esc(label+" · "+s.Series[k].Name+": "+format(toInt64(v))))
		}
		fmt.Fprintf(&b, `<text class="hrx-col-value" x="%s" y="%s" font-size="%s" font-weight="600" fill="%s" text-anchor="middle" display="none" %s>%s</text>`,
			pct(center(i)), num(math.Max(plotBottom-total*scale-6, tickFont)), num(tickFont), colorText, halo, esc(format(toInt64(total))))
		b.WriteString(`</g>`)
	}
	if empty {
		b.WriteString(`<g class="hrx-nothing">`)
		for i := 0; i < n; i++ {
			if isEmpty(i) {
				fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" %s><title>%s</title></circle>`,
					pct(center(i)), num(plotBottom-emptyRing-1), num(emptyRing), emptyRingStyle, esc(labelAt(s.Labels, i)+" · "+s.EmptyLabel))
			}
		}
		b.WriteString(`</g>`)
	}

	// Labels are centred under their bar; when the bars are narrower than a
	// label, the first starts at its bar's left edge and the last ends at its
	// bar's right edge, so that neither leaves the chart.
	labelW := maxLabelWidth(s.Labels)
	wide := band*narrowWidth >= labelW+4
	pad := func(w float64) float64 {
		if wide {
			return 0
		}
		return math.Max(0, labelW/2-band*w/2)
	}
	base, more := tickSets(s.Labels, n, func(w float64) float64 { return band * w }, pad, 0)
	var ticks []tick
	for _, i := range mergeTicks(base, more) {
		t := tick{i, center(i), "middle", more[i]}
		switch {
		case !wide && i == 0:
			t.f, t.anchor = left(i), "start"
		case !wide && i == n-1:
			t.f, t.anchor = right(i), "end"
		}
		ticks = append(ticks, t)
	}
	xAxis(&b, s.Labels, ticks, plotBottom)
	yAxis(&b, format, top, step, plotTop, plotBottom)
	b.WriteString(`</svg>`)
	htmlLegend(&b, "hrx-legend-stack", items)
	b.WriteString(`</div></div>`)
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
