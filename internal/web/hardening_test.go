package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hrx/internal/config"
	"hrx/internal/users"
)

// endless is a request body of n bytes that counts how much of it was read.
type endless struct {
	n, read int64
	prefix  []byte
}

func (b *endless) Read(p []byte) (int, error) {
	if b.read >= b.n {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > b.n-b.read {
		n = b.n - b.read
	}
	for i := range p[:n] {
		if off := b.read + int64(i); off < int64(len(b.prefix)) {
			p[i] = b.prefix[off]
		} else {
			p[i] = 'x'
		}
	}
	atomic.AddInt64(&b.read, n)
	return int(n), nil
}

// send posts body to path; chunked leaves out the Content-Length.
func send(t *testing.T, c *http.Client, target, contentType string, body *endless, chunked bool, header ...string) (int, time.Duration) {
	t.Helper()
	var r io.Reader = body
	if chunked {
		r = io.MultiReader(body) // hides the length from the client
	}
	req, _ := http.NewRequest(http.MethodPost, target, r)
	if !chunked {
		req.ContentLength = body.n
	}
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		// The server may close the connection before the client has sent
		// everything: that too is a refusal.
		return 0, time.Since(start)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(start)
}

// TestBodiesAreLimitedBeforeAnythingReadsThem sends big bodies, with and
// without a length, to routes that read forms and files: each is refused
// early, nothing is spooled to temporary files, and most of the body is never read.
func TestBodiesAreLimitedBeforeAnythingReadsThem(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e := newEnvWith(t, func(c *config.Config) { c.MaxUploadMB = 2 })
	e.addUser("ed@example.gov.in", users.Editor)
	anon := e.browser()
	anon.get("/login") // a visitor's CSRF cookie and token, as an attacker could have

	const big = 200 << 20
	multipartCT := "multipart/form-data; boundary=XXX"
	filePart := []byte("--XXX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n")
	tokenFirst := []byte("--XXX\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + anon.csrf + "\r\n")
	cases := []struct {
		name, path, ct string
		prefix         []byte
		chunked        bool
		want           []int // any of these statuses (0: connection closed)
	}{
		{"form with a length", "/login", "application/x-www-form-urlencoded", nil, false, []int{413}},
		{"form without a length", "/login", "application/x-www-form-urlencoded", nil, true, []int{413, 0}},
		{"sign-out without a length", "/logout", "application/x-www-form-urlencoded", nil, true, []int{413, 0}},
		{"admin form without a length", "/admin/users", multipartCT, filePart, true, []int{403, 413, 0}},
		{"upload with a length", "/imports", multipartCT, filePart, false, []int{413}},
		{"upload without a length, no token", "/imports", multipartCT, filePart, true, []int{403, 0}},
		// A visitor with a token of its own gets past the form check but is no editor.
		{"visitor's upload with a token", "/imports", multipartCT, append(tokenFirst, filePart...), true, []int{303, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := &endless{n: big, prefix: c.prefix}
			status, took := send(t, anon.c, e.srv.URL+c.path, c.ct, body, c.chunked)
			ok := false
			for _, w := range c.want {
				ok = ok || status == w
			}
			if !ok {
				t.Errorf("status %d, want one of %v", status, c.want)
			}
			if r := atomic.LoadInt64(&body.read); r > 32<<20 {
				t.Errorf("the server took %d MB of the body before refusing it", r>>20)
			}
			if took > 5*time.Second {
				t.Errorf("refusing took %v", took)
			}
			if n := dirSize(t, tmp); n > 0 {
				t.Errorf("%d bytes of temporary files", n)
			}
		})
	}

	t.Run("an editor's upload without a length stops at the limit", func(t *testing.T) {
		ed := e.browser()
		ed.signIn("ed@example.gov.in")
		prefix := []byte("--XXX\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + ed.csrf + "\r\n")
		body := &endless{n: 20 << 20, prefix: append(prefix, filePart...)}
		status, _ := send(t, ed.c, e.srv.URL+"/imports", multipartCT, body, true)
		if status != http.StatusRequestEntityTooLarge && status != 0 {
			t.Fatalf("status %d, want 413", status)
		}
		if r := atomic.LoadInt64(&body.read); r > 10<<20 {
			t.Errorf("the server read %d MB of a body limited to 2 MB", r>>20)
		}
		if n := dirSize(t, tmp); n > 0 {
			t.Errorf("%d bytes of temporary files left", n)
		}
	})
}

func dirSize(t *testing.T, dir string) int64 {
	var n int64
	entries, _ := os.ReadDir(dir)
	for _, en := range entries {
		if info, err := en.Info(); err == nil {
			n += info.Size()
		}
	}
	return n
}

// TestUploadTokenMustComeFirst: the token of an upload is read from the first
// part only, so that nothing else is read before it is checked.
func TestUploadTokenMustComeFirst(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	post := func(tokenFirst bool) int {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		if tokenFirst {
			mw.WriteField("_csrf", b.csrf)
		}
		fw, _ := mw.CreateFormFile("file", "2025-09.csv")
		fw.Write([]byte("month,direction,category,count\n2025-09,IN-JP,student,12\n"))
		if !tokenFirst {
			mw.WriteField("_csrf", b.csrf)
		}
		mw.Close()
		resp, err := b.c.Post(e.srv.URL+"/imports", mw.FormDataContentType(), &buf)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := b.read(resp)
		return st
	}
	if st := post(false); st != http.StatusForbidden {
		t.Errorf("token after the file: %d, want 403", st)
	}
	if st := post(true); st != http.StatusSeeOther {
		t.Errorf("token first: %d, want 303 to the preview", st)
	}
	// Scripts may send the token in a header instead.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "2025-09.csv")
	fw.Write([]byte("month,direction,category,count\n2025-09,IN-JP,student,13\n"))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/imports", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", b.csrf)
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := b.read(resp); st != http.StatusSeeOther {
		t.Errorf("token in the header: %d, want 303", st)
	}
}

// TestCSRFTokenIsTiedToTheSession: a token changes at sign-in, and one
// session's token does not work with another's cookie.
func TestCSRFTokenIsTiedToTheSession(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.gov.in", users.Admin)
	e.addUser("b@example.gov.in", users.Admin)
	a := e.browser()
	a.get("/login")
	before := a.csrf
	a.signIn("a@example.gov.in")
	if a.csrf == before || a.csrf == "" {
		t.Fatalf("the form token did not change at sign-in")
	}
	if st, _ := a.post("/account/password", url.Values{"_csrf": {before}}); st != http.StatusForbidden {
		t.Errorf("the token from before sign-in: %d, want 403", st)
	}
	b := e.browser()
	b.signIn("b@example.gov.in")
	if st, _ := b.post("/admin/users", url.Values{"_csrf": {a.csrf}, "email": {"x@example.gov.in"}, "role": {"admin"}}); st != http.StatusForbidden {
		t.Errorf("another session's token: %d, want 403", st)
	}
	if st, _ := a.post("/logout", nil); st != http.StatusSeeOther {
		t.Errorf("sign-out with the session's token: %d", st)
	}
	// The page tokens of the old session are worth nothing after sign-out.
	if st, _ := a.post("/login", url.Values{"_csrf": {a.csrf}, "email": {"a@example.gov.in"}, "password": {testPassword}}); st != http.StatusForbidden {
		t.Errorf("a signed-out session's token: %d, want 403", st)
	}
}

func TestOpenRedirects(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for next, want := range map[string]string{
		"/months?x=1":                "/months?x=1",
		"/%2F%2Fevil.example":        "/",
		"/\t/evil.example/x":         "/",
		"/\\evil.example":            "/",
		"\\\\evil.example":           "/",
		"//evil.example":             "/",
		"https://evil.example":       "/",
		"/\n/evil.example":           "/",
		"/\r\nSet-Cookie: x=1":       "/",
		"evil.example":               "/",
		"/ok\x7f":                    "/",
		"javascript:alert(1)":        "/",
		"/\u0085/evil.example":       "/",
		"/targets/skilled-workers#a": "/targets/skilled-workers#a",
	} {
		resp, err := b.c.Get(e.srv.URL + "/language?lang=ja&next=" + url.QueryEscape(next))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("next=%q: Location %q, want %q", next, got, want)
		}
	}
}

// TestLongEmailIsRefusedUnstored: an address longer than any real one is
// refused before the database, and not echoed back.
func TestLongEmailIsRefusedUnstored(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.get("/login")
	long := strings.Repeat("a", 300<<10) + "@example.gov.in"
	status, body := b.post("/login", url.Values{"email": {long}, "password": {"whatever it is"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", status)
	}
	if len(body) > 100<<10 {
		t.Errorf("the page is %d KB: the address was echoed back", len(body)>>10)
	}
	mustContain(t, text(body), "254 characters at most")
	var rows int64
	e.db.R.Raw("SELECT COUNT(*) FROM signin_throttle").Scan(&rows)
	if rows != 0 {
		t.Errorf("%d throttle rows written for a refused address", rows)
	}
	// Over the form limit, the body is refused before it is read.
	huge := strings.Repeat("a", 2<<20)
	if status, _ := b.post("/login", url.Values{"email": {huge}, "password": {"x"}}); status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MB sign-in form: %d, want 413", status)
	}
}

// TestFailedSignInsAreAuditedWithTheClientAddress, which comes from
// X-Forwarded-For only when the connection is from a trusted proxy.
func TestFailedSignInsAreAuditedWithTheClientAddress(t *testing.T) {
	for _, c := range []struct {
		name, proxies, want string
	}{
		{"no trusted proxy: the connection's address", "", "127.0.0.1"},
		{"a trusted proxy: the forwarded address", "127.0.0.1/32", "203.0.113.9"},
		{"another proxy: the connection's address", "10.0.0.0/8", "127.0.0.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnvWith(t, func(cfg *config.Config) { cfg.TrustedProxies = c.proxies })
			b := e.browser()
			b.get("/login")
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/login", strings.NewReader(url.Values{"email": {"x@example.gov.in"}, "password": {"guess one two"}, "_csrf": {b.csrf}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", "198.51.100.1, 203.0.113.9")
			resp, err := b.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if st, _ := b.read(resp); st != http.StatusUnauthorized {
				t.Fatalf("status %d", st)
			}
			var actor, after string
			e.db.R.Raw("SELECT actor, after FROM audit_log WHERE action = 'sign-in-failed'").Row().Scan(&actor, &after)
			if actor != c.want || !strings.Contains(after, c.want) {
				t.Errorf("audit actor %q after %q; want the address %s", actor, after, c.want)
			}
		})
	}
}

// TestSecurityHeadersOnEveryResponse: no content sniffing anywhere, HSTS and
// __Host- cookies on an HTTPS site, and no CORS on authenticated routes.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newEnvWith(t, func(c *config.Config) { c.BaseURL = "https://hrx.example.gov.in" })
	knownData(e)
	for _, path := range []string{"/", "/healthz", "/static/app.css", "/export/figures.csv", "/api/v1/targets", "/embed/skilled-workers", "/no-such-page", "/login"} {
		resp, _ := fetch(t, e, path)
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no X-Content-Type-Options: nosniff", path)
		}
		if resp.Header.Get("Strict-Transport-Security") == "" {
			t.Errorf("%s: no Strict-Transport-Security on an HTTPS site", path)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/imports", strings.NewReader("month,direction,category,count\n"))
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
		t.Errorf("POST /api/v1/imports sends Access-Control-Allow-Origin: %s", v)
	}
	resp, _ = fetch(t, e, "/login")
	var names []string
	for _, c := range resp.Cookies() {
		names = append(names, c.Name)
		if !strings.HasPrefix(c.Name, "__Host-") || !c.Secure || c.Path != "/" || c.Domain != "" {
			t.Errorf("cookie %s on an HTTPS site: Secure=%v Path=%q Domain=%q", c.Name, c.Secure, c.Path, c.Domain)
		}
	}
	if len(names) == 0 {
		t.Errorf("the sign-in page set no form cookie")
	}
}

// TestAbsoluteURLsNeverComeFromTheHostHeader: public answers, which are
// cached, name the configured address whatever Host the request names.
func TestAbsoluteURLsNeverComeFromTheHostHeader(t *testing.T) {
	for _, base := range []string{"", "https://hrx.example.gov.in"} {
		e := newEnvWith(t, func(c *config.Config) { c.BaseURL = base })
		knownData(e)
		for _, path := range []string{"/oembed?url=" + url.QueryEscape("https://hrx.example.gov.in/targets/skilled-workers"), "/api/v1/targets", "/targets/skilled-workers", "/widgets", "/embed/skilled-workers"} {
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
			req.Host = "evil.example"
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), "evil.example") {
				t.Errorf("base %q, %s: the answer names the request's Host", base, path)
			}
		}
	}
}

// TestLoginThrottleUnderParallelRequests replays 40 parallel wrong passwords
// from one address through the form, then the right one.
func TestLoginThrottleUnderParallelRequests(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.gov.in", users.Editor)
	b := e.browser()
	b.get("/login")
	form := url.Values{"email": {"a@example.gov.in"}, "password": {"not the password"}, "_csrf": {b.csrf}}.Encode()
	var checked, throttled atomic.Int32
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan struct{})
	for range 40 {
		go func() {
			defer func() { done <- struct{}{} }()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.srv.URL+"/login", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := b.c.Do(req)
			if err != nil {
				return
			}
			resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusUnauthorized:
				checked.Add(1)
			case http.StatusTooManyRequests:
				throttled.Add(1)
			}
		}()
	}
	for range 40 {
		<-done
	}
	if checked.Load() > 6 || checked.Load()+throttled.Load() != 40 {
		t.Errorf("%d guesses checked, %d throttled; want at most 6 checked", checked.Load(), throttled.Load())
	}
	if st, _ := b.post("/login", url.Values{"email": {"a@example.gov.in"}, "password": {testPassword}}); st != http.StatusTooManyRequests {
		t.Errorf("the right password right after: %d, want 429", st)
	}
}
