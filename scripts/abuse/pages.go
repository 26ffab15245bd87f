package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// nextValues are the "next" addresses of the open-redirect attack, as the
// server receives them once the query is decoded.
var nextValues = []string{
	"/\t/evil.example/x",
	"/\\evil.example",
	"//evil.example",
	"/%5Cevil.example",
	"https://evil.example",
	"/\\t/evil.example",
	"%2F%2Fevil.example",
	"/\n/evil.example",
	"/\r\n/evil.example",
	"\\\\evil.example",
	" //evil.example",
	"/\x00/evil.example",
}

// openRedirect asks /language (anonymous) and /login (signed in, which
// redirects at once) to go to each of nextValues, and checks every Location
// as the server wrote it.
func openRedirect(ctx context.Context, e *env, r *result) {
	editor := cookieHeader(e.editorJar, e.base)
	var paths, cookies []string
	for _, v := range nextValues {
		paths = append(paths, "/language?lang=en&next="+url.QueryEscape(v), "/login?next="+url.QueryEscape(v))
		cookies = append(cookies, "", editor)
	}
	seen := map[string]bool{}
	for i, path := range paths {
		status, loc, err := rawGet(ctx, e.srv.addr(), path, cookies[i])
		if err != nil {
			r.code(classify(err))
			r.fail("GET %s: %v", path, err)
			continue
		}
		r.status(status)
		seen[fmt.Sprintf("%q", loc)] = true
		if status >= 300 && status < 400 {
			if why := notLocal(loc); why != "" {
				r.fail("GET %s: Location %q %s", path, loc, why)
			}
		} else if status != http.StatusBadRequest {
			r.fail("GET %s: answered %d, neither a redirect nor a refusal", path, status)
		}
	}
	r.note("%d redirects checked; Locations seen: %s", len(paths), strings.Join(slices.Sorted(maps.Keys(seen)), " "))
}

// rawGet sends a GET on a new connection and returns the status and the
// Location header exactly as sent: Go's client refuses to parse some of the
// values this attack is after.
func rawGet(ctx context.Context, addr, path, cookie string) (int, string, error) {
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return 0, "", err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	req := "GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nConnection: close\r\n"
	if cookie != "" {
		req += "Cookie: " + cookie + "\r\n"
	}
	if _, err := io.WriteString(conn, req+"\r\n"); err != nil {
		return 0, "", err
	}
	head, err := io.ReadAll(io.LimitReader(conn, 64<<10))
	if i := bytes.Index(head, []byte("\r\n\r\n")); i >= 0 {
		head, err = head[:i], nil
	}
	if err != nil {
		return 0, "", err
	}
	lines := strings.Split(string(head), "\r\n")
	var status int
	if _, err := fmt.Sscanf(lines[0], "HTTP/1.1 %d", &status); err != nil {
		return 0, "", fmt.Errorf("status line %q", lines[0])
	}
	for _, l := range lines[1:] {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(k, "Location") {
			return status, strings.TrimLeft(v, " "), nil
		}
	}
	return status, "", nil
}

// notLocal says why a Location is not a path on this site, "" when it is.
func notLocal(loc string) string {
	for _, ch := range loc {
		if ch < 0x20 || ch == 0x7f {
			return "has a control character (browsers drop tabs and newlines, which can leave //host)"
		}
	}
	u, err := url.Parse(loc)
	switch {
	case strings.Contains(loc, "\\"):
		return "has a backslash (browsers read \\ as /)"
	case !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//"):
		return "does not start with a single /"
	case err != nil:
		return "does not parse: " + err.Error()
	case u.Scheme != "" || u.Host != "":
		return "names another site"
	}
	return ""
}

// figuresOrders are the group_by columns of the figures API attack.
var figuresOrders = [][]string{
	{"month", "direction", "category", "sector", "origin", "destination"},
	{"destination", "origin", "sector", "category", "direction", "month"},
	{"category", "month", "origin", "direction", "destination", "sector"},
	{"sector", "destination", "month", "category", "origin", "direction"},
	{"origin", "category", "destination", "month", "sector", "direction"},
}

// maxFiguresBody bounds one answer of the figures API: a page of 1,000 rows
// grouped by all six columns is under 200 KB.
const maxFiguresBody = 1 << 20

// figuresAPI asks for every figure grouped by all six columns, in five orders at once.
func figuresAPI(ctx context.Context, e *env, r *result) {
	c := httpClient(nil, 30*time.Second)
	var wg sync.WaitGroup
	var mu sync.Mutex
	oks := 0
	for _, cols := range figuresOrders {
		wg.Go(func() {
			p := "/api/v1/figures?group_by=" + strings.Join(cols, ",")
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.base+p, nil)
			rep, err := doKeep(c, req, 256<<20)
			if err != nil {
				r.code(classify(err))
				r.fail("GET %s: %v", p, err)
				return
			}
			r.status(rep.status)
			rows := bytes.Count(rep.body, []byte(`"count":`))
			r.note("GET %s: %d, %s, %d rows", p, rep.status, mib(rep.size), rows)
			switch {
			case rep.status == http.StatusOK:
				mu.Lock()
				oks++
				mu.Unlock()
				if rep.size > maxFiguresBody {
					r.fail("GET %s: one answer of %s (limit %s: pages of at most 1,000 rows)", p, mib(rep.size), mib(maxFiguresBody))
				}
			case rep.status != http.StatusServiceUnavailable:
				r.fail("GET %s: answered %d", p, rep.status)
			}
		})
	}
	wg.Wait()
	if oks == 0 {
		r.fail("no figures API request was answered with 200")
	}
}

var staticAsset = regexp.MustCompile(`/static/[^"'\s>]+`)

// securityHeaders checks that answers of every kind carry
// X-Content-Type-Options: nosniff, and that the token upload API does not
// let other sites read its answers.
func securityHeaders(ctx context.Context, e *env, r *result) {
	c := httpClient(nil, 10*time.Second)
	home, err := get(ctx, c, e.base+"/", nil)
	asset := staticAsset.Find(home.body)
	if err != nil || asset == nil {
		r.fail("no /static/ asset is linked from / (%v)", err)
	}
	paths := []string{"/", string(asset), "/export/figures.csv", "/healthz", "/readyz", "/api/v1/targets",
		"/embed.js", "/embed/skilled-workers.svg?style=card", "/login", "/no-such-page"}
	for _, p := range paths {
		if p == "" {
			continue
		}
		rep, err := get(ctx, c, e.base+p, nil)
		if err != nil {
			r.code(classify(err))
			r.fail("GET %s: %v", p, err)
			continue
		}
		r.status(rep.status)
		if v := rep.header.Get("X-Content-Type-Options"); !strings.EqualFold(v, "nosniff") {
			r.fail("GET %s (%d): X-Content-Type-Options is %q, not nosniff", p, rep.status, v)
		}
	}
	for _, auth := range []string{"", "Bearer hrx_not-a-real-token"} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.base+"/api/v1/imports?dry_run=true",
			strings.NewReader("month,direction,category,count\n2025-09,IN-JP,engineer,1\n"))
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Origin", "https://"+evilHost)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rep, err := do(c, req)
		if err != nil {
			r.fail("POST /api/v1/imports: %v", err)
			continue
		}
		r.status(rep.status)
		if v := rep.header.Get("Access-Control-Allow-Origin"); v != "" {
			r.fail("POST /api/v1/imports (%s, %d): Access-Control-Allow-Origin: %s", tokenWord(auth), rep.status, v)
		}
	}
	r.note("%d addresses checked for nosniff; POST /api/v1/imports checked for CORS", len(paths))
}

func tokenWord(auth string) string {
	if auth == "" {
		return "no token"
	}
	return fmt.Sprintf("token %q", strings.TrimPrefix(auth, "Bearer "))
}
