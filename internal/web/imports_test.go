package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/figures"
	"hrx/internal/users"
)

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../upload/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func monthTotal(t *testing.T, e *env, m string) int64 {
	t.Helper()
	g, err := figures.NewStore(e.db).Grid(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	return g.Total()
}

// upload sends a file and follows the redirect to its preview.
func upload(t *testing.T, b *browser, name string, content []byte, mode string) (string, string) {
	t.Helper()
	b.get("/imports/new")
	st, _ := b.postFile("/imports", name, content, url.Values{"mode": {mode}})
	if st != http.StatusSeeOther || !strings.HasPrefix(b.lastTo, "/imports/") {
		t.Fatalf("upload %s: %d to %q", name, st, b.lastTo)
	}
	at := b.lastTo
	st, body := b.get(at)
	if st != http.StatusOK {
		t.Fatalf("preview %s: %d", at, st)
	}
	return at, body
}

func TestUploadPreviewApplyReuploadRevert(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")

	at, body := upload(t, b, "2025-09.csv", sample(t, "2025-09.csv"), "merge")
	mustContain(t, text(body), "Rows read 10", "New figures 10", "Changed figures 0", "Errors 0", "Apply 10 rows", "CSV, UTF-8")
	if monthTotal(t, e, "2025-09") != 0 {
		t.Fatal("the preview wrote figures")
	}
	// The preview survives a reload.
	if _, again := b.get(at); !strings.Contains(again, "Apply 10 rows") {
		t.Error("preview lost on reload")
	}
	st, _ := b.post(at+"/apply", confirmed())
	if st != http.StatusSeeOther {
		t.Fatalf("apply: %d", st)
	}
	_, body = b.get(at)
	mustContain(t, text(body), "Applied 2025-09.csv: 10 new, 0 changed, 0 unchanged, 0 removed.")
	if got := monthTotal(t, e, "2025-09"); got != 412+198+37+21+64+143+18+156+5+27 {
		t.Fatalf("September total %d", got)
	}
	// Applying twice is refused.
	if st, _ := b.post(at+"/apply", nil); st != http.StatusConflict {
		t.Errorf("second apply: %d", st)
	}

	// The same file again: every row unchanged, nothing new to apply.
	at2, body := upload(t, b, "2025-09.csv", sample(t, "2025-09.csv"), "merge")
	mustContain(t, text(body), "New figures 0", "Changed figures 0", "Unchanged 10")
	b.post(at2+"/apply", confirmed())

	// The Shift_JIS file has the same counts with Japanese sources: those rows change.
	_, body = upload(t, b, "2025-09-shift_jis.csv", sample(t, "2025-09-shift_jis.csv"), "merge")
	mustContain(t, text(body), "CSV, Shift_JIS", "Changed figures 10", "出入国在留管理庁")

	// Revert the first import: September is empty again.
	st, _ = b.post(at+"/revert", confirmed())
	if st != http.StatusSeeOther {
		t.Fatalf("revert: %d", st)
	}
	if got := monthTotal(t, e, "2025-09"); got != 0 {
		t.Errorf("after revert September has %d people", got)
	}
	_, body = b.get("/imports")
	mustContain(t, text(body), "2025-09.csv", "reverted", "applied", "ed@example.gov.in")
}

func TestUploadWithErrorsAppliesNothing(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	at, body := upload(t, b, "2025-09-errors.csv", sample(t, "2025-09-errors.csv"), "merge")
	txt := text(body)
	mustContain(t, txt, "Errors 4", "month 2025-13 does not exist", "India is not a direction", "-4 is not a count", "IN-XX is not a region code")
	for _, line := range []string{"3 month 2025-13", "4 direction India", "5 count -4", "6 origin IN-XX"} {
		mustContain(t, txt, line)
	}
	if strings.Contains(body, "/apply") {
		t.Error("an Apply button is offered for a file with errors")
	}
	if st, _ := b.post(at+"/apply", nil); st != http.StatusConflict {
		t.Errorf("forced apply: %d, want 409", st)
	}
	if monthTotal(t, e, "2025-09") != 0 {
		t.Error("something from a file with errors was applied")
	}
	// Every problem downloads as CSV.
	st, csvBody := b.get(at + "/problems.csv")
	if st != http.StatusOK || !strings.Contains(csvBody, "error,3,month,2025-13,") || strings.Count(csvBody, "\n") != 5 {
		t.Errorf("problems.csv: %d\n%s", st, csvBody)
	}
}

func TestUploadFileProblems(t *testing.T) {
	e := newEnvWith(t, func(c *config.Config) { c.MaxUploadMB = 1 })
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	tests := []struct{ name, content, says string }{
		{"empty.csv", "", "The file is empty"},
		{"header.csv", "month,direction,category,count\n", "header row but no data rows"},
		{"missing.csv", "month,direction,count\n2025-09,IN-JP,5\n", "category"},
		{"junk.csv", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"},
		{"archive.xlsx", "PK\x03\x04" + strings.Repeat("\x00", 60), ""},
		{"extra.csv", "month,direction,category,count,colour\n2025-09,IN-JP,student,5,blue\n", "unknown column"},
	}
	for _, tt := range tests {
		_, body := upload(t, b, tt.name, []byte(tt.content), "merge")
		if tt.says != "" {
			mustContain(t, text(body), tt.says)
		}
	}
	// Over the limit: 413 and a page that says the limit.
	b.get("/imports/new")
	big := bytes.Repeat([]byte("2025-09,IN-JP,student,1\n"), 50000)
	st, body := b.postFile("/imports", "big.csv", append([]byte("month,direction,category,count\n"), big...), nil)
	if st != http.StatusRequestEntityTooLarge || !strings.Contains(text(body), "upload limit of 1 MB") {
		t.Errorf("too large: %d %s", st, text(body))
	}
	// No file chosen.
	st, body = b.postFile("/imports", "", nil, nil)
	_ = body
	if st == http.StatusInternalServerError {
		t.Error("empty upload gave 500")
	}
}

func TestOnlyEditorsImport(t *testing.T) {
	e := newEnv(t)
	e.addUser("v@example.gov.in", users.Viewer)
	b := e.browser()
	b.signIn("v@example.gov.in")
	if st, _ := b.get("/imports/new"); st != http.StatusForbidden {
		t.Errorf("viewer /imports/new: %d", st)
	}
	b.get("/imports")
	if st, _ := b.postFile("/imports", "2025-09.csv", sample(t, "2025-09.csv"), nil); st != http.StatusForbidden {
		t.Errorf("viewer upload: %d", st)
	}
}

func TestRevertRefusedAfterLaterChange(t *testing.T) {
	e := newEnv(t)
	ed := e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	at, _ := upload(t, b, "2025-09.csv", sample(t, "2025-09.csv"), "merge")
	b.post(at+"/apply", confirmed())
	// Someone corrects the students figure in the form afterwards.
	fs := figures.NewStore(e.db)
	g, _ := fs.Grid(context.Background(), "2025-09")
	v := int64(150)
	if _, err := fs.SaveGrid(context.Background(), ed.Actor(), "2025-09", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &v, Version: g.Cell("IN-JP", "student").Version()}}); err != nil {
		t.Fatal(err)
	}
	b.get(at)
	st, body := b.post(at+"/revert", nil)
	if st != http.StatusConflict {
		t.Fatalf("revert after a later change: %d", st)
	}
	mustContain(t, text(body), "1 row of this import was changed after it was applied", "2025-09/IN-JP/student")
	if got := monthTotal(t, e, "2025-09"); got != 1081-143+150 {
		t.Errorf("the refused revert changed figures: %d", got)
	}
}

func TestReplaceModeRemovesMissingFigures(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.insert(
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "other", Count: 99},
		figures.Figure{Month: "2025-08", Direction: "IN-JP", Category: "other", Count: 7}, // another month: kept
	)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	at, body := upload(t, b, "2025-09.csv", sample(t, "2025-09.csv"), "replace")
	mustContain(t, text(body), "Removed figures 1")
	mustContain(t, text(body), "September 2025 · Other personnel exchange · India to Japan: 99")
	b.post(at+"/apply", confirmed())
	if got := monthTotal(t, e, "2025-09"); got != 1081 {
		t.Errorf("September %d, want 1081", got)
	}
	if got := monthTotal(t, e, "2025-08"); got != 7 {
		t.Errorf("August %d, want 7", got)
	}
	b.post(at+"/revert", confirmed())
	if got := monthTotal(t, e, "2025-09"); got != 99 {
		t.Errorf("after revert September %d, want 99", got)
	}
}

func TestAPIImport(t *testing.T) {
	e := newEnv(t)
	ed := e.addUser("ed@example.gov.in", users.Editor)
	viewer := e.addUser("v@example.gov.in", users.Viewer)
	tok, _, err := e.web.Users().CreateToken(context.Background(), audit.System("test"), ed.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	vtok, _, _ := e.web.Users().CreateToken(context.Background(), audit.System("test"), viewer.ID, "test")
	post := func(query, token string, body []byte) (int, map[string]any) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/imports"+query, bytes.NewReader(body))
		req.Header.Set("Content-Type", "text/csv")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s: %s", query, raw)
		}
		return resp.StatusCode, out
	}
	if st, _ := post("", "", sample(t, "2025-09.csv")); st != http.StatusUnauthorized {
		t.Errorf("no token: %d", st)
	}
	if st, _ := post("", "hrx_nonsense", sample(t, "2025-09.csv")); st != http.StatusUnauthorized {
		t.Errorf("bad token: %d", st)
	}
	if st, _ := post("", vtok, sample(t, "2025-09.csv")); st != http.StatusForbidden {
		t.Errorf("viewer token: %d", st)
	}
	st, out := post("?dry_run=true", tok, sample(t, "2025-09.csv"))
	if st != 200 || out["new"] != 10.0 || out["applied"] != false || monthTotal(t, e, "2025-09") != 0 {
		t.Errorf("dry run: %d %v", st, out)
	}
	st, out = post("", tok, sample(t, "2025-09.csv"))
	if st != 200 || out["new"] != 10.0 || out["applied"] != true || monthTotal(t, e, "2025-09") != 1081 {
		t.Errorf("apply: %d %v", st, out)
	}
	st, out = post("", tok, sample(t, "2025-09-errors.csv"))
	errs, _ := out["errors"].([]any)
	if st != http.StatusUnprocessableEntity || out["applied"] != false || len(errs) != 4 {
		t.Fatalf("errors: %d %v", st, out)
	}
	first := errs[0].(map[string]any)
	if first["line"] != 3.0 || first["column"] != "month" || first["value"] != "2025-13" || first["message"] == "" {
		t.Errorf("first error: %v", first)
	}
	// A duplicate key's error names the column "duplicate".
	dup := []byte("month,direction,category,count\n2025-10,IN-JP,student,5\n2025-10,IN-JP,student,6\n")
	_, out = post("", tok, dup)
	errs, _ = out["errors"].([]any)
	if len(errs) != 1 || errs[0].(map[string]any)["column"] != "duplicate" || !strings.Contains(errs[0].(map[string]any)["message"].(string), "line 2") {
		t.Errorf("duplicate: %v", out)
	}
}

func TestExportReimportsUnchanged(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.insert(
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 143, Source: "JASSO", Note: "=HYPERLINK(\"http://evil\")"},
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Origin: "IN-KA", Destination: "JP-13", Count: 412, Note: "line one\nline two, \"quoted\" <b>html</b>"},
		figures.Figure{Month: "2025-10", Direction: "JP-IN", Category: "business", Destination: "IN-HR", Count: 156, Status: "provisional", Note: "東京 — नमस्ते"},
	)
	// Nothing is published: the public export is the header alone; staff export everything from /months.
	if _, body := e.browser().get("/export/figures.csv"); strings.Count(body, "\n") != 1 {
		t.Errorf("public export shows unpublished figures:\n%s", body)
	}
	if st, _ := e.browser().get("/months/figures.csv"); st != http.StatusSeeOther && st != http.StatusFound {
		t.Errorf("staff export signed out: %d, want a redirect to sign in", st)
	}
	staff := e.browser()
	staff.signIn("ed@example.gov.in")
	for _, format := range []string{"csv", "xlsx"} {
		st, body := staff.get("/months/figures." + format)
		if st != http.StatusOK {
			t.Fatalf("export %s: %d", format, st)
		}
		if format == "csv" {
			if !strings.HasPrefix(body, "\uFEFFmonth,direction,category,count") || !strings.Contains(body, "'=HYPERLINK") {
				t.Errorf("csv export:\n%s", body)
			}
		}
		b := e.browser()
		b.signIn("ed@example.gov.in")
		_, preview := upload(t, b, "export."+format, []byte(body), "merge")
		mustContain(t, text(preview), "Rows read 3", "New figures 0", "Changed figures 0", "Unchanged 3", "Errors 0")
	}
	for _, q := range []string{"from=2025-13", "category=astronauts", "from=2025-10&to=2025-09"} {
		if st, _ := e.browser().get("/export/figures.csv?" + q); st != http.StatusBadRequest {
			t.Errorf("bad filter %s: %d", q, st)
		}
	}
	// The API's filters work on exports too.
	_, body := staff.get("/months/figures.csv?direction=JP-IN")
	if strings.Count(body, "\n") != 2 || !strings.Contains(body, "business") {
		t.Errorf("filtered export:\n%s", body)
	}
}

func TestTokensPage(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@example.gov.in", users.Admin)
	ed := e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("admin@example.gov.in")
	b.get("/admin/tokens")
	st, body := b.post("/admin/tokens", url.Values{"user": {strconv.FormatInt(ed.ID, 10)}, "name": {"MEA upload"}})
	if st != http.StatusCreated || !strings.Contains(body, "hrx_") {
		t.Fatalf("create: %d", st)
	}
	mustContain(t, text(body), "New token for ed@example.gov.in", "MEA upload")
}
