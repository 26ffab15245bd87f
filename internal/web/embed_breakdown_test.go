package web_test

import (
	"net/http"
	"strings"
	"testing"

	"hrx/internal/figures"
)

// The breakdown widget shows the target's people by sector, state and
// prefecture, from published figures only, in the widget's language, as a
// page for an iframe and as an image, offered by the widget builder and oEmbed.
func TestEmbedBreakdownWidget(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	// Open (unpublished) figures never show.
	e.insert(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "engineer", Sector: "nursing_care", Origin: "IN-KL", Destination: "JP-23", Count: 7777})

	resp, body := fetch(t, e, "/embed/skilled-workers?style=breakdown")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	words := text(body)
	// Skilled workers: 300 engineers in IT from Karnataka to Tokyo, 100 engineers
	// and 200 specified skilled workers without a breakdown.
	mustContain(t, words, "IT and software", "Karnataka", "Tokyo", "300", "600 people moved",
		"Sector known for 50 % of people.", "All breakdowns")
	mustContain(t, body, `/targets/skilled-workers/breakdown"`)
	for _, hidden := range []string{"7,777", "Kerala", "Aichi"} {
		if strings.Contains(words, hidden) {
			t.Errorf("the widget shows %q, from an unpublished month", hidden)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors") || strings.Contains(csp, "unsafe-inline") || resp.Header.Get("ETag") == "" {
		t.Errorf("headers: CSP %q, ETag %q", csp, resp.Header.Get("ETag"))
	}
	if r2, _ := fetch(t, e, "/embed/skilled-workers?style=breakdown", "If-None-Match", resp.Header.Get("ETag")); r2.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r2.StatusCode)
	}
	if r3, _ := fetch(t, e, "/embed/skilled-workers?style=card", "If-None-Match", resp.Header.Get("ETag")); r3.StatusCode != 200 {
		t.Errorf("the card answered %d to the breakdown's ETag", r3.StatusCode)
	}

	// In Japanese: the page's words, the prefecture's Japanese name, the link in Japanese.
	_, ja := fetch(t, e, "/embed/skilled-workers?style=breakdown&lang=ja")
	mustContain(t, ja, `<html lang="ja">`, "東京都", "すべての内訳", "/targets/skilled-workers/breakdown?lang=ja")

	resp, svg := fetch(t, e, "/embed/skilled-workers.svg?style=breakdown&lang=hi")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml; charset=utf-8" {
		t.Fatalf("image: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	mustContain(t, svg, `role="img"`, `lang="hi"`, "कर्नाटक", "300")
	if len(svg) >= 16<<10 {
		t.Errorf("the image is %d bytes, want under 16 KB", len(svg))
	}

	// The builder offers it, with a snippet for it; oEmbed sizes its iframe.
	_, builder := e.browser().get("/widgets?target=skilled-workers&style=breakdown")
	mustContain(t, builder, `value="breakdown" checked`, "Breakdown: people by sector", "style=breakdown&amp;theme=auto")
	var o struct {
		HTML   string `json:"html"`
		Height int    `json:"height"`
	}
	getJSON(t, e, "/oembed?url="+e.srv.URL+"/targets/skilled-workers%3Fstyle%3Dbreakdown", &o)
	if !strings.Contains(o.HTML, "style=breakdown") || o.Height != 840 {
		t.Errorf("oEmbed: %+v", o)
	}
}
