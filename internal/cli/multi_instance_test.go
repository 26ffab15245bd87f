package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"io/fs"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/mail/mailtest"
	"hrx/internal/month"
	"hrx/migrations"
)

// TestSeveralInstances starts two hrx serve processes, A and B, at the same
// moment on one new PostgreSQL database, and shows what running more than one
// needs: the migrations applied once, a session made on A good on B, a
// publication on A on B's dashboard, widget and API within a second, B's
// widget and API read without an error or a figure going backwards while A
// publishes, and each e-mail job run once though both run the job engine.
// PostgreSQL only (HRX_TEST_POSTGRES_URL): it is the database for more than one machine.
func TestSeveralInstances(t *testing.T) {
	if os.Getenv("HRX_TEST_POSTGRES_URL") == "" {
		t.Skip("several instances share a PostgreSQL database: set HRX_TEST_POSTGRES_URL")
	}
	if testing.Short() {
		t.Skip("builds hrx and starts two servers")
	}
	began := time.Now()
	bin := buildHRX(t)
	t.Logf("built the binary in %s", time.Since(began).Round(time.Millisecond))
	dsn := dbtest.DSN(t) // a new, empty schema: the servers migrate it
	smtp := mailtest.Start(t, mailtest.Options{})
	env := []string{
		"HRX_DATABASE_URL=" + dsn,
		"HRX_BASE_URL=http://hrx.test",
		"HRX_SMTP_URL=smtp://" + smtp.Addr,
		"HRX_MAIL_FROM=HRX <hrx@example.gov>",
	}

	// Both start at once on the empty database.
	var a, b *instance
	var wg sync.WaitGroup
	starting := time.Now()
	wg.Add(2)
	go func() { defer wg.Done(); a = startInstance(t, bin, "A", env) }()
	go func() { defer wg.Done(); b = startInstance(t, bin, "B", env) }()
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("A and B ready on an empty database in %s", time.Since(starting).Round(time.Millisecond))
	checkMigratedOnce(t, dsn, a, b)

	const pw = "a long enough passphrase for tests"
	for _, u := range [][2]string{{"admin@example.gov.in", "admin"}, {"editor@example.gov.in", "editor"}, {"approver@example.gov.in", "approver"}} {
		if code, out, errOut := run(t, dsn, pw+"\n", false, "user", "add", "--email", u[0], "--role", u[1]); code != 0 {
			t.Fatalf("user add %s: %d %s %s", u[0], code, out, errOut)
		}
	}
	code, out, errOut := run(t, dsn, "", false, "token", "add", "--email", "editor@example.gov.in", "--name", "several instances")
	if code != 0 {
		t.Fatalf("token add: %d %s %s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := strings.TrimSpace(lines[len(lines)-1])

	// (1) A session made on A works on B: the same cookie, in the same jar.
	approver := newClient(t)
	approver.signIn(a, "approver@example.gov.in", pw)
	if st, body := approver.get(b, "/account"); st != http.StatusOK || !strings.Contains(body, "approver@example.gov.in") {
		t.Fatalf("B does not know A's session: /account answers %d", st)
	}
	// …and its form token too (derived from the session): signing out on B ends it on A.
	approver.get(b, "/account")
	if st, _ := approver.post(b, "/logout", nil); st != http.StatusSeeOther {
		t.Fatalf("sign-out on B with A's session: %d", st)
	}
	if st, _ := approver.get(a, "/account"); st != http.StatusSeeOther || !strings.HasPrefix(approver.location, "/login") {
		t.Fatalf("after sign-out on B, A's /account answers %d (to %q); want the sign-in page", st, approver.location)
	}
	approver.signIn(a, "approver@example.gov.in", pw)
	editor := newClient(t)
	editor.signIn(a, "editor@example.gov.in", pw)

	// Figures for six months, entered on A (the API import, then submitted).
	const perMonth = 137
	first := month.MustParse("2025-09")
	months := make([]month.Month, 6)
	for i := range months {
		months[i] = first.Add(i)
		importOn(t, a, token, months[i], perMonth)
		if st, body := editor.post(a, "/months/"+months[i].String()+"/state", url.Values{"action": {"submit"}}); st != http.StatusSeeOther {
			t.Fatalf("submit %s on A: %d\n%s", months[i], st, text(body))
		}
	}

	// (2) A publication on A is on B's dashboard, widget and API within a second.
	api, svg := "/api/v1/targets/total-exchange", "/embed/total-exchange.svg"
	reader := newClient(t)
	if got := reader.achieved(b, api); got != 0 {
		t.Fatalf("before any publication B's API says %d people", got)
	}
	reader.get(b, svg)
	reader.get(b, "/")
	publishOn(t, approver, a, months[0])
	published := time.Now()
	want := strconv.Itoa(perMonth)
	seen := map[string]time.Duration{}
	for len(seen) < 3 && time.Since(published) < 5*time.Second {
		if _, ok := seen["api"]; !ok && reader.achieved(b, api) == perMonth {
			seen["api"] = time.Since(published)
		}
		if _, ok := seen["widget"]; !ok {
			if _, body := reader.get(b, svg); svgAchieved(body) == want {
				seen["widget"] = time.Since(published)
			}
		}
		if _, ok := seen["dashboard"]; !ok {
			if _, body := reader.get(b, "/"); strings.Contains(text(body), "Achieved so far "+want+" ") {
				seen["dashboard"] = time.Since(published)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, where := range []string{"api", "widget", "dashboard"} {
		d, ok := seen[where]
		switch {
		case !ok:
			t.Errorf("B's %s did not show %d people within 5 s of the publication on A", where, perMonth)
		case d > time.Second:
			t.Errorf("B's %s showed the publication on A after %s; want within 1 s", where, d.Round(time.Millisecond))
		default:
			t.Logf("B's %s showed the publication on A after %s", where, d.Round(time.Millisecond))
		}
	}

	// (3) B's widget and API under load while A publishes the other months.
	stop := make(chan struct{})
	var requests, failures atomic.Int64
	var problems sync.Map
	var load sync.WaitGroup
	for g := range 6 {
		load.Add(1)
		go func() {
			defer load.Done()
			c := &http.Client{Timeout: 5 * time.Second}
			last := map[string]int64{}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				path := api
				if (g+i)%2 == 1 {
					path = svg
				}
				n, version, err := readFigure(c, b.url+path)
				requests.Add(1)
				if err != nil {
					failures.Add(1)
					problems.Store(err.Error(), true)
					continue
				}
				for k, v := range map[string]int64{path: n, path + " version": version} {
					if v < last[k] {
						failures.Add(1)
						problems.Store(fmt.Sprintf("%s went back from %d to %d", k, last[k], v), true)
					}
					last[k] = v
				}
			}
		}()
	}
	loadStart := time.Now()
	for _, m := range months[1:] {
		time.Sleep(300 * time.Millisecond)
		publishOn(t, approver, a, m)
	}
	time.Sleep(1500 * time.Millisecond)
	close(stop)
	load.Wait()
	elapsed := time.Since(loadStart)
	problems.Range(func(k, _ any) bool { t.Errorf("under load: %s", k); return true })
	t.Logf("under load: %d requests to B in %s (%.0f/s) while A published %d months; %d failures",
		requests.Load(), elapsed.Round(time.Millisecond), float64(requests.Load())/elapsed.Seconds(), len(months)-1, failures.Load())
	if requests.Load() < 100 {
		t.Errorf("only %d requests reached B under load", requests.Load())
	}
	if got, want := reader.achieved(b, api), int64(perMonth*len(months)); got != want {
		t.Errorf("after the publications B's API says %d people; want %d", got, want)
	}

	// (4) Each e-mail job runs once though A and B both run the jobs: the
	// administrator is told of every submission and publication.
	d := open(t, dsn)
	var queued int64
	if err := d.R.Raw("SELECT count(*) FROM notifications WHERE email <> ''").Scan(&queued).Error; err != nil {
		t.Fatal(err)
	}
	if want := int64(2 * len(months)); queued != want {
		t.Fatalf("%d notifications with an e-mail; want %d (a submission and a publication of each month)", queued, want)
	}
	smtp.Wait(t, int(queued), 30*time.Second)
	time.Sleep(time.Second) // long enough for a second sending to arrive
	msgs := smtp.Messages()
	subjects := map[string]int{}
	for _, m := range msgs {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		subjects[strings.Join(m.To, ",")+" "+p.Subject]++
	}
	if int64(len(msgs)) != queued || len(subjects) != len(msgs) {
		t.Errorf("%d e-mails arrived (%d different) for %d notifications; want each once: %v", len(msgs), len(subjects), queued, subjects)
	}
	var runs struct{ Jobs, Attempts int64 }
	if err := d.R.Raw("SELECT count(*) AS jobs, coalesce(sum(attempt), 0) AS attempts FROM river_job WHERE kind = 'send_email' AND state = 'completed'").Scan(&runs).Error; err != nil {
		t.Fatal(err)
	}
	if runs.Jobs != queued || runs.Attempts != queued {
		t.Errorf("send_email jobs: %d completed in %d attempts; want %d in %d", runs.Jobs, runs.Attempts, queued, queued)
	}
	var sent int64
	d.R.Raw("SELECT count(*) FROM notifications WHERE email = 'sent'").Scan(&sent)
	if sent != queued {
		t.Errorf("%d of %d notifications marked sent", sent, queued)
	}
}

// buildHRX builds the hrx binary into a temporary folder.
func buildHRX(t *testing.T) string {
	t.Helper()
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "hrx")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/hrx")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// instance is a running hrx serve.
type instance struct {
	name, url string
	mu        sync.Mutex
	log       bytes.Buffer
}

// logText is what the process wrote to standard error so far.
func (in *instance) logText() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.log.String()
}

// startInstance runs hrx serve on a free loopback port until the test ends
// (SIGTERM, then it must stop) and waits until it is ready.
func startInstance(t *testing.T, bin, name string, env []string) *instance {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Error(err)
		return nil
	}
	addr := ln.Addr().String()
	ln.Close()
	in := &instance{name: name, url: "http://" + addr}
	cmd := exec.Command(bin, "serve", "--addr", addr)
	cmd.Env = append(append(os.Environ()[:0:0], "PATH="+os.Getenv("PATH")), env...)
	stderr, _ := cmd.StderrPipe()
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Error(err)
		return nil
	}
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			in.mu.Lock()
			in.log.WriteString(sc.Text() + "\n")
			in.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { <-copied; done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s stopped with %v\n%s", name, err, in.logText())
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Errorf("%s did not stop within 30 s of SIGINT", name)
		}
	})
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if r, err := http.Get(in.url + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return in
			}
		}
		if cmd.ProcessState != nil {
			break
		}
	}
	t.Errorf("%s not ready within 60 s:\n%s", name, in.logText())
	return in
}

var appliedRe = regexp.MustCompile(`database migrated.*applied=(\d+)`)

// checkMigratedOnce: between them the two processes applied each migration
// once (one of them all, the other none), and goose recorded each once.
func checkMigratedOnce(t *testing.T, dsn string, ins ...*instance) {
	t.Helper()
	files, err := fs.Glob(migrations.For(db.Postgres), "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, in := range ins {
		if m := appliedRe.FindStringSubmatch(in.logText()); m != nil {
			n, _ := strconv.Atoi(m[1])
			if n != len(files) {
				t.Errorf("%s applied %d migrations; want all %d or none", in.name, n, len(files))
			}
			total += n
		}
	}
	if total != len(files) {
		t.Errorf("A and B applied %d migrations between them; want %d, each once", total, len(files))
	}
	d := open(t, dsn)
	var twice []int64
	if err := d.R.Raw("SELECT version_id FROM goose_db_version GROUP BY version_id HAVING count(*) > 1").Scan(&twice).Error; err != nil {
		t.Fatal(err)
	}
	var river []int64
	if err := d.R.Raw("SELECT version FROM river_migration GROUP BY line, version HAVING count(*) > 1").Scan(&river).Error; err != nil {
		t.Fatal(err)
	}
	if len(twice) > 0 || len(river) > 0 {
		t.Errorf("migrations recorded twice: %v, the job engine's %v", twice, river)
	}
}

// client is a person's browser: a cookie jar shared by every instance on 127.0.0.1.
type client struct {
	t        *testing.T
	c        *http.Client
	csrf     string
	location string
}

func newClient(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, c: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var formTokenRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) (int, string) {
	c.t.Helper()
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := formTokenRe.FindSubmatch(body); m != nil {
		c.csrf = string(m[1])
	}
	c.location = resp.Header.Get("Location")
	return resp.StatusCode, string(body)
}

func (c *client) get(in *instance, path string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, in.url+path, nil)
	return c.do(req)
}

// post sends a form with the last page's form token.
func (c *client) post(in *instance, path string, form url.Values) (int, string) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", c.csrf)
	req, _ := http.NewRequest(http.MethodPost, in.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) signIn(in *instance, email, password string) {
	c.t.Helper()
	c.get(in, "/login")
	if st, body := c.post(in, "/login", url.Values{"email": {email}, "password": {password}}); st != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s on %s: %d\n%s", email, in.name, st, text(body))
	}
	c.get(in, "/") // the form token changes at sign-in
}

// achieved reads a target's achieved people from the API.
func (c *client) achieved(in *instance, path string) int64 {
	c.t.Helper()
	n, _, err := readFigure(c.c, in.url+path)
	if err != nil {
		c.t.Fatal(err)
	}
	return n
}

var (
	etagVersionRe = regexp.MustCompile(`^"v(\d+)-`)
	svgNumberRe   = regexp.MustCompile(`aria-label="[^"]*?: ([0-9,]+) of `)
)

// svgAchieved is the achieved figure a widget's SVG shows, as written.
func svgAchieved(body string) string {
	if m := svgNumberRe.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// readFigure fetches a target's API answer or SVG widget and returns the
// achieved people it shows and the data version of its ETag.
func readFigure(c *http.Client, u string) (int64, int64, error) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("%s: %d", u, resp.StatusCode)
	}
	m := etagVersionRe.FindStringSubmatch(resp.Header.Get("ETag"))
	if m == nil {
		return 0, 0, fmt.Errorf("%s: ETag %q has no data version", u, resp.Header.Get("ETag"))
	}
	version, _ := strconv.ParseInt(m[1], 10, 64)
	if strings.HasSuffix(u, ".svg") {
		s := strings.ReplaceAll(svgAchieved(string(body)), ",", "")
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: no achieved figure in the SVG", u)
		}
		return n, version, nil
	}
	var v struct {
		Achieved int64 `json:"achieved"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return 0, 0, fmt.Errorf("%s: %v", u, err)
	}
	return v.Achieved, version, nil
}

// importOn uploads count people of one category for month m through A's API.
func importOn(t *testing.T, in *instance, token string, m month.Month, count int) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", m.String()+".csv")
	fmt.Fprintf(fw, "month,direction,category,count\n%s,IN-JP,student,%d\n", m, count)
	mw.Close()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, in.url+"/api/v1/imports", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if body, _ := io.ReadAll(resp.Body); resp.StatusCode != http.StatusOK {
		t.Fatalf("import %s on %s: %d %s", m, in.name, resp.StatusCode, body)
	}
}

// text is a page's visible text, roughly: tags removed, spaces folded.
func text(body string) string {
	body = regexp.MustCompile(`(?s)<svg.*?</svg>`).ReplaceAllString(body, " ")
	body = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(body, " ")
	return strings.Join(strings.Fields(html.UnescapeString(body)), " ")
}

// publishOn publishes month m on an instance, confirmed.
func publishOn(t *testing.T, c *client, in *instance, m month.Month) {
	t.Helper()
	if st, body := c.post(in, "/months/"+m.String()+"/state", url.Values{"action": {"publish"}, "confirmed": {"yes"}}); st != http.StatusSeeOther {
		t.Fatalf("publish %s on %s: %d\n%s", m, in.name, st, text(body))
	}
}
