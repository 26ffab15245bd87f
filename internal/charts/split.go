package charts

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Part is one part of a whole; negative values count as 0.
type Part struct {
	Name  string
	Value int64
}

// Split shows parts of a whole as one horizontal 100 % bar with labelled
// segments (percent written inside when it fits) and a legend giving the
// swatch, name, value and percent of every part. Part k uses the same colour
// and pattern as series k of StackedBars. Percents have one decimal and add
// up to exactly 100.0 %; when the total is 0 the bar is empty and the
// percents are shown as "–".
type Split struct {
	ID, Title, Desc string
	Parts           []Part
	Format          NumberFormat
}

// Layout of the split, in pixels.
const (
	splitBarH = 40.0
	splitRow  = 24.0
	splitFont = tickFont
)

// percentTenths returns each value's share of the total in tenths of a
// percent (0..1000), using the largest-remainder method so they sum to 1000.
func percentTenths(vals []float64) []int {
	total := 0.0
	for _, v := range vals {
		total += v
	}
	out := make([]int, len(vals))
	if total <= 0 || math.IsInf(total, 0) || math.IsNaN(total) {
		return out
	}
	rem := make([]float64, len(vals))
	sum := 0
	for i, v := range vals {
		exact := v / total * 1000
		out[i] = int(math.Floor(exact))
		rem[i] = exact - float64(out[i])
		sum += out[i]
	}
	for sum < 1000 {
		best := -1
		for i := range vals {
			if vals[i] > 0 && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		out[best]++
		rem[best] = -1
		sum++
	}
	return out
}

// SVG renders the chart to its container's width: the bar, and under it a
// legend of one row per part with its name at the left and its value and
// percent at the right.
func (s Split) SVG() template.HTML {
	id := cleanID(s.ID)
	format := formatter(s.Format)

	vals := make([]float64, len(s.Parts))
	total := 0.0
	for i, p := range s.Parts {
		if p.Value > 0 {
			vals[i] = float64(p.Value)
			total += vals[i]
		}
	}
	tenths := percentTenths(vals)
	shares := make([]string, len(s.Parts))
	valText := make([]string, len(s.Parts))
	for i, p := range s.Parts {
		if total > 0 {
			shares[i] = fmt.Sprintf("%d.%d%%", tenths[i]/10, tenths[i]%10)
		} else {
			shares[i] = "–"
		}
		valText[i] = format(max(p.Value, 0))
	}

	// Legend columns: swatch | name | value (right aligned) | percent (right
	// aligned at the right edge).
	// A name too long to share its row with the numbers in a narrow chart
	// puts every row's numbers on a line of their own under the name.
	const nameX = 26.0
	nameW, valW, pctW := 0.0, 0.0, 0.0
	for i, p := range s.Parts {
		nameW = math.Max(nameW, textWidth(p.Name, splitFont))
		valW = math.Max(valW, textWidth(valText[i], splitFont))
		pctW = math.Max(pctW, textWidth(shares[i], splitFont))
	}
	valDX := -(pctW + 20)
	row, numbersDY := splitRow, 0.0
	if nameX+nameW+16 > narrowWidth+valDX-valW {
		row, numbersDY = splitRow+18, 18
	}

	barTop := 6.0
	legendTop := barTop + splitBarH + 12
	height := legendTop + float64(len(s.Parts))*row + 6

	var b strings.Builder
	openFluid(&b, id, "split", "img", s.Title, s.Desc, height)
	if len(s.Parts) > 0 {
		b.WriteString(`<defs>`)
		for k := range s.Parts {
			patternDef(&b, id, k)
		}
		b.WriteString(`</defs>`)
	}

	// The bar.
	b.WriteString(`<g class="hrx-split-bar">`)
	if total <= 0 {
		fmt.Fprintf(&b, `<rect class="hrx-split-empty" x="0" y="%s" width="100%%" height="%s" fill="#ffffff" stroke="%s" stroke-width="1"/>`,
			num(barTop), num(splitBarH), colorAxis)
	}
	x := 0.0
	var bounds []float64
	for k := range s.Parts {
		if vals[k] <= 0 || total <= 0 {
			continue
		}
		w := vals[k] / total
		fmt.Fprintf(&b, `<rect class="hrx-split-seg hrx-series-%d" x="%s" y="%s" width="%s" height="%s" fill="%s"/>`,
			k, pct(x), num(barTop), pct(w), num(splitBarH), patternFill(id, k))
		// The percent sits on a solid pill of the series colour so the
		// pattern does not disturb it (white on every palette colour ≥ 4.5:1);
		// where it fits only a wider chart, it shows only there.
		tw := textWidth(shares[k], splitFont)
		if fits := tw + 14; w*wideWidth >= fits {
			more := ""
			if w*narrowWidth < fits {
				more = ` class="hrx-more" display="none"`
			}
			fmt.Fprintf(&b, `<svg x="%s" y="%s" overflow="visible"%s>`, pct(x+w/2), num(barTop+splitBarH/2), more)
			fmt.Fprintf(&b, `<rect x="%s" y="-10" width="%s" height="20" rx="4" fill="%s"/>`, num(-tw/2-5), num(tw+10), seriesColor(k))
			fmt.Fprintf(&b, `<text x="0" y="%s" font-size="%s" font-weight="700" fill="#ffffff" text-anchor="middle">%s</text></svg>`,
				num(0.35*splitFont), num(splitFont), esc(shares[k]))
		}
		x += w
		bounds = append(bounds, x)
	}
	// White separators between segments.
	for i, bx := range bounds {
		if i == len(bounds)-1 {
			break
		}
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ffffff" stroke-width="2"/>`,
			pct(bx), num(barTop), pct(bx), num(barTop+splitBarH))
	}
	b.WriteString(`</g>`)

	// The legend.
	b.WriteString(`<g class="hrx-legend">`)
	for k, p := range s.Parts {
		y := legendTop + float64(k)*row + splitRow/2
		fmt.Fprintf(&b, `<rect class="hrx-series-%d" x="0" y="%s" width="18" height="14" fill="%s" stroke="%s" stroke-width="1"/>`,
			k, num(y-7), patternFill(id, k), seriesColor(k))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" fill="%s">%s</text>`,
			num(nameX), num(y+0.35*splitFont), num(splitFont), colorText, esc(p.Name))
		fmt.Fprintf(&b, `<text x="100%%" dx="%s" y="%s" font-size="%s" fill="%s" text-anchor="end">%s</text>`,
			num(valDX), num(y+numbersDY+0.35*splitFont), num(splitFont), colorText, esc(valText[k]))
		fmt.Fprintf(&b, `<text x="100%%" y="%s" font-size="%s" font-weight="600" fill="%s" text-anchor="end">%s</text>`,
			num(y+numbersDY+0.35*splitFont), num(splitFont), colorText, esc(shares[k]))
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}
