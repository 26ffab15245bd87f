package web_test

import (
	"html"
	"regexp"
	"testing"

	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/users"
)

// TestNothingReportedInDataTables: a month published as "nothing to report"
// reads "no figures reported" in the month-by-month tables of the dashboard
// and the target page, in every language and in both views, never 0; the
// running total carries on through it.
func TestNothingReportedInDataTables(t *testing.T) {
	e := newEnv(t)
	// September and November have figures; October is published first as
	// "nothing to report" (insertPublished publishes the months in order).
	e.insertPublished(
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 100},
		figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 50},
	)
	e.addUser("v@example.gov.in", users.Viewer)
	staff := e.browser()
	staff.signIn("v@example.gov.in")
	words := map[i18n.Lang]string{i18n.EN: "No figures reported", i18n.JA: "数値の報告なし", i18n.HI: "कोई आँकड़े रिपोर्ट नहीं हुए"}
	for _, lang := range i18n.Langs {
		l := i18n.New(lang, "")
		row := func(m string) *regexp.Regexp {
			return regexp.MustCompile(`<tr><th scope="row">` + regexp.QuoteMeta(html.EscapeString(l.Month(month.MustParse(m)))) +
				`</th><td class="num">([^<]*)</td><td class="num">([^<]*)</td>`)
		}
		anon := e.browser()
		anon.get("/language?lang=" + string(lang))
		staff.get("/language?lang=" + string(lang))
		for _, page := range []struct {
			b    *browser
			path string
		}{{anon, "/"}, {anon, "/targets/total-exchange"}, {staff, "/?unpublished=1"}, {staff, "/targets/total-exchange?unpublished=1"}} {
			_, body := page.b.get(page.path)
			for _, want := range []struct{ month, count, cumulative string }{
				{"2025-09", "100", "100"},
				{"2025-10", words[lang], "100"},
				{"2025-11", "50", "150"},
			} {
				got := row(want.month).FindStringSubmatch(body)
				if got == nil || got[1] != want.count || got[2] != want.cumulative {
					t.Errorf("%s %s, %s: %q, want %s then %s", lang, page.path, want.month, got, want.count, want.cumulative)
				}
			}
		}
	}
}
