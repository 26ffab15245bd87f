package embed

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// breakdownFixture is a target's breakdown as the web package words it:
// seven sectors (two left out of the widget), four states (one left out)
// and two prefectures.
func breakdownFixture() Breakdown {
	row := func(name string, n int64, share string) BreakdownRow {
		return BreakdownRow{Name: name, People: n, Share: share}
	}
	return Breakdown{
		Lede: "9,592 people moved from Sep 2025 to Oct 2026 (India → Japan), as published.",
		Link: base + "/targets/skilled-workers/breakdown",
		Sections: []BreakdownSection{
			{Heading: "By sector", Known: "Sector known for 62 % of people.", Rows: []BreakdownRow{
				row("Nursing care", 2100, "35.3%"), row("Food service", 1200, "20.2%"), row("Construction", 900, "15.1%"),
				row("Information technology", 800, "13.4%"), row("Agriculture", 500, "8.4%"),
				row("Shipbuilding", 300, "5.0%"), row("Aviation", 150, "2.5%")}},
			{Heading: "By Indian state or union territory", Known: "State or union territory known for 40 % of people.", Rows: []BreakdownRow{
				row("Tamil Nadu", 1500, "39.1%"), row("Kerala", 1200, "31.3%"), row("Gujarat", 900, "23.4%"), row("Goa", 237, "6.2%")}},
			{Heading: "By Japanese prefecture", Known: "Prefecture known for 20 % of people.", Rows: []BreakdownRow{
				{Name: "Tokyo", Lang: "en", People: 1500, Share: "78.1%"}, row("Aichi", 420, "21.9%")}},
		},
	}
}

func TestBreakdownWidget(t *testing.T) {
	bd := breakdownFixture()
	for _, theme := range Themes {
		for _, lang := range langs {
			o := opts(t, StyleBreakdown, theme, lang)
			name := fmt.Sprintf("breakdown-%s-%s", theme, lang)
			page := BreakdownPage(fixture(), bd, o, base)
			html := string(page.HTML)
			if theme == ThemeAuto {
				golden(t, name+".html", page.HTML)
				golden(t, name+".svg", BreakdownSVG(fixture(), bd, o, base))
			}
			// The five sectors and three regions with most people, each with its number;
			// the rest counted, and a link to them all.
			for _, w := range []string{"Nursing care", "Agriculture", "Tamil Nadu", "Gujarat", "Aichi",
				`<span lang="en">Tokyo</span>`, "By Japanese prefecture", "Sector known for 62 % of people.", bd.Lede,
				`href="` + base + `/targets/skilled-workers/breakdown"`} {
				if !strings.Contains(html, w) {
					t.Errorf("%s: no %q", name, w)
				}
			}
			for _, n := range []string{"Shipbuilding", "Aviation", "Goa"} {
				if strings.Contains(html, n) {
					t.Errorf("%s: shows %q, past the widget's top values", name, n)
				}
			}
			if got := strings.Count(html, "<li>"); got != 10 {
				t.Errorf("%s: %d values shown, want 10 (5 sectors, 3 states, 2 prefectures)", name, got)
			}
			if !strings.Contains(html, "<strong>2,100</strong>") && !strings.Contains(html, "<strong>२,१००</strong>") {
				t.Errorf("%s: the largest sector's number is not shown", name)
			}
			// The same CSP rules as every widget page: one inline style and one script, allowed by hash.
			styles, scripts := inline(html, "style"), inline(html, "script")
			if len(styles) != 1 || len(scripts) != 1 || !strings.Contains(page.CSP, hash(styles[0])) || !strings.Contains(page.CSP, hash(scripts[0])) {
				t.Errorf("%s: the CSP does not allow exactly its style and script: %s", name, page.CSP)
			}
			if regexp.MustCompile(`\sstyle=|\son[a-z]+=`).MatchString(html) {
				t.Errorf("%s: inline style attribute or event handler", name)
			}

			svg := BreakdownSVG(fixture(), bd, o, base)
			checkSVG(t, name+".svg", svg)
			label := regexp.MustCompile(`aria-label="([^"]*)"`).FindSubmatch(svg)
			if label == nil || !strings.Contains(string(label[1]), "Nursing care") || !strings.Contains(string(label[1]), "Aichi") {
				t.Errorf("%s: the image's sentence does not name the leaders: %s", name, label)
			}
		}
	}
}

func TestBreakdownWidgetEmptyAndHostile(t *testing.T) {
	o := opts(t, StyleBreakdown, "", "en")
	// A target without figures shows the same empty state as the card.
	page := string(BreakdownPage(emptyFixture(), Breakdown{}, o, base).HTML)
	if !strings.Contains(page, "empty-note") || strings.Contains(page, "<section>") {
		t.Errorf("the empty breakdown widget does not say there are no figures yet:\n%s", page)
	}
	checkSVG(t, "empty breakdown", BreakdownSVG(emptyFixture(), Breakdown{}, o, base))

	bd := breakdownFixture()
	bd.Sections[0].Rows[0].Name = `<script>alert(1)</script>`
	bd.Sections[0].Heading = `"><b>x</b>`
	for _, out := range [][]byte{BreakdownPage(fixture(), bd, o, base).HTML, BreakdownSVG(fixture(), bd, o, base)} {
		s := string(out)
		if strings.Contains(s, "<script>alert") || strings.Contains(s, "<b>x") {
			t.Errorf("a hostile name got through:\n%s", s)
		}
		if !strings.Contains(s, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("the hostile name is not shown escaped")
		}
	}
}
