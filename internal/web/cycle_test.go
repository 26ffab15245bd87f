package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"hrx/internal/figures"
	"hrx/internal/users"
)

// TestBodiesAdmin: an administrator adds, changes and removes a reporting
// body; the form's problems show beside each field with the input kept;
// each change is in the audit log in words; other roles are refused on the
// server.
func TestBodiesAdmin(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@example.gov.in", users.Admin)
	ed := e.addUser("ed@example.gov.in", users.Editor)
	ap := e.addUser("ap@example.gov.in", users.Approver)
	e.addUser("viewer@example.gov.in", users.Viewer)
	b := e.browser()
	b.signIn("admin@example.gov.in")

	st, body := b.get("/admin/bodies")
	if st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	mustContain(t, text(body), "There are no reporting bodies yet", "ed@example.gov.in (editor)", "ap@example.gov.in (approver)")
	if strings.Contains(body, "viewer@example.gov.in") {
		t.Error("a viewer is offered as a member")
	}

	// Every field's problem at once, the input kept.
	st, body = b.post("/admin/bodies", url.Values{"name_en": {""}, "name_ja": {"移住課"}, "due_day": {"31"}, "members": {"999"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("errors: status %d", st)
	}
	mustContain(t, text(body), "There is a problem", "Enter the body's name in English", "Enter a whole number from 1 to 28",
		"Tick at least one cell this body reports", "Choose members from the editors and approvers listed")
	mustContain(t, body, `value="移住課"`, `value="31"`, `aria-invalid="true"`)

	add := url.Values{"name_en": {"Emigration desk"}, "name_ja": {"移住課"}, "due_day": {""},
		"cells": {"IN-JP/student", "IN-JP/engineer"}, "members": {strconv.FormatInt(ed.ID, 10), strconv.FormatInt(ap.ID, 10)}}
	st, _ = b.post("/admin/bodies", add)
	if st != http.StatusSeeOther {
		t.Fatalf("add: status %d", st)
	}
	_, body = b.get("/admin/bodies")
	mustContain(t, text(body), "Emigration desk is added as a reporting body.", "Emigration desk", "Day 15 of the following month",
		"2 cells: Engineers, IT and specialist professionals, India to Japan and Students, India to Japan")

	// Another body may not take the same cell; the same name is refused too.
	st, body = b.post("/admin/bodies", url.Values{"name_en": {"emigration desk"}, "cells": {"IN-JP/student"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("taken: status %d", st)
	}
	mustContain(t, text(body), "is already a reporting body", "some cells you ticked are reported by Emigration desk")

	var id int64
	if err := e.db.R.Raw("SELECT id FROM bodies WHERE name_en = ?", "Emigration desk").Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("body id: %v", err)
	}
	sid := strconv.FormatInt(id, 10)
	_, body = b.get("/admin/bodies?edit=" + sid)
	mustContain(t, text(body), "Change Emigration desk", "Save Emigration desk")
	mustContain(t, body, `value="IN-JP/student" checked`)
	change := url.Values{"id": {sid}, "name_en": {"Emigration desk"}, "due_day": {"10"}, "cells": {"IN-JP/student"}}
	if st, _ = b.post("/admin/bodies", change); st != http.StatusSeeOther {
		t.Fatalf("change: status %d", st)
	}

	// Removing asks first, with the consequence.
	st, body = b.get("/admin/bodies/" + sid + "/delete")
	if st != http.StatusOK {
		t.Fatalf("confirm: status %d", st)
	}
	mustContain(t, text(body), "Remove Emigration desk?", "Its 1 cell will fall to the administrators.", "No figures are changed or removed.")
	if st, body = b.post("/admin/bodies/"+sid+"/delete", nil); st != http.StatusOK || !strings.Contains(text(body), "Remove Emigration desk?") {
		t.Fatalf("a removal not confirmed: %d", st)
	}
	if st, _ = b.post("/admin/bodies/"+sid+"/delete", url.Values{"confirmed": {"yes"}}); st != http.StatusSeeOther {
		t.Fatalf("remove: status %d", st)
	}
	_, body = b.get("/admin/bodies")
	mustContain(t, text(body), "Emigration desk is removed")

	_, body = b.get("/audit")
	mustContain(t, text(body), "Added the reporting body Emigration desk (cells: 2; due on day 15 of the following month; members: 2)",
		"Changed the reporting body Emigration desk (cells: 1; due on day 10 of the following month; members: 0)",
		"Removed the reporting body Emigration desk; its cells fall to the administrators")

	// Roles on the server: an approver may neither see nor change bodies.
	other := e.browser()
	other.signIn("ap@example.gov.in")
	if st, _ := other.get("/admin/bodies"); st != http.StatusForbidden {
		t.Errorf("an approver sees the page: %d", st)
	}
	if st, _ := other.post("/admin/bodies", add); st != http.StatusForbidden {
		t.Errorf("an approver adds a body: %d", st)
	}
	if st, _ := other.post("/admin/bodies/1/delete", url.Values{"confirmed": {"yes"}}); st != http.StatusForbidden {
		t.Errorf("an approver removes a body: %d", st)
	}
	var n int64
	e.db.R.Raw("SELECT COUNT(*) FROM bodies").Scan(&n)
	if n != 0 {
		t.Errorf("%d bodies after the refusals", n)
	}
}

// TestCompleteness: the page for staff, its CSV guarded against formulas,
// its JSON for signed-in staff only.
func TestCompleteness(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@example.gov.in", users.Admin)
	e.addUser("viewer@example.gov.in", users.Viewer)
	b := e.browser()
	b.signIn("admin@example.gov.in")
	if st, body := b.post("/admin/bodies", url.Values{"name_en": {"=HYPERLINK(\"http://x\")"}, "cells": {"IN-JP/student"}}); st != http.StatusSeeOther {
		t.Fatalf("add: %d %s", st, text(body))
	}
	e.insert(figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 0})

	v := e.browser()
	v.signIn("viewer@example.gov.in")
	st, body := v.get("/completeness?from=2025-09&to=2025-10")
	if st != http.StatusOK {
		t.Fatalf("page: %d", st)
	}
	mustContain(t, text(body), "Reporting completeness", "=HYPERLINK", "Administrators (cells no body reports)", "Late", "Missing", "Reporting rate")
	mustContain(t, body, `role="img"`, "<caption>")
	_, body = v.get("/completeness?from=2025-09&to=2025-10&body=0")
	mustContain(t, text(body), "Back to all reporting bodies", "Each cell of Administrators")
	st, body = v.get("/completeness?from=2025-13&to=2025-10")
	if st != http.StatusUnprocessableEntity {
		t.Errorf("a bad month: %d", st)
	}
	mustContain(t, text(body), "Enter a month as YYYY-MM")

	st, body = v.get("/completeness.csv?from=2025-10&to=2025-10")
	if st != http.StatusOK {
		t.Fatalf("csv: %d", st)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 21 || recs[0][5] != "status" {
		t.Fatalf("csv: %d lines, header %v", len(recs), recs[0])
	}
	found := false
	for _, r := range recs[1:] {
		if r[3] == "IN-JP" && r[4] == "student" {
			found = true
			if r[2] != `'=HYPERLINK("http://x")` || r[5] != "late" || r[6] != "1" {
				t.Errorf("the body's cell: %v", r)
			}
		}
	}
	if !found {
		t.Error("no line for the body's cell")
	}

	st, body = v.get("/completeness.json?from=2025-10&to=2025-10")
	if st != http.StatusOK {
		t.Fatalf("json: %d", st)
	}
	var out struct {
		Rate   *float64 `json:"rate"`
		Bodies []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"bodies"`
		Months []struct {
			Month  string `json:"month"`
			Bodies []struct {
				Cells map[string]string `json:"cells"`
			} `json:"bodies"`
		} `json:"months"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if out.Rate == nil || *out.Rate != 0 || len(out.Bodies) != 2 || out.Bodies[1].ID != 0 || out.Months[0].Month != "2025-10" ||
		out.Months[0].Bodies[0].Cells["IN-JP/student"] != "late" {
		t.Errorf("json: %s", body)
	}
	anon := e.browser()
	if st, _ := anon.get("/completeness.json"); st != http.StatusSeeOther {
		t.Errorf("json without a session: %d", st)
	}
	if st, _ := anon.get("/completeness.csv"); st != http.StatusSeeOther {
		t.Errorf("csv without a session: %d", st)
	}
}

// TestWorklistOnStartPage: a member of a body with an overdue month sees it
// at the top of the start page and the count in the navigation on every
// page; an approver sees a submitted month; a viewer sees neither.
func TestWorklistOnStartPage(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@example.gov.in", users.Admin)
	ed := e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("ap@example.gov.in", users.Approver)
	e.addUser("viewer@example.gov.in", users.Viewer)
	a := e.browser()
	a.signIn("admin@example.gov.in")
	if st, _ := a.post("/admin/bodies", url.Values{"name_en": {"Emigration desk"}, "cells": {"IN-JP/student"}, "members": {strconv.FormatInt(ed.ID, 10)}}); st != http.StatusSeeOther {
		t.Fatal("add body")
	}
	e.insert(figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 4})

	b := e.browser()
	b.signIn("ed@example.gov.in")
	_, body := b.get("/")
	mustContain(t, text(body), "Needs your action", "Overdue", "October 2025 for Emigration desk was due on 15 November 2025, and 1 cell has no figure yet.",
		"Enter figures for October 2025")
	if strings.Contains(text(body), "September 2025 for Emigration desk") {
		t.Error("September has its figure")
	}
	_, months := b.get("/months")
	if !strings.Contains(months, `class="badge"`) || !strings.Contains(text(months), "things need your action") {
		t.Error("no count in the navigation")
	}

	// The editor submits September; the approver sees it to review.
	if st, body := b.post("/months/2025-09/state", url.Values{"action": {"submit"}}); st != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", st, text(body))
	}
	ap := e.browser()
	ap.signIn("ap@example.gov.in")
	_, body = ap.get("/")
	mustContain(t, text(body), "To review", "September 2025 was submitted by ed@example.gov.in", "Review September 2025")

	// An administrator has the cells no body reports: from January 2025
	// (the first target's start, moved back) every month, 15 listed, the
	// rest counted, the navigation counting them all.
	if err := e.db.W.Exec("UPDATE targets SET start_month = ? WHERE slug = ?", "2025-01", "total-exchange").Error; err != nil {
		t.Fatal(err)
	}
	_, body = a.get("/")
	if n := strings.Count(body, `<li class="work-overdue">`); n != 15 {
		t.Errorf("%d overdue months listed", n)
	}
	mustContain(t, text(body), "And 8 more:", "23 things need your action")

	// An administrator has the cells no body reports: from January 2025
	// (the first target's start, moved back) every month, 15 listed, the
	// rest counted, the navigation counting them all.
	if err := e.db.W.Exec("UPDATE targets SET start_month = ? WHERE slug = ?", "2025-01", "total-exchange").Error; err != nil {
		t.Fatal(err)
	}
	_, body = a.get("/")
	if n := strings.Count(body, `<li class="work-overdue">`); n != 15 {
		t.Errorf("%d overdue months listed", n)
	}
	mustContain(t, text(body), "And 8 more:", "23 things need your action")

	v := e.browser()
	v.signIn("viewer@example.gov.in")
	_, body = v.get("/")
	if strings.Contains(body, `id="worklist"`) || strings.Contains(body, `class="badge"`) {
		t.Error("a viewer has a worklist")
	}
}
