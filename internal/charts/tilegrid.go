package charts

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
)

// A tile grid is a map without borders: one equal square per Indian state or
// union territory, or per Japanese prefecture, placed roughly where it lies,
// labelled with its code and shaded by its count. Small places stay as
// visible as large ones and no contested border is drawn. The numbers behind
// it belong in a table beside it.

// TilePos is a tile's place in its grid, counted from the top left.
type TilePos struct{ Col, Row int }

// IndiaTiles places the 36 states and union territories of India
// (ISO 3166-2:IN codes) on a 9 × 7 grid.
var IndiaTiles = map[string]TilePos{
	"IN-JK": {2, 0}, "IN-LA": {3, 0},
	"IN-CH": {1, 1}, "IN-PB": {2, 1}, "IN-HP": {3, 1}, "IN-UK": {4, 1}, "IN-SK": {6, 1}, "IN-AR": {8, 1},
	"IN-RJ": {1, 2}, "IN-HR": {2, 2}, "IN-DL": {3, 2}, "IN-UP": {4, 2}, "IN-BR": {5, 2}, "IN-ML": {6, 2}, "IN-AS": {7, 2}, "IN-NL": {8, 2},
	"IN-GJ": {1, 3}, "IN-MP": {2, 3}, "IN-CG": {3, 3}, "IN-JH": {4, 3}, "IN-WB": {5, 3}, "IN-TR": {6, 3}, "IN-MZ": {7, 3}, "IN-MN": {8, 3},
	"IN-DH": {0, 4}, "IN-MH": {1, 4}, "IN-TS": {2, 4}, "IN-OD": {3, 4},
	"IN-GA": {0, 5}, "IN-KA": {1, 5}, "IN-AP": {2, 5},
	"IN-LD": {0, 6}, "IN-KL": {1, 6}, "IN-TN": {2, 6}, "IN-PY": {3, 6}, "IN-AN": {5, 6},
}

// JapanTiles places the 47 prefectures of Japan (ISO 3166-2:JP codes) on a
// 10 × 10 grid.
var JapanTiles = map[string]TilePos{
	"JP-01": {9, 0},
	"JP-02": {9, 1},
	"JP-05": {8, 2}, "JP-03": {9, 2},
	"JP-17": {5, 3}, "JP-16": {6, 3}, "JP-15": {7, 3}, "JP-06": {8, 3}, "JP-04": {9, 3},
	"JP-32": {1, 4}, "JP-31": {2, 4}, "JP-18": {4, 4}, "JP-21": {5, 4}, "JP-20": {6, 4}, "JP-10": {7, 4}, "JP-09": {8, 4}, "JP-07": {9, 4},
	"JP-35": {0, 5}, "JP-34": {1, 5}, "JP-33": {2, 5}, "JP-28": {3, 5}, "JP-26": {4, 5}, "JP-25": {5, 5}, "JP-19": {6, 5}, "JP-11": {7, 5}, "JP-08": {8, 5},
	"JP-41": {0, 6}, "JP-40": {1, 6}, "JP-44": {2, 6}, "JP-27": {3, 6}, "JP-29": {4, 6}, "JP-23": {5, 6}, "JP-22": {6, 6}, "JP-13": {7, 6}, "JP-12": {8, 6},
	"JP-42": {0, 7}, "JP-43": {1, 7}, "JP-38": {2, 7}, "JP-37": {3, 7}, "JP-30": {4, 7}, "JP-24": {5, 7}, "JP-14": {7, 7},
	"JP-46": {1, 8}, "JP-45": {2, 8}, "JP-39": {3, 8}, "JP-36": {4, 8},
	"JP-47": {0, 9},
}

// TileScale is the sequential palette of the tiles, lightest (fewest people)
// first; a tile with nobody is white with a grey border.
var TileScale = []string{"#dbe9f6", "#c6dbef", "#6baed6", "#2171b5", "#08306b"}

// Tile is one place of a tile grid.
type Tile struct {
	Code  string // ISO 3166-2 code, a key of the grid's layout
	Name  string // in the reader's words, for the tile's tooltip
	Value int64
}

// TileGrid is a tile-grid map of one country's places, drawn as a standalone
// image (its text keeps its size: the grid is at most 300 px wide). Places of
// the layout missing from Tiles are drawn with nobody; tiles whose code is
// not in the layout are left out.
type TileGrid struct {
	ID, Title, Desc string
	Layout          map[string]TilePos
	Tiles           []Tile
	// NoneLabel is the legend's word for a place with nobody ("none").
	NoneLabel string
	Format    NumberFormat
}

// Layout of a tile grid, in pixels.
const (
	tileWidth  = 300.0
	tileGap    = 3.0
	tileFont   = 12.0
	tileLegend = 22.0
)

// TileBins are the upper bounds of the shades for counts up to max: steps of
// a round number of people (1, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k), as few as
// make at most five shades, the last one ending at max.
func TileBins(max int64) []int64 {
	if max <= 0 {
		return nil
	}
	n := int64(len(TileScale))
	var step int64 = 1
	for mag := int64(1); step*n < max; mag *= 10 {
		for _, m := range []int64{10, 20, 25, 30, 40, 50, 60, 80, 100} {
			if s := m * mag / 10; s >= 1 && m*mag%10 == 0 && s*n >= max {
				step = s
				break
			}
		}
		if step*n >= max {
			break
		}
	}
	var out []int64
	for b := step; ; b += step {
		if b >= max {
			return append(out, max)
		}
		out = append(out, b)
	}
}

// tileShade is the palette index of v: the first bin whose bound holds it.
// With fewer bins than colours, the bins use the darker end of the scale.
func tileShade(bins []int64, v int64) int {
	off := len(TileScale) - len(bins)
	for i, b := range bins {
		if v <= b {
			return off + i
		}
	}
	return len(TileScale) - 1
}

// relLuminance is a #rrggbb colour's WCAG relative luminance.
func relLuminance(hex string) float64 {
	var rgb [3]float64
	for i := range rgb {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			rgb[i] = c / 12.92
		} else {
			rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
}

// contrast is the WCAG contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := relLuminance(a), relLuminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// textOn is the text colour (the chart's text colour or white) that contrasts
// most with a fill.
func textOn(fill string) string {
	if contrast(fill, colorText) >= contrast(fill, colorBackground) {
		return colorText
	}
	return colorBackground
}

// shortCode is a code without its country: "KA" for IN-KA, "13" for JP-13.
func shortCode(code string) string {
	if i := strings.IndexByte(code, '-'); i >= 0 {
		return code[i+1:]
	}
	return code
}

// SVG renders the grid with its legend under it: a swatch per shade with the
// range of people it stands for, and one for places with nobody.
func (g TileGrid) SVG() template.HTML {
	id := cleanID(g.ID)
	format := formatter(g.Format)
	cols, rows := 1, 1
	for _, p := range g.Layout {
		cols, rows = max(cols, p.Col+1), max(rows, p.Row+1)
	}
	size := math.Floor((tileWidth+tileGap)/float64(cols)) - tileGap
	values := map[string]int64{}
	names := map[string]string{}
	var top int64
	for _, t := range g.Tiles {
		if _, ok := g.Layout[t.Code]; !ok {
			continue
		}
		v := max(t.Value, 0)
		values[t.Code] += v
		names[t.Code] = t.Name
		top = max(top, values[t.Code])
	}
	bins := TileBins(top)

	// The legend: one row per shade used, then "none".
	type entry struct{ fill, stroke, text string }
	var legendItems []entry
	var lo int64 = 1
	for i, b := range bins {
		text := format(lo) + "–" + format(b)
		if lo == b {
			text = format(b)
		}
		legendItems = append(legendItems, entry{TileScale[len(TileScale)-len(bins)+i], "", text})
		lo = b + 1
	}
	legendItems = append(legendItems, entry{colorBackground, colorAxis, g.NoneLabel})

	gridH := float64(rows)*(size+tileGap) - tileGap
	height := gridH + 12 + float64(len(legendItems))*tileLegend
	var b strings.Builder
	open(&b, id, "tilegrid", g.Title, g.Desc, tileWidth, height)

	// Tiles in reading order, so the output is deterministic.
	codes := make([]string, 0, len(g.Layout))
	for c := range g.Layout {
		codes = append(codes, c)
	}
	sortTiles(codes, g.Layout)
	fmt.Fprintf(&b, `<g class="hrx-tiles" font-size="%s" text-anchor="middle">`, num(tileFont))
	for _, c := range codes {
		p := g.Layout[c]
		x, y := float64(p.Col)*(size+tileGap), float64(p.Row)*(size+tileGap)
		v := values[c]
		fill, stroke := colorBackground, ` stroke="`+colorAxis+`"`
		if v > 0 {
			fill, stroke = TileScale[tileShade(bins, v)], ""
		}
		name := names[c]
		if name == "" {
			name = c
		}
		fmt.Fprintf(&b, `<g><title>%s: %s</title><rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s/><text x="%s" y="%s" fill="%s">%s</text></g>`,
			esc(name), esc(format(v)), num(x), num(y), num(size), num(size), fill, stroke,
			num(x+size/2), num(y+size/2+0.35*tileFont), textOn(fill), esc(shortCode(c)))
	}
	b.WriteString(`</g>`)

	fmt.Fprintf(&b, `<g class="hrx-legend" font-size="%s">`, num(tileFont))
	for i, it := range legendItems {
		y := gridH + 12 + float64(i)*tileLegend
		stroke := ""
		if it.stroke != "" {
			stroke = ` stroke="` + it.stroke + `"`
		}
		fmt.Fprintf(&b, `<rect x="0" y="%s" width="18" height="14" fill="%s"%s/><text x="26" y="%s" fill="%s">%s</text>`,
			num(y+2), it.fill, stroke, num(y+9+0.35*tileFont), colorText, esc(it.text))
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}

// sortTiles orders codes by row, then column.
func sortTiles(codes []string, layout map[string]TilePos) {
	key := func(c string) int { p := layout[c]; return p.Row*1000 + p.Col }
	slices.SortFunc(codes, func(a, b string) int { return key(a) - key(b) })
}
