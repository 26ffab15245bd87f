package embed

import (
	"bytes"
	"fmt"
	"html"
	"image"
	"image/draw"
	"image/png"
	"math"
	"strconv"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"hrx/internal/charts"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/progress"
	"hrx/internal/report"
)

// A chart as a file to download: the same drawing written once as a
// standalone SVG image and once painted into a PNG, ChartWidth ×
// ChartHeight pixels, with the chart's title, its legend, the source line
// and the as-of month inside the picture.
//
// The PNG is painted with the Go fonts inside the binary (as the picture
// of a shared link is, png.go), which write Latin script only: its words
// are in English (with the reader's number convention) when the reader's
// language is Japanese or Hindi; the SVG is in the reader's language.

// The size of a downloaded chart image, in pixels.
const (
	ChartWidth  = 800
	ChartHeight = 500
)

const chartPad = 32.0

// The chart colours: the charts package's own, so a download looks like the page.
const (
	inkText       = "#202124"
	inkMuted      = "#3c4043"
	inkAxis       = "#5f6368"
	inkGrid       = "#e0e0e0"
	inkActual     = "#1f5fa6"
	inkExpected   = "#5f6368"
	inkProjection = "#b3470b"
	inkTarget     = "#b71c1c"
)

// mark is one thing drawn: a rectangle, a line through points, or a line of text.
type mark struct {
	kind       byte // 'r', 'l' or 't'
	x, y, w, h float64
	pts        []float64 // x, y pairs of a line
	ink        string
	stroke     float64 // a line's width
	dash       float64 // a line's dash length; 0 is solid
	size       float64 // a text's size
	bold       bool
	anchor     string // "", "middle" or "end"
	text       string
}

// drawing is a chart laid out at ChartWidth × ChartHeight.
type drawing struct {
	title, desc string
	marks       []mark
	p           *pngPainter // measures text (and paints the PNG)
}

func (d *drawing) rect(x, y, w, h float64, ink string) {
	d.marks = append(d.marks, mark{kind: 'r', x: x, y: y, w: w, h: h, ink: ink})
}

func (d *drawing) line(ink string, stroke, dash float64, pts ...float64) {
	if len(pts) >= 4 {
		d.marks = append(d.marks, mark{kind: 'l', pts: pts, ink: ink, stroke: stroke, dash: dash})
	}
}

func (d *drawing) text(x, y, size float64, bold bool, anchor, ink, s string) {
	d.marks = append(d.marks, mark{kind: 't', x: x, y: y, size: size, bold: bold, anchor: anchor, ink: ink, text: s})
}

func weight(bold bool) string {
	if bold {
		return "700"
	}
	return ""
}

func (d *drawing) width(s string, size float64, bold bool) float64 {
	return d.p.width(s, size, weight(bold))
}

// ChartFile draws a target's chart (report.ChartNames) as an SVG image or a
// PNG picture (format "svg" or "png"); ok is false for an unknown chart.
func ChartFile(tp report.TargetProgress, l i18n.Locale, chart, format string) (b []byte, ok bool, err error) {
	img := image.NewRGBA(image.Rect(0, 0, ChartWidth, ChartHeight))
	p := newPNGPainter(img)
	if format == "png" && l.Lang != i18n.EN {
		l = englishFor(l)
	}
	d := &drawing{p: p}
	if !d.layout(tp, l, chart) {
		return nil, false, nil
	}
	if format == "svg" {
		return d.svg(), true, nil
	}
	draw.Draw(img, img.Bounds(), image.NewUniform(hex("#ffffff")), image.Point{}, draw.Src)
	d.paint(img)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, true, err
	}
	return buf.Bytes(), true, nil
}

// legendEntry is a legend's swatch and label: a line, or a square.
type legendEntry struct {
	label  string
	ink    string
	stroke float64
	dash   float64
	square bool
}

// layout draws the chart's title, legend, plot and footer.
func (d *drawing) layout(tp report.TargetProgress, l i18n.Locale, chart string) bool {
	switch chart {
	case report.ChartCumulative, report.ChartMonthly, report.ChartSplit:
	default:
		return false
	}
	const inner = ChartWidth - 2*chartPad
	d.title = tp.ChartTitle(l, chart)
	d.desc = l.Tr(tp.Sentence(tp.Target.Name(l.Lang)))
	y := chartPad + 18
	for i, line := range d.p.wrap(d.title, 20, "700", inner, 2) {
		if i > 0 {
			y += 26
		}
		d.text(chartPad, y, 20, true, "", inkText, line)
	}

	// The footer: the source and the as-of month.
	d.text(chartPad, ChartHeight-chartPad-20, 13, false, "", inkMuted, d.p.fit(l.Tr(i18n.M("downloads.source")), 13, "", inner))
	asOf := l.Tr(report.NoFiguresYet())
	if tp.Result.AsOf != month.Zero {
		asOf = l.Tr(tp.AsOf())
	}
	d.text(chartPad, ChartHeight-chartPad, 13, false, "", inkMuted, d.p.fit(asOf, 13, "", inner))

	top, bottom := y+22, float64(ChartHeight)-chartPad-48
	switch chart {
	case report.ChartCumulative:
		d.cumulative(tp, l, top, bottom)
	case report.ChartMonthly:
		d.monthly(tp, l, top, bottom)
	case report.ChartSplit:
		d.split(tp, l, top, bottom)
	}
	return true
}

// legend draws entries in rows from y (the first row's middle) and returns
// the y under the last row.
func (d *drawing) legend(items []legendEntry, y float64) float64 {
	x := chartPad
	for _, it := range items {
		w := 22 + 6 + d.width(it.label, 13, false)
		if x > chartPad && x+w > ChartWidth-chartPad {
			x, y = chartPad, y+20
		}
		if it.square {
			d.rect(x+4, y-7, 14, 14, it.ink)
		} else {
			d.line(it.ink, it.stroke, it.dash, x, y, x+22, y)
		}
		d.text(x+28, y+4.5, 13, false, "", inkText, it.label)
		x += w + 18
	}
	return y + 16
}

// niceTop is the scale's top and step for values up to v: four or five
// steps of 1, 2, 2.5 or 5 times a power of ten.
func niceTop(v float64) (top, step float64) {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 4, 1
	}
	raw := v / 4
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if step = m * pow; step >= raw {
			break
		}
	}
	if step < 1 {
		step = 1
	}
	return math.Ceil(v/step) * step, step
}

// axes draws the value grid from 0 to top on the left and returns the
// plot's left edge.
func (d *drawing) axes(l i18n.Locale, top, step, plotTop, plotBottom float64) float64 {
	labelW := 0.0
	for v := 0.0; v <= top+step/2; v += step {
		labelW = math.Max(labelW, d.width(l.N(int64(v)), 12, false))
	}
	left := chartPad + labelW + 8
	for v := 0.0; v <= top+step/2; v += step {
		y := plotBottom - v/top*(plotBottom-plotTop)
		ink := inkGrid
		if v == 0 {
			ink = inkAxis
		}
		d.line(ink, 1, 0, left, y, ChartWidth-chartPad, y)
		d.text(left-6, y+4, 12, false, "end", inkMuted, l.N(int64(v)))
	}
	return left
}

// monthLabels writes the months under the plot, as many as fit.
func (d *drawing) monthLabels(l i18n.Locale, months []month.Month, x func(int) float64, y float64) {
	if len(months) == 0 {
		return
	}
	widest := 0.0
	for _, m := range months {
		widest = math.Max(widest, d.width(l.MonthShort(m), 12, false))
	}
	spacing := (ChartWidth - 2*chartPad) / float64(len(months))
	every := max(1, int(math.Ceil((widest+10)/spacing)))
	for i := 0; i < len(months); i += every {
		d.text(x(i), y, 12, false, "middle", inkMuted, l.MonthShort(months[i]))
	}
}

func (d *drawing) nothing(l i18n.Locale, top, bottom float64) {
	d.text(ChartWidth/2, (top+bottom)/2, 16, false, "middle", inkMuted, l.Tr(i18n.M("charts.none")))
}

func (d *drawing) cumulative(tp report.TargetProgress, l i18n.Locale, top, bottom float64) {
	r := tp.Result
	start := tp.Target.Start
	months := month.Range(start, tp.Target.End)
	items := []legendEntry{}
	if len(r.Actual) > 0 {
		items = append(items, legendEntry{label: l.Tr(i18n.M("charts.legend.achieved")), ink: inkActual, stroke: 3})
	}
	items = append(items, legendEntry{label: l.Tr(i18n.M("charts.legend.expected")), ink: inkExpected, stroke: 2, dash: 6})
	if len(r.Projection) > 0 {
		items = append(items, legendEntry{label: l.Tr(i18n.M("charts.legend.projection")), ink: inkProjection, stroke: 2.5, dash: 3})
	}
	top = d.legend(items, top) + 16
	bottom -= 18
	maxV := float64(tp.Target.Value)
	for _, ps := range [][]progress.CumPoint{r.Actual, r.ExpectedPath, r.Projection} {
		for _, p := range ps {
			maxV = math.Max(maxV, p.Value)
		}
	}
	scaleTop, step := niceTop(maxV)
	left := d.axes(l, scaleTop, step, top, bottom)
	n := len(months)
	x := func(i int) float64 {
		if n <= 1 {
			return (left + ChartWidth - chartPad) / 2
		}
		return left + float64(i)*(ChartWidth-chartPad-left)/float64(n-1)
	}
	yAt := func(v float64) float64 { return bottom - math.Max(v, 0)/scaleTop*(bottom-top) }
	path := func(ps []progress.CumPoint) []float64 {
		var pts []float64
		for _, p := range ps {
			if i := p.Month.Sub(start); i >= 0 && i < n {
				pts = append(pts, x(i), yAt(p.Value))
			}
		}
		return pts
	}
	if tp.Target.Value > 0 {
		ty := yAt(float64(tp.Target.Value))
		d.line(inkTarget, 1.5, 0, left, ty, ChartWidth-chartPad, ty)
		d.text(ChartWidth-chartPad, ty-6, 12, true, "end", inkTarget, l.Tr(i18n.M("charts.cumulative.target", "target", tp.Target.Value)))
	}
	d.line(inkExpected, 2, 6, path(r.ExpectedPath)...)
	d.line(inkProjection, 2.5, 3, path(r.Projection)...)
	d.line(inkActual, 3, 0, path(r.Actual)...)
	d.monthLabels(l, months, x, bottom+18)
}

func (d *drawing) monthly(tp report.TargetProgress, l i18n.Locale, top, bottom float64) {
	var items []legendEntry
	for k, s := range tp.ByCategory {
		items = append(items, legendEntry{label: s.Category.Name(l.Lang), ink: charts.Palette[k%len(charts.Palette)], square: true})
	}
	top = d.legend(items, top) + 16
	bottom -= 18
	maxV := 0.0
	for _, v := range tp.Monthly {
		maxV = math.Max(maxV, float64(v))
	}
	scaleTop, step := niceTop(maxV)
	left := d.axes(l, scaleTop, step, top, bottom)
	n := len(tp.Months)
	if n == 0 {
		d.nothing(l, top, bottom)
		return
	}
	band := (ChartWidth - chartPad - left) / float64(n)
	x := func(i int) float64 { return left + (float64(i)+0.5)*band }
	bw := math.Max(band*0.7, 1)
	for i := range tp.Months {
		y := bottom
		for k, s := range tp.ByCategory {
			if i >= len(s.Values) || s.Values[i] <= 0 {
				continue
			}
			h := float64(s.Values[i]) / scaleTop * (bottom - top)
			d.rect(x(i)-bw/2, y-h, bw, h, charts.Palette[k%len(charts.Palette)])
			y -= h
		}
	}
	d.monthLabels(l, tp.Months, x, bottom+18)
}

func (d *drawing) split(tp report.TargetProgress, l i18n.Locale, top, _ float64) {
	total := int64(0)
	for _, p := range tp.ByDir {
		total += max(p.Total, 0)
	}
	if total == 0 {
		d.nothing(l, top, top+120)
		return
	}
	const w = ChartWidth - 2*chartPad
	x := chartPad
	y := top + 10
	for k, p := range tp.ByDir {
		pw := float64(max(p.Total, 0)) / float64(total) * w
		d.rect(x, y, pw, 44, charts.Palette[k%len(charts.Palette)])
		x += pw
	}
	y += 44 + 36
	for k, p := range tp.ByDir {
		d.rect(chartPad, y-12, 14, 14, charts.Palette[k%len(charts.Palette)])
		d.text(chartPad+24, y, 15, false, "", inkText, report.DirectionName(l, p.Direction))
		pct := l.Percent(math.Round(float64(max(p.Total, 0))*1000/float64(total)) / 10)
		d.text(ChartWidth-chartPad-90, y, 15, true, "end", inkText, l.N(p.Total))
		d.text(ChartWidth-chartPad, y, 15, false, "end", inkMuted, pct)
		y += 30
	}
}

// svg writes the drawing as a standalone SVG image.
func (d *drawing) svg() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="t d" font-family="Go, 'Helvetica Neue', Arial, system-ui, sans-serif">`,
		ChartWidth, ChartHeight, ChartWidth, ChartHeight)
	fmt.Fprintf(&b, `<title id="t">%s</title><desc id="d">%s</desc>`, html.EscapeString(d.title), html.EscapeString(d.desc))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`, ChartWidth, ChartHeight)
	for _, m := range d.marks {
		switch m.kind {
		case 'r':
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, fnum(m.x), fnum(m.y), fnum(m.w), fnum(m.h), m.ink)
		case 'l':
			b.WriteString(`<polyline fill="none" stroke-linejoin="round" points="`)
			for i := 0; i+1 < len(m.pts); i += 2 {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(fnum(m.pts[i]) + "," + fnum(m.pts[i+1]))
			}
			fmt.Fprintf(&b, `" stroke="%s" stroke-width="%s"`, m.ink, fnum(m.stroke))
			if m.dash > 0 {
				fmt.Fprintf(&b, ` stroke-dasharray="%s %s"`, fnum(m.dash), fnum(m.dash*0.7))
			}
			b.WriteString(`/>`)
		case 't':
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" fill="%s"`, fnum(m.x), fnum(m.y), fnum(m.size), m.ink)
			if m.bold {
				b.WriteString(` font-weight="700"`)
			}
			if m.anchor != "" {
				fmt.Fprintf(&b, ` text-anchor="%s"`, m.anchor)
			}
			fmt.Fprintf(&b, `>%s</text>`, html.EscapeString(m.text))
		}
	}
	b.WriteString(`</svg>`)
	return []byte(b.String())
}

// fnum writes a coordinate with at most one decimal.
func fnum(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// paint draws the drawing into img.
func (d *drawing) paint(img *image.RGBA) {
	for _, m := range d.marks {
		switch m.kind {
		case 'r':
			fill(img, []float64{m.x, m.y, m.x + m.w, m.y + m.h}, 0, m.ink, func(z *vector.Rasterizer, ox, oy float64) {
				x0, y0, x1, y1 := float32(m.x-ox), float32(m.y-oy), float32(m.x+m.w-ox), float32(m.y+m.h-oy)
				z.MoveTo(x0, y0)
				z.LineTo(x1, y0)
				z.LineTo(x1, y1)
				z.LineTo(x0, y1)
				z.ClosePath()
			})
		case 'l':
			fill(img, m.pts, m.stroke, m.ink, func(z *vector.Rasterizer, ox, oy float64) {
				pts := make([]float64, len(m.pts))
				for i := 0; i+1 < len(pts); i += 2 {
					pts[i], pts[i+1] = m.pts[i]-ox, m.pts[i+1]-oy
				}
				strokeLine(z, pts, m.stroke, m.dash)
			})
		case 't':
			f := d.p.face(m.size, weight(m.bold))
			x := m.x
			switch m.anchor {
			case "end":
				x -= d.width(m.text, m.size, m.bold)
			case "middle":
				x -= d.width(m.text, m.size, m.bold) / 2
			}
			dr := font.Drawer{Dst: img, Src: image.NewUniform(hex(m.ink)), Face: f,
				Dot: fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(m.y * 64)}}
			dr.DrawString(m.text)
		}
	}
}

// fill paints, in ink, the shape that add draws into a rasterizer only as
// large as the points' bounds (grown by pad), whose origin is (ox, oy) of
// the picture: a rasterizer costs time for every pixel it covers.
func fill(img *image.RGBA, pts []float64, pad float64, ink string, add func(z *vector.Rasterizer, ox, oy float64)) {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := 0; i+1 < len(pts); i += 2 {
		x0, x1 = math.Min(x0, pts[i]), math.Max(x1, pts[i])
		y0, y1 = math.Min(y0, pts[i+1]), math.Max(y1, pts[i+1])
	}
	r := image.Rect(int(math.Floor(x0-pad-1)), int(math.Floor(y0-pad-1)), int(math.Ceil(x1+pad+1)), int(math.Ceil(y1+pad+1))).Intersect(img.Bounds())
	if r.Empty() {
		return
	}
	z := vector.NewRasterizer(r.Dx(), r.Dy())
	add(z, float64(r.Min.X), float64(r.Min.Y))
	z.Draw(img, r, image.NewUniform(hex(ink)), image.Point{})
}

// strokeLine adds a line through pts, width w wide, to z: each piece a
// quadrilateral, dashed when dash > 0 (dash on, 0.7 dash off, as the SVG).
func strokeLine(z *vector.Rasterizer, pts []float64, w, dash float64) {
	quad := func(x1, y1, x2, y2 float64) {
		dx, dy := x2-x1, y2-y1
		n := math.Hypot(dx, dy)
		if n == 0 {
			return
		}
		// Half the width across, and a little along so that pieces join.
		ox, oy := -dy/n*w/2, dx/n*w/2
		ex, ey := dx/n*w/4, dy/n*w/4
		x1, y1, x2, y2 = x1-ex, y1-ey, x2+ex, y2+ey
		z.MoveTo(float32(x1+ox), float32(y1+oy))
		z.LineTo(float32(x2+ox), float32(y2+oy))
		z.LineTo(float32(x2-ox), float32(y2-oy))
		z.LineTo(float32(x1-ox), float32(y1-oy))
		z.ClosePath()
	}
	on, pos := true, 0.0 // where in the current dash or gap
	for i := 0; i+3 < len(pts); i += 2 {
		x1, y1, x2, y2 := pts[i], pts[i+1], pts[i+2], pts[i+3]
		if dash <= 0 {
			quad(x1, y1, x2, y2)
			continue
		}
		segLen := math.Hypot(x2-x1, y2-y1)
		for t := 0.0; t < segLen; {
			length := dash
			if !on {
				length = dash * 0.7
			}
			step := math.Min(length-pos, segLen-t)
			if on {
				a, b := t/segLen, (t+step)/segLen
				quad(x1+(x2-x1)*a, y1+(y2-y1)*a, x1+(x2-x1)*b, y1+(y2-y1)*b)
			}
			t += step
			pos += step
			if pos >= length-1e-9 {
				on, pos = !on, 0
			}
		}
	}
}
