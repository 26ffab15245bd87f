package web_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"hrx/internal/config"
	"hrx/internal/figures"
)

// manyFigures publishes 1,200 figures: three months, both directions, two
// categories, four sectors (one of them none) and five regions each way.
func manyFigures(e *env) (rows []figures.Figure, total int64) {
	in := []string{"", "IN-DL", "IN-KA", "IN-MH", "IN-TN"}
	jp := []string{"", "JP-13", "JP-14", "JP-23", "JP-27"}
	n := 0
	for _, m := range []string{"2025-09", "2025-10", "2025-11"} {
		for _, dir := range []string{"IN-JP", "JP-IN"} {
			for _, cat := range []string{"engineer", "student"} {
				for _, sec := range []string{"", "construction", "it_software", "nursing_care"} {
					for _, o := range in {
						for _, d := range jp {
							if dir == "JP-IN" {
								o, d = d, o
							}
							n++
							rows = append(rows, figures.Figure{Month: m, Direction: dir, Category: cat, Sector: sec, Origin: o, Destination: d, Count: int64(n%97 + 1)})
							total += int64(n%97 + 1)
							if dir == "JP-IN" {
								o, d = d, o
							}
						}
					}
				}
			}
		}
	}
	e.insertPublished(rows...)
	return rows, total
}

// figuresPage is a decoded answer of GET /api/v1/figures.
type figuresPage struct {
	Rows  []map[string]any
	Total int64
	Next  *string
}

// apiGet fetches a path from e and returns the response and its body.
func apiGet(t *testing.T, e *env, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// walkFigures follows next links from path to the last page and returns every
// row, each page's total and the number of pages.
func walkFigures(t *testing.T, e *env, path string) (rows []map[string]any, totals []int64, pages int) {
	t.Helper()
	for path != "" {
		if pages++; pages > 200 {
			t.Fatalf("more than 200 pages, at %s", path)
		}
		resp, body := apiGet(t, e, path)
		var p figuresPage
		if err := json.Unmarshal(body, &p); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
		rows, totals = append(rows, p.Rows...), append(totals, p.Total)
		path = ""
		if p.Next != nil {
			if !strings.HasPrefix(*p.Next, "/api/v1/figures?") {
				t.Fatalf("next is not a path of this API: %q", *p.Next)
			}
			path = *p.Next
		}
	}
	return rows, totals, pages
}

// rowKey is a row's group values in canonical order.
func rowKey(r map[string]any) string {
	var parts []string
	for _, c := range figures.GroupColumns {
		if v, ok := r[c]; ok {
			parts = append(parts, v.(string))
		}
	}
	return strings.Join(parts, "\x00")
}

func TestAPIFiguresPages(t *testing.T) {
	e := newEnv(t)
	data, total := manyFigures(e)
	all := "group_by=month,direction,category,sector,origin,destination"

	// By default a page holds 1,000 rows.
	_, body := apiGet(t, e, "/api/v1/figures?"+all)
	var first figuresPage
	mustJSON(t, body, &first)
	if len(first.Rows) != 1000 || first.Total != total || first.Next == nil {
		t.Fatalf("first page: %d rows, total %d (want %d), next %v", len(first.Rows), first.Total, total, first.Next)
	}
	if !strings.Contains(string(body), `"next":"/api/v1/figures?group_by=month,direction,category,sector,origin,destination&limit=1000&cursor=`) {
		t.Errorf("next, as written: %s", body[strings.LastIndex(string(body), `"next"`):])
	}

	// Walking every page with next, in several page sizes and column orders,
	// gives every figure exactly once, in byte order of the canonical columns,
	// with the same total on every page.
	for _, q := range []string{
		all + "&limit=1000", all + "&limit=97", "group_by=destination,origin,sector,category,direction,month&limit=250",
		"group_by=destination,origin,sector,category,direction,month&limit=10000",
	} {
		rows, totals, pages := walkFigures(t, e, "/api/v1/figures?"+q)
		if len(rows) != len(data) {
			t.Errorf("%s: %d rows over %d pages, want %d", q, len(rows), pages, len(data))
			continue
		}
		for i, tt := range totals {
			if tt != total {
				t.Errorf("%s: page %d says total %d, want %d", q, i+1, tt, total)
			}
		}
		for i := 1; i < len(rows); i++ {
			if rowKey(rows[i-1]) >= rowKey(rows[i]) {
				t.Fatalf("%s: row %d %v does not come after row %d %v", q, i+1, rows[i], i, rows[i-1])
			}
		}
		var sum int64
		for _, r := range rows {
			sum += int64(r["count"].(float64))
		}
		if sum != total {
			t.Errorf("%s: the rows add up to %d, want %d", q, sum, total)
		}
	}

	// A grouping with few groups: pages of 3, then a shorter last page.
	rows, totals, pages := walkFigures(t, e, "/api/v1/figures?group_by=sector,direction&limit=3")
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s/%s", r["direction"], r["sector"]))
	}
	want := []string{"IN-JP/", "IN-JP/construction", "IN-JP/it_software", "IN-JP/nursing_care", "JP-IN/", "JP-IN/construction", "JP-IN/it_software", "JP-IN/nursing_care"}
	if !slices.Equal(got, want) || pages != 3 || !slices.Equal(totals, []int64{total, total, total}) {
		t.Errorf("direction and sector by 3: %q over %d pages, totals %v", got, pages, totals)
	}

	// The page size may change along the way.
	_, body = apiGet(t, e, "/api/v1/figures?group_by=month,category&limit=2")
	var p figuresPage
	mustJSON(t, body, &p)
	next := strings.Replace(*p.Next, "limit=2", "limit=10", 1)
	if _, body := apiGet(t, e, next); !strings.Contains(string(body), `"rows":[{"month":"2025-10","category":"engineer"`) || !strings.Contains(string(body), `"next":null`) {
		t.Errorf("the rest with a larger limit: %s", body)
	}
}

// TestAPIFiguresColumnOrder checks that a grouping in any order is one query:
// one body, one ETag, keys in canonical order.
func TestAPIFiguresColumnOrder(t *testing.T) {
	e := newEnv(t)
	manyFigures(e)
	r1, b1 := apiGet(t, e, "/api/v1/figures?group_by=sector,month&limit=5")
	r2, b2 := apiGet(t, e, "/api/v1/figures?group_by=month&group_by=sector&limit=5")
	r3, b3 := apiGet(t, e, "/api/v1/figures?group_by=SECTOR,Month,sector&limit=5")
	if string(b1) != string(b2) || string(b1) != string(b3) || r1.Header.Get("ETag") != r2.Header.Get("ETag") || r1.Header.Get("ETag") != r3.Header.Get("ETag") {
		t.Errorf("three spellings, three answers:\n%s %s\n%s %s\n%s %s", r1.Header.Get("ETag"), b1, r2.Header.Get("ETag"), b2, r3.Header.Get("ETag"), b3)
	}
	if !strings.HasPrefix(string(b1), `{"rows":[{"month":"2025-09","sector":"","count":`) {
		t.Errorf("keys not in canonical order: %s", b1)
	}
	var p figuresPage
	mustJSON(t, b1, &p)
	if p.Next == nil || !strings.Contains(*p.Next, "group_by=month,sector&") {
		t.Errorf("next: %v", p.Next)
	}
	// Each page has its own ETag; a page's own is 304.
	r4, _ := apiGet(t, e, *p.Next)
	if r4.Header.Get("ETag") == r1.Header.Get("ETag") {
		t.Errorf("page 2 has page 1's ETag %s", r1.Header.Get("ETag"))
	}
	if r, body := apiGet(t, e, *p.Next, "If-None-Match", r4.Header.Get("ETag")); r.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("page 2 again: %d %s", r.StatusCode, body)
	}
}

// TestAPIFiguresRefusals checks every refused limit and cursor: 400, naming
// the parameter (and for limit, the range).
func TestAPIFiguresRefusals(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	_, body := apiGet(t, e, "/api/v1/figures?group_by=month&limit=1")
	var p figuresPage
	mustJSON(t, body, &p)
	cursor := (*p.Next)[strings.Index(*p.Next, "cursor=")+len("cursor="):]
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	raw, _ := base64.RawURLEncoding.DecodeString(cursor)
	var doc map[string]any
	mustJSON(t, raw, &doc)
	twoKeys := enc(fmt.Sprintf(`{"q":%q,"k":["2025-09","IN-JP"]}`, doc["q"]))

	for _, tt := range []struct{ query, param, says string }{
		{"limit=0", "limit", "from 1 to 10000"},
		{"limit=10001", "limit", "from 1 to 10000"},
		{"limit=-1", "limit", "from 1 to 10000"},
		{"limit=ten", "limit", "from 1 to 10000"},
		{"limit=1.5", "limit", "from 1 to 10000"},
		{"limit=1e3", "limit", "from 1 to 10000"},
		{"limit=1&limit=2", "limit", "given 2 times"},
		{"cursor=%21%21", "cursor", "not a cursor this API gave out"},
		{"cursor=" + enc("not json"), "cursor", "not a cursor this API gave out"},
		{"cursor=" + enc(`{"k":["2025-09"]}`), "cursor", "not a cursor this API gave out"},
		{"cursor=" + strings.Repeat("A", 2000), "cursor", "not a cursor this API gave out"},
		{"group_by=month&cursor=" + cursor + "&cursor=" + cursor, "cursor", "given 2 times"},
		// A cursor is good for its own query only.
		{"group_by=category&cursor=" + cursor, "cursor", "other filters or group_by"},
		{"group_by=month&direction=IN-JP&cursor=" + cursor, "cursor", "other filters or group_by"},
		{"group_by=month&cursor=" + twoKeys, "cursor", "other filters or group_by"},
	} {
		resp, body := apiGet(t, e, "/api/v1/figures?"+tt.query)
		var out struct {
			Error  string
			Status int
		}
		json.Unmarshal(body, &out)
		if resp.StatusCode != 400 || out.Status != 400 || !strings.HasPrefix(out.Error, "parameter "+tt.param+": ") || !strings.Contains(out.Error, tt.says) {
			t.Errorf("figures?%.60s: %d %s; want 400 naming %s and saying %q", tt.query, resp.StatusCode, body, tt.param, tt.says)
		}
	}
	// The same cursor with its own query, written another way, is accepted.
	for _, q := range []string{"group_by=month&cursor=" + cursor, "group_by=MONTH&limit=5&cursor=" + cursor} {
		if resp, body := apiGet(t, e, "/api/v1/figures?"+q); resp.StatusCode != 200 || !strings.HasPrefix(string(body), `{"rows":[{"month":"2025-09"`) {
			t.Errorf("figures?%s: %d %s", q, resp.StatusCode, body)
		}
	}
	// limit and cursor belong to the API, not to the exports.
	if resp, body := apiGet(t, e, "/export/figures.csv?limit=10"); resp.StatusCode != 400 || !strings.Contains(string(body), "limit") {
		t.Errorf("export with a limit: %d %.200s", resp.StatusCode, body)
	}
}

// TestAPIFiguresDeadline checks that a query past the server's QueryTimeout is
// a 503 with Retry-After and words that say what to do.
func TestAPIFiguresDeadline(t *testing.T) {
	e := newEnvWith(t, func(c *config.Config) { c.QueryTimeout = time.Nanosecond })
	knownData(e)
	resp, body := apiGet(t, e, "/api/v1/figures?group_by=month,sector")
	var out struct {
		Error  string
		Status int
	}
	json.Unmarshal(body, &out)
	if resp.StatusCode != http.StatusServiceUnavailable || out.Status != 503 || resp.Header.Get("Retry-After") != "30" ||
		!strings.Contains(out.Error, "took longer") || !strings.Contains(out.Error, "group_by") || !strings.Contains(out.Error, "try again later") {
		t.Errorf("past the deadline: %d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers: %v", resp.Header)
	}
	// Refusals are checked before the query, so they stay 400.
	if resp, _ := apiGet(t, e, "/api/v1/figures?limit=0"); resp.StatusCode != 400 {
		t.Errorf("limit=0 on the slow server: %d", resp.StatusCode)
	}

	// With the default time limit the same query answers.
	fast := newEnv(t)
	knownData(fast)
	if resp, body := apiGet(t, fast, "/api/v1/figures?group_by=month,sector"); resp.StatusCode != 200 {
		t.Errorf("default time limit: %d %s", resp.StatusCode, body)
	}
}
