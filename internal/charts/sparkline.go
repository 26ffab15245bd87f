package charts

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Sparkline is a small line without axes for widgets, e.g. the last N monthly
// values. The last value is marked with a dot. Width and Height are the
// viewBox size (default 120×32); the SVG itself is width="100%", so the
// caller sizes it with its container. Non-finite values are drawn as 0.
type Sparkline struct {
	ID, Title, Desc string
	Values          []float64
	Width, Height   int
}

// SVG renders the sparkline.
func (s Sparkline) SVG() template.HTML {
	id := cleanID(s.ID)
	w, h := float64(s.Width), float64(s.Height)
	if s.Width <= 0 {
		w = 120
	}
	if s.Height <= 0 {
		h = 32
	}
	w, h = math.Min(w, 4000), math.Min(h, 4000)
	const pad = 4.0

	var b strings.Builder
	openScaled(&b, id, "sparkline", s.Title, s.Desc, w, h)
	n := len(s.Values)
	if n > 0 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range s.Values {
			v = finite(v)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		xAt := func(i int) float64 {
			if n == 1 {
				return w - pad
			}
			return pad + float64(i)*(w-2*pad)/float64(n-1)
		}
		yAt := func(v float64) float64 {
			if hi <= lo {
				return h / 2
			}
			return h - pad - (finite(v)-lo)/(hi-lo)*(h-2*pad)
		}
		if n > 1 {
			var d strings.Builder
			for i, v := range s.Values {
				if i == 0 {
					d.WriteString("M")
				} else {
					d.WriteString(" L")
				}
				fmt.Fprintf(&d, "%s,%s", num(xAt(i)), num(yAt(v)))
			}
			fmt.Fprintf(&b, `<path class="hrx-sparkline" d="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`,
				d.String(), colorActual)
		}
		fmt.Fprintf(&b, `<circle class="hrx-sparkline-last" cx="%s" cy="%s" r="3" fill="%s"/>`,
			num(xAt(n-1)), num(yAt(s.Values[n-1])), colorActual)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
