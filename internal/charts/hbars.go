package charts

import (
	"fmt"
	"html/template"
	"strings"
)

// Bar is one labelled value of a bar chart.
type Bar struct {
	Label string
	Value int64
}

// HBars is a horizontal bar chart drawn to its container's width, one bar a
// row in the order given (callers sort them): the label followed by the value on a
// line, the bar under them, scaled so that the largest value fills the width.
// The label and value sit above the bar, so long names (a sector, a state)
// fit a phone without shrinking.
type HBars struct {
	ID, Title, Desc string
	Bars            []Bar
	Format          NumberFormat
}

// Layout of the horizontal bars, in pixels.
const (
	hbarRow  = 36.0
	hbarH    = 12.0
	hbarFont = tickFont
)

// SVG renders the chart.
func (h HBars) SVG() template.HTML {
	id := cleanID(h.ID)
	format := formatter(h.Format)
	var top int64
	for _, br := range h.Bars {
		top = max(top, br.Value)
	}
	height := float64(len(h.Bars))*hbarRow + 4
	var b strings.Builder
	openFluid(&b, id, "hbars", "img", h.Title, h.Desc, height)
	fmt.Fprintf(&b, `<g class="hrx-hbars" font-size="%s" fill="%s">`, num(hbarFont), colorText)
	for i, br := range h.Bars {
		y := float64(i) * hbarRow
		v := max(br.Value, 0)
		f := 0.0
		if top > 0 {
			f = float64(v) / float64(top)
		}
		fmt.Fprintf(&b, `<text x="0" y="%s">%s <tspan font-weight="bold">%s</tspan></text>`,
			num(y+14), esc(br.Label), esc(format(v)))
		fmt.Fprintf(&b, `<rect x="0" y="%s" width="100%%" height="%s" fill="%s"/>`, num(y+19), num(hbarH), colorGrid)
		if v > 0 {
			fmt.Fprintf(&b, `<rect x="0" y="%s" width="%s" height="%s" fill="%s"/>`, num(y+19), pct(f), num(hbarH), colorActual)
		}
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}
