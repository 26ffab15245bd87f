package web_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"hrx/internal/browsertest"
	"hrx/internal/config"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/web"
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
		// Sent whole with its length, not in chunks, whatever its size.
		if r1.ContentLength != int64(len(b1)) || len(r1.TransferEncoding) != 0 {
			t.Errorf("%s: Content-Length %d for %d bytes, Transfer-Encoding %v", p, r1.ContentLength, len(b1), r1.TransferEncoding)
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

// TestQuietSuccesses: the answers other sites' readers fetch by the thousand
// are counted, not logged, when they succeed; their errors, and every other
// request, are logged with the request's id, which the answer carries.
func TestQuietSuccesses(t *testing.T) {
	var log browsertest.LockedBuffer
	d := dbtest.New(t)
	cfg := config.Defaults()
	s, err := web.New(cfg, d, slog.New(slog.NewJSONHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	cases := []struct {
		path   string
		status int
		logged bool
	}{
		{"/api/v1/targets", http.StatusOK, false},
		{"/api/v1/targets/skilled-workers?lang=ja", http.StatusOK, false},
		{"/embed/skilled-workers?style=card", http.StatusOK, false},
		{"/embed/skilled-workers.svg?style=card", http.StatusOK, false},
		{"/oembed?url=" + url.QueryEscape(ts.URL+"/targets/skilled-workers"), http.StatusOK, false},
		{"/healthz", http.StatusOK, false},
		{"/api/v1/targets?foo=1", http.StatusBadRequest, true},
		{"/embed/nope", http.StatusNotFound, true},
		{"/api/v1/figures?group_by=month", http.StatusOK, true},
		{"/", http.StatusOK, true},
	}
	for i, c := range cases {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+c.path, nil)
		req.Header.Set("X-Request-Id", fmt.Sprintf("case-%d", i))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status || resp.Header.Get("X-Request-Id") != req.Header.Get("X-Request-Id") {
			t.Fatalf("%s: %d, X-Request-Id %q", c.path, resp.StatusCode, resp.Header.Get("X-Request-Id"))
		}
	}
	// A request is logged once its answer is sent: wait for the last.
	last := fmt.Sprintf(`"id":"case-%d"`, len(cases)-1)
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(log.String(), last) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	logged := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var l struct{ Msg, ID string }
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if l.Msg == "request" {
			logged[l.ID] = true
		}
	}
	for i, c := range cases {
		if got := logged[fmt.Sprintf("case-%d", i)]; got != c.logged {
			t.Errorf("%s (%d) logged: %v, want %v", c.path, c.status, got, c.logged)
		}
	}

	// Without an id of the client's: a quiet success gets none (it is not
	// logged, so an id would lead nowhere); a failure and any other request
	// get one, which their log line carries.
	for _, c := range []struct {
		path   string
		status int
		id     bool
	}{{"/api/v1/targets", http.StatusOK, false}, {"/api/v1/targets?bar=1", http.StatusBadRequest, true}, {"/api/v1/openapi.json", http.StatusOK, true}} {
		resp, err := http.Get(ts.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		id := resp.Header.Get("X-Request-Id")
		if resp.StatusCode != c.status || (id != "") != c.id {
			t.Errorf("%s: %d, X-Request-Id %q", c.path, resp.StatusCode, id)
			continue
		}
		for deadline := time.Now().Add(5 * time.Second); c.id && !strings.Contains(log.String(), `"id":"`+id+`"`); {
			if time.Now().After(deadline) {
				t.Errorf("%s: no log line with id %s", c.path, id)
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
