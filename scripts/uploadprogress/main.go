// Command uploadprogress measures what a person sees while a large file is
// uploaded on the upload page: it starts HRX in this process on a new SQLite
// database, signs in as an editor and posts a generated CSV three ways: as a
// plain page (no script), with progress events (as the page's script does),
// and with progress events, cancelled a third of the way through. It reports
// when each event came, and that a cancelled upload leaves nothing behind and
// gives its slot back.
//
//	go run ./scripts/uploadprogress -rows 100000
//
// scripts/upload-progress.sh runs it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/users"
	"hrx/internal/web"
)

const password = "a long enough passphrase for the check"

func main() {
	rows := flag.Int("rows", 100_000, "rows in the generated file")
	cancelAt := flag.Int("cancel-at", 33, "cancel the third upload once this per cent of the file is read")
	flag.Parse()
	if err := measure(*rows, *cancelAt); err != nil {
		log.Fatal(err)
	}
}

func measure(rows, cancelAt int) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "hrx-progress-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	d, err := db.Open(ctx, filepath.Join(dir, "hrx.db"))
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	cfg := config.Defaults()
	s, err := web.New(cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	if _, err := s.Users().Create(ctx, audit.System("check"), users.NewUser{Email: "ed@example.gov.in", Role: users.Editor, Password: password}); err != nil {
		return err
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	c, err := signIn(srv.URL)
	if err != nil {
		return err
	}
	file := generate(rows)
	fmt.Printf("file: %d rows, %.1f MB (CSV with sector and regions, %d months)\n", rows, float64(len(file))/1e6, (rows+5169)/5170)

	// 1. The plain page: the browser waits for the preview.
	start := time.Now()
	resp, err := c.post(ctx, "", file)
	if err != nil {
		return err
	}
	resp.Body.Close()
	fmt.Printf("plain page (no script):   %d to %s after %s\n", resp.StatusCode, resp.Header.Get("Location"), ms(time.Since(start)))

	// 2. With progress events.
	start = time.Now()
	resp, err = c.post(ctx, "text/event-stream", file)
	if err != nil {
		return err
	}
	events, err := readEvents(resp.Body, start, nil)
	resp.Body.Close()
	if err != nil {
		return err
	}
	fmt.Printf("with progress events:     %d events, the last (%s) after %s\n", len(events), events[len(events)-1].name, ms(events[len(events)-1].at))
	var gap time.Duration
	for i, e := range events {
		if i > 0 && e.at-events[i-1].at > gap {
			gap = e.at - events[i-1].at
		}
		fmt.Printf("  %8s  %-8s %s\n", ms(e.at), e.name, e.Text)
	}
	fmt.Printf("  longest wait between two events: %s\n", ms(gap))

	// 3. Cancelled part of the way through.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start = time.Now()
	resp, err = c.post(cctx, "text/event-stream", file)
	if err != nil {
		return err
	}
	var cancelledAt time.Duration
	cancelledEvents, _ := readEvents(resp.Body, start, func(e event) bool {
		if e.Percent >= cancelAt {
			cancelledAt = time.Since(start)
			cancel()
			return true
		}
		return false
	})
	resp.Body.Close()
	if cancelledAt == 0 {
		return fmt.Errorf("the upload ended before %d %%: %d events", cancelAt, len(cancelledEvents))
	}
	// Slots: a small upload goes through at once when the cancelled one gave its slot back.
	start = time.Now()
	small := []byte("month,direction,category,count\n2025-10,IN-JP,student,5\n")
	resp, err = c.post(ctx, "", small)
	if err != nil {
		return err
	}
	resp.Body.Close()
	afterCancel := time.Since(start)
	var n struct{ Imports, Rows, Issues int64 }
	d.R.Raw(`SELECT (SELECT COUNT(*) FROM imports) AS imports, (SELECT COUNT(*) FROM import_rows) AS rows,
		(SELECT COUNT(*) FROM import_issues) AS issues`).Scan(&n)
	fmt.Printf("cancelled at %d %%:         after %s; a small upload then took %s (%d)\n", cancelAt, ms(cancelledAt), ms(afterCancel), resp.StatusCode)
	fmt.Printf("  left behind: %d imports (the two finished uploads and the small one: 3 expected), %d staged rows (%d expected), %d problems\n",
		n.Imports, n.Rows, 2*rows+1, n.Issues)
	if n.Imports != 3 || n.Rows != int64(2*rows+1) || n.Issues != 0 {
		return fmt.Errorf("the cancelled upload left something behind")
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }

// generate writes rows figures with distinct keys, 5,170 a month, counting
// months back from September 2025.
func generate(rows int) []byte {
	cats := []string{"engineer", "hsp", "ssw", "titp", "student", "researcher", "language_teacher", "short_term", "business", "other"}
	sectors := []string{"nursing_care", "construction", "it_software", "semiconductors", "agriculture", "food_service", "research", "education", "healthcare", "business_services", "other"}
	var b bytes.Buffer
	b.WriteString("month,direction,category,sector,origin,destination,count\n")
	for i := 0; i < rows; i++ {
		m := 2025*12 + 8 - i/5170
		fmt.Fprintf(&b, "%d-%02d,IN-JP,%s,%s,IN-KA,JP-%02d,%d\n", m/12, m%12+1, cats[i%10], sectors[(i/10)%11], 1+(i/110)%47, i%500+1)
	}
	return b.Bytes()
}

type event struct {
	name    string
	at      time.Duration
	Text    string `json:"text"`
	Percent int    `json:"percent"`
}

// readEvents reads the server's events until the stream ends or stop says so.
func readEvents(r io.Reader, start time.Time, stop func(event) bool) ([]event, error) {
	var out []event
	br := bufio.NewReader(r)
	var name string
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			if err == io.EOF && len(out) > 0 {
				return out, nil
			}
			return out, err
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			name = line[7:]
		case strings.HasPrefix(line, "data: "):
			e := event{name: name, at: time.Since(start)}
			if err := json.Unmarshal([]byte(line[6:]), &e); err != nil {
				return out, err
			}
			out = append(out, e)
			if stop != nil && stop(e) {
				return out, nil
			}
		}
	}
}

type client struct {
	*http.Client
	base, csrf string
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func signIn(base string) (*client, error) {
	jar, _ := cookiejar.New(nil)
	c := &client{Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, base: base}
	if err := c.token("/login"); err != nil {
		return nil, err
	}
	resp, err := c.PostForm(base+"/login", url.Values{"_csrf": {c.csrf}, "email": {"ed@example.gov.in"}, "password": {password}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign-in: %d", resp.StatusCode)
	}
	return c, c.token("/imports/new")
}

func (c *client) token(path string) error {
	resp, err := c.Get(c.base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := csrfRe.FindSubmatch(body)
	if m == nil {
		return fmt.Errorf("%s: no form token (%d)", path, resp.StatusCode)
	}
	c.csrf = string(m[1])
	return nil
}

// post uploads file as the upload page does; accept "text/event-stream" asks for progress events.
func (c *client) post(ctx context.Context, accept string, file []byte) (*http.Response, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", c.csrf)
	mw.WriteField("mode", "merge")
	fw, _ := mw.CreateFormFile("file", "figures.csv")
	fw.Write(file)
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/imports", &buf)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return c.Do(req)
}
