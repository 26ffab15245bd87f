package embed

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/progress"
	"hrx/internal/reference"
	"hrx/internal/report"
	"hrx/internal/targets"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const base = "https://hrx.example.gov"

func skilledTarget() targets.Target {
	return targets.Target{
		Slug: "skilled-workers", NameEN: "Skilled personnel from India to Japan",
		NameJA: "インドから日本への高度・専門人材", NameHI: "भारत से जापान कुशल कार्मिक",
		Value: 50000, Start: month.MustParse("2025-09"), End: month.MustParse("2030-08"),
		Filter: targets.Filter{Directions: targets.Codes{"IN-JP"}, SkilledOnly: true}, Published: true,
	}
}

var categories = []reference.Category{
	{Code: "engineer", Skilled: true, NameEN: "Engineers, IT and specialist professionals"},
	{Code: "ssw", Skilled: true, NameEN: "Specified skilled workers"},
	{Code: "student", Skilled: false, NameEN: "Students"},
}

// skilledPerMonth is the skilled India-to-Japan count of each month from
// September 2025 to October 2026: 9,592 in all, a run rate that falls short.
var skilledPerMonth = []int64{610, 655, 640, 700, 590, 680, 720, 650, 700, 760, 690, 735, 712, 750}

func totals() []figures.Total {
	var out []figures.Total
	for i, n := range skilledPerMonth {
		m := month.MustParse("2025-09").Add(i).String()
		eng := n * 6 / 10
		out = append(out,
			figures.Total{Month: m, Direction: "IN-JP", Category: "engineer", Total: eng},
			figures.Total{Month: m, Direction: "IN-JP", Category: "ssw", Total: n - eng},
			figures.Total{Month: m, Direction: "IN-JP", Category: "student", Total: 300}, // not skilled
			figures.Total{Month: m, Direction: "JP-IN", Category: "engineer", Total: 40}, // other direction
		)
	}
	// Before the window: does not count.
	return append(out, figures.Total{Month: "2025-08", Direction: "IN-JP", Category: "engineer", Total: 999})
}

func fixture() report.TargetProgress {
	return report.Compute(skilledTarget(), categories, totals())
}

func emptyFixture() report.TargetProgress {
	return report.Compute(skilledTarget(), categories, []figures.Total{
		{Month: "2025-08", Direction: "IN-JP", Category: "engineer", Total: 999}, // outside the window
	})
}

func opts(t *testing.T, style, theme, lang string) Options {
	t.Helper()
	o, err := ParseOptions(style, theme, lang)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestFixture(t *testing.T) {
	r := fixture().Result
	if r.Achieved != 9592 || r.Status != progress.OffTrack || r.AsOf != month.MustParse("2026-10") || r.Percent != 19.2 {
		t.Fatalf("fixture: achieved %d, status %s, as of %s, %v%%", r.Achieved, r.Status, r.AsOf, r.Percent)
	}
	if e := emptyFixture().Result; e.Status != progress.NotStarted || e.AsOf != month.Zero {
		t.Fatalf("empty fixture: %+v", e)
	}
}

var langs = []string{"en", "ja", "hi"}

// each calls f for every style × theme × language.
func each(f func(style, theme, lang string)) {
	for _, s := range ProgressStyles {
		for _, th := range Themes {
			for _, l := range langs {
				f(s, th, l)
			}
		}
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/embed/ -update to create)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./internal/embed/ -update to accept)", path)
	}
}

func TestGolden(t *testing.T) {
	tp := fixture()
	each(func(style, theme, lang string) {
		o := opts(t, style, theme, lang)
		name := style + "-" + theme + "-" + lang
		golden(t, name+".html", HTMLPage(tp, o, base).HTML)
		golden(t, name+".svg", SVG(tp, o, base))
	})
	// The empty state, once per style.
	for _, s := range ProgressStyles {
		o := opts(t, s, "auto", "en")
		golden(t, "empty-"+s+".html", HTMLPage(emptyFixture(), o, base).HTML)
		golden(t, "empty-"+s+".svg", SVG(emptyFixture(), o, base))
	}
}

// checkSVG parses an image as XML and checks what every widget image needs.
func checkSVG(t *testing.T, name string, svg []byte) {
	t.Helper()
	if len(svg) >= 8192 {
		t.Errorf("%s: %d bytes, want under 8 KB", name, len(svg))
	}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var root *xml.StartElement
	depth, titles := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: not XML: %v", name, err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if root == nil {
				e := el.Copy()
				root = &e
			}
			seen := map[xml.Name]bool{} // browsers refuse an image with an attribute twice
			for _, a := range el.Attr {
				if seen[a.Name] {
					t.Errorf("%s: <%s> has %s twice", name, el.Name.Local, a.Name.Local)
				}
				seen[a.Name] = true
			}
			if depth == 1 && el.Name.Local == "title" {
				titles++
			}
			if el.Name.Local == "image" || el.Name.Local == "use" || el.Name.Local == "script" || el.Name.Local == "foreignObject" {
				t.Errorf("%s: has a <%s> element", name, el.Name.Local)
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if root == nil || root.Name.Local != "svg" || root.Name.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("%s: root is not an SVG element: %+v", name, root)
	}
	attr := map[string]string{}
	for _, a := range root.Attr {
		attr[a.Name.Local] = a.Value
	}
	if attr["role"] != "img" || attr["aria-label"] == "" || attr["width"] == "" || attr["height"] == "" {
		t.Errorf("%s: root attributes %v", name, attr)
	}
	if titles != 1 {
		t.Errorf("%s: %d top-level <title> elements, want 1", name, titles)
	}
	if bytes.Contains(svg, []byte("url(http")) || bytes.Contains(svg, []byte("@import")) || bytes.Contains(svg, []byte("href=")) {
		t.Errorf("%s: refers to something outside itself", name)
	}
}

func TestSVG(t *testing.T) {
	hostile := fixture()
	hostile.Target.NameEN = strings.Repeat("<script>alert(1)</script> & \"x\" \x01", 5)
	each(func(style, theme, lang string) {
		o := opts(t, style, theme, lang)
		for name, tp := range map[string]report.TargetProgress{"data": fixture(), "empty": emptyFixture(), "hostile": hostile} {
			svg := SVG(tp, o, base)
			checkSVG(t, fmt.Sprintf("%s %s %s %s", name, style, theme, lang), svg)
		}
	})
}

func TestSVGSizes(t *testing.T) {
	want := map[string][2]int{StyleBar: {480, 52}, StyleCard: {320, 180}}
	for _, s := range ProgressStyles {
		svg := string(SVG(fixture(), opts(t, s, "", ""), base))
		m := regexp.MustCompile(`^<svg [^>]*width="(\d+)" height="(\d+)"`).FindStringSubmatch(svg)
		if m == nil {
			t.Fatalf("%s: no size in %.200s", s, svg)
		}
		w, _ := strconv.Atoi(m[1])
		h, _ := strconv.Atoi(m[2])
		if ws, ok := want[s]; ok && (w != ws[0] || h != ws[1]) {
			t.Errorf("%s: %d×%d, want %d×%d", s, w, h, ws[0], ws[1])
		}
		if s == StyleChart && (w != 480 || h < 200 || h > 320) {
			t.Errorf("chart: %d×%d, want 480 wide and about 240 high", w, h)
		}
	}
}

func TestSentence(t *testing.T) {
	svg := string(SVG(fixture(), opts(t, "card", "light", "en"), base))
	want := "Skilled personnel from India to Japan: 9,592 of 50,000 people (19.2%), off track, as of October 2026"
	if !strings.Contains(svg, `aria-label="`+want+`"`) || !strings.Contains(svg, "<title>"+want+"</title>") {
		t.Errorf("the image does not say %q:\n%s", want, svg)
	}
	ja := string(SVG(fixture(), opts(t, "card", "light", "ja"), base))
	if !strings.Contains(ja, "インドから日本への高度・専門人材") || !strings.Contains(ja, "2026年10月") || !strings.Contains(ja, "遅れ") {
		t.Errorf("the Japanese image lacks the Japanese name, month or status:\n%s", ja)
	}
	empty := string(SVG(emptyFixture(), opts(t, "card", "light", "en"), base))
	if !strings.Contains(empty, "from September 2025 to August 2030; no figures published yet") || !strings.Contains(empty, "No figures published yet") {
		t.Errorf("the empty image does not say there are no figures:\n%s", empty)
	}
}

// inline returns the contents of every <tag>…</tag> in a page.
func inline(page, tag string) []string {
	re := regexp.MustCompile(`(?s)<` + tag + `>(.*?)</` + tag + `>`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

func TestCSP(t *testing.T) {
	each(func(style, theme, lang string) {
		for _, tp := range []report.TargetProgress{fixture(), emptyFixture()} {
			p := HTMLPage(tp, opts(t, style, theme, lang), base)
			page := string(p.HTML)
			styles, scripts := inline(page, "style"), inline(page, "script")
			if len(styles) != 1 || len(scripts) != 1 {
				t.Fatalf("%s/%s/%s: %d styles and %d scripts, want one of each", style, theme, lang, len(styles), len(scripts))
			}
			if n := strings.Count(page, "<style"); n != 1 {
				t.Errorf("%d <style elements", n)
			}
			if n := strings.Count(page, "<script"); n != 1 {
				t.Errorf("%d <script elements", n)
			}
			want := "default-src 'none'; style-src " + hash(styles[0]) + "; script-src " + hash(scripts[0]) +
				"; img-src data:; base-uri 'none'; form-action 'none'"
			if p.CSP != want {
				t.Errorf("%s/%s/%s: CSP\n%s\nwant\n%s", style, theme, lang, p.CSP, want)
			}
			// The CSP forbids style attributes and event handlers.
			if regexp.MustCompile(`\sstyle=|\son[a-z]+=`).MatchString(page) {
				t.Errorf("%s/%s/%s: inline style attribute or event handler", style, theme, lang)
			}
		}
	})
}

func TestNoExternalRequests(t *testing.T) {
	urlRe := regexp.MustCompile(`(?i)(https?:)?//[^\s"'<>)]*`)
	each(func(style, theme, lang string) {
		o := opts(t, style, theme, lang)
		link := base + "/targets/skilled-workers"
		if lang != "en" {
			link += "?lang=" + lang
		}
		for _, tp := range []report.TargetProgress{fixture(), emptyFixture()} {
			page := string(HTMLPage(tp, o, base).HTML)
			for _, u := range urlRe.FindAllString(page, -1) {
				if u != link && u != "http://www.w3.org/2000/svg" {
					t.Errorf("%s/%s/%s: refers to %q", style, theme, lang, u)
				}
			}
			for _, bad := range []string{"@import", "url(", "<link", "<img", "<iframe", "@font-face", " src="} {
				if strings.Contains(page, bad) {
					t.Errorf("%s/%s/%s: contains %q", style, theme, lang, bad)
				}
			}
			if !strings.Contains(page, `<a href="`+strings.ReplaceAll(link, "&", "&amp;")+`" target="_blank" rel="noopener">`) {
				t.Errorf("%s/%s/%s: no link back to %s", style, theme, lang, link)
			}
			svg := string(SVG(tp, o, base))
			for _, u := range urlRe.FindAllString(svg, -1) {
				if u != "http://www.w3.org/2000/svg" {
					t.Errorf("%s/%s/%s image: refers to %q", style, theme, lang, u)
				}
			}
		}
	})
}

func TestHTMLPage(t *testing.T) {
	for _, c := range []struct {
		style, theme, lang string
		want, not          []string
	}{
		{"card", "auto", "en", []string{
			"<!DOCTYPE html>\n<html lang=\"en\">", `<meta name="color-scheme" content="light dark">`,
			"color-scheme:light dark", "@media (prefers-color-scheme:dark)",
			`<p class="big num">9,592</p>`, "of 50,000 people", "19.2%", `<span aria-hidden="true">✕</span> Off track`,
			`id="hrx-spark-title"`, "As of October 2026", `<strong class="num">879</strong> people a month still needed`,
			"See the details", "Per month; 750 in Oct 2026", "line-height:1.5", "html:lang(ja),html:lang(hi){line-height:1.7}",
			`"Noto Sans Devanagari"`, "a:focus-visible{outline:3px solid", `parent.postMessage({type:"hrx:height",height:h},"*")`,
			"ResizeObserver", "<title>Skilled personnel from India to Japan</title>",
		}, nil},
		{"card", "dark", "en", []string{`<meta name="color-scheme" content="dark">`, "color-scheme:dark"}, []string{"prefers-color-scheme", "color-scheme:light"}},
		{"card", "light", "en", []string{`<meta name="color-scheme" content="light">`, "color-scheme:light"}, []string{"prefers-color-scheme", "color-scheme:dark"}},
		{"bar", "auto", "en", []string{`<div class="line">`, `<svg class="bar"`, "9,592 of 50,000 people (19.2%)", "Off track"}, []string{`id="hrx-spark`, `id="hrx-cum`}},
		{"chart", "auto", "en", []string{`id="hrx-cum-title"`, "9,592 of 50,000 people (19.2%)", "Off track", "Expected path", "Target 50,000"}, []string{`id="hrx-spark`}},
		{"card", "auto", "ja", []string{`<html lang="ja">`, "インドから日本への高度・専門人材", "遅れ", "2026年10月", "詳細を見る"}, []string{`<span lang="en">See the details`}},
		{"card", "auto", "hi", []string{`<html lang="hi">`, "भारत से जापान कुशल कार्मिक", "पीछे", "अक्टूबर 2026"}, nil},
	} {
		page := string(HTMLPage(fixture(), opts(t, c.style, c.theme, c.lang), base).HTML)
		for _, w := range c.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s/%s/%s: no %q", c.style, c.theme, c.lang, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(page, n) {
				t.Errorf("%s/%s/%s: has %q", c.style, c.theme, c.lang, n)
			}
		}
	}
}

func TestNumbersInLocaleConvention(t *testing.T) {
	tp := fixture()
	tp.Target.Value = 500000
	tp.Result.Achieved = 123456
	for lang, want := range map[string]string{"en": "123,456", "en-IN": "1,23,456", "hi": "1,23,456", "ja": "123,456"} {
		o := opts(t, "card", "auto", lang)
		page := string(HTMLPage(tp, o, base).HTML)
		if !strings.Contains(page, ">"+want+"<") {
			t.Errorf("%s: no %s in the page", lang, want)
		}
		if svg := string(SVG(tp, o, base)); !strings.Contains(svg, ">"+want+"<") {
			t.Errorf("%s: no %s in the image", lang, want)
		}
	}
}

// TestEmpty: without figures every widget says so, names the target, its
// first month and when progress will show, and shows no number computed from
// figures (no zero achieved, percent, need, rate or projection, no chart).
func TestEmpty(t *testing.T) {
	tg := skilledTarget()
	textRe := regexp.MustCompile(`<(text|title)[^>]*>([^<]*)</(text|title)>`)
	each(func(style, theme, lang string) {
		o := opts(t, style, theme, lang)
		l := o.Locale
		none := html.EscapeString(l.Tr(report.NoFiguresYet()))
		first := l.Month(tg.Start)
		// What may be written with digits: the target, its first and last month.
		numbersLeft := func(s string) string {
			for _, known := range []string{l.N(tg.Value), l.Month(tg.Start), l.Month(tg.End)} {
				s = strings.ReplaceAll(s, known, "")
			}
			return regexp.MustCompile(`[^\s]*[0-9][^\s]*`).FindString(s)
		}
		page := string(HTMLPage(emptyFixture(), o, base).HTML)
		page = page[strings.Index(page, "<main"):strings.Index(page, "</main>")]
		words := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(page, " "))
		if !strings.Contains(page, none) || !strings.Contains(words, l.N(tg.Value)) || !strings.Contains(words, first) ||
			!strings.Contains(words, l.Tr(report.EmptyNote())) {
			t.Errorf("%s/%s/%s: the empty page does not say there are no figures yet, the target, its first month and when:\n%s", style, theme, lang, words)
		}
		if n := numbersLeft(words); n != "" {
			t.Errorf("%s/%s/%s: the empty page shows the number %q:\n%s", style, theme, lang, n, words)
		}
		for _, n := range []string{"hrx-spark", "hrx-cum", "0.0%", ">0<", "0%", `class="bar"`, "<svg", `class="status`} {
			if strings.Contains(page, n) {
				t.Errorf("%s/%s/%s: the empty page shows %q", style, theme, lang, n)
			}
		}
		svg := string(SVG(emptyFixture(), o, base))
		var said []string
		for _, m := range textRe.FindAllStringSubmatch(svg, -1) {
			said = append(said, html.UnescapeString(m[2]))
		}
		all := strings.Join(said, "\n")
		if !strings.Contains(svg, none) || strings.Contains(svg, `id="hrx-`) || !strings.Contains(all, first) {
			t.Errorf("%s/%s/%s: the empty image does not say there are no figures yet and the first month:\n%s", style, theme, lang, all)
		}
		if n := numbersLeft(all); n != "" {
			t.Errorf("%s/%s/%s: the empty image shows the number %q:\n%s", style, theme, lang, n, all)
		}
		for _, line := range said {
			if strings.HasSuffix(line, "…") && !strings.Contains(all, l.Tr(emptyFixture().Summary(tg.Name(l.Lang)))) {
				t.Errorf("%s/%s/%s: %q is cut short and the title does not say it all", style, theme, lang, line)
			}
		}
	})
}

func TestWrap(t *testing.T) {
	for _, c := range []struct {
		s     string
		width float64
		n     int
		want  []string
	}{
		{"short", 200, 2, []string{"short"}},
		{"Progress appears here once a month's figures are checked and published.", 292, 2,
			[]string{"Progress appears here once a month's", "figures are checked and published."}},
		{"one two three four five six seven eight nine ten eleven twelve", 100, 2, []string{"one two three", "four five si…"}},
		{"月の数値が確認・公表されると、ここに進捗が表示されます。", 200, 2, []string{"月の数値が確認・公表されると、こ", "こに進捗が表示されます。"}},
		{"公表されると、ここに", 72, 2, []string{"公表される", "と、ここに"}}, // no line starts with "、"
		{"Averyveryveryverylongwordwithoutspaces", 100, 2, []string{"Averyveryve…"}},
	} {
		if got := wrap(c.s, 12, c.width, c.n); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrap(%q, %v, %d) = %q, want %q", c.s, c.width, c.n, got, c.want)
		}
		for _, line := range wrap(c.s, 12, c.width, c.n) {
			if textWidth(line, 12) > c.width {
				t.Errorf("wrap(%q): %q is wider than %v", c.s, line, c.width)
			}
		}
	}
}

func TestEscaping(t *testing.T) {
	tp := fixture()
	tp.Target.NameEN = `<script>alert(1)</script>`
	tp.Target.NameJA, tp.Target.NameHI = "", ""
	tp.Target.Slug = `x"><script>alert(2)</script>`
	each(func(style, theme, lang string) {
		o := opts(t, style, theme, lang)
		for _, out := range [][]byte{HTMLPage(tp, o, base).HTML, SVG(tp, o, base), HTMLPage(tp, o, `https://e.x/"><b>`).HTML} {
			s := string(out)
			if strings.Contains(s, "<script>alert") || strings.Contains(s, `"><`+"b>") {
				t.Errorf("%s/%s/%s: the hostile name got through:\n%s", style, theme, lang, s)
			}
			if !strings.Contains(s, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("%s/%s/%s: the name is not shown escaped", style, theme, lang)
			}
		}
	})
}

func TestParseOptions(t *testing.T) {
	for _, c := range []struct {
		style, theme, lang string
		key                string
		err                string
	}{
		{"", "", "", "card/auto/en", ""},
		{"bar", "light", "ja", "bar/light/ja", ""},
		{"chart", "dark", "hi", "chart/dark/hi", ""},
		{"card", "auto", "en-IN", "card/auto/en-IN", ""},
		{" Bar ", "DARK", "ja-JP", "bar/dark/ja", ""},
		{"pie", "", "", "", `style: "pie" is not a widget style; use bar, card, chart or breakdown`},
		{"", "blue", "", "", `theme: "blue" is not a widget theme; use light, dark or auto`},
		{"", "", "fr", "", `lang: "fr" is not a language the widget speaks; use en, en-IN, ja or hi`},
		{"", "", "!!", "", `lang: "!!" is not a language the widget speaks; use en, en-IN, ja or hi`},
		{"<b>", "", "", "", `style: "<b>" is not a widget style; use bar, card, chart or breakdown`},
	} {
		o, err := ParseOptions(c.style, c.theme, c.lang)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("ParseOptions(%q, %q, %q) error %v, want %q", c.style, c.theme, c.lang, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseOptions(%q, %q, %q): %v", c.style, c.theme, c.lang, err)
			continue
		}
		if o.Key() != c.key {
			t.Errorf("ParseOptions(%q, %q, %q).Key() = %q, want %q", c.style, c.theme, c.lang, o.Key(), c.key)
		}
	}
	// Options built by hand still render, with the defaults.
	if k := (Options{}).Key(); k != "card/auto/en" {
		t.Errorf("zero Options key %q", k)
	}
	if p := HTMLPage(fixture(), Options{}, base); !bytes.Contains(p.HTML, []byte("9,592")) {
		t.Error("zero Options do not render")
	}
	if o := (Options{Style: "bar", Theme: "dark", Locale: i18n.New(i18n.HI, "")}); o.Key() != "bar/dark/hi" {
		t.Errorf("key %q", o.Key())
	}
}

func TestStatusWords(t *testing.T) {
	for _, st := range report.Statuses {
		w := [2]string{report.StatusWord(st).String(), report.StatusShape(st)}
		tp := fixture()
		tp.Result.Status = st
		for _, s := range ProgressStyles {
			page := string(HTMLPage(tp, opts(t, s, "", ""), base).HTML)
			if !strings.Contains(page, `<span aria-hidden="true">`+w[1]+`</span> `+w[0]) {
				t.Errorf("%s %s: no status shape and word", s, st)
			}
			if svg := string(SVG(tp, opts(t, s, "", ""), base)); !strings.Contains(svg, w[1]+" "+w[0]) {
				t.Errorf("%s %s: no status shape and word in the image", s, st)
			}
		}
	}
	tp := fixture()
	tp.Result.Status, tp.Result.RequiredMonthly = progress.Achieved, 0
	if page := string(HTMLPage(tp, opts(t, "card", "", ""), base).HTML); strings.Contains(page, "still needed") {
		t.Error("an achieved target still needs people")
	}
}

// luminance is the relative luminance of "#rrggbb" (WCAG 2).
func luminance(hex string) float64 {
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		s := float64(v) / 255
		if s <= 0.04045 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func TestContrast(t *testing.T) {
	for name, p := range map[string]palette{"light": light, "dark": dark} {
		check := func(what, fg string, min float64) {
			if c := contrast(fg, p.Bg); c < min {
				t.Errorf("%s theme: %s %s on %s is %.2f:1, want %.1f:1", name, what, fg, p.Bg, c, min)
			}
		}
		check("text", p.Text, 4.5)
		check("muted text", p.Muted, 4.5)
		check("link", p.Link, 4.5)
		check("focus ring", p.Focus, 3)
		check("bar", p.Fill, 3)
		check("achieved line", p.Actual, 3)
		check("expected line", p.Expected, 3)
		check("projection line", p.Projection, 3)
		check("target line", p.Target, 4.5) // also its label
		check("axis", p.Axis, 3)
		for st, c := range p.Status {
			check("status "+string(st), c, 4.5)
		}
		if c := contrast(p.Fill, p.Track); c < 3 {
			t.Errorf("%s theme: bar %s on its track %s is %.2f:1", name, p.Fill, p.Track, c)
		}
	}
}

// TestSVGSizeWorstCase draws images for a long name in a three-byte script,
// a curved expected path (milestones) and a full window of noisy data.
func TestSVGSizeWorstCase(t *testing.T) {
	tg := skilledTarget()
	tg.NameHI = strings.Repeat("भारत से जापान कुशल कार्मिक ", 4)
	tg.NameJA = strings.Repeat("インドから日本への高度・専門人材", 4)
	tg.NameEN = strings.Repeat("Skilled personnel from India to Japan ", 4)
	long := skilledTarget()
	long.NameEN = strings.Repeat("<&>\"'", 2000)
	tg.Milestones = []targets.Milestone{{Month: month.MustParse("2026-08"), Value: 5000}, {Month: month.MustParse("2027-08"), Value: 15000}, {Month: month.MustParse("2028-08"), Value: 28000}, {Month: month.MustParse("2029-08"), Value: 40000}}
	var ts []figures.Total
	for i := 0; i < 60; i++ {
		ts = append(ts, figures.Total{Month: month.MustParse("2025-09").Add(i).String(), Direction: "IN-JP", Category: "engineer", Total: int64(500 + (i*7919)%611)})
	}
	largest := 0
	for _, tp := range []report.TargetProgress{report.Compute(tg, categories, ts), report.Compute(tg, categories, ts[:31]), report.Compute(long, categories, totals())} {
		each(func(style, theme, lang string) {
			svg := SVG(tp, opts(t, style, theme, lang), base)
			checkSVG(t, fmt.Sprintf("worst %s %s %s", style, theme, lang), svg)
			largest = max(largest, len(svg))
		})
	}
	t.Logf("largest image: %d bytes", largest)
}

func TestSimplifyPaths(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`<path d="M0,0 L1,1 L2,2 L3,3"/>`, `<path d="M0,0 L3,3"/>`},
		{`<path d="M0,0 L10,0.05 L20,0"/>`, `<path d="M0,0 L20,0"/>`},
		{`<path d="M0,0 L10,5 L20,0"/>`, `<path d="M0,0 L10,5 L20,0"/>`},
		{`<path d="M0,10 L10,8 L20,5 L30,0 L40,-6"/>`, `<path d="M0,10 L10,8 L20,5 L30,0 L40,-6"/>`}, // a curve keeps its points
		{`<path d="M0,0 L1,1"/>`, `<path d="M0,0 L1,1"/>`},
		{`<title id="x">M0,0 L1,1 L2,2</title>`, `<title id="x">M0,0 L1,1 L2,2</title>`},
	} {
		if got := simplifyPaths(c.in); got != c.want {
			t.Errorf("simplifyPaths(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}
