package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/report"
)

// seededWindow is the window of both seeded targets.
var seededWindow = [2]month.Month{month.MustParse("2025-09"), month.MustParse("2030-08")}

// fetchPublic gets a public address in a fresh client and returns its status and body.
func fetchPublic(t *testing.T, e *env, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(e.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// seenText is what a reader sees or hears of a page or an image: its text
// (inside SVG too) and the attributes read aloud; not scripts or styles.
func seenText(t *testing.T, body string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "script" || n.Data == "style" {
				return
			}
			for _, a := range n.Attr {
				if a.Key == "aria-label" || a.Key == "title" || a.Key == "alt" {
					out = append(out, a.Val)
				}
			}
		}
		if n.Type == html.TextNode {
			out = append(out, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.Join(strings.Fields(strings.Join(out, " ")), " ")
}

// mainText is the readable part of a page's <main>: what the page says, without
// the header and footer around it.
func mainText(t *testing.T, body string) string {
	t.Helper()
	i, j := strings.Index(body, "<main"), strings.Index(body, "</main>")
	if i < 0 || j < i {
		t.Fatalf("no <main> in\n%s", body)
	}
	return seenText(t, body[i:j+len("</main>")])
}

var numberRe = regexp.MustCompile(`[^\s]*[0-9][^\s]*`)

// numbersBesides is the first word with a digit in s once the words that may
// carry digits (allowed) are taken out, or "".
func numbersBesides(s string, allowed ...string) string {
	for _, a := range allowed {
		s = strings.ReplaceAll(s, a, " ")
	}
	return numberRe.FindString(s)
}

// TestEmptyTrackerShowsNoInventedNumbers: on a fresh installation the
// dashboard, the target pages, every widget and the API say that no figures
// are published, name each target's first month, and show no number computed
// from figures: no "0 / 60" months, no expected 0, no need of 8,334 a month.
func TestEmptyTrackerShowsNoInventedNumbers(t *testing.T) {
	e := newEnv(t)
	widgets := 0
	for _, lang := range []string{"en", "ja", "hi"} {
		l, _ := i18n.Parse(lang)
		none, first := l.Tr(report.NoFiguresYet()), l.Month(seededWindow[0])
		// The targets and their windows are known before any figure.
		allowed := []string{l.Tr(i18n.M("dashboard.lede", "people", 500000, "skilled", 50000)), l.N(500000), l.N(50000), l.Month(seededWindow[0]), l.Month(seededWindow[1])}
		computed := []string{"dashboard.numbers.expected", "dashboard.numbers.ahead", "dashboard.numbers.behind", "dashboard.numbers.run_rate",
			"dashboard.numbers.need", "dashboard.numbers.reach", "dashboard.numbers.months", "dashboard.numbers.percent"}

		for _, path := range []string{"/", "/targets/total-exchange", "/targets/skilled-workers"} {
			st, body := fetchPublic(t, e, path+"?lang="+lang)
			if st != http.StatusOK {
				t.Fatalf("%s %s: %d", lang, path, st)
			}
			txt := mainText(t, body)
			if !strings.Contains(txt, none) || !strings.Contains(txt, first) || !strings.Contains(txt, l.Tr(report.EmptyNote())) {
				t.Errorf("%s %s does not say that no figures are published, the first month and when they appear:\n%s", lang, path, txt)
			}
			if n := numbersBesides(txt, allowed...); n != "" {
				t.Errorf("%s %s shows %q with no figures published:\n%s", lang, path, n, txt)
			}
			for _, id := range computed {
				if w := l.Tr(i18n.M(id, "month", seededWindow[1])); strings.Contains(txt, w) {
					t.Errorf("%s %s shows %q with no figures published", lang, path, w)
				}
			}
			if strings.Contains(body, `role="img"`) {
				t.Errorf("%s %s draws a chart with no figures published", lang, path)
			}
		}

		for _, style := range []string{"card", "bar", "chart"} {
			for _, theme := range []string{"light", "dark", "auto"} {
				for _, ext := range []string{"", ".svg"} {
					path := "/embed/skilled-workers" + ext + "?style=" + style + "&theme=" + theme + "&lang=" + lang
					st, body := fetchPublic(t, e, path)
					if st != http.StatusOK {
						t.Fatalf("%s: %d", path, st)
					}
					widgets++
					txt := seenText(t, body)
					if !strings.Contains(txt, none) || !strings.Contains(txt, first) {
						t.Errorf("%s does not say that no figures are published and the first month:\n%s", path, txt)
					}
					if n := numbersBesides(txt, allowed...); n != "" {
						t.Errorf("%s shows %q with no figures published:\n%s", path, n, txt)
					}
				}
			}
		}

		// oEmbed hands out the same widget, in an iframe.
		st, body := fetchPublic(t, e, "/oembed?format=json&url="+url.QueryEscape(e.srv.URL+"/targets/skilled-workers?lang="+lang))
		var oe map[string]any
		if err := json.Unmarshal([]byte(body), &oe); st != http.StatusOK || err != nil {
			t.Fatalf("oembed %s: %d %s", lang, st, body)
		}
		if h, _ := oe["html"].(string); !strings.Contains(h, "/embed/skilled-workers?style=card") || numbersBesides(oe["title"].(string)) != "" {
			t.Errorf("oembed %s: %v", lang, oe)
		}
	}
	if widgets != 3*3*3*2 {
		t.Errorf("%d widgets checked", widgets)
	}

	// The API keeps its fields, with null for what nothing is known of.
	var list struct{ Targets []map[string]any }
	getJSON(t, e, "/api/v1/targets", &list)
	if len(list.Targets) != 2 {
		t.Fatalf("%d targets", len(list.Targets))
	}
	for _, tg := range list.Targets {
		for _, k := range []string{"expected", "ahead_by", "run_rate", "projected_total", "required_monthly", "projected_completion", "as_of", "months_elapsed", "months_remaining"} {
			if v, ok := tg[k]; !ok || v != nil {
				t.Errorf("%s %s = %v (present %v), want null", tg["slug"], k, v, ok)
			}
		}
		if tg["achieved"] != 0.0 || tg["status"] != "not-started" {
			t.Errorf("%s: achieved %v, status %v", tg["slug"], tg["achieved"], tg["status"])
		}
	}
}

// TestOneTargetWithoutFigures: figures published for one target only (people
// from Japan to India, who do not count toward the skilled target) leave the
// other target in its empty state, beside the first's numbers.
func TestOneTargetWithoutFigures(t *testing.T) {
	e := newEnv(t)
	e.insertPublished(
		figures.Figure{Month: "2025-09", Direction: "JP-IN", Category: "student", Count: 400},
		figures.Figure{Month: "2025-11", Direction: "JP-IN", Category: "student", Count: 500},
	)
	l := i18n.New(i18n.EN, "")
	_, body := fetchPublic(t, e, "/")
	card := regexp.MustCompile(`(?s)<section class="target-card" aria-labelledby="h-skilled-workers">.*?</section>`).FindString(body)
	if txt := seenText(t, card); !strings.Contains(txt, "No figures published yet") || !strings.Contains(txt, "First month counted: September 2025") ||
		numbersBesides(txt, "50,000", "September 2025", "August 2030") != "" {
		t.Errorf("the skilled target's card:\n%s", txt)
	}
	// The total's numbers are as of November 2025: three calendar months of the
	// window, October (no figures) included, and 57 to go.
	mustContain(t, text(body), "900 of 500,000 people", "As of November 2025", "Months elapsed / remaining 3 / 57", "Run rate (people a month, last 6 months with data) 450")
	if n := strings.Count(body, `<svg xmlns="http://www.w3.org/2000/svg" class="hrx-chart `); n != 3 { // the total's cumulative chart, monthly bars and split
		t.Errorf("%d charts, want the total's 3", n)
	}
	_, body = fetchPublic(t, e, "/targets/skilled-workers")
	if txt := mainText(t, body); !strings.Contains(txt, l.Tr(report.NoFiguresYet())) || strings.Contains(body, `role="img"`) ||
		numbersBesides(txt, "500,000", "50,000", "September 2025", "August 2030") != "" {
		t.Errorf("the skilled target's page:\n%s", txt)
	}
	var one map[string]any
	getJSON(t, e, "/api/v1/targets/skilled-workers", &one)
	if one["expected"] != nil || one["required_monthly"] != nil || one["months_elapsed"] != nil {
		t.Errorf("skilled: %v", one)
	}
	getJSON(t, e, "/api/v1/targets/total-exchange", &one)
	if one["months_elapsed"] != 3.0 || one["months_remaining"] != 57.0 || one["run_rate"] != 450.0 || one["expected"] != 25000.0 {
		t.Errorf("total: %v", one)
	}
}

// decimalRe is a number with a fraction, and what follows it.
var decimalRe = regexp.MustCompile(`[0-9][0-9,]*\.[0-9]+(\s*%?)`)

// TestNoFractionOfAPerson: counts of people are whole numbers wherever people
// read them: a run rate of 2,942.3 a month shows as 2,942 on the pages and no
// number with a fraction appears on a public page or widget in any language,
// except percentages. The API keeps one decimal.
func TestNoFractionOfAPerson(t *testing.T) {
	e := newEnv(t)
	// Skilled: 2,942, 2,942 and 2,943 a month (a run rate of 2,942.3); the
	// total adds 1,001 from Japan in September (a run rate of 3,276).
	e.insertPublished(
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Count: 2942},
		figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "engineer", Count: 2942},
		figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "ssw", Count: 2943},
		figures.Figure{Month: "2025-09", Direction: "JP-IN", Category: "student", Count: 1001},
	)
	var one map[string]any
	getJSON(t, e, "/api/v1/targets/skilled-workers", &one)
	if one["run_rate"] != 2942.3 {
		t.Fatalf("the API's run rate is %v, want 2942.3", one["run_rate"])
	}
	_, body := fetchPublic(t, e, "/targets/skilled-workers")
	mustContain(t, text(body), "Run rate (people a month, last 6 months with data) 2,942")

	var paths []string
	for _, p := range []string{"/", "/targets/total-exchange", "/targets/skilled-workers", "/widgets"} {
		paths = append(paths, p+"?lang=")
	}
	for _, slug := range []string{"total-exchange", "skilled-workers"} {
		for _, style := range []string{"card", "bar", "chart"} {
			for _, theme := range []string{"light", "dark", "auto"} {
				for _, ext := range []string{"", ".svg"} {
					paths = append(paths, "/embed/"+slug+ext+"?style="+style+"&theme="+theme+"&lang=")
				}
			}
		}
	}
	for _, lang := range []string{"en", "en-IN", "ja", "hi"} {
		for _, p := range paths {
			st, body := fetchPublic(t, e, p+lang)
			if st != http.StatusOK {
				t.Fatalf("%s%s: %d", p, lang, st)
			}
			for _, m := range decimalRe.FindAllStringSubmatch(seenText(t, body), -1) {
				if !strings.HasSuffix(m[1], "%") {
					t.Errorf("%s%s shows a fraction of a person: %q", p, lang, m[0])
				}
			}
		}
	}
}
