package embed

import (
	"fmt"
	"strings"

	"hrx/internal/i18n"
	"hrx/internal/report"
)

// Breakdown is what the breakdown widget shows besides the target: its
// published people by sector, Indian state and Japanese prefecture, worded by
// the caller in the widget's language (the breakdown page's own words).
type Breakdown struct {
	Lede     string // "9,592 people moved from Sep 2025 to Oct 2026 (India → Japan), as published."
	Sections []BreakdownSection
	Link     string // the target's breakdown page, absolute
}

// BreakdownSection is one breakdown: its heading, how many people it is known
// for, and its values, most people first.
type BreakdownSection struct {
	Heading, Known string
	Rows           []BreakdownRow
}

// BreakdownRow is one value of a breakdown: a sector, state or prefecture.
type BreakdownRow struct {
	Name   string
	Lang   string // the name's language when it is not the widget's ("" otherwise)
	People int64
	Share  string // of the people the breakdown is known for: "12.5%"
}

// breakdownTop is how many values of each section a widget shows: the
// sectors' five, the regions' three; the rest are counted and a link away.
func breakdownTop(section int) int {
	if section == 0 {
		return 5
	}
	return 3
}

// shown is a section's rows the widget shows, and how many it leaves out.
func (s BreakdownSection) shown(section int) ([]BreakdownRow, int) {
	n := min(len(s.Rows), breakdownTop(section))
	return s.Rows[:n], len(s.Rows) - n
}

// BreakdownPage renders the breakdown widget as a small HTML document for an
// iframe, with its Content-Security-Policy, like HTMLPage. A target without
// published figures shows the same empty state as the other styles.
func BreakdownPage(tp report.TargetProgress, bd Breakdown, o Options, baseURL string) Page {
	o.Style = StyleBreakdown
	v := newView(tp, o, baseURL)
	return v.document(htmlCSS(v.o.Theme)+breakdownCSS, func(b *strings.Builder) {
		if v.empty {
			v.htmlEmpty(b)
		} else {
			v.htmlBreakdown(b, bd)
		}
	})
}

// breakdownCSS is the breakdown widget's own rules, after the widgets' stylesheet:
// a heading per breakdown, each value's name and number over its bar.
const breakdownCSS = `h2{font-size:.9375rem;font-weight:600;margin:0}` +
	`.w-breakdown section{margin-top:12px}` +
	`.known,.more{font-size:.8125rem}` +
	`.bd{list-style:none;margin:4px 0 0;padding:0}` +
	`.bd li{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:2px 8px;align-items:baseline;margin-top:4px}` +
	`.bd .bar{grid-column:1/-1;height:6px;border-radius:3px}` +
	`.bd-n{white-space:nowrap}`

// rowName is a value's name, marked with its language when it is not the widget's.
func rowName(r BreakdownRow) string {
	if r.Lang != "" {
		return `<span lang="` + esc(r.Lang) + `">` + esc(r.Name) + `</span>`
	}
	return esc(r.Name)
}

func (v view) htmlBreakdown(b *strings.Builder, bd Breakdown) {
	v.h1(b)
	b.WriteString(`<p class="m num">` + esc(bd.Lede) + "</p>\n")
	for i, s := range bd.Sections {
		rows, more := s.shown(i)
		b.WriteString("<section>\n<h2>" + esc(s.Heading) + "</h2>\n")
		b.WriteString(`<p class="m known">` + esc(s.Known) + "</p>\n")
		if len(rows) > 0 {
			b.WriteString("<ol class=\"bd\">\n")
			var top int64
			for _, r := range rows {
				top = max(top, r.People)
			}
			for _, r := range rows {
				f := 0.0
				if top > 0 {
					f = float64(max(r.People, 0)) / float64(top)
				}
				fmt.Fprintf(b, `<li><span class="bd-name">%s</span> <span class="bd-n num"><strong>%s</strong> <span class="m">(%s)</span></span>`,
					rowName(r), esc(v.l.N(r.People)), esc(r.Share))
				b.WriteString(`<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">` +
					`<rect class="b0" width="100" height="10" fill="` + light.Track + `"/>` +
					`<rect class="b1" width="` + num(f*100) + `" height="10" fill="` + light.Fill + "\"/></svg></li>\n")
			}
			b.WriteString("</ol>\n")
		}
		if more > 0 {
			b.WriteString(`<p class="m more">` + v.tr(i18n.M("widget.breakdown.more", "count", more)) + "</p>\n")
		}
		b.WriteString("</section>\n")
	}
	link := fmt.Sprintf(`<a href="%s" target="_blank" rel="noopener">%s<span class="vh"> %s</span></a>`,
		esc(bd.Link), v.tr(i18n.M("widget.breakdown.all")), v.tr(i18n.M("widget.new_tab")))
	b.WriteString(`<p class="meta"><span class="m nw">` + v.tr(v.tp.AsOf()) + "</span> · " + link + "</p>\n")
}

// breakdownSentence is the whole breakdown widget in one sentence, for the
// image's title and aria-label: the lede, then each breakdown's leaders.
func (v view) breakdownSentence(bd Breakdown) string {
	parts := []string{v.l.Tr(i18n.M("widget.breakdown.start", "name", clip(v.name, maxSentenceName), "lede", bd.Lede))}
	for i, s := range bd.Sections {
		rows, _ := s.shown(i)
		var items []string
		for _, r := range rows {
			items = append(items, v.l.Tr(i18n.M("widget.breakdown.item", "name", r.Name, "people", r.People, "share", r.Share)))
		}
		if len(items) > 0 {
			parts = append(parts, v.l.Tr(i18n.M("widget.breakdown.leaders", "heading", s.Heading, "items", items)))
		}
	}
	return strings.Join(parts, v.l.Tr(i18n.M("widget.breakdown.sep")))
}

// Sizes of the breakdown image.
const (
	bdW     = 480
	bdRow   = 34.0 // a value: its name and number, the bar under them
	bdTitle = 20.0
)

// BreakdownSVG renders the breakdown widget as a self-contained image, like SVG.
func BreakdownSVG(tp report.TargetProgress, bd Breakdown, o Options, baseURL string) []byte {
	o.Style = StyleBreakdown
	v := newView(tp, o, baseURL)
	if v.empty {
		o.Style = StyleCard
		return SVG(tp, o, baseURL)
	}
	v.sentence = v.breakdownSentence(bd)
	var body strings.Builder
	y := 24.0
	text(&body, pad, y, 15, "600", "", "t", fit(v.name, 15, bdW-2*pad))
	y += 20
	text(&body, pad, y, 12, "", "", "m", fit(bd.Lede, 12, bdW-2*pad))
	for i, s := range bd.Sections {
		rows, more := s.shown(i)
		y += 30
		text(&body, pad, y, 13, "600", "", "t", fit(s.Heading, 13, bdW-2*pad))
		y += 17
		text(&body, pad, y, 11, "", "", "m", fit(s.Known, 11, bdW-2*pad))
		var top int64
		for _, r := range rows {
			top = max(top, r.People)
		}
		for _, r := range rows {
			y += bdRow - 12
			n := v.l.N(r.People) + " (" + r.Share + ")"
			nw := textWidth(n, 12)
			text(&body, bdW-pad, y, 12, "600", "end", "t", n)
			text(&body, pad, y, 12, "", "", "t", fit(r.Name, 12, bdW-2*pad-nw-10))
			f := 0.0
			if top > 0 {
				f = float64(max(r.People, 0)) / float64(top)
			}
			y += 5
			fmt.Fprintf(&body, `<rect class="b0" x="%d" y="%s" width="%d" height="7" rx="3.5" fill="%s"/>`, pad, num(y), bdW-2*pad, light.Track)
			if w := f * (bdW - 2*pad); w > 0 {
				fmt.Fprintf(&body, `<rect class="b1" x="%d" y="%s" width="%s" height="7" rx="3.5" fill="%s"/>`, pad, num(y), num(max(w, 7)), light.Fill)
			}
			y += 7
		}
		if more > 0 {
			y += 17
			text(&body, pad, y, 11, "", "", "m", v.l.Tr(i18n.M("widget.breakdown.more", "count", more)))
		}
	}
	y += 26
	text(&body, pad, y, 11, "", "", "m", fit(v.l.Tr(v.tp.AsOf()), 11, bdW-2*pad))
	return v.image(bdW, int(y+pad), "", body.String())
}
