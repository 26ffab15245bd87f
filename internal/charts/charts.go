// Package charts renders accessible, self-contained SVG charts for the
// server-rendered HRX pages and widgets.
//
// Every chart is returned as template.HTML and follows the HRX UX guide:
//
//   - <svg role="img" aria-labelledby="ID-title ID-desc" width="100%" height=…>
//     with a <title> (what the chart shows) and a <desc> (the one-sentence
//     take-away), both supplied already translated by the caller;
//   - the chart is drawn to any width and its text keeps its size in CSS
//     pixels: there is no viewBox that would scale the type with the chart.
//     Horizontal positions are percentages of the chart's width (with a
//     pixel offset, dx, where a label sits beside a point), heights are
//     pixels, and lines are drawn in a nested <svg> stretched to the width
//     (preserveAspectRatio="none") with strokes that do not scale
//     (vector-effect="non-scaling-stroke");
//   - labels are laid out for a narrow chart (narrowWidth, a phone); the
//     tick labels that only fit a wider one carry class hrx-more and
//     display="none", and a stylesheet shows them in a wide container
//     (see Stylesheet); without a stylesheet the chart still reads well;
//   - legends are HTML beside the SVG (they wrap like text), in a
//     <div class="hrx-chart-box"> around both; Image draws the cumulative
//     chart as one standalone SVG of a given width, its legend inside;
//   - every caller-supplied string (titles, labels, names and the output of the
//     caller's NumberFormat) is XML/HTML-escaped;
//   - colours reach at least 3:1 against the white chart background and
//     series are told apart by line style, fill pattern or a direct label,
//     never by hue alone;
//   - elements carry CSS classes (hrx-…) and explicit presentation attributes,
//     so the chart looks right without any stylesheet; no scripts, fonts or
//     images are referenced;
//   - output is deterministic; coordinates are rounded to one decimal and
//     percentages to two.
//
// The SVG text is hidden from assistive technology by role="img"; pages should
// still offer the underlying numbers (e.g. in a table) for people who need them.
// The stacked bars are the exception: each month is a focusable image of its
// own whose title gives its values, so they are reached by keyboard too.
//
// The ID of a chart is used to build element ids (ID-title, ID-desc, ID-pat-0 …),
// so it must be unique on the page. Characters other than ASCII letters,
// digits, '-' and '_' are replaced with '-'; an empty ID becomes "hrx-chart".
package charts

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// NumberFormat formats an integer for display using the reader's convention
// (for example "5,00,000" or "500,000").
type NumberFormat func(int64) string

// Colours used by the charts. All of them reach at least 3:1 contrast against
// white (#ffffff); the text colours reach at least 4.5:1.
const (
	colorActual     = "#1f5fa6" // solid thick blue line
	colorExpected   = "#5f6368" // dashed grey line
	colorProjection = "#b3470b" // dotted orange line
	colorTarget     = "#b71c1c" // thin dark red target line
	colorText       = "#202124" // main text
	colorMuted      = "#3c4043" // tick labels
	colorAxis       = "#5f6368" // axis base line and ticks
	colorGrid       = "#e0e0e0" // decorative grid lines (not information)
	colorBackground = "#ffffff"
	fontFamily      = "system-ui, sans-serif"
)

// Palette is the series palette for bars and split segments, in order of use.
// Each entry has at least 3:1 contrast against white.
var Palette = []string{
	"#1f5fa6", // blue
	"#b3470b", // orange
	"#2e7d32", // green
	"#8e24aa", // purple
	"#5d4037", // brown
	"#c2185b", // pink
	"#00838f", // teal
	"#455a64", // slate
	"#827717", // olive
	"#6a1b9a", // deep purple
}

// PatternNames names the fill patterns in the order they are used; series k
// uses Palette[k%len(Palette)] with PatternNames[k%len(PatternNames)].
var PatternNames = []string{
	"solid", "diagonal", "dots", "cross-hatch", "horizontal",
	"back-diagonal", "vertical", "grid", "zigzag", "rings",
}

// patternMarks are the white marks drawn on top of the series colour in an
// 8×8 tile, indexed like PatternNames.
var patternMarks = []string{
	``,
	`<path d="M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6" stroke="#ffffff" stroke-width="1.5"/>`,
	`<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>`,
	`<path d="M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6 M-2,6 L2,10 M0,0 L8,8 M6,-2 L10,2" stroke="#ffffff" stroke-width="1.2"/>`,
	`<path d="M0,4 L8,4" stroke="#ffffff" stroke-width="1.5"/>`,
	`<path d="M-2,6 L2,10 M0,0 L8,8 M6,-2 L10,2" stroke="#ffffff" stroke-width="1.5"/>`,
	`<path d="M4,0 L4,8" stroke="#ffffff" stroke-width="1.5"/>`,
	`<path d="M0,4 L8,4 M4,0 L4,8" stroke="#ffffff" stroke-width="1.2"/>`,
	`<path d="M0,6 L2,2 L4,6 L6,2 L8,6" stroke="#ffffff" stroke-width="1.2" fill="none"/>`,
	`<circle cx="4" cy="4" r="2.2" stroke="#ffffff" stroke-width="1.2" fill="none"/>`,
}

func seriesColor(k int) string { return Palette[k%len(Palette)] }

func patternID(id string, k int) string { return fmt.Sprintf("%s-pat-%d", id, k) }

// patternDef writes the <pattern> definition for series k. The 8×8 tile is
// scaled to 6×6 so that every bar at least 6 units wide shows the marks.
func patternDef(b *strings.Builder, id string, k int) {
	fmt.Fprintf(b, `<pattern id="%s" class="hrx-pattern hrx-pattern-%s" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="scale(0.75)">`,
		patternID(id, k), PatternNames[k%len(PatternNames)])
	fmt.Fprintf(b, `<rect width="8" height="8" fill="%s"/>`, seriesColor(k))
	b.WriteString(patternMarks[k%len(patternMarks)])
	b.WriteString(`</pattern>`)
}

// patternFill returns the fill attribute value for series k: the pattern with
// the plain colour as fallback.
func patternFill(id string, k int) string {
	return fmt.Sprintf("url(#%s) %s", patternID(id, k), seriesColor(k))
}

// esc makes a caller string safe as XML/HTML text or attribute content.
// Invalid UTF-8 and characters not allowed in XML are dropped.
func esc(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20, r >= 0x7f && r < 0xa0, r == 0xfffe, r == 0xffff:
			return -1
		}
		return r
	}, s)
	return html.EscapeString(s)
}

// cleanID turns a caller id into a token usable in id and aria-labelledby.
func cleanID(id string) string {
	if id == "" {
		return "hrx-chart"
	}
	var b strings.Builder
	for i, r := range id {
		ok := r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if i == 0 && !((r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			b.WriteString("c")
		}
		if ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// num formats a coordinate rounded to one decimal, never NaN or Inf.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	v = math.Round(v*10) / 10
	if v == 0 {
		return "0"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0")
}

// finite replaces NaN and ±Inf with 0.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// maxInt64Float is the largest value that is safely converted to int64.
const maxInt64Float = 9e18

// toInt64 rounds v to an int64 without overflow.
func toInt64(v float64) int64 {
	v = finite(v)
	if v > maxInt64Float {
		v = maxInt64Float
	}
	if v < -maxInt64Float {
		v = -maxInt64Float
	}
	return int64(math.Round(v))
}

// formatter returns f, or a plain formatter with comma thousands separators.
func formatter(f NumberFormat) NumberFormat {
	if f != nil {
		return f
	}
	return DefaultFormat
}

// DefaultFormat formats n with "," as thousands separator (500,000). It is
// used when a chart has no Format.
func DefaultFormat(n int64) string {
	s := fmt.Sprintf("%d", n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// textWidth estimates the rendered width of s at the given font size.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r < 0x0900:
			w += 0.6
		case r >= 0x0900 && r <= 0x0903, r >= 0x093a && r <= 0x094f, r >= 0x0951 && r <= 0x0957, r == 0x0962, r == 0x0963:
			w += 0.1 // Devanagari signs and vowel marks, drawn on their letter
		case r < 0x1100: // Indic scripts
			w += 0.65
		default: // CJK and others
			w += 1.0
		}
	}
	return w * size
}

// niceScale returns the top of a zero-based y axis and the tick step for
// values up to max: the smallest "nice" step (1, 2, 2.5 or 5 × 10^k, a
// whole number) that needs at most seven intervals.
func niceScale(max float64) (top, step float64) {
	max = finite(max)
	if max <= 0 {
		max = 1
	}
	if max > maxInt64Float {
		max = maxInt64Float
	}
	mag := math.Pow(10, math.Floor(math.Log10(max/6)))
	for _, m := range []float64{1, 2, 2.5, 5, 10, 20, 25, 50} {
		step = m * mag
		if step >= 1 && step == math.Round(step) && math.Ceil(max/step-1e-9) <= 7 {
			break
		}
	}
	top = math.Ceil(max/step-1e-9) * step
	if top < step {
		top = step
	}
	return top, step
}

// Widths the fluid charts are laid out for. narrowWidth is the narrowest a
// chart is drawn (a 360 px phone less the page's margins): labels are placed
// so that they fit there. From wideWidth on, the tick labels of class
// hrx-more fit too (the stylesheet's container query uses the same number).
const (
	narrowWidth = 300.0
	wideWidth   = 600.0
)

// tickFont is the size of every label on a chart, in CSS pixels.
const tickFont = 12.0

// tickStep is how many positions apart the labels must be for none to
// overlap when positions are spacing apart: 1, 2, 3, 6, 12, 24 … months.
func tickStep(labels []string, n int, spacing, size float64) int {
	need := size
	for _, l := range labels {
		if w := textWidth(l, size); w > need {
			need = w
		}
	}
	need += 12
	step := 1
	for _, s := range []int{1, 2, 3, 6, 12, 24, 36, 48, 60, 120} {
		step = s
		if float64(s)*spacing >= need {
			break
		}
	}
	for float64(step)*spacing < need && step < n {
		step *= 2
	}
	return step
}

// ticksEvery lists the label indices every step positions, always with the
// first and the last, dropping the second and the one before the last when
// they would crowd the ends. The first and last labels are pad pixels further
// in than centred ones (they are anchored at the edges).
func ticksEvery(labels []string, n, step int, spacing, size, pad float64) []int {
	if n <= 0 {
		return nil
	}
	if n == 1 {
		return []int{0}
	}
	need := size
	for _, l := range labels {
		if w := textWidth(l, size); w > need {
			need = w
		}
	}
	need += 12
	var idx []int
	for i := 0; i < n-1; i += step {
		if len(idx) == 1 && float64(i)*spacing < need+pad {
			continue
		}
		idx = append(idx, i)
	}
	last := idx[len(idx)-1]
	if float64(n-1-last)*spacing < need+pad {
		if last == 0 {
			return idx // first and last would overlap: keep the first only
		}
		idx = idx[:len(idx)-1]
	}
	return append(idx, n-1)
}

// xTicks picks a readable subset of label indices for n positions spaced
// `spacing` apart: every 1st, 2nd, 3rd, 6th, 12th, 24th … label, always
// including the first and the last.
func xTicks(labels []string, n int, spacing, size float64) []int {
	return ticksEvery(labels, n, tickStep(labels, n, spacing, size), spacing, size, 0)
}

// tickSets are the labels shown at every width (base) and those shown only
// in a wide chart (more). spacing gives the distance between positions at a
// width, and pad how much further in the end labels sit than centred ones;
// width is the chart's width when it is known (an image), 0 when the chart
// is fluid. Every base label is also a label of the wide set, so the two
// never crowd each other.
func tickSets(labels []string, n int, spacing, pad func(w float64) float64, width float64) (base []int, more map[int]bool) {
	if width > 0 {
		return ticksEvery(labels, n, tickStep(labels, n, spacing(width), tickFont), spacing(width), tickFont, pad(width)), nil
	}
	s1 := tickStep(labels, n, spacing(narrowWidth), tickFont)
	s2 := tickStep(labels, n, spacing(wideWidth), tickFont)
	for s1%s2 != 0 {
		s2++
	}
	base = ticksEvery(labels, n, s1, spacing(narrowWidth), tickFont, pad(narrowWidth))
	more = map[int]bool{}
	for _, i := range ticksEvery(labels, n, s2, spacing(wideWidth), tickFont, pad(wideWidth)) {
		more[i] = true
	}
	for _, i := range base {
		delete(more, i)
	}
	return base, more
}

// labelAt returns labels[i] or "" when out of range.
func labelAt(labels []string, i int) string {
	if i >= 0 && i < len(labels) {
		return labels[i]
	}
	return ""
}

// pct writes a fraction of the chart's width (0..1) as a percentage with at
// most two decimals.
func pct(f float64) string {
	f = finite(f)
	v := math.Round(f*10000) / 100
	if v == 0 {
		return "0%"
	}
	s := strings.TrimRight(fmt.Sprintf("%.2f", v), "0")
	return strings.TrimSuffix(s, ".") + "%"
}

// openFluid writes the <svg> start tag of a chart drawn to its container's
// width, h pixels high, with title and desc. Overflow is visible so that a
// marker at the very edge is not cut in half.
func openFluid(b *strings.Builder, id, kind, role, title, desc string, h float64) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="hrx-chart hrx-%s" role="%s" aria-labelledby="%s-title %s-desc" width="100%%" height="%s" font-family="%s" overflow="visible">`,
		kind, role, id, id, num(h), fontFamily)
	fmt.Fprintf(b, `<title id="%s-title">%s</title>`, id, esc(title))
	fmt.Fprintf(b, `<desc id="%s-desc">%s</desc>`, id, esc(desc))
	fmt.Fprintf(b, `<rect class="hrx-bg" x="0" y="0" width="100%%" height="100%%" fill="%s"/>`, colorBackground)
}

// open writes the <svg> start tag of a standalone image w × h with title and desc.
func open(b *strings.Builder, id, kind, title, desc string, w, h float64) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="hrx-chart hrx-%s" role="img" aria-labelledby="%s-title %s-desc" width="%s" height="%s" viewBox="0 0 %s %s" font-family="%s">`,
		kind, id, id, num(w), num(h), num(w), num(h), fontFamily)
	fmt.Fprintf(b, `<title id="%s-title">%s</title>`, id, esc(title))
	fmt.Fprintf(b, `<desc id="%s-desc">%s</desc>`, id, esc(desc))
	fmt.Fprintf(b, `<rect class="hrx-bg" x="0" y="0" width="%s" height="%s" fill="%s"/>`, num(w), num(h), colorBackground)
}

// openScaled writes the <svg> start tag of a chart without text that scales
// with its container (the sparkline), viewBox w × h, with title and desc.
func openScaled(b *strings.Builder, id, kind, title, desc string, w, h float64) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="hrx-chart hrx-%s" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %s %s" width="100%%" font-family="%s">`,
		kind, id, id, num(w), num(h), fontFamily)
	fmt.Fprintf(b, `<title id="%s-title">%s</title>`, id, esc(title))
	fmt.Fprintf(b, `<desc id="%s-desc">%s</desc>`, id, esc(desc))
	fmt.Fprintf(b, `<rect class="hrx-bg" x="0" y="0" width="%s" height="%s" fill="%s"/>`, num(w), num(h), colorBackground)
}

// halo is the attribute set that gives text a white outline so it stays
// readable where it crosses lines, bars or grid.
const halo = `stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"`

// legendItem is one entry of a legend.
type legendItem struct {
	text   string
	swatch func(b *strings.Builder, x, y float64) // y is the text middle
}

const (
	legendFont   = 12.0
	legendRow    = 22.0
	legendSwatch = 28.0 // swatch width including gap to the text
	legendGap    = 20.0 // gap between items
)

// htmlLegend writes a legend as an HTML list, which wraps like text: each
// entry a small SVG swatch (hidden from assistive technology) and its words.
func htmlLegend(b *strings.Builder, class string, items []legendItem) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, `<ul class="hrx-legend %s">`, class)
	for _, it := range items {
		b.WriteString(`<li><svg class="hrx-swatch" width="22" height="14" aria-hidden="true" focusable="false">`)
		it.swatch(b, 0, 7)
		fmt.Fprintf(b, `</svg> <span>%s</span></li>`, esc(it.text))
	}
	b.WriteString(`</ul>`)
}

// legendHeight computes the height a flowing SVG legend needs in the given width.
func legendHeight(items []legendItem, width float64) float64 {
	rows := legendRows(items, width)
	return float64(len(rows)) * legendRow
}

func legendRows(items []legendItem, width float64) [][]int {
	var rows [][]int
	x := 0.0
	for i, it := range items {
		w := legendSwatch + textWidth(it.text, legendFont)
		if len(rows) == 0 || (x > 0 && x+w > width) {
			rows = append(rows, nil)
			x = 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], i)
		x += w + legendGap
	}
	return rows
}

// legend writes a flowing SVG legend starting at (x0, y0) (top of first
// row), for images of a known width.
func legend(b *strings.Builder, items []legendItem, x0, y0, width float64) {
	if len(items) == 0 {
		return
	}
	b.WriteString(`<g class="hrx-legend">`)
	for r, row := range legendRows(items, width) {
		x := x0
		y := y0 + float64(r)*legendRow + legendRow/2
		for _, i := range row {
			it := items[i]
			it.swatch(b, x, y)
			fmt.Fprintf(b, `<text x="%s" y="%s" font-size="%s" fill="%s">%s</text>`,
				num(x+legendSwatch), num(y+0.35*legendFont), num(legendFont), colorText, esc(it.text))
			x += legendSwatch + textWidth(it.text, legendFont) + legendGap
		}
	}
	b.WriteString(`</g>`)
}

// yGrid draws horizontal grid lines across the whole width for a
// zero-based scale.
func yGrid(b *strings.Builder, top, step, plotTop, plotBottom float64) {
	b.WriteString(`<g class="hrx-y-grid" aria-hidden="true">`)
	n := int(math.Round(top / step))
	for i := 1; i <= n; i++ {
		y := plotBottom - float64(i)*step/top*(plotBottom-plotTop)
		fmt.Fprintf(b, `<line class="hrx-grid" x1="0" y1="%s" x2="100%%" y2="%s" stroke="%s" stroke-width="1"/>`,
			num(y), num(y), colorGrid)
	}
	b.WriteString(`</g>`)
}

// yAxis writes the grid lines' values above them at the left, on a white
// halo (the plot starts at the left edge, so no margin is kept for them);
// drawn after the data, they stay readable over it. It returns the boxes the
// values take, for the direct labels to avoid.
func yAxis(b *strings.Builder, format NumberFormat, top, step, plotTop, plotBottom float64) []box {
	b.WriteString(`<g class="hrx-y-axis" aria-hidden="true" pointer-events="none" ` + halo + `>`)
	var boxes []box
	n := int(math.Round(top / step))
	for i := 0; i <= n; i++ {
		v := float64(i) * step
		y := plotBottom - v/top*(plotBottom-plotTop)
		text := format(toInt64(v))
		fmt.Fprintf(b, `<text class="hrx-tick" x="0" y="%s" font-size="%s" fill="%s">%s</text>`,
			num(y-5), num(tickFont), colorMuted, esc(text))
		boxes = append(boxes, box{0, y - 5 - tickFont, textWidth(text, tickFont) + 3, y - 2})
	}
	b.WriteString(`</g>`)
	return boxes
}

// maxLabelWidth is the widest label at the x-axis font size.
func maxLabelWidth(labels []string) float64 {
	w := 0.0
	for _, l := range labels {
		if tw := textWidth(l, tickFont); tw > w {
			w = tw
		}
	}
	return w
}

// tick is one x-axis label: where its position is (a fraction of the
// width), how its text is anchored there, and whether it shows only in a
// wide chart.
type tick struct {
	i      int
	f      float64
	anchor string
	more   bool
}

// xAxis draws the base line, and the tick marks and labels.
func xAxis(b *strings.Builder, labels []string, ticks []tick, plotBottom float64) {
	b.WriteString(`<g class="hrx-x-axis" aria-hidden="true">`)
	fmt.Fprintf(b, `<line class="hrx-axis" x1="0" y1="%s" x2="100%%" y2="%s" stroke="%s" stroke-width="1"/>`,
		num(plotBottom), num(plotBottom), colorAxis)
	for _, t := range ticks {
		more := ""
		if t.more {
			more = ` hrx-more" display="none`
		}
		fmt.Fprintf(b, `<line class="hrx-axis%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`,
			more, pct(t.f), num(plotBottom), pct(t.f), num(plotBottom+5), colorAxis)
		fmt.Fprintf(b, `<text class="hrx-tick%s" x="%s" y="%s" font-size="%s" fill="%s" text-anchor="%s">%s</text>`,
			more, pct(t.f), num(plotBottom+19), num(tickFont), colorMuted, t.anchor, esc(labelAt(labels, t.i)))
	}
	b.WriteString(`</g>`)
}

// markDef defines the hatch that marks months whose figures are not public yet.
func markDef(b *strings.Builder, id string) {
	fmt.Fprintf(b, `<defs><pattern id="%s-unpub" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">`+
		`<rect width="6" height="6" fill="#f1f1f1"/><line x1="0" y1="0" x2="0" y2="6" stroke="#a0a0a0" stroke-width="1.5"/></pattern></defs>`, id)
}

// markItem is the legend entry of the hatch.
func markItem(id, label string) legendItem {
	return legendItem{label, func(b *strings.Builder, x, y float64) {
		fmt.Fprintf(b, `<rect class="hrx-unpublished" x="%s" y="%s" width="18" height="14" fill="url(#%s-unpub) #f1f1f1" stroke="#a0a0a0" stroke-width="1"/>`,
			num(x), num(y-7), id)
	}}
}

// markBands hatches the column of every marked month, from left(i) to
// right(i) (fractions of the width), from top to bottom of the plot.
func markBands(b *strings.Builder, id string, marked []bool, left, right func(int) float64, top, bottom float64) {
	b.WriteString(`<g class="hrx-unpublished">`)
	for i, m := range marked {
		if m {
			l, r := math.Max(0, left(i)), math.Min(1, right(i))
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="url(#%s-unpub) #f1f1f1"/>`,
				pct(l), num(top), pct(r-l), num(bottom-top), id)
		}
	}
	b.WriteString(`</g>`)
}

// Stylesheet is the CSS a page or widget that shows the fluid charts
// includes: each chart's box is the container whose width decides whether
// the labels of class hrx-more show (from wideWidth on); the legends wrap as
// lists; the stacked bars' legend stands beside them in a wide box; a
// month's bar shows its total while it has focus or the pointer, and its
// column is highlighted when focused from the keyboard.
const Stylesheet = ".hrx-chart-box{container-type:inline-size}\n" +
	".hrx-chart{display:block;overflow:visible}\n" +
	".hrx-legend{display:flex;flex-wrap:wrap;gap:2px 20px;list-style:none;margin:0 0 4px;padding:0;font-size:14px}\n" +
	".hrx-legend li{display:flex;align-items:center;gap:6px}\n" +
	".hrx-swatch{flex:none}\n" +
	".hrx-legend-stack{flex-direction:column;gap:2px;margin:8px 0 0}\n" +
	"@container (min-width:600px){.hrx-more{display:inline}}\n" +
	"@container (min-width:900px){.hrx-stacked-box>.hrx-chart-inner{display:grid;grid-template-columns:1fr minmax(0,16rem);gap:24px;align-items:start}.hrx-legend-stack{margin:0}}\n" +
	".hrx-col:hover .hrx-col-value,.hrx-col:focus .hrx-col-value{display:inline}\n" +
	".hrx-col:focus-visible .hrx-col-hit{fill:#ffbf47;fill-opacity:.35;stroke:#1b1f24;stroke-width:2}\n"
