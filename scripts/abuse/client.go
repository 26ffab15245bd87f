package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// httpClient returns a client with its own connections that does not follow
// redirects, so that every answer is seen as the server sent it.
func httpClient(jar http.CookieJar, timeout time.Duration) *http.Client {
	return &http.Client{
		Jar:     jar,
		Timeout: timeout,
		Transport: &http.Transport{
			MaxIdleConnsPerHost: 64,
			DisableCompression:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func newJar() http.CookieJar {
	j, _ := cookiejar.New(nil)
	return j
}

// reply is what the suite keeps of a response.
type reply struct {
	status   int
	header   http.Header
	body     []byte // at most keepBody bytes of it
	size     int64  // the whole body's size
	took     time.Duration
	location string
}

// keepBody is how much of a response body is kept for inspection.
const keepBody = 2 << 20

// do sends a request and reads the whole answer, keeping the start of its body.
func do(c *http.Client, req *http.Request) (reply, error) { return doKeep(c, req, keepBody) }

// doKeep is do keeping up to keep bytes of the body.
func doKeep(c *http.Client, req *http.Request, keep int64) (reply, error) {
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return reply{took: time.Since(start)}, err
	}
	defer resp.Body.Close()
	r := reply{status: resp.StatusCode, header: resp.Header, location: resp.Header.Get("Location")}
	var b strings.Builder
	n, err := io.Copy(&b, io.LimitReader(resp.Body, keep))
	if err == nil {
		var rest int64
		rest, err = io.Copy(io.Discard, resp.Body)
		n += rest
	}
	r.body, r.size, r.took = []byte(b.String()), n, time.Since(start)
	return r, err
}

// get sends a GET with extra headers (a "Host" entry sets the Host header).
func get(ctx context.Context, c *http.Client, u string, hdr map[string]string) (reply, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return reply{}, err
	}
	setHeaders(req, hdr)
	return do(c, req)
}

// postForm posts an urlencoded form.
func postForm(ctx context.Context, c *http.Client, u string, form url.Values, hdr map[string]string) (reply, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	setHeaders(req, hdr)
	return do(c, req)
}

func setHeaders(req *http.Request, hdr map[string]string) {
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrfToken GETs a page and returns the CSRF token of its forms; the client's
// jar keeps the cookie that goes with it.
func csrfToken(ctx context.Context, c *http.Client, u string, hdr map[string]string) (string, error) {
	r, err := get(ctx, c, u, hdr)
	if err != nil {
		return "", err
	}
	m := csrfInput.FindSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		return "", fmt.Errorf("GET %s: status %d, no _csrf field in the page", u, r.status)
	}
	return string(m[1]), nil
}

// signIn posts the sign-in form (after fetching its CSRF token) from a client
// address given as X-Forwarded-For ("" for none). ok is true when a session began.
func signIn(ctx context.Context, c *http.Client, base, email, password, xff string) (reply, bool, error) {
	hdr := map[string]string{}
	if xff != "" {
		hdr["X-Forwarded-For"] = xff
	}
	tok, err := csrfToken(ctx, c, base+"/login", hdr)
	if err != nil {
		return reply{}, false, err
	}
	r, err := postForm(ctx, c, base+"/login", url.Values{"email": {email}, "password": {password}, "_csrf": {tok}}, hdr)
	return r, err == nil && r.status == http.StatusSeeOther && hasSession(r.header), err
}

// hasSession reports whether a response starts a session.
func hasSession(h http.Header) bool {
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if ck.Name == "hrx_session" && ck.Value != "" && ck.MaxAge >= 0 {
			return true
		}
	}
	return false
}

// cookieHeader is the Cookie header a jar would send to base.
func cookieHeader(jar http.CookieJar, base string) string {
	u, _ := url.Parse(base)
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

var (
	tags   = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*>`)
	spaces = regexp.MustCompile(`\s+`)
)

// pageText is the readable text of an HTML page (or a JSON body), shortened.
func pageText(b []byte) string {
	s := string(b)
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	return clip(strings.TrimSpace(spaces.ReplaceAllString(tags.ReplaceAllString(s, " "), " ")), 160)
}

// clip shortens s to n bytes.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
