package embed

import (
	"fmt"
	"strings"

	"hrx/internal/charts"
	"hrx/internal/month"
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
	css := htmlCSS(v.o.Theme)
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
	switch {
	case v.empty:
		v.htmlEmpty(&b)
	case v.o.Style == StyleBar:
		v.htmlBar(&b)
	case v.o.Style == StyleChart:
		v.htmlChart(&b)
	default:
		v.htmlCard(&b)
	}
	b.WriteString("</main>\n<script>" + heightScript + "</script>\n</body>\n</html>\n")

	csp := "default-src 'none'; style-src " + cspSource(css) + "; script-src " + cspSource(heightScript) +
		"; img-src data:; base-uri 'none'; form-action 'none'"
	return Page{HTML: []byte(b.String()), CSP: csp}
}

// t is a translated message as markup; args are already safe markup. A
// message that falls back to English on a page in another language says so.
func (v view) t(key string, args ...string) string {
	s := fill(v.l, key, args...)
	if untranslated(v.l, key) {
		return `<span lang="en">` + s + `</span>`
	}
	return s
}

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
		esc(v.link), v.t("See the details"), v.t("(opens in a new tab)"))
}

// needHTML is "1,398 people a month still needed", or "" when nothing more is needed.
func (v view) needHTML() string {
	n, ok := v.need()
	if !ok {
		return ""
	}
	return v.t(needKey, `<strong class="num">`+esc(n)+`</strong>`)
}

func (v view) htmlBar(b *strings.Builder) {
	b.WriteString("<div class=\"line\">\n")
	b.WriteString("<h1>" + v.nameHTML() + "</h1>\n")
	b.WriteString(v.barSVG() + "\n")
	b.WriteString(`<p class="num">` + v.t("%s of %s people (%s)", esc(v.achieved), esc(v.value), esc(v.percent)) + "</p>\n")
	b.WriteString("<p>" + v.status() + "</p>\n")
	b.WriteString(`<p class="meta"><span class="m nw">` + v.t("As of %s", esc(v.asOf)) + "</span> · " + v.linkHTML() + "</p>\n")
	b.WriteString("</div>\n")
}

func (v view) htmlCard(b *strings.Builder) {
	v.h1(b)
	b.WriteString("<div class=\"head\">\n<div>\n")
	b.WriteString(`<p class="big num">` + esc(v.achieved) + "</p>\n")
	b.WriteString(`<p class="num">` + v.t("of %s people", esc(v.value)) + " · " + esc(v.percent) + "</p>\n")
	b.WriteString("</div>\n")
	if vals := v.lastMonths(12); len(vals) > 0 {
		v.htmlSpark(b, vals)
	}
	b.WriteString("</div>\n")
	b.WriteString(v.barSVG() + "\n")
	b.WriteString("<p>" + v.status() + "</p>\n")
	if n := v.needHTML(); n != "" {
		b.WriteString(`<p class="need">` + n + "</p>\n")
	}
	b.WriteString(`<p class="meta"><span class="m nw">` + v.t("As of %s", esc(v.asOf)) + "</span> · " + v.linkHTML() + "</p>\n")
}

// htmlSpark is the card's sparkline of the latest months with the latest value as text.
func (v view) htmlSpark(b *strings.Builder, vals []float64) {
	spark := charts.Sparkline{
		ID:     "hrx-spark",
		Title:  v.l.T("People counted each month, the last %d months", len(vals)),
		Desc:   v.l.T("%s people in %s", v.l.N(int64(vals[len(vals)-1])), v.asOf),
		Values: vals, Width: 140, Height: 36,
	}
	b.WriteString("<figure class=\"spark\">" + string(spark.SVG()) + "\n")
	b.WriteString(`<figcaption class="m num">` + v.t("Per month; %s in %s", esc(v.l.N(int64(vals[len(vals)-1]))), esc(v.asOfShort)) + "</figcaption></figure>\n")
}

func (v view) htmlChart(b *strings.Builder) {
	v.h1(b)
	b.WriteString(`<p class="num"><span class="nw">` + v.t("%s of %s people (%s)", esc(v.achieved), esc(v.value), esc(v.percent)) +
		"</span> · " + v.status() + ` · <span class="m nw">` + v.t("As of %s", esc(v.asOf)) + "</span></p>\n")
	b.WriteString(`<div class="plot">` + string(v.cumulative().SVG()) + "</div>\n")
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
	b.WriteString(`<p class="empty-note">` + v.t("No figures yet") + "</p>\n")
	b.WriteString(`<p class="num">` + v.t("Target: %s people by %s", esc(v.value), esc(v.l.Month(v.tp.Target.End()))) + "</p>\n")
	b.WriteString(`<p class="m">` + v.t(emptyNoteKey) + "</p>\n")
	b.WriteString(`<p class="meta">` + v.linkHTML() + "</p>\n")
}

// cumulative is the cumulative chart: achieved against the expected path and
// the projection, with the target line, over the whole window.
func (v view) cumulative() charts.Cumulative {
	l, r := v.l, v.r
	start, end := v.tp.Target.Start(), v.tp.Target.End()
	var labels []string
	for _, m := range month.Range(start, end) {
		labels = append(labels, l.MonthShort(m))
	}
	c := charts.Cumulative{
		ID:    "hrx-cum",
		Title: l.T("%s: people counted so far against the target", v.name), Desc: v.chartSentence(),
		Labels: labels, Target: float64(v.tp.Target.Value), TargetLabel: l.T("Target %s", l.N(v.tp.Target.Value)),
		ActualLabel: l.T("Achieved"), ExpectedLabel: l.T("Expected path"), ProjectionLabel: l.T("Projection at the current rate"),
		Format: l.N,
	}
	for _, p := range r.Actual {
		c.Actual = append(c.Actual, p.Value)
	}
	for _, p := range r.ExpectedPath {
		c.Expected = append(c.Expected, p.Value)
	}
	for _, p := range r.Projection {
		c.Projection = append(c.Projection, p.Value)
	}
	if len(c.Actual) > 0 {
		c.ProjectionStart = len(c.Actual) - 1
	}
	return c
}

// num formats a coordinate with at most one decimal.
func num(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(s, ".0")
}
