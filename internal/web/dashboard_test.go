package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hrx/internal/figures"
	"hrx/internal/users"
)

// knownData is a small data set whose progress is worked out by hand in the tests.
func knownData(e *env) {
	e.insertPublished(
		figures.Figure{Month: "2025-08", Direction: "IN-JP", Category: "student", Count: 1000}, // before the window
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Origin: "IN-KA", Destination: "JP-13", Count: 300},
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Count: 100},
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 100},
		figures.Figure{Month: "2025-09", Direction: "JP-IN", Category: "business", Count: 500},
		figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "ssw", Count: 200},
		figures.Figure{Month: "2025-10", Direction: "JP-IN", Category: "student", Count: 300},
	)
}

func getJSON(t *testing.T, e *env, path string, v any) *http.Response {
	t.Helper()
	resp, err := http.Get(e.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, body)
	}
	return resp
}

func TestAPITargetsOnKnownData(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	var list struct {
		Targets []map[string]any `json:"targets"`
	}
	resp := getJSON(t, e, "/api/v1/targets", &list)
	if resp.StatusCode != 200 || len(list.Targets) != 2 {
		t.Fatalf("status %d, %d targets", resp.StatusCode, len(list.Targets))
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("ETag") == "" {
		t.Errorf("headers: %v", resp.Header)
	}
	// Worked by hand: window 2025-09..2030-08 (60 months); figures in 2025-09 and 2025-10.
	want := map[string]map[string]any{
		"total-exchange": {
			"target": 500000.0, "achieved": 1500.0, "percent": 0.3, "expected": 16667.0, "ahead_by": -15167.0,
			"run_rate": 750.0, "projected_total": 45000.0, "required_monthly": 8595.0, "projected_completion": "2081-03",
			"status": "off-track", "as_of": "2025-10", "months_elapsed": 2.0, "months_remaining": 58.0,
		},
		"skilled-workers": {
			"target": 50000.0, "achieved": 600.0, "percent": 1.2, "expected": 1667.0, "ahead_by": -1067.0,
			"run_rate": 300.0, "projected_total": 18000.0, "required_monthly": 852.0, "projected_completion": "2039-07",
			"status": "off-track", "as_of": "2025-10", "months_elapsed": 2.0, "months_remaining": 58.0,
		},
	}
	for _, got := range list.Targets {
		slug := got["slug"].(string)
		var one map[string]any
		getJSON(t, e, "/api/v1/targets/"+slug, &one)
		for k, w := range want[slug] {
			if got[k] != w {
				t.Errorf("%s %s = %v, want %v", slug, k, got[k], w)
			}
			if one[k] != w {
				t.Errorf("single %s %s = %v, want %v", slug, k, one[k], w)
			}
		}
		if w := got["window"].(map[string]any); w["start"] != "2025-09" || w["end"] != "2030-08" {
			t.Errorf("%s window %v", slug, w)
		}
	}
	var notFound map[string]any
	if resp := getJSON(t, e, "/api/v1/targets/nope", &notFound); resp.StatusCode != 404 || notFound["error"] == nil {
		t.Errorf("unknown slug: %d %v", resp.StatusCode, notFound)
	}
}

func TestAPIEmptyDatabase(t *testing.T) {
	e := newEnv(t)
	var one map[string]any
	getJSON(t, e, "/api/v1/targets/total-exchange", &one)
	if one["status"] != "not-started" || one["as_of"] != nil || one["projected_completion"] != nil || one["achieved"] != 0.0 {
		t.Errorf("empty: %v", one)
	}
}

func TestAPIETag(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	resp, _ := http.Get(e.srv.URL + "/api/v1/targets/total-exchange")
	resp.Body.Close()
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/targets/total-exchange", nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", resp2.StatusCode)
	}
	// New data, new ETag.
	e.insertPublished(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 1})
	resp3, _ := http.DefaultClient.Do(req)
	resp3.Body.Close()
	if resp3.StatusCode != http.StatusOK || resp3.Header.Get("ETag") == resp.Header.Get("ETag") {
		t.Errorf("after a change: %d, ETag %s", resp3.StatusCode, resp3.Header.Get("ETag"))
	}
}

func TestDashboardOnKnownData(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	b := e.browser()
	st, body := b.get("/")
	if st != http.StatusOK {
		t.Fatal(st)
	}
	txt := text(body)
	mustContain(t, txt,
		"Total human resource exchange", "1,500 of 500,000 people", "0.3%", "Off track", "As of October 2025",
		"Expected by now 16,667", "Behind by 15,167", "Needed each month from now 8,595", "Projected total by August 2030 45,000",
		"Projected to reach the target March 2081",
		"Skilled personnel from India to Japan", "600 of 50,000 people",
	)
	// Charts: SVG with title and description, and the same numbers as a table.
	mustContain(t, body, `<svg`, `role="img"`, `<title id="cum-total-exchange-title">`, `<desc id="cum-total-exchange-desc">`)
	mustContain(t, txt, "October 2025 500 1,500") // month, people, cumulative
	// Indian number grouping for en-IN readers.
	req, _ := http.NewRequest("GET", e.srv.URL+"/", nil)
	req.Header.Set("Accept-Language", "en-IN")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	in, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	mustContain(t, text(string(in)), "1,500 of 5,00,000 people")
	// A change shows at once: the page cache follows the data version.
	e.insertPublished(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 25})
	_, body = b.get("/")
	mustContain(t, text(body), "1,525 of 500,000 people", "As of November 2025")
	_, body = b.get("/targets/total-exchange")
	mustContain(t, text(body), "1,525 of 500,000 people")
}

func TestTargetPage(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	b := e.browser()
	st, body := b.get("/targets/skilled-workers")
	if st != http.StatusOK {
		t.Fatal(st)
	}
	mustContain(t, text(body), "Skilled personnel from India to Japan", "600 of 50,000 people", "Month Engineers, IT and specialist professionals Highly skilled professionals Specified skilled workers Technical interns Total September 2025 400 0 0 0 400")
	if strings.Contains(text(body), "Students") {
		t.Error("a non-skilled category is listed on the skilled target")
	}
	if st, _ := b.get("/targets/nope"); st != http.StatusNotFound {
		t.Errorf("unknown target: %d", st)
	}
}

func TestEmptyStates(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	_, body := b.get("/")
	mustContain(t, text(body), "No figures have been published yet", "Sign in")
	b.signIn("ed@example.gov.in")
	_, body = b.get("/")
	mustContain(t, body, `href="/months"`)
	mustContain(t, text(body), "No figures have been published yet", "Figures appear here once an approver publishes a month", "Include unpublished figures")
	_, body = b.get("/?unpublished=1")
	mustContain(t, text(body), "No figures have been recorded yet", "Start by entering a month's figures")
	_, body = b.get("/months")
	mustContain(t, text(body), "No figures have been recorded yet")
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/", "/login", "/months"} {
		resp, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s CSP %q", path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") == "" {
			t.Errorf("%s headers %v", path, resp.Header)
		}
	}
}

func TestHealth(t *testing.T) {
	e := newEnv(t)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 200} {
		resp, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
}

func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	b := e.browser()
	if st, _ := b.get("/language?lang=ja&next=" + url.QueryEscape("/")); st != http.StatusSeeOther {
		t.Fatalf("switch: %d", st)
	}
	_, body := b.get("/")
	mustContain(t, body, `<html lang="ja">`, "遅れ", "2025年10月")
	if st, _ := b.get("/language?lang=ja&next=https://evil.example"); st != http.StatusSeeOther || b.lastTo != "/" {
		t.Errorf("open redirect: %d to %q", st, b.lastTo)
	}
}
