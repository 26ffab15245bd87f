package embed

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"hrx/internal/charts"
	"hrx/internal/report"
)

// svgFont is the system font stack; nothing is downloaded.
const svgFont = `system-ui, 'Hiragino Sans', 'Noto Sans JP', 'Noto Sans Devanagari', sans-serif`

// Sizes of the SVG image per style. The chart's height follows the chart.
const (
	barW, barH   = 480, 52
	cardW, cardH = 320, 180
	chartW       = 480
	chartTop     = 50 // the chart starts under the name and the summary
	pad          = 14

	maxSentenceName = 300 // bytes of the escaped name in the image's sentence
)

// SVG renders a self-contained image of the widget: no external fonts,
// images or stylesheets; the whole widget in one sentence as its title and
// aria-label. Theme auto recolours with prefers-color-scheme in an embedded
// <style>; without it the image is drawn in the light theme.
func SVG(tp report.TargetProgress, o Options, baseURL string) []byte {
	v := newView(tp, o, baseURL)
	// The sentence is written twice (title and aria-label); a very long name
	// is shortened there so that the image stays small.
	v.sentence = v.sentenceWith(clip(v.name, maxSentenceName))
	var body strings.Builder
	w, h := cardW, cardH
	switch {
	case v.o.Style == StyleBar:
		w, h = barW, barH
		if v.empty {
			v.svgBarEmpty(&body)
		} else {
			v.svgBar(&body)
		}
	case v.empty:
		if v.o.Style == StyleChart {
			w = chartW
		}
		// The card keeps its size; the chart's empty image is as tall as its words.
		if bottom := v.svgEmpty(&body, float64(w)); v.o.Style == StyleChart {
			h = bottom
		}
	case v.o.Style == StyleChart:
		w = chartW
		h = v.svgChart(&body)
	default:
		v.svgCard(&body)
	}

	return v.image(w, h, `.hrx-chart{font-family:inherit}`, body.String())
}

// image is a widget's whole SVG image, w by h, around body: the sentence as
// its title and label, the theme's colours after the rules css, the frame.
func (v view) image(w, h int, css, body string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" lang="%s" font-family="%s">`,
		w, h, w, h, esc(v.sentence), esc(string(v.l.Lang)), svgFont)
	fmt.Fprintf(&b, `<title>%s</title>`, esc(v.sentence))
	b.WriteString(`<style>` + css + svgStyle(v.o.Theme) + `</style>`)
	fmt.Fprintf(&b, `<rect class="w-bg" x="0.5" y="0.5" width="%d" height="%d" rx="8" fill="%s" stroke="%s"/>`, w-1, h-1, light.Bg, light.Border)
	b.WriteString(body)
	b.WriteString(`</svg>`)
	return []byte(b.String())
}

// text writes one line of text; class "t" is the text colour, "m" the muted
// one, "s-…" a status colour.
func text(b *strings.Builder, x, y, size float64, weight, anchor, class, s string) {
	fill := light.Text
	switch {
	case class == "m":
		fill = light.Muted
	case strings.HasPrefix(class, "s-"):
		for st, c := range light.Status {
			if "s-"+string(st) == class {
				fill = c
			}
		}
	}
	fmt.Fprintf(b, `<text class="%s" x="%s" y="%s" font-size="%s" fill="%s"`, class, num(x), num(y), num(size), fill)
	if weight != "" {
		fmt.Fprintf(b, ` font-weight="%s"`, weight)
	}
	if anchor != "" {
		fmt.Fprintf(b, ` text-anchor="%s"`, anchor)
	}
	fmt.Fprintf(b, `>%s</text>`, esc(s))
}

// bar writes a progress bar.
func (v view) bar(b *strings.Builder, x, y, w, h float64) {
	r := num(h / 2)
	fmt.Fprintf(b, `<rect class="b0" x="%s" y="%s" width="%s" height="%s" rx="%s" fill="%s"/>`, num(x), num(y), num(w), num(h), r, light.Track)
	if f := v.barFraction() * w; f > 0 {
		fmt.Fprintf(b, `<rect class="b1" x="%s" y="%s" width="%s" height="%s" rx="%s" fill="%s"/>`, num(x), num(y), num(max(f, h)), num(h), r, light.Fill)
	}
}

// statusLine is the status shape and word.
func (v view) statusLine() string { return v.statusIcon + " " + v.statusText }

func (v view) svgBar(b *strings.Builder) {
	status := v.statusLine()
	sw := textWidth(status, 13)
	text(b, barW-pad, 21, 13, "600", "end", v.statusClass, status)
	text(b, pad, 21, 14, "600", "", "t", fit(v.name, 14, barW-2*pad-sw-16))
	nums := v.ofPeople() + " · " + v.asOfShort
	nw := min(textWidth(nums, 12), barW-2*pad-120-12) // leave the bar at least 120 wide
	text(b, barW-pad, 40, 12, "", "end", "m", fit(nums, 12, nw))
	v.bar(b, pad, 30, barW-2*pad-nw-12, 10)
}

// svgBarEmpty is the bar's empty state: the name, that no figures are
// published, and the first month that counts; the target is in the title.
func (v view) svgBarEmpty(b *strings.Builder) {
	const inner = barW - 2*pad
	text(b, pad, 21, 14, "600", "", "t", fit(v.name, 14, inner))
	note := fit(v.l.Tr(report.NoFiguresYet()), 12, inner)
	nw := textWidth(note, 12)
	text(b, pad, 40, 12, "600", "", "t", note)
	if rest := inner - nw - 16; rest > 60 {
		text(b, barW-pad, 40, 12, "", "end", "m", fit(v.l.Tr(v.tp.FirstMonth()), 12, rest))
	}
}

func (v view) svgCard(b *strings.Builder) { v.card(svgPainter{b}) }

// card draws the card style, 320 × 180, with p: the SVG image, and the PNG
// picture made from the same layout.
func (v view) card(p painter) {
	const inner = cardW - 2*pad
	if p.canWrite(v.name) {
		p.text(pad, 24, 13, "600", "", "t", fit(v.name, 13, inner))
	}
	p.text(pad, 62, 30, "700", "", "t", v.achieved)
	if spark, ok := v.tp.Sparkline(v.l, "hrx-spark", 12); ok {
		spark.Desc, spark.Width, spark.Height = "", 110, 32 // the image's title says it all
		p.spark(spark, cardW-pad-110, 34, 110)
	}
	if of := v.l.Tr(v.tp.OfTarget()) + " · " + v.percent; p.canWrite(of) {
		p.text(pad, 84, 12, "", "", "m", fit(of, 12, inner))
	} else {
		p.text(pad, 84, 12, "", "", "m", "/ "+v.value+" · "+v.percent)
	}
	p.bar(v, pad, 93, inner, 8)
	if p.canWrite(v.statusLine()) {
		p.text(pad, 124, 13, "600", "", v.statusClass, v.statusLine())
	}
	if need, ok := v.tp.Need(); ok && p.canWrite(v.l.Tr(need)) {
		p.text(pad, 146, 13, "600", "", "t", fit(v.l.Tr(need), 13, inner))
	}
	if p.canWrite(v.l.Tr(v.tp.AsOf())) {
		p.text(pad, 166, 12, "", "", "m", fit(v.l.Tr(v.tp.AsOf()), 12, inner))
	}
}

// painter draws the card's parts: as SVG elements, or into a picture.
type painter interface {
	// text writes one line; class "t" is the text colour, "m" the muted one, "s-…" a status colour.
	text(x, y, size float64, weight, anchor, class, s string)
	bar(v view, x, y, w, h float64)
	spark(s charts.Sparkline, x, y, w float64)
	// canWrite reports whether s can be written as it should read; the
	// picture leaves out what its font cannot write.
	canWrite(s string) bool
}

// svgPainter writes SVG elements.
type svgPainter struct{ b *strings.Builder }

func (p svgPainter) text(x, y, size float64, weight, anchor, class, s string) {
	text(p.b, x, y, size, weight, anchor, class, s)
}
func (p svgPainter) bar(v view, x, y, w, h float64) { v.bar(p.b, x, y, w, h) }
func (p svgPainter) spark(s charts.Sparkline, x, y, w float64) {
	p.b.WriteString(nest(string(s.SVG()), x, y, w))
}
func (p svgPainter) canWrite(string) bool { return true }

// svgChart writes the chart style and returns the image's height.
func (v view) svgChart(b *strings.Builder) int {
	const inner = chartW - 2*pad
	text(b, pad, 22, 14, "600", "", "t", fit(v.name, 14, inner))
	status := v.statusLine()
	sw := textWidth(status, 12)
	text(b, chartW-pad, 41, 12, "600", "end", v.statusClass, status)
	text(b, pad, 41, 12, "", "", "m", fit(v.ofPeople()+" · "+v.asOfShort, 12, inner-sw-12))
	c := v.cumulative()
	c.Title, c.Desc, c.PlotHeight = "", "", 156
	s := string(c.Image(chartW - pad))
	b.WriteString(simplifyPaths(nest(s, pad/2, chartTop, chartW-pad)))
	return chartTop + int(math.Ceil(nestedHeight(s, chartW-pad))) + pad/2
}

// svgEmpty writes the empty state of the card and chart styles, w wide, and
// returns the height its words take: that there are no figures, the target,
// its first month and when progress will show, and no number computed from
// figures.
func (v view) svgEmpty(b *strings.Builder, w float64) int {
	inner := w - 2*pad
	text(b, pad, 24, 13, "600", "", "t", fit(v.name, 13, inner))
	// The headline is as large as fits, down to 16 px, then on two lines.
	head := v.l.Tr(report.NoFiguresYet())
	size := 22.0
	for size > 16 && textWidth(head, size) > inner {
		size -= 2
	}
	y := 40 + size
	for i, line := range wrap(head, size, inner, 2) {
		if i > 0 {
			y += size * 1.25
		}
		text(b, pad, y, size, "700", "", "t", line)
	}
	y += 28
	text(b, pad, y, 12, "", "", "m", fit(v.l.Tr(v.tp.TargetBy()), 12, inner))
	y += 20
	text(b, pad, y, 12, "", "", "m", fit(v.l.Tr(v.tp.FirstMonth()), 12, inner))
	for _, line := range wrap(v.l.Tr(report.EmptyNote()), 12, inner, 2) {
		y += 18
		text(b, pad, y, 12, "", "", "m", line)
	}
	return int(math.Ceil(y)) + pad + 4
}

// wrap breaks s into at most n lines no wider than width (at size px), at
// spaces or between Japanese characters; what still does not fit ends the
// last line with an ellipsis.
func wrap(s string, size, width float64, n int) []string {
	var lines []string
	rest := strings.TrimSpace(s)
	for len(lines) < n-1 && textWidth(rest, size) > width {
		cut := breakAt(rest, size, width)
		if cut <= 0 {
			break
		}
		lines = append(lines, strings.TrimRight(rest[:cut], " "))
		rest = strings.TrimLeft(rest[cut:], " ")
	}
	if rest != "" {
		lines = append(lines, fit(rest, size, width))
	}
	return lines
}

// breakAt is the byte offset of the last place s may break with the line
// before it no wider than width: a space, or between two wide (CJK)
// characters where the second is not closing punctuation. 0 when there is none.
func breakAt(s string, size, width float64) int {
	best, prevWide := 0, false
	for i, r := range s {
		if textWidth(s[:i], size) > width {
			break
		}
		if r == ' ' || (prevWide && !strings.ContainsRune("、。，．・）」』】！？：", r)) {
			best = i
		}
		prevWide = r >= 0x2e80
	}
	return best
}

var viewBoxRe = regexp.MustCompile(`viewBox="0 0 ([0-9.]+) ([0-9.]+)"`)

// nestedHeight is the height a charts SVG takes when drawn w wide.
func nestedHeight(svg string, w float64) float64 {
	m := viewBoxRe.FindStringSubmatch(svg)
	if m == nil {
		return 0
	}
	vw, _ := strconv.ParseFloat(m[1], 64)
	vh, _ := strconv.ParseFloat(m[2], 64)
	if vw <= 0 {
		return 0
	}
	return vh * w / vw
}

// nest places a charts SVG with a viewBox (a sparkline drawn width="100%",
// or an image of a given size) at x, y, w wide, keeping its aspect ratio.
func nest(svg string, x, y, w float64) string {
	h := nestedHeight(svg, w)
	size := fmt.Sprintf(` x="%s" y="%s" width="%s" height="%s"`, num(x), num(y), num(w), num(h))
	if root, _, _ := strings.Cut(svg, ">"); strings.Contains(root, ` width="100%"`) {
		return strings.Replace(svg, ` width="100%"`, size, 1)
	}
	return sizeRe.ReplaceAllString(svg, "${1}"+size)
}

// sizeRe finds the width and height of an image's root element.
var sizeRe = regexp.MustCompile(`^(<svg[^>]*?) width="[0-9.]+" height="[0-9.]+"`)

var pathDataRe = regexp.MustCompile(`d="M([0-9.\-]+,[0-9.\-]+(?: L[0-9.\-]+,[0-9.\-]+)+)"`)

// simplifyPaths drops the points of the charts' line paths that lie on the
// straight line between their neighbours (the expected path and the
// projection are straight for most targets), which keeps the image small.
// No kept segment is more than a tenth of a unit away from a dropped point.
func simplifyPaths(svg string) string {
	return pathDataRe.ReplaceAllStringFunc(svg, func(attr string) string {
		m := pathDataRe.FindStringSubmatch(attr)
		texts := strings.Split(m[1], " L")
		pts := make([][2]float64, len(texts))
		for i, s := range texts {
			x, y, _ := strings.Cut(s, ",")
			var err1, err2 error
			pts[i][0], err1 = strconv.ParseFloat(x, 64)
			pts[i][1], err2 = strconv.ParseFloat(y, 64)
			if err1 != nil || err2 != nil {
				return attr
			}
		}
		keep := []int{0}
		for i := 1; i < len(pts)-1; i++ {
			a, c := pts[keep[len(keep)-1]], pts[i+1]
			straight := true
			for j := keep[len(keep)-1] + 1; j <= i; j++ {
				if distance(pts[j], a, c) > 0.1 {
					straight = false
					break
				}
			}
			if !straight {
				keep = append(keep, i)
			}
		}
		keep = append(keep, len(pts)-1)
		out := make([]string, len(keep))
		for i, k := range keep {
			out[i] = texts[k]
		}
		return `d="M` + strings.Join(out, " L") + `"`
	})
}

// distance is how far p lies from the segment a–c.
func distance(p, a, c [2]float64) float64 {
	dx, dy := c[0]-a[0], c[1]-a[1]
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = max(0, min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	ex, ey := p[0]-(a[0]+t*dx), p[1]-(a[1]+t*dy)
	return math.Sqrt(ex*ex + ey*ey)
}
