package web_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"hrx/internal/figures"
	"hrx/internal/users"
)

// TestUploadPageFileFirstLockedInOneLine: the upload page starts with the
// file field; the locked months are one line whose details list each month
// with who locked it.
func TestUploadPageFileFirstLockedInOneLine(t *testing.T) {
	e := newEnv(t)
	var rows []figures.Figure
	for _, m := range []string{"2025-09", "2025-10", "2025-11"} {
		rows = append(rows, figures.Figure{Month: m, Direction: "IN-JP", Category: "student", Count: 5, Status: figures.Final})
	}
	e.insertPublished(rows...)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	_, body := b.get("/imports/new")
	mustContain(t, text(body), "3 months are locked: September 2025 … November 2025 — details",
		"Rows of these months that change nothing are accepted", "November 2025: Published")
	if file, locked := strings.Index(body, `id="file"`), strings.Index(body, "months are locked"); file < 0 || file > locked {
		t.Error("the file field does not come before the locked months")
	}
	if strings.Count(body, "<details") != 1 {
		t.Error("the locked months are not one collapsed line")
	}
	// A link may name the mode and the month; the form keeps them.
	_, body = b.get("/imports/new?mode=replace&month=2025-12")
	mustContain(t, body, `id="mode-replace" name="mode" value="replace" checked`, `name="month" value="2025-12"`)
	mustContain(t, text(body), "Figures for December 2025")
}

// TestYearToDateUploadOnTheWeb: a year-to-date file whose published months
// are unchanged is a preview of the open month's changes only, in names, with
// before → after and the difference, and it applies.
func TestYearToDateUploadOnTheWeb(t *testing.T) {
	e := newEnv(t)
	e.insertPublished(
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Origin: "IN-KA", Destination: "JP-13", Count: 120, Status: figures.Final},
		figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 40, Status: figures.Final},
	)
	e.insert(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Origin: "IN-KA", Destination: "JP-13", Count: 130, Status: figures.Final})
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	file := "month,direction,category,sector,origin,destination,count\n" +
		"2025-09,IN-JP,engineer,it_software,IN-KA,JP-13,120\n" +
		"2025-10,IN-JP,student,,,,40\n" +
		"2025-11,IN-JP,engineer,it_software,IN-KA,JP-13,125\n" +
		"2025-11,JP-IN,business,,,,7\n"
	at, body := upload(t, b, "ytd.csv", []byte(file), "merge")
	page := text(body)
	mustContain(t, page, "preview", "Rows read 4", "New figures 1", "Changed figures 1", "Unchanged 2", "Errors 0",
		"The file also has rows for 2 months that are submitted or published (September 2025 and October 2025); they are the same as the figures recorded there and change nothing.",
		"4 November 2025 Engineers, IT and specialist professionals · IT and software · Karnataka → Tokyo 130 → 125 −5",
		"November 2025 · Business transferees and expatriates · Japan to India = 7")
	if strings.Contains(page, "IN-KA") || strings.Contains(page, "it_software") {
		t.Error("the preview speaks in codes")
	}
	if st, _ := b.post(at+"/apply", confirmed()); st != http.StatusSeeOther {
		t.Fatalf("apply: %d", st)
	}
	if got := monthTotal(t, e, "2025-11"); got != 132 {
		t.Errorf("November after apply: %d", got)
	}
}

// TestRejectedPreviewOffersCorrectedUpload: a preview with errors is listed
// as rejected, and offers an upload of the corrected file in the same mode
// and month.
func TestRejectedPreviewOffersCorrectedUpload(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	at, body := upload(t, b, "broken.csv", []byte("month,direction,category,count\n2025-10,IN-JP,student,5\n2025-10,IN-JP,nosuch,3\n"), "replace")
	mustContain(t, text(body), "rejected", "This file was rejected", "Upload a corrected file")
	id := strings.TrimPrefix(at, "/imports/")
	link := "/imports/new?from=" + id + "&amp;mode=replace&amp;month=2025-10"
	mustContain(t, body, `href="`+link+`"`)
	if strings.Contains(body, at+"/apply") {
		t.Error("a rejected preview can be applied")
	}
	_, list := b.get("/imports")
	mustContain(t, list, `<span class="tag tag-rejected">rejected</span>`)
	_, form := b.get(strings.ReplaceAll(link, "&amp;", "&"))
	mustContain(t, form, `id="mode-replace" name="mode" value="replace" checked`, `name="month" value="2025-10"`, `name="from" value="`+id+`"`)
	mustContain(t, text(form), "Upload a corrected file", "Correcting broken.csv (October 2025)")
	// Without a file, the form comes back with its error, mode and month kept.
	st, again := b.post("/imports", url.Values{"mode": {"replace"}, "month": {"2025-10"}, "from": {id}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("no file: %d", st)
	}
	mustContain(t, again, `value="replace" checked`, `name="month" value="2025-10"`)
}

// streamUpload posts a file as the upload page's script does, asking for
// progress events, and returns the response (the caller reads and closes it).
func streamUpload(ctx context.Context, t *testing.T, b *browser, name string, content []byte) *http.Response {
	t.Helper()
	b.get("/imports/new")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", b.csrf)
	mw.WriteField("mode", "merge")
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.e.srv.URL+"/imports", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "text/event-stream")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// manyRows is a CSV of n figures with distinct keys in one month.
func manyRows(n int) []byte {
	cats := []string{"engineer", "hsp", "ssw", "titp", "student", "researcher", "language_teacher", "short_term", "business", "other"}
	sectors := []string{"nursing_care", "construction", "it_software", "semiconductors", "agriculture", "food_service", "research", "education", "healthcare", "business_services", "other"}
	var b bytes.Buffer
	b.WriteString("month,direction,category,sector,origin,destination,count\n")
	for i := 0; i < n; i++ {
		// 10 × 11 × 47 keys a month; further rows go to the months before
		m := 2025*12 + 9 - i/5170
		fmt.Fprintf(&b, "%d-%02d,IN-JP,%s,%s,IN-KA,JP-%02d,%d\n", m/12, m%12+1, cats[i%10], sectors[(i/10)%11], 1+(i/110)%47, i%500+1)
	}
	return b.Bytes()
}

var eventRe = regexp.MustCompile(`(?m)^event: (\w+)\ndata: (.*)$`)

// TestUploadProgressStream: asked for progress, an upload answers with
// events as the file is read and checked, then the preview's address.
func TestUploadProgressStream(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	resp := streamUpload(context.Background(), t, b, "big.csv", manyRows(5000))
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	events := eventRe.FindAllStringSubmatch(string(body), -1)
	if len(events) < 2 || events[0][1] != "progress" || events[len(events)-1][1] != "done" {
		t.Fatalf("events:\n%s", body)
	}
	mustContain(t, events[0][2], "Reading and checking the file: 0 rows so far")
	mustContain(t, string(body), "All 5,000 rows are read and checked; saving the preview")
	done := events[len(events)-1][2]
	m := regexp.MustCompile(`"url":"(/imports/\d+)"`).FindStringSubmatch(done)
	if m == nil {
		t.Fatalf("done: %s", done)
	}
	_, page := b.get(m[1])
	mustContain(t, text(page), "Rows read 5,000", "New figures 5,000")
}

// TestCancelledUploadLeavesNothing: an upload cancelled while it is checked
// (the person pressed Cancel or left the page) leaves no import, no staged
// row and no problem behind, and gives its slot back: after two cancelled
// uploads (as many as the slots), a third goes through.
func TestCancelledUploadLeavesNothing(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	big := manyRows(50000)
	for i := 0; i < 2; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		resp := streamUpload(ctx, t, b, "big.csv", big)
		// The first event says reading began; cancel then, as the page's button does.
		line, err := bufio.NewReader(resp.Body).ReadString('\n')
		if err != nil || line != "event: progress\n" {
			t.Fatalf("first line %q %v", line, err)
		}
		cancel()
		resp.Body.Close()
	}
	start := time.Now()
	at, _ := upload(t, b, "small.csv", []byte("month,direction,category,count\n2025-10,IN-JP,student,5\n"), "merge")
	if waited := time.Since(start); waited > 8*time.Second {
		t.Errorf("the upload after two cancelled ones waited %s for a slot", waited)
	}
	var imports, rows, issues int64
	e.db.R.Raw("SELECT COUNT(*) FROM imports").Scan(&imports)
	e.db.R.Raw("SELECT COUNT(*) FROM import_rows").Scan(&rows)
	e.db.R.Raw("SELECT COUNT(*) FROM import_issues").Scan(&issues)
	if imports != 1 || rows != 1 || issues != 0 {
		t.Errorf("after two cancelled uploads and %s: %d imports, %d staged rows, %d problems", at, imports, rows, issues)
	}
}

// TestPublicExportUploadsBack: the README promises that an export uploads
// back with every row unchanged. The public export (/export/figures.csv) has
// only published months, every one of them locked: uploaded back, as a merge
// or a replace, every row is unchanged and nothing is refused, and applying
// it changes nothing.
func TestPublicExportUploadsBack(t *testing.T) {
	e := newEnv(t)
	e.insertPublished(
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Origin: "IN-KA", Destination: "JP-13", Count: 1200, Status: figures.Final, Source: "出入国在留管理庁", Note: `"quoted", with a comma`},
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Count: 35, Status: figures.Provisional, Source: "MEA", Note: "two\nlines"},
		figures.Figure{Month: "2025-09", Direction: "JP-IN", Category: "business", Destination: "IN-DL", Count: 80, Status: figures.Final},
		figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 410, Status: figures.Final, Note: "=not a formula"},
		figures.Figure{Month: "2025-10", Direction: "JP-IN", Category: "short_term", Count: 12345, Status: figures.Final},
	)
	e.insert(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 7, Status: figures.Final}) // open: not in the public export
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	st, export := e.browser().get("/export/figures.csv")
	if st != http.StatusOK || !strings.Contains(export, "12345") {
		t.Fatalf("export: %d\n%s", st, export)
	}
	for _, mode := range []string{"merge", "replace"} {
		at, body := upload(t, b, "hrx-figures.csv", []byte(export), mode)
		mustContain(t, text(body), "preview", "Rows read 5", "New figures 0", "Changed figures 0", "Unchanged 5", "Errors 0",
			"The file also has rows for 2 months that are submitted or published (September 2025 and October 2025)")
		if mode == "replace" {
			mustContain(t, text(body), "Removed figures 0")
		}
		if st, _ := b.post(at+"/apply", confirmed()); st != http.StatusSeeOther {
			t.Errorf("%s: apply: %d", mode, st)
		}
	}
	if _, again := e.browser().get("/export/figures.csv"); again != export {
		t.Errorf("applying the export back changed what the public sees:\n%s", again)
	}
	if got := monthTotal(t, e, "2025-11"); got != 7 {
		t.Errorf("the open month changed: %d", got)
	}
}
