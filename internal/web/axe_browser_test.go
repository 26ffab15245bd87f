package web_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hrx/internal/figures"
)

// axePages are the public pages axe-core checks, in every language: the
// dashboard and a target, and the pages that show where people come from and
// go, the scenario planner, the annual review reports and the widgets.
var axePages = []string{
	"/",
	"/targets/skilled-workers",
	"/breakdown",
	"/targets/skilled-workers/breakdown",
	"/breakdown?from=2025-10&to=2025-09", // the form with its errors
	"/targets/skilled-workers/plan",
	"/targets/total-exchange/plan?mode=fixed&fixed=9000",
	"/targets/total-exchange/plan?mode=growth&growth=abc",
	"/reports",
	"/reports/2026",
	"/widgets?target=skilled-workers&style=breakdown",
	"/embed/skilled-workers?style=breakdown",
	"/embed/skilled-workers?style=card",
	"/embed/skilled-workers?style=chart",
}

// axeViolationsJS runs axe-core on the page and lists what it finds, one line
// per rule and element: "rule (impact): element: what is wrong".
const axeViolationsJS = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.flatMap(v =>
	v.nodes.map(n => v.id + " (" + v.impact + "): " + n.target.join(" ") + ": " + n.failureSummary.replace(/\s+/g, " "))))`

// TestBrowserAxe runs axe-core (all its rules but the experimental ones:
// WCAG 2.2 A and AA and its best practices) on each page in English, Japanese
// and Hindi at a phone's width, and in English at a desktop's, and fails on
// anything it finds. It needs axe-core's axe.min.js at HRX_TEST_AXE_JS (.ci/run installs
// the npm package) and Chromium, and skips without them, and on PostgreSQL.
func TestBrowserAxe(t *testing.T) {
	if os.Getenv("HRX_TEST_POSTGRES_URL") != "" {
		t.Skip("axe-core: the pages' markup does not depend on the database; it runs on SQLite")
	}
	path := os.Getenv("HRX_TEST_AXE_JS")
	if path == "" {
		t.Skip("axe-core: set HRX_TEST_AXE_JS to its axe.min.js (npm install axe-core) to run it")
	}
	axe, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("HRX_TEST_AXE_JS: %v", err)
	}
	tab := startChromium(t, 6*time.Minute)
	e := newEnv(t)
	knownData(e)
	e.insertPublished(
		figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "ssw", Sector: "nursing_care", Origin: "IN-KL", Destination: "JP-23", Count: 250},
		figures.Figure{Month: "2025-11", Direction: "JP-IN", Category: "student", Origin: "JP-27", Destination: "IN-DL", Count: 40},
	)
	// A phone in every language; a desktop in English (the same markup, laid out wider).
	for _, run := range []struct {
		width int64
		langs []string
	}{{390, []string{"en", "ja", "hi"}}, {1366, []string{"en"}}} {
		width := run.width
		setWidth(t, tab, width)
		for _, lang := range run.langs {
			for _, p := range axePages {
				url := e.srv.URL + p
				if strings.Contains(p, "?") {
					url += "&lang=" + lang
				} else {
					url += "?lang=" + lang
				}
				goTo(t, tab, url)
				if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](string(axe)+";true")); err != nil {
					t.Fatalf("%s: load axe-core: %v", p, err)
				}
				found, err := chromedp.Run(tab, chromedp.Evaluate[[]string](axeViolationsJS, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("%s: axe.run: %v", p, err)
				}
				for _, f := range found {
					t.Errorf("%s in %s at %d px: %s", p, lang, width, f)
				}
			}
		}
	}
}
