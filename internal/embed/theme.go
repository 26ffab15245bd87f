package embed

import (
	"strings"

	"hrx/internal/charts"
	"hrx/internal/progress"
)

// palette is one theme's colours. Text colours reach 4.5:1 against Bg, the
// bar, the chart lines and the focus ring at least 3:1 (the tests check).
type palette struct {
	Bg, Border, Text, Muted, Link, Focus string
	Track, Fill                          string
	Actual, Expected, Projection, Target string
	Grid, Axis                           string
	Status                               map[progress.Status]string
}

var light = palette{
	Bg: "#ffffff", Border: "#c4c7c5", Text: "#1f1f1f", Muted: "#4d5156", Link: "#0b57d0", Focus: "#0b57d0",
	Track: "#dfe3e8", Fill: "#1f5fa6",
	// The chart colours are the charts package's own; they are listed for the contrast test.
	Actual: "#1f5fa6", Expected: "#5f6368", Projection: "#b3470b", Target: "#b71c1c",
	Grid: "#e0e0e0", Axis: "#5f6368",
	Status: map[progress.Status]string{
		progress.NotStarted: "#4d5156",
		progress.OnTrack:    "#137333",
		progress.AtRisk:     "#8a4b00",
		progress.OffTrack:   "#b3261e",
		progress.Achieved:   "#1f5fa6",
	},
}

var dark = palette{
	Bg: "#1b1d21", Border: "#5f6368", Text: "#e8eaed", Muted: "#bdc1c6", Link: "#8ab4f8", Focus: "#a8c7fa",
	Track: "#3c4043", Fill: "#8ab4f8",
	Actual: "#8ab4f8", Expected: "#9aa0a6", Projection: "#f6ae6b", Target: "#f28b82",
	Grid: "#34373c", Axis: "#9aa0a6",
	Status: map[progress.Status]string{
		progress.NotStarted: "#bdc1c6",
		progress.OnTrack:    "#81c995",
		progress.AtRisk:     "#fdd663",
		progress.OffTrack:   "#f28b82",
		progress.Achieved:   "#8ab4f8",
	},
}

// statusOrder fixes the order of the generated status rules.
var statusOrder = []progress.Status{progress.NotStarted, progress.OnTrack, progress.AtRisk, progress.OffTrack, progress.Achieved}

// chartRules recolour the charts package's SVG (drawn for a white
// background with presentation attributes, which any CSS rule overrides).
func chartRules(b *strings.Builder, p palette) {
	r := func(sel, decl string) { b.WriteString(sel + "{" + decl + "}") }
	r(".hrx-bg", "fill:"+p.Bg)
	r(".hrx-grid", "stroke:"+p.Grid)
	r(".hrx-axis", "stroke:"+p.Axis)
	r(".hrx-tick", "fill:"+p.Muted)
	r(".hrx-legend text", "fill:"+p.Text)
	r("path.hrx-actual,line.hrx-actual,path.hrx-sparkline", "stroke:"+p.Actual)
	r("circle.hrx-actual,text.hrx-actual,circle.hrx-sparkline-last", "fill:"+p.Actual)
	r(".hrx-expected", "stroke:"+p.Expected)
	r("path.hrx-projection,line.hrx-projection", "stroke:"+p.Projection)
	r("circle.hrx-projection,text.hrx-projection", "fill:"+p.Projection)
	r("line.hrx-target", "stroke:"+p.Target)
	r("text.hrx-target", "fill:"+p.Target)
	r("circle.hrx-actual,circle.hrx-projection,text.hrx-actual,text.hrx-projection,text.hrx-target", "stroke:"+p.Bg)
}

// statusRules colour the status shape and word (a second cue after the text and shape).
func statusRules(b *strings.Builder, p palette, prop string) {
	for _, s := range statusOrder {
		b.WriteString(".s-" + string(s) + "{" + prop + ":" + p.Status[s] + "}")
	}
}

// htmlColours is the part of the page's stylesheet that depends on the palette.
func htmlColours(b *strings.Builder, p palette, scheme string) {
	b.WriteString(":root{color-scheme:" + scheme + ";background:" + p.Bg + ";color:" + p.Text + "}")
	b.WriteString(".w{background:" + p.Bg + ";border-color:" + p.Border + "}")
	b.WriteString(".m{color:" + p.Muted + "}")
	b.WriteString("a{color:" + p.Link + "}a:focus-visible{outline-color:" + p.Focus + "}")
	b.WriteString(".b0{fill:" + p.Track + "}.b1{fill:" + p.Fill + "}")
	statusRules(b, p, "color")
	chartRules(b, p)
}

// htmlBase is the page's stylesheet apart from the colours.
const htmlBase = `html{font-family:system-ui,"Hiragino Sans","Noto Sans JP","Noto Sans Devanagari",sans-serif;line-height:1.5;-webkit-text-size-adjust:100%;text-size-adjust:100%}` +
	`html:lang(ja),html:lang(hi){line-height:1.7}` +
	`body{margin:0}` +
	`.w{box-sizing:border-box;padding:12px 16px;border:1px solid;border-radius:8px;overflow-wrap:anywhere}` +
	`.w>*+*{margin-top:6px}` +
	`h1{font-size:1rem;font-weight:600;margin:0}` +
	`p,figure{margin:0}` +
	`.num{font-variant-numeric:tabular-nums}` +
	`.big{font-size:2.25rem;font-weight:700;line-height:1.15}` +
	`.bar{display:block;width:100%;height:10px;border-radius:5px;overflow:hidden}` +
	`.status{font-weight:600;white-space:nowrap}` +
	`.nw{white-space:nowrap}` +
	`.need strong{font-size:1.25rem}` +
	`.meta{font-size:.875rem}` +
	`a{text-underline-offset:.15em;display:inline-block;padding:2px 0}` + // a target at least 24 px high

	`a:focus-visible{outline:3px solid;outline-offset:2px;border-radius:2px}` +
	`.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}` +
	`.hrx-chart{display:block;font-family:inherit}` + charts.Stylesheet +
	// card: the headline number beside the sparkline, on one row at every width.
	`.head{display:flex;align-items:flex-end;justify-content:space-between;gap:16px}` +
	// A card fills its iframe (up to a card's height), its date and link at
	// the bottom, whichever language's words make it shorter.
	`.w-card{display:flex;flex-direction:column;min-height:min(100vh,340px)}` +
	`.w-card>.meta{margin-top:auto;padding-top:6px}` +
	`.spark{flex:0 1 132px;min-width:0}` +
	`.spark figcaption{font-size:.75rem;line-height:1.3}` +
	// bar: the name and the status, the bar, then the numbers: the same rows at every width.
	`.line{display:grid;grid-template-columns:1fr auto;align-items:center;gap:4px 12px}` +
	`.line>*+*{margin-top:0}` +
	`.line>*{grid-column:1/-1}` +
	`.line>h1{grid-column:1}` +
	`.line>.st{grid-row:1;grid-column:2}` +
	`.empty-note{font-size:1.25rem;font-weight:600}` +
	`@media (forced-colors:active){.b0{fill:Canvas}.b1{fill:CanvasText}.bar{border:1px solid CanvasText}}`

// htmlCSS is the page's whole stylesheet for a theme.
func htmlCSS(theme string) string {
	var b strings.Builder
	b.WriteString(htmlBase)
	switch theme {
	case ThemeLight:
		htmlColours(&b, light, "light")
	case ThemeDark:
		htmlColours(&b, dark, "dark")
	default:
		htmlColours(&b, light, "light dark")
		b.WriteString("@media (prefers-color-scheme:dark){")
		htmlColours(&b, dark, "light dark")
		b.WriteString("}")
	}
	return b.String()
}

// svgColours recolour the SVG image, drawn with the light palette's
// presentation attributes, for the dark palette.
func svgColours(b *strings.Builder, p palette) {
	b.WriteString(".w-bg{fill:" + p.Bg + ";stroke:" + p.Border + "}")
	b.WriteString(".t{fill:" + p.Text + "}.m{fill:" + p.Muted + "}")
	b.WriteString(".b0{fill:" + p.Track + "}.b1{fill:" + p.Fill + "}")
	statusRules(b, p, "fill")
	chartRules(b, p)
}

// svgStyle is the SVG image's <style> contents for a theme; "" for light,
// which the presentation attributes already draw.
func svgStyle(theme string) string {
	var b strings.Builder
	switch theme {
	case ThemeDark:
		svgColours(&b, dark)
	case ThemeAuto:
		b.WriteString("@media (prefers-color-scheme:dark){")
		svgColours(&b, dark)
		b.WriteString("}")
	}
	return b.String()
}
