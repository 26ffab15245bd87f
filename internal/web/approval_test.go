package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/dataversion"
	"hrx/internal/figures"
	"hrx/internal/users"
)

// unpublishedData has one published month, one published month reopened and
// revised, and one open month never published after them (publication goes
// in month order, so an unpublished month cannot come before a published
// one); the unpublished counts are numbers no published sum can make.
func unpublishedData(t *testing.T, e *env) {
	t.Helper()
	e.insertPublished(
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Count: 100},
		figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 200},
	)
	e.insert(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Origin: "IN-KA", Destination: "JP-13", Count: 7777})
	ctx := context.Background()
	if _, err := approval.NewStore(e.db, figures.NewStore(e.db)).Do(ctx, audit.System("test"), users.Admin, "2025-10", approval.Reopen, "revision"); err != nil {
		t.Fatal(err)
	}
	if err := e.db.W.Exec("UPDATE figures SET count = 9999 WHERE month = '2025-10'").Error; err != nil {
		t.Fatal(err)
	}
	if err := figures.RefreshTotals(e.db.W, []string{"2025-10"}); err != nil {
		t.Fatal(err)
	}
	if err := dataversion.Bump(e.db.W); err != nil {
		t.Fatal(err)
	}
}

// publicRoutes is every route the public reads figures from.
var publicRoutes = []string{
	"/", "/targets/total-exchange", "/targets/skilled-workers",
	"/embed/total-exchange", "/embed/total-exchange?style=bar", "/embed/total-exchange?style=chart&theme=dark&lang=ja",
	"/embed/skilled-workers?style=card", "/embed/total-exchange.svg", "/embed/skilled-workers.svg?style=bar",
	"/oembed?url=http://x/targets/total-exchange",
	"/api/v1/targets", "/api/v1/targets/total-exchange", "/api/v1/targets/skilled-workers",
	"/api/v1/figures", "/api/v1/figures?group_by=month", "/api/v1/figures?group_by=month&group_by=sector&group_by=origin",
	"/api/v1/figures?from=2025-10&to=2025-11", "/export/figures.csv", "/export/figures.xlsx",
	"/widgets",
}

// leaks lists what of the unpublished figures a body shows.
func leaks(body string) []string {
	var out []string
	for _, s := range []string{"7,777", "7777", "9,999", "9999", "17,876", "17876", "10,099", "10099", "7,877", "7877"} {
		if strings.Contains(body, s) {
			out = append(out, s)
		}
	}
	return out
}

func readable(t *testing.T, path, body string) string {
	t.Helper()
	if !strings.HasSuffix(strings.SplitN(path, "?", 2)[0], ".xlsx") {
		return body
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.String()
}

// TestNoPublicRouteShowsUnpublishedFigures fails if any public route, signed
// in or not, with or without the staff switch, shows a figure that is not published.
func TestNoPublicRouteShowsUnpublishedFigures(t *testing.T) {
	e := newEnv(t)
	unpublishedData(t, e)
	e.addUser("ed@example.gov.in", users.Editor)
	anon := e.browser()
	staff := e.browser()
	staff.signIn("ed@example.gov.in")
	for _, path := range publicRoutes {
		for who, b := range map[string]*browser{"anonymous": anon, "signed in": staff} {
			st, body := b.get(path)
			if st != http.StatusOK {
				t.Errorf("%s %s: %d", who, path, st)
				continue
			}
			if l := leaks(readable(t, path, body)); len(l) > 0 {
				t.Errorf("%s %s shows unpublished figures %v", who, path, l)
			}
		}
		// The switch is for signed-in staff on the dashboard and target pages only.
		if !strings.HasPrefix(path, "/api/") && !strings.HasPrefix(path, "/export/") && !strings.HasPrefix(path, "/embed/") && !strings.HasPrefix(path, "/oembed") {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			if _, body := anon.get(path + sep + "unpublished=1"); len(leaks(body)) > 0 {
				t.Errorf("anonymous %s with unpublished=1 shows %v", path, leaks(body))
			}
		}
	}
	// The public numbers are the published ones: 100 + 200, as of the latest published month.
	_, body := anon.get("/")
	mustContain(t, text(body), "300 of 500,000 people", "As of October 2025", "Latest published month: October 2025")
	if strings.Contains(text(body), "Include unpublished figures") {
		t.Error("the staff switch is shown to the public")
	}
	_, csv := anon.get("/export/figures.csv")
	if !strings.Contains(csv, "2025-09,IN-JP,engineer,100") || !strings.Contains(csv, "2025-10,IN-JP,student,200") || strings.Count(csv, "\n") != 3 {
		t.Errorf("public export:\n%s", csv)
	}

	// Staff who ask see everything, marked.
	_, body = staff.get("/")
	mustContain(t, text(body), "Include unpublished figures", "Showing what the public sees", "300 of 500,000 people")
	_, body = staff.get("/?unpublished=1")
	mustContain(t, text(body), "17,876 of 500,000 people", "not published yet", "Showing every figure, published or not")
	mustContain(t, body, `class="hrx-unpublished"`, "Not published yet")
	_, body = staff.get("/targets/total-exchange?unpublished=1")
	mustContain(t, text(body), "17,876 of 500,000 people", "October 2025 not published yet")
	if strings.Contains(text(body), "September 2025 not published yet") {
		t.Error("a published month is marked unpublished")
	}
	// The public view is still the published one afterwards (the caches are per view).
	_, body = anon.get("/")
	mustContain(t, text(body), "300 of 500,000 people")
}

func TestMonthWorkflow(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("ap@example.gov.in", users.Approver)
	e.addUser("view@example.gov.in", users.Viewer)
	e.insert(figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 120})
	e.nothingToReport("2025-09") // publication goes in month order
	ed, ap, viewer := e.browser(), e.browser(), e.browser()
	ed.signIn("ed@example.gov.in")
	ap.signIn("ap@example.gov.in")
	viewer.signIn("view@example.gov.in")

	_, body := ed.get("/months/2025-10")
	mustContain(t, text(body), "Open", "Submit October 2025 for review")
	mustContain(t, body, `name="c.IN-JP.student"`)
	if st, _ := ed.post("/months/2025-10/state", url.Values{"action": {"submit"}}); st != http.StatusSeeOther {
		t.Fatalf("submit: %d", st)
	}
	_, body = ed.get("/months/2025-10")
	mustContain(t, text(body), "Submitted for review", "submitted by ed@example.gov.in on", "Its figures cannot change now; ask an approver to send it back to open.")
	if strings.Contains(body, `name="c.IN-JP.student"`) || strings.Contains(text(body), "Publish October 2025") {
		t.Error("a submitted month offers inputs or publishing to an editor")
	}
	// A save sent anyway (an old tab) is refused, says why, and saves nothing.
	st, body := ed.post("/months/2025-10", url.Values{"v.IN-JP.student": {"1"}, "c.IN-JP.student": {"5"}})
	if st != http.StatusConflict {
		t.Fatalf("save in a submitted month: %d", st)
	}
	mustContain(t, text(body), "October 2025 was submitted for review by ed@example.gov.in on", "Nothing was saved")
	if got := monthTotal(t, e, "2025-10"); got != 120 {
		t.Fatalf("the refused save changed the month: %d", got)
	}
	// Editors and viewers cannot publish; the server says so whatever the page offered.
	if st, body := ed.post("/months/2025-10/state", url.Values{"action": {"publish"}}); st != http.StatusForbidden || !strings.Contains(text(body), "Only an approver or admin can publish a month") {
		t.Errorf("editor publishing: %d", st)
	}
	viewer.get("/months/2025-10")
	if st, _ := viewer.post("/months/2025-10/state", url.Values{"action": {"submit"}}); st != http.StatusForbidden {
		t.Errorf("viewer submitting: %d", st)
	}
	// Returning needs a comment, kept on the page after the refusal.
	_, body = ap.get("/months/2025-10")
	mustContain(t, text(body), "Publish October 2025", "Send back to open", "The dashboard, widgets and public API will then count its 120 people.")
	st, body = ap.post("/months/2025-10/state", url.Values{"action": {"return"}, "comment": {""}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("return without comment: %d", st)
	}
	mustContain(t, text(body), "Write what needs to be fixed")
	if st, _ := ap.publishMonth("2025-10"); st != http.StatusSeeOther {
		t.Fatalf("publish: %d", st)
	}
	_, body = anonymousDashboard(e)
	mustContain(t, text(body), "120 of 500,000 people")
	_, body = ed.get("/months/2025-10")
	mustContain(t, text(body), "Published", "published by ap@example.gov.in on", "Its figures cannot change now; ap@example.gov.in can reopen it for revision.")
	// Reopening needs a reason; the month is then open for revision, the public unchanged.
	if st, _ := ap.post("/months/2025-10/state", url.Values{"action": {"reopen"}, "comment": {" "}}); st != http.StatusUnprocessableEntity {
		t.Errorf("reopen without reason: %d", st)
	}
	if st, _ := ap.post("/months/2025-10/state", url.Values{"action": {"reopen"}, "comment": {"JASSO revised October"}, "confirmed": {"yes"}}); st != http.StatusSeeOther {
		t.Fatalf("reopen: %d", st)
	}
	_, body = ed.get("/months/2025-10")
	mustContain(t, text(body), "Open for revision", "reopened by ap@example.gov.in", "JASSO revised October")
	if st, _ := ed.post("/months/2025-10", url.Values{"v.IN-JP.student": {"1"}, "c.IN-JP.student": {"90"}}); st != http.StatusSeeOther {
		t.Fatalf("save during the revision: %d", st)
	}
	_, body = anonymousDashboard(e)
	mustContain(t, text(body), "120 of 500,000 people")
	ed.post("/months/2025-10/state", url.Values{"action": {"submit"}})
	ap.get("/months/2025-10")
	ap.publishMonth("2025-10")
	_, body = anonymousDashboard(e)
	mustContain(t, text(body), "90 of 500,000 people")
	_, body = ed.get("/months")
	mustContain(t, text(body), "October 2025 90 1 Has data Published (revised) published by ap@example.gov.in on")
	// The cell shows its history: the bulk insert and the form save, newest first.
	_, body = ed.get("/months/2025-10/rows?direction=IN-JP&category=student")
	mustContain(t, text(body), "History of this cell",
		"ed@example.gov.in update the cell 120 90 month form",
		"test insert the cell — 120 test data")
	_, body = ed.get("/months/2025-10")
	mustContain(t, body, `href="/months/2025-10/rows?direction=IN-JP&amp;category=student#history"`)
	// Every move is in the audit log.
	_, body = ap.get("/audit?kind=month")
	mustContain(t, text(body), "reopen", "JASSO revised October", "submit", "publish")
}

func anonymousDashboard(e *env) (int, string) {
	return e.browser().get("/")
}

// TestLockedMonthRefusesUploads: a file that would change a submitted or
// published month is rejected whole, with one error for the month (naming who
// locked it and when), on the web, over the API and at apply.
func TestLockedMonthRefusesUploads(t *testing.T) {
	e := newEnv(t)
	ed := e.addUser("ed@example.gov.in", users.Editor)
	e.insert(figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 5})
	ctx := context.Background()
	ap := approval.NewStore(e.db, figures.NewStore(e.db))
	approver := e.addUser("ap@example.gov.in", users.Approver).Actor()
	// Submitted by the editor, published by the approver: four eyes.
	if _, err := ap.Do(ctx, ed.Actor(), users.Editor, "2025-09", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := ap.Do(ctx, approver, users.Approver, "2025-09", approval.Publish, ""); err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	b.signIn("ed@example.gov.in")
	_, body := b.get("/imports/new")
	mustContain(t, text(body), "1 month is locked: September 2025 — details", "September 2025: Published, published by ap@example.gov.in on")
	// Two months in one file: the good row of an open month does not save the file.
	file := []byte("month,direction,category,count\n2025-09,IN-JP,student,7\n2025-10,IN-JP,student,3\n2025-09,JP-IN,business,4\n")
	at, body := upload(t, b, "mixed.csv", file, "merge")
	mustContain(t, text(body), "Errors 1", "September 2025 was published by ap@example.gov.in on", "ask an approver to reopen it",
		"2 rows of the file would change this month (the first on line 2)", "rejected")
	if strings.Contains(body, at+"/apply") {
		t.Error("a file touching a published month can be applied")
	}
	if st, _ := b.post(at+"/apply", nil); st != http.StatusConflict {
		t.Errorf("apply: %d", st)
	}
	if got := monthTotal(t, e, "2025-10"); got != 0 {
		t.Errorf("the open month's row was applied: %d", got)
	}
	// Over the API: 422, one error for the month, at its first line, column "month".
	tok, _, err := e.web.Users().CreateToken(ctx, audit.System("test"), ed.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/imports", bytes.NewReader(file))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Applied bool
		Errors  []struct {
			Line    int
			Column  string
			Value   string
			Message string
		}
	}
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity || out.Applied || len(out.Errors) != 1 ||
		out.Errors[0].Line != 2 || out.Errors[0].Column != "month" || out.Errors[0].Value != "2025-09" {
		t.Fatalf("API: %d %+v", resp.StatusCode, out)
	}
	// A preview made while the month was open cannot be applied once it is locked.
	at, _ = upload(t, b, "october.csv", []byte("month,direction,category,count\n2025-10,IN-JP,student,3\n"), "merge")
	if _, err := ap.Do(ctx, audit.Actor{Name: "ed@example.gov.in"}, users.Editor, "2025-10", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	st, body := b.post(at+"/apply", nil)
	if st != http.StatusConflict {
		t.Fatalf("apply into a month submitted after the preview: %d", st)
	}
	mustContain(t, text(body), "October 2025 was submitted for review by ed@example.gov.in on")
	if got := monthTotal(t, e, "2025-10"); got != 0 {
		t.Errorf("applied into a submitted month: %d", got)
	}
	// An applied import cannot be reverted once its month is published.
	at, _ = upload(t, b, "november.csv", []byte("month,direction,category,count\n2025-11,IN-JP,student,8\n"), "merge")
	if st, _ := b.post(at+"/apply", confirmed()); st != http.StatusSeeOther {
		t.Fatalf("apply november: %d", st)
	}
	_, body = b.get("/months/2025-11/rows?direction=IN-JP&category=student")
	mustContain(t, text(body), "ed@example.gov.in import the cell — 8 import #")
	mustContain(t, text(body), "(november.csv)")
	if _, err := ap.Do(ctx, approver, users.Approver, "2025-11", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	if st, body := b.post(at+"/revert", nil); st != http.StatusConflict || !strings.Contains(text(body), "November 2025 was submitted for review by ap@example.gov.in") {
		t.Errorf("revert in a submitted month: %d", st)
	}
	if got := monthTotal(t, e, "2025-11"); got != 8 {
		t.Errorf("reverted in a submitted month: %d", got)
	}
}
