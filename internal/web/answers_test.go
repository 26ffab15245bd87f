package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hrx/internal/figures"
)

// TestCachedAnswers: every public endpoint whose whole answer is kept per
// data version (widget HTML and SVG, oEmbed, the targets API and its list)
// answers a repeated request with the same bytes and headers, 304 to a
// current copy, its own answer for each query, and a new answer as soon as a
// month is published; a refused query is refused every time, never cached.
func TestCachedAnswers(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	paths := []string{
		"/embed/skilled-workers?style=card",
		"/embed/skilled-workers.svg?style=card",
		"/oembed?url=" + url.QueryEscape(e.srv.URL+"/targets/skilled-workers"),
		"/api/v1/targets",
		"/api/v1/targets?lang=ja",
		"/api/v1/targets/skilled-workers",
		"/api/v1/targets/skilled-workers?lang=hi",
	}
	headers := []string{"Content-Type", "Content-Security-Policy", "Cache-Control", "ETag"}
	first, tags := map[string]string{}, map[string]string{}
	for _, p := range paths {
		r1, b1 := fetch(t, e, p)
		if r1.StatusCode != http.StatusOK || r1.Header.Get("ETag") == "" {
			t.Fatalf("%s: %d, ETag %q", p, r1.StatusCode, r1.Header.Get("ETag"))
		}
		for i := range 3 {
			r, b := fetch(t, e, p)
			if r.StatusCode != http.StatusOK || b != b1 {
				t.Errorf("%s, request %d: %d, a different body", p, i+2, r.StatusCode)
			}
			for _, h := range headers {
				if r.Header.Get(h) != r1.Header.Get(h) {
					t.Errorf("%s, request %d: %s %q, first %q", p, i+2, h, r.Header.Get(h), r1.Header.Get(h))
				}
			}
		}
		if r, b := fetch(t, e, p, "If-None-Match", r1.Header.Get("ETag")); r.StatusCode != http.StatusNotModified || b != "" || r.Header.Get("ETag") != r1.Header.Get("ETag") {
			t.Errorf("%s with its ETag: %d, %d bytes, ETag %q", p, r.StatusCode, len(b), r.Header.Get("ETag"))
		}
		first[p], tags[p] = b1, r1.Header.Get("ETag")
	}
	if first["/api/v1/targets"] == first["/api/v1/targets?lang=ja"] || !strings.Contains(first["/api/v1/targets?lang=ja"], "特定") && !strings.Contains(first["/api/v1/targets?lang=ja"], "人材") {
		t.Errorf("the Japanese list is not in Japanese: %.300s", first["/api/v1/targets?lang=ja"])
	}
	for _, p := range []string{"/api/v1/targets?foo=1", "/api/v1/targets?lang=fr", "/embed/skilled-workers?style=pie"} {
		for i := range 2 {
			if r, _ := fetch(t, e, p); r.StatusCode != http.StatusBadRequest {
				t.Errorf("%s, request %d: %d, want 400", p, i+1, r.StatusCode)
			}
		}
	}

	// 600 skilled people so far; a month more is published: 650, at once.
	mustContain(t, first["/api/v1/targets/skilled-workers"], `"achieved":600`)
	e.insertPublished(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "engineer", Count: 50})
	for _, p := range paths {
		// oEmbed's answer holds no figure: the same bytes, under the new version's ETag.
		r, b := fetch(t, e, p)
		if r.StatusCode != http.StatusOK || r.Header.Get("ETag") == tags[p] || b == first[p] && !strings.HasPrefix(p, "/oembed") {
			t.Errorf("%s after a publication: %d, ETag %q, the same answer as before", p, r.StatusCode, r.Header.Get("ETag"))
		}
	}
	_, b := fetch(t, e, "/api/v1/targets/skilled-workers")
	mustContain(t, b, `"achieved":650`)
	_, b = fetch(t, e, "/api/v1/targets")
	mustContain(t, b, `"achieved":650`)
}
