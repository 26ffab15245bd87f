package embed

import (
	"fmt"
	"strings"

	"hrx/internal/charts"
	"hrx/internal/i18n"
	"hrx/internal/report"
)

// heightScript tells the parent window how tall the widget is, on load and
// whenever it changes size, so the host's iframe can fit it. The body's
// height is measured rather than the root's scrollHeight, which never drops
// below the iframe's own height and so would let the frame grow but never
// shrink. Posting a height is harmless; the host-side script checks
// event.source.
const heightScript = `(function(){var last=0;function post(){` +
	`var h=Math.ceil(document.body.getBoundingClientRect().height);` +
	`if(h===last||parent===window)return;last=h;` +
	`parent.postMessage({type:"hrx:height",height:h},"*")}` +
	`addEventListener("load",post);addEventListener("resize",post);` +
	`if(window.ResizeObserver)new ResizeObserver(post).observe(document.body);post()})();`

// HTMLPage renders a complete, small HTML document for an iframe, and the
// Content-Security-Policy that allows exactly its inline style and script.
func HTMLPage(tp report.TargetProgress, o Options, baseURL string) Page {
	v := newView(tp, o, baseURL)
	return v.document(htmlCSS(v.o.Theme), func(b *strings.Builder) {
		switch {
		case v.empty:
			v.htmlEmpty(b)
		case v.o.Style == StyleBar:
			v.htmlBar(b)
		case v.o.Style == StyleChart:
			v.htmlChart(b)
		default:
			v.htmlCard(b)
		}
	})
}

// document is a widget's whole HTML document around what main writes, with
// the stylesheet css, and the Content-Security-Policy that allows exactly
// that stylesheet and the height script.
func (v view) document(css string, main func(*strings.Builder)) Page {
	scheme := "light dark"
	if v.o.Theme != ThemeAuto {
		scheme = v.o.Theme
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", esc(string(v.l.Lang)))
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	fmt.Fprintf(&b, "<meta name=\"color-scheme\" content=\"%s\">\n", scheme)
	fmt.Fprintf(&b, "<title>%s</title>\n", esc(v.name))
	b.WriteString("<style>" + css + "</style>\n</head>\n<body>\n")
	fmt.Fprintf(&b, "<main class=\"w w-%s\">\n", v.o.Style)
	main(&b)
	b.WriteString("</main>\n<script>" + heightScript + "</script>\n</body>\n</html>\n")
	csp := "default-src 'none'; style-src " + cspSource(css) + "; script-src " + cspSource(heightScript) +
		"; img-src data:; base-uri 'none'; form-action 'none'"
	return Page{HTML: []byte(b.String()), CSP: csp}
}

// tr is a message as markup, its words escaped.
func (v view) tr(m i18n.Msg) string { return markup(v.l, m, "", "") }

// nameHTML is the target's name, marked with its language when it is not the page's.
func (v view) nameHTML() string {
	if v.nameLang != "" {
		return `<span lang="` + v.nameLang + `">` + esc(v.name) + `</span>`
	}
	return esc(v.name)
}

func (v view) h1(b *strings.Builder) {
	b.WriteString("<h1>" + v.nameHTML() + "</h1>\n")
}

// status is the status shape and word; the colour is a second cue only.
func (v view) status() string {
	return fmt.Sprintf(`<span class="status %s"><span aria-hidden="true">%s</span> %s</span>`,
		v.statusClass, esc(v.statusIcon), esc(v.statusText))
}

// barSVG is the progress bar: decoration only, the numbers are text beside it.
func (v view) barSVG() string {
	w := num(v.barFraction() * 100)
	return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">` +
		`<rect class="b0" width="100" height="10" fill="` + light.Track + `"/>` +
		`<rect class="b1" width="` + w + `" height="10" fill="` + light.Fill + `"/></svg>`
}

// linkHTML is the link back to the target's page, opening in a new tab.
func (v view) linkHTML() string {
	return fmt.Sprintf(`<a href="%s" target="_blank" rel="noopener">%s<span class="vh"> %s</span></a>`,
		esc(v.link), v.tr(i18n.M("widget.details")), v.tr(i18n.M("widget.new_tab")))
}

// needHTML is "1,398 people a month still needed", or "" when nothing more is needed.
func (v view) needHTML() string {
	m, ok := v.tp.Need()
	if !ok {
		return ""
	}
	return markup(v.l, m, report.NeedArg, `<strong class="num">`+esc(v.l.N(v.r.RequiredMonthly))+`</strong>`)
}

func (v view) htmlBar(b *strings.Builder) {
	b.WriteString("<div class=\"line\">\n")
	b.WriteString("<h1>" + v.nameHTML() + "</h1>\n")
	b.WriteString(v.barSVG() + "\n")
	b.WriteString(`<p class="num">` + v.tr(v.tp.Headline()) + "</p>\n")
	b.WriteString(`<p class="st">` + v.status() + "</p>\n")
	b.WriteString(`<p class="meta"><span class="m nw">` + v.tr(v.tp.AsOf()) + "</span> · " + v.linkHTML() + "</p>\n")
	b.WriteString("</div>\n")
}

func (v view) htmlCard(b *strings.Builder) {
	v.h1(b)
	// The number and the sparkline share a row at every width; the words
	// under them take the whole width, so the card is as tall on a phone.
	b.WriteString("<div class=\"head\">\n")
	b.WriteString(`<p class="big num">` + esc(v.achieved) + "</p>\n")
	if spark, ok := v.tp.Sparkline(v.l, "hrx-spark", 12); ok {
		v.htmlSpark(b, spark)
	}
	b.WriteString("</div>\n")
	b.WriteString(`<p class="num">` + v.tr(v.tp.OfTarget()) + " · " + esc(v.percent) + "</p>\n")
	b.WriteString(v.barSVG() + "\n")
	b.WriteString("<p>" + v.status() + "</p>\n")
	if n := v.needHTML(); n != "" {
		b.WriteString(`<p class="need">` + n + "</p>\n")
	}
	b.WriteString(`<p class="meta"><span class="m nw">` + v.tr(v.tp.AsOf()) + "</span> · " + v.linkHTML() + "</p>\n")
}

// htmlSpark is the card's sparkline of the latest months with the latest value as text.
func (v view) htmlSpark(b *strings.Builder, spark charts.Sparkline) {
	spark.Width, spark.Height = 140, 36
	last := v.tp.Monthly[len(v.tp.Monthly)-1]
	b.WriteString("<figure class=\"spark\">" + string(spark.SVG()) + "\n")
	b.WriteString(`<figcaption class="m num">` + v.tr(i18n.M("charts.spark.caption", "people", last, "month", v.asOfShort)) + "</figcaption></figure>\n")
}

func (v view) htmlChart(b *strings.Builder) {
	v.h1(b)
	b.WriteString(`<p class="num"><span class="nw">` + v.tr(v.tp.Headline()) +
		"</span> · " + v.status() + ` · <span class="m nw">` + v.tr(v.tp.AsOf()) + "</span></p>\n")
	c := v.cumulative()
	c.PlotHeight = 180
	b.WriteString(`<div class="plot">` + string(c.SVG()) + "</div>\n")
	b.WriteString(`<p class="meta">`)
	if n := v.needHTML(); n != "" {
		b.WriteString(n + " · ")
	}
	b.WriteString(v.linkHTML() + "</p>\n")
}

func (v view) htmlEmpty(b *strings.Builder) {
	if v.o.Style == StyleBar {
		b.WriteString("<div class=\"line\">\n")
		defer b.WriteString("</div>\n")
	}
	v.h1(b)
	b.WriteString(`<p class="empty-note">` + v.tr(report.NoFiguresYet()) + "</p>\n")
	b.WriteString(`<p class="num">` + v.tr(v.tp.TargetBy()) + "</p>\n")
	b.WriteString(`<p class="num">` + v.tr(v.tp.FirstMonth()) + "</p>\n")
	b.WriteString(`<p class="m">` + v.tr(report.EmptyNote()) + "</p>\n")
	b.WriteString(`<p class="meta">` + v.linkHTML() + "</p>\n")
}

// cumulative is the cumulative chart: achieved against the expected path and
// the projection, with the target line, over the whole window.
func (v view) cumulative() charts.Cumulative { return v.tp.CumulativeChart(v.l, "hrx-cum", nil) }

// num formats a coordinate with at most one decimal.
func num(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(s, ".0")
}
