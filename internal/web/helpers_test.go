package web_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/users"
	"hrx/internal/web"
)

// env is a running server on a fresh, migrated database.
type env struct {
	t   *testing.T
	db  *db.DB
	srv *httptest.Server
	web *web.Server
}

const testPassword = "correct horse battery"

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, func(*config.Config) {})
}

// newEnvWith is newEnv with settings changed by set.
func newEnvWith(t *testing.T, set func(*config.Config)) *env {
	t.Helper()
	d := dbtest.New(t)
	cfg := config.Defaults()
	cfg.VersionTTL = 0 // tests change data and look at once
	set(&cfg)
	s, err := web.New(cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	s.Users().HashCost = bcrypt.MinCost
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, db: d, srv: ts, web: s}
}

// addUser creates an account with testPassword.
func (e *env) addUser(email string, role users.Role) users.User {
	e.t.Helper()
	u, err := e.web.Users().Create(context.Background(), audit.System("test"), users.NewUser{Email: email, Role: role, Password: testPassword})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// insert adds figures directly.
func (e *env) insert(rows ...figures.Figure) {
	e.t.Helper()
	if err := figures.NewStore(e.db).Insert(context.Background(), audit.System("test"), rows, "test data"); err != nil {
		e.t.Fatal(err)
	}
}

// browser is a client with its own cookies, like one person's browser.
type browser struct {
	e      *env
	c      *http.Client
	csrf   string
	lastTo string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// get fetches a page, remembering its CSRF token; it returns the status and body.
func (b *browser) get(path string) (int, string) {
	b.e.t.Helper()
	resp, err := b.c.Get(b.e.srv.URL + path)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.read(resp)
}

func (b *browser) read(resp *http.Response) (int, string) {
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfRe.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	b.lastTo = resp.Header.Get("Location")
	return resp.StatusCode, string(body)
}

// post submits a form with the page's CSRF token (unless the form sets _csrf itself).
func (b *browser) post(path string, form url.Values) (int, string) {
	b.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", b.csrf)
	}
	resp, err := b.c.PostForm(b.e.srv.URL+path, form)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.read(resp)
}

// postFile uploads a file as a multipart form, with the page's CSRF token.
func (b *browser) postFile(path, filename string, content []byte, fields url.Values) (int, string) {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", b.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(content)
	mw.Close()
	resp, err := b.c.Post(b.e.srv.URL+path, mw.FormDataContentType(), &buf)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.read(resp)
}

// signIn signs in through the form and fails the test if it does not work.
func (b *browser) signIn(email string) {
	b.e.t.Helper()
	if st, _ := b.get("/login"); st == http.StatusSeeOther {
		b.get("/") // signed in already: the form token is on every page
	}
	status, body := b.post("/login", url.Values{"email": {email}, "password": {testPassword}})
	if status != http.StatusSeeOther {
		b.e.t.Fatalf("sign in as %s: status %d\n%s", email, status, body)
	}
	// The form token changes at sign-in: read the new one, as the next page would.
	to := b.lastTo
	b.get("/")
	b.lastTo = to
}

// text is the page's visible text, roughly: tags removed, entities decoded, spaces folded.
func text(body string) string {
	body = regexp.MustCompile(`(?s)<svg.*?</svg>`).ReplaceAllString(body, " ")
	body = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(body, " ")
	return strings.Join(strings.Fields(html.UnescapeString(body)), " ")
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page does not contain %q", w)
		}
	}
}

// publish publishes months from the command line's path, as official history
// is loaded (a single approver, each flagged figure confirmed as test data). Publication goes in month order: the earlier
// months of the plan that have no figures are published as "nothing to
// report" first; an earlier month with figures must be published by the test.
func (e *env) publish(months ...string) {
	e.t.Helper()
	ctx := context.Background()
	ap := approval.NewStore(e.db, figures.NewStore(e.db))
	sums, err := figures.NewStore(e.db).MonthSummaries(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	has := map[string]bool{}
	for _, s := range sums {
		has[s.Month] = true
	}
	one := func(m month.Month, opts approval.RangeOptions) {
		e.t.Helper()
		opts.SingleApprover, opts.ConfirmFlags = true, "test data"
		res, err := ap.PublishRange(ctx, audit.System("test"), m, m, opts)
		if err != nil || res.Stopped != nil || len(res.Published)+len(res.Nothing)+len(res.Already) != 1 {
			e.t.Fatalf("publishing %s: %+v %v", m, res, err)
		}
	}
	for _, m := range months {
		mm := month.MustParse(m)
		for w := planStart; w < mm; w++ {
			if !has[w.String()] {
				one(w, approval.RangeOptions{NothingToReport: true, Comment: "no figures in the test"})
			}
		}
		one(mm, approval.RangeOptions{})
	}
}

// nothingToReport publishes empty months as "nothing to report", as official history.
func (e *env) nothingToReport(months ...string) {
	e.t.Helper()
	ap := approval.NewStore(e.db, figures.NewStore(e.db))
	for _, m := range months {
		mm := month.MustParse(m)
		res, err := ap.PublishRange(context.Background(), audit.System("test"), mm, mm, approval.RangeOptions{NothingToReport: true, SingleApprover: true, Comment: "no figures in the test"})
		if err != nil || len(res.Nothing) != 1 {
			e.t.Fatalf("publishing %s as nothing to report: %+v %v", m, res, err)
		}
	}
}

// planStart is the first month of the seeded targets' windows.
var planStart = month.MustParse("2025-09")

// insertPublished adds figures and publishes their months.
func (e *env) insertPublished(rows ...figures.Figure) {
	e.t.Helper()
	e.insert(rows...)
	seen := map[string]bool{}
	for _, r := range rows {
		if !seen[r.Month] {
			seen[r.Month] = true
			e.publish(r.Month)
		}
	}
}
