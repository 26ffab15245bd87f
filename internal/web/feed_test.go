package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/feed"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/users"
)

// TestAtomFeed: /feed.atom lists each publication, a revision as an entry of
// its own, with the totals as of the month; valid Atom in English, Japanese
// and Hindi; cached per data version; linked from the dashboard.
func TestAtomFeed(t *testing.T) {
	e := newEnvWith(t, func(c *config.Config) { c.BaseURL = "https://hrx.example.gov.in" })
	resp, body := fetch(t, e, "/feed.atom")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("empty feed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if errs := feed.Validate([]byte(body)); len(errs) > 0 || strings.Contains(body, "<entry>") {
		t.Errorf("empty feed: %v\n%s", errs, body)
	}

	knownData(e) // publishes September and October 2025 (and August, before the window)
	// October is reopened and published again with one more person.
	ctx := context.Background()
	ap := approval.NewStore(e.db, figures.NewStore(e.db))
	if _, err := ap.Do(ctx, audit.System("test"), users.Admin, "2025-10", approval.Reopen, "a late return"); err != nil {
		t.Fatal(err)
	}
	e.insert(figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "ssw", Sector: "it_software", Count: 1})
	res, err := ap.PublishRange(ctx, audit.System("test"), month.MustParse("2025-10"), month.MustParse("2025-10"), approval.RangeOptions{SingleApprover: true, ConfirmFlags: "test data"})
	if err != nil || len(res.Published) != 1 {
		t.Fatalf("republishing: %+v %v", res, err)
	}

	for lang, wants := range map[string][]string{
		"":   {`xml:lang="en"`, "October 2025 revised and published again", "October 2025 published", "September 2025 published", "Skilled personnel from India to Japan: 601 of 50,000 people (1.2%)", "Skilled personnel from India to Japan: 400 of 50,000 people (0.8%)", `href="https://hrx.example.gov.in/feed.atom"`},
		"ja": {`xml:lang="ja"`, "2025年10月分を修正して再公表", "2025年9月分を公表", `href="https://hrx.example.gov.in/feed.atom?lang=ja"`},
		"hi": {`xml:lang="hi"`, "अक्टूबर 2025 संशोधित करके फिर से प्रकाशित", "सितंबर 2025 प्रकाशित", "5,00,000"},
	} {
		path := "/feed.atom"
		if lang != "" {
			path += "?lang=" + lang
		}
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Host = "evil.example"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, body := (&browser{e: e}).read(resp)
		if errs := feed.Validate([]byte(body)); len(errs) > 0 {
			t.Errorf("%s: invalid: %v\n%s", path, errs, body)
		}
		mustContain(t, body, wants...)
		if strings.Contains(body, "evil.example") {
			t.Errorf("%s: the Host header made it into the feed", path)
		}
		if n := strings.Count(body, "<entry>"); n != 4 { // August (nothing to report), September, October twice
			t.Errorf("%s: %d entries", path, n)
		}
		tag := resp.Header.Get("ETag")
		if tag == "" || resp.Header.Get("Cache-Control") != "public, max-age=300, stale-while-revalidate=3600" || len(resp.Cookies()) != 0 {
			t.Errorf("%s: headers %v", path, resp.Header)
		}
		if r, _ := fetch(t, e, path, "If-None-Match", tag); r.StatusCode != http.StatusNotModified {
			t.Errorf("%s: If-None-Match answered %d", path, r.StatusCode)
		}
	}
	if r, _ := fetch(t, e, "/feed.atom?lang=fr"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("?lang=fr: %d", r.StatusCode)
	}

	// The dashboard links it in its head and every page in its footer.
	_, page := e.browser().get("/?lang=ja")
	mustContain(t, page, `<link rel="alternate" type="application/atom+xml" href="https://hrx.example.gov.in/feed.atom?lang=ja"`, `href="/feed.atom?lang=ja"`)
}
