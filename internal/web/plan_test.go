package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"hrx/internal/figures"
)

// On knownData the total exchange target (500,000 people, 2025-09..2030-08)
// has 1,500 published people up to October 2025, 750 a month: 58 months left.

func TestPlanPage(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	// Unpublished figures never count: a later month recorded but not published.
	e.insert(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 99999})
	b := e.browser()

	_, body := b.get("/targets/total-exchange")
	mustContain(t, body, `<a href="/targets/total-exchange/plan">Plan a scenario</a>`)

	tests := []struct {
		name  string
		url   string
		wants []string
	}{
		// No growth: the run rate, 1,500 + 58 × 750 = 45,000.
		{"the page as it opens", "/targets/total-exchange/plan",
			[]string{"up to October 2025: 1,500 people so far, 750 a month lately", "455,000 people short at the end of August 2030",
				"45,000", "&#43;6.68% a month", `id="mode-growth" name="mode" value="growth" checked`, `name="growth" type="text" value="0"`}},
		// +2 % a month: 765, 780.3, …
		{"growth", "/targets/total-exchange/plan?mode=growth&growth=2",
			[]string{"416,124 people short", "83,876", `value="2"`, "November 2025</th><td class=\"num\">765</td><td class=\"num\">2,265</td>"}},
		// 9,000 a month: ceil(498,500 / 9,000) = 56 months after October 2025.
		{"a fixed number", "/targets/total-exchange/plan?mode=fixed&fixed=9000&growth=ignored",
			[]string{"The target would be reached in June 2030.", "523,500", `value="fixed" checked`, `name="fixed" type="text" value="9000"`}},
		// A number per category: 2,000 + 3,000 + the rest at their recent numbers.
		{"a number per category", "/targets/skilled-workers/plan?mode=category&cat.engineer=2000&cat.ssw=3000&cat.hsp=0&cat.titp=0",
			[]string{"The target would be reached in", `value="category" checked`, `name="cat.engineer" type="text" value="2000"`}},
		{"the API's address works on the page", "/targets/total-exchange/plan?fixed=9000",
			[]string{"The target would be reached in June 2030.", `value="fixed" checked`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, body := b.get(tc.url)
			if st != 200 {
				t.Fatalf("%s: %d", tc.url, st)
			}
			mustContain(t, body, tc.wants...)
			if strings.Contains(body, "99,999") || strings.Contains(body, "November 2025: ") {
				t.Errorf("unpublished figures shown")
			}
		})
	}

	// The chart, over the whole 60-month window, stays small.
	_, body = b.get("/targets/total-exchange/plan?growth=2")
	start := strings.Index(body, "<svg")
	for start >= 0 && !strings.Contains(body[start:start+300], "plan-total-exchange") {
		next := strings.Index(body[start+4:], "<svg")
		if next < 0 {
			start = -1
			break
		}
		start += 4 + next
	}
	if start < 0 {
		t.Fatal("no scenario chart")
	}
	svg := body[start : start+strings.Index(body[start:], "</svg>")+len("</svg>")]
	if len(svg) >= 16<<10 || !strings.Contains(svg, "Scenario") {
		t.Errorf("the scenario chart is %d bytes, want under 16 KB with its scenario line", len(svg))
	}
	t.Logf("scenario chart: %d bytes", len(svg))

	// A bad growth: the message beside the field, the input kept, no result.
	st, body := b.get("/targets/total-exchange/plan?mode=growth&growth=2%2C5&fixed=900")
	if st != http.StatusUnprocessableEntity {
		t.Errorf("bad growth: %d", st)
	}
	mustContain(t, body, `id="growth-error"`, "“2,5” is not a number", `value="2,5"`, `aria-invalid="true"`, `name="fixed" type="text" value="900"`)
	if strings.Contains(body, "Where this scenario leads") {
		t.Error("a result shown for a bad growth")
	}
	_, body = b.get("/targets/total-exchange/plan?mode=growth&growth=-100")
	mustContain(t, body, `id="growth-error"`, "above -100 % and at most 100 %")
	st, body = b.get("/targets/total-exchange/plan?mode=fixed&fixed=12.5")
	if st != http.StatusUnprocessableEntity {
		t.Errorf("bad fixed: %d", st)
	}
	mustContain(t, body, `id="fixed-error"`, `value="12.5"`)
	_, body = b.get("/targets/skilled-workers/plan?mode=category&cat.engineer=lots")
	mustContain(t, body, `id="cat.engineer-error"`, `value="lots"`)

	if st, _ := b.get("/targets/no-such/plan"); st != 404 {
		t.Errorf("unknown target: %d", st)
	}
}

func TestPlanPageLanguages(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	for _, tc := range []struct {
		lang  string
		wants []string
	}{
		{"ja", []string{"シナリオの試算", "2030年6月に達成される見込み", "523,500", "期間終了時にちょうど目標に達する月間の伸び率"}},
		{"hi", []string{"परिदृश्य की योजना", "लक्ष्य जून 2030 में प्राप्त होगा।", "5,23,500", "वह मासिक वृद्धि"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b := e.browser()
			b.get("/language?lang=" + tc.lang)
			st, body := b.get("/targets/total-exchange/plan?mode=fixed&fixed=9000")
			if st != 200 {
				t.Fatalf("%d", st)
			}
			mustContain(t, body, tc.wants...)
			// No English left on the page, in a result and in an error.
			noEnglish(t, body, tc.lang)
			st, body = b.get("/targets/total-exchange/plan?growth=2%2C5")
			noEnglish(t, body, tc.lang)
			if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="growth-error"`) || strings.Contains(body, "is not a number") {
				t.Errorf("bad growth in %s: %d %s", tc.lang, st, text(body))
			}
		})
	}
}

// noEnglish fails on any English word a reader of lang sees on the page.
func noEnglish(t *testing.T, body, lang string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if words := englishWords(visibleText(doc, lang)); len(words) > 0 {
		t.Errorf("English left in %s: %v", lang, words)
	}
}

func TestPlanAPI(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	e.insert(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 99999})
	call := func(q string) (int, http.Header, map[string]any, string) {
		t.Helper()
		resp, err := http.Get(e.srv.URL + "/api/v1/targets/total-exchange/plan" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		json.Unmarshal(raw, &out)
		return resp.StatusCode, resp.Header, out, string(raw)
	}
	st, h, out, raw := call("?growth=2")
	if st != 200 || out["total_at_end"] != 83876.0 || out["shortfall"] != 416124.0 || out["reached"] != nil || out["as_of"] != "2025-10" || out["achieved"] != 1500.0 {
		t.Errorf("growth=2: %d %s", st, raw)
	}
	if need := out["needed_growth"].(map[string]any); need["status"] != "found" || need["percent"] != 6.6845 {
		t.Errorf("needed growth: %v", need)
	}
	if path := out["path"].([]any); len(path) != 59 || path[1].(map[string]any)["cumulative"] != 2265.0 {
		t.Errorf("path: %v", path[:2])
	}
	if !strings.Contains(out["url"].(string), "/targets/total-exchange/plan?growth=2&mode=growth") {
		t.Errorf("url: %v", out["url"])
	}
	if st, _, _, _ := call("?growth=2"); st != 200 {
		t.Error(st)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/targets/total-exchange/plan?growth=2", nil)
	req.Header.Set("If-None-Match", h.Get("ETag"))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 304 {
		t.Errorf("If-None-Match: %v %v", resp.StatusCode, err)
	}
	if st, _, out, raw := call("?fixed=9000"); st != 200 || out["reached"] != "2030-06" || out["shortfall"] != 0.0 {
		t.Errorf("fixed: %d %s", st, raw)
	}
	if st, _, out, raw := call(""); st != 200 || out["total_at_end"] != 45000.0 {
		t.Errorf("no parameters: %d %s", st, raw)
	}
	for q, want := range map[string]string{
		"?growth=abc":             "parameter growth: ",
		"?growth=-100":            "parameter growth: ",
		"?growth=2&fixed=10":      "parameter fixed: give one kind",
		"?fixed=-3":               "parameter fixed: ",
		"?cat.student=x":          "parameter cat.student: ",
		"?cat.nope=1":             "parameter cat.nope: not a parameter",
		"?mode=growth":            "parameter mode: not a parameter",
		"?growth=1&growth=2":      "parameter growth: given 2 times",
		"?cat.student=1&growth=1": "parameter cat.student: give one kind",
		"?lang=xx":                "xx",
	} {
		if st, _, _, raw := call(q); st != 400 || !strings.Contains(raw, want) {
			t.Errorf("%s: %d %s, want 400 with %q", q, st, raw, want)
		}
	}
	if resp, _ := http.Get(e.srv.URL + "/api/v1/targets/no-such/plan"); resp.StatusCode != 404 {
		t.Errorf("unknown target: %d", resp.StatusCode)
	}
}

// TestPlanPageWithoutFigures: before any published figure the scenario
// starts from zero; a growth of nothing stays nothing, a fixed number works.
func TestPlanPageWithoutFigures(t *testing.T) {
	e := newEnv(t)
	e.insert(figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 500}) // not published
	b := e.browser()
	st, body := b.get("/targets/total-exchange/plan")
	if st != 200 {
		t.Fatalf("%d", st)
	}
	mustContain(t, body, "No figures are published yet", "500,000 people short at the end of August 2030",
		"None: there is no recent monthly number to grow", `name="fixed" type="text" value="0"`)
	// 60 months of 8,334 = 500,040: reached in the last month.
	_, body = b.get("/targets/total-exchange/plan?fixed=8334")
	mustContain(t, body, "The target would be reached in August 2030.")
	if strings.Contains(body, "up to September 2025") || strings.Contains(body, ">500<") {
		t.Error("unpublished figures shown")
	}
}
