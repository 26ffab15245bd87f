package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hrx/internal/audit"
	"hrx/internal/figures"
	"hrx/internal/settings"
	"hrx/internal/users"
)

// asOfEverywhere checks what every public surface says is the latest month:
// the dashboard and target page ("As of …"), the targets API (as_of), the
// widgets (HTML and SVG), the figures API by month and the export; and that
// no later month shows anywhere.
func asOfEverywhere(t *testing.T, e *env, words, code string, later ...string) {
	t.Helper()
	b := e.browser()
	for _, path := range []string{"/", "/targets/total-exchange"} {
		_, body := b.get(path)
		mustContain(t, text(body), "As of "+words)
	}
	for _, path := range []string{"/embed/total-exchange", "/embed/total-exchange?style=card", "/embed/total-exchange.svg"} {
		if _, body := b.get(path); !strings.Contains(body, words) {
			t.Errorf("%s does not say %s", path, words)
		}
	}
	_, body := b.get("/api/v1/targets")
	var list struct {
		Targets []struct {
			Slug string
			AsOf *string `json:"as_of"`
		}
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Targets) == 0 {
		t.Fatalf("/api/v1/targets: %v %s", err, body)
	}
	for _, tg := range list.Targets {
		if tg.Slug == "skilled-workers" && tg.AsOf == nil {
			continue // students are not skilled: no figures count toward it
		}
		if tg.AsOf == nil || *tg.AsOf != code {
			t.Errorf("/api/v1/targets %s as_of %v, want %s", tg.Slug, tg.AsOf, code)
		}
	}
	_, byMonth := b.get("/api/v1/figures?group_by=month")
	_, csv := b.get("/export/figures.csv")
	if !strings.Contains(byMonth, `"`+code+`"`) || !strings.Contains(csv, "\n"+code+",") {
		t.Errorf("the figures API or the export lacks %s:\n%s\n%s", code, byMonth, csv)
	}
	for _, path := range append(publicRoutes, "/export/figures.csv") {
		_, body := b.get(path)
		for _, l := range later {
			if strings.Contains(body, l) {
				t.Errorf("%s shows %s, after the public's latest month", path, l)
			}
		}
	}
}

// TestPublicationInOrder: a month is published only after the months before
// it; the refusal names the month that blocks and who can act on it, and no
// public surface ever shows a month after one the public has not seen. An
// empty month is published as "nothing to report", with the reason, and the
// charts mark it rather than draw a zero.
func TestPublicationInOrder(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("ap@example.gov.in", users.Approver)
	e.insertPublished(figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 100})
	e.insert(figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 20},
		figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 3456},
		figures.Figure{Month: "2026-01", Direction: "IN-JP", Category: "student", Count: 7})
	ed, ap := e.browser(), e.browser()
	ed.signIn("ed@example.gov.in")
	ap.signIn("ap@example.gov.in")

	ed.get("/months/2025-11")
	ed.post("/months/2025-11/state", url.Values{"action": {"submit"}})
	ap.get("/months/2025-11")
	st, body := ap.post("/months/2025-11/state", url.Values{"action": {"publish"}})
	if st != http.StatusConflict {
		t.Fatalf("publishing November before October: %d", st)
	}
	mustContain(t, text(body), "November 2025 cannot be published yet: months are published in order, and October 2025 is not published. It is open; an editor must submit it for review, and an approver publish it, first")
	ed.post("/months/2025-10/state", url.Values{"action": {"submit"}})
	_, body = ap.post("/months/2025-11/state", url.Values{"action": {"publish"}})
	mustContain(t, text(body), "and October 2025 is not published. It was submitted for review by ed@example.gov.in on")
	asOfEverywhere(t, e, "September 2025", "2025-09", "3,456", "3456", "2025-11", "2025-10")

	// In order, both go through.
	for _, m := range []string{"2025-10", "2025-11"} {
		ap.get("/months/" + m)
		if st, _ := ap.publishMonth(m); st != http.StatusSeeOther {
			t.Fatalf("publishing %s: %d", m, st)
		}
	}
	asOfEverywhere(t, e, "November 2025", "2025-11", "2026-01")

	// December has no figures: January waits until December is published as
	// "nothing to report", which needs the reason.
	ed.post("/months/2026-01/state", url.Values{"action": {"submit"}})
	_, body = ap.post("/months/2026-01/state", url.Values{"action": {"publish"}})
	mustContain(t, text(body), "and December 2025 is not published. It has no figures; enter them, or an approver can publish it as “nothing to report”, giving the reason")
	ap.get("/months/2025-12")
	if st, body := ap.post("/months/2025-12/state", url.Values{"action": {"nothing_to_report"}, "comment": {""}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(text(body), "Say why there are no figures to report") {
		t.Errorf("nothing to report without a reason: %d", st)
	}
	if st, _ := ap.post("/months/2025-12/state", url.Values{"action": {"nothing_to_report"}, "comment": {"MEA sent no December file: offices were closed"}, "confirmed": {"yes"}}); st != http.StatusSeeOther {
		t.Fatalf("nothing to report: %d", st)
	}
	_, body = ap.get("/months/2025-12")
	mustContain(t, text(body), "December 2025 is published as “nothing to report”")
	ap.get("/months/2026-01")
	if st, _ := ap.publishMonth("2026-01"); st != http.StatusSeeOther {
		t.Fatalf("publishing January after December: %d", st)
	}
	asOfEverywhere(t, e, "January 2026", "2026-01")
	_, body = e.browser().get("/")
	mustContain(t, body, "Dec 2025 · No figures reported</title>")
}

// TestFourEyesOnTheMonthPage: whoever changed a month's figures (in the grid
// or by an upload) or submitted it is refused when they post its publication,
// told who else can; another approver can; with the rule off, anyone can.
func TestFourEyesOnTheMonthPage(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("ap@example.gov.in", users.Approver)
	e.addUser("ap2@example.gov.in", users.Approver)
	e.addUser("admin@example.gov.in", users.Admin)
	ed, ap, ap2 := e.browser(), e.browser(), e.browser()
	ed.signIn("ed@example.gov.in")
	ap.signIn("ap@example.gov.in")
	ap2.signIn("ap2@example.gov.in")

	// The approver typed September's figure; the editor submitted it.
	ap.get("/months/2025-09")
	if st, _ := ap.post("/months/2025-09", url.Values{"v.IN-JP.student": {"0"}, "c.IN-JP.student": {"40"}}); st != http.StatusSeeOther {
		t.Fatalf("approver saves the grid: %d", st)
	}
	ed.get("/months/2025-09")
	ed.post("/months/2025-09/state", url.Values{"action": {"submit"}})
	ap.get("/months/2025-09")
	st, body := ap.post("/months/2025-09/state", url.Values{"action": {"publish"}})
	if st != http.StatusForbidden {
		t.Fatalf("publishing what one typed: %d", st)
	}
	mustContain(t, text(body), "September 2025: you changed its figures since it was last published, so under the four-eyes rule someone else must publish it. admin@example.gov.in and ap2@example.gov.in can publish it.")
	ap2.get("/months/2025-09")
	if st, _ := ap2.publishMonth("2025-09"); st != http.StatusSeeOther {
		t.Fatalf("a second approver publishes: %d", st)
	}

	// An upload counts as a change; submitting too.
	at, _ := upload(t, ap2, "october.csv", []byte("month,direction,category,count\n2025-10,IN-JP,student,12\n"), "merge")
	if st, _ := ap2.post(at+"/apply", confirmed()); st != http.StatusSeeOther {
		t.Fatalf("apply: %d", st)
	}
	ap2.get("/months/2025-10")
	ap2.post("/months/2025-10/state", url.Values{"action": {"submit"}})
	st, body = ap2.post("/months/2025-10/state", url.Values{"action": {"publish"}})
	if st != http.StatusForbidden {
		t.Fatalf("publishing what one uploaded and submitted: %d", st)
	}
	mustContain(t, text(body), "October 2025: you submitted it for review and changed its figures since it was last published", "admin@example.gov.in and ap@example.gov.in can publish it.")

	// With the rule off, one person may do both.
	if err := settings.NewStore(e.db).Set(context.Background(), audit.System("test"), map[string]string{"four_eyes": "off"}); err != nil {
		t.Fatal(err)
	}
	if st, _ := ap2.publishMonth("2025-10"); st != http.StatusSeeOther {
		t.Fatalf("publishing with the rule off: %d", st)
	}
}
