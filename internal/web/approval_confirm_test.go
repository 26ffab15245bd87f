package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"hrx/internal/approval"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/users"
)

var (
	flagKeyRe   = regexp.MustCompile(`name="flag" value="([^"]+)"`)
	flagValueRe = regexp.MustCompile(`name="value\.([^"]+)" value="([0-9]+)"`)
)

// publishMonth publishes month m from its page as an approver does: the
// button asks first, and the confirmation goes back with a reason for each
// flagged figure it lists. A refusal before the confirmation is returned as it is.
func (b *browser) publishMonth(m string) (int, string) {
	b.e.t.Helper()
	st, body := b.post("/months/"+m+"/state", url.Values{"action": {"publish"}})
	if st != http.StatusOK {
		return st, body
	}
	return b.post("/months/"+m+"/state", confirmFlags(body, "checked with the source"))
}

// confirmFlags is the publish confirmation's form, sent back with reason for each flag it lists.
func confirmFlags(body, reason string) url.Values {
	form := url.Values{"action": {"publish"}, "confirmed": {"yes"}}
	values := map[string]string{}
	for _, v := range flagValueRe.FindAllStringSubmatch(body, -1) {
		values[html.UnescapeString(v[1])] = v[2]
	}
	for _, k := range flagKeyRe.FindAllStringSubmatch(body, -1) {
		key := html.UnescapeString(k[1])
		form.Add("flag", key)
		form.Set("value."+key, values[key])
		form.Set("reason."+key, reason)
	}
	return form
}

// state is a month's state as the domain has it.
func state(t *testing.T, e *env, m string) approval.MonthState {
	t.Helper()
	st, err := approval.NewStore(e.db, figures.NewStore(e.db)).State(context.Background(), month.MustParse(m))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// flaggedOctober has six months of history before the plan (students 100 a
// month), September published (300 people), and October submitted by the
// editor: students 450, four and a half times their median, and a total of
// 650 after 300; both are flagged.
func flaggedOctober(t *testing.T, e *env) (ed, ap *browser) {
	t.Helper()
	e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("ap@example.gov.in", users.Approver)
	for m := month.MustParse("2025-03"); m <= month.MustParse("2025-08"); m++ {
		e.insert(figures.Figure{Month: m.String(), Direction: "IN-JP", Category: "student", Count: 100})
	}
	e.insertPublished(figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 100},
		figures.Figure{Month: "2025-09", Direction: "JP-IN", Category: "business", Count: 200})
	e.insert(figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 450},
		figures.Figure{Month: "2025-10", Direction: "JP-IN", Category: "business", Count: 200})
	ed, ap = e.browser(), e.browser()
	ed.signIn("ed@example.gov.in")
	ap.signIn("ap@example.gov.in")
	ed.get("/months/2025-10")
	if st, _ := ed.post("/months/2025-10/state", url.Values{"action": {"submit"}}); st != http.StatusSeeOther {
		t.Fatalf("submit: %d", st)
	}
	return ed, ap
}

// TestPublishAsksFirst: publishing shows what the public will see, in
// numbers, and asks a reason for each flagged figure; nothing changes until
// it is confirmed with every reason; the reasons reach the cell's history; a
// figure changed afterwards needs a reason again.
func TestPublishAsksFirst(t *testing.T) {
	e := newEnv(t)
	ed, ap := flaggedOctober(t, e)

	_, body := ap.get("/months/2025-10")
	mustContain(t, text(body), "Publish October 2025", "The next page shows what the public will see and asks you to confirm.",
		"Its figures cannot change while it is submitted; publish it, or send it back to open below")
	if strings.Contains(text(body), "ask an approver") {
		t.Error("an approver is told to ask an approver")
	}
	st, body := ap.post("/months/2025-10/state", url.Values{"action": {"publish"}})
	if st != http.StatusOK {
		t.Fatalf("publish: %d", st)
	}
	mustContain(t, text(body), "Publish October 2025?",
		"Publishing October 2025 makes its 650 people public.",
		"Total human resource exchange: the public total becomes 950 of 500,000 people (now 300).",
		"2 figures are far from their recent level.",
		"Reason for Students, India to Japan", "Students, India to Japan: 450 ▲ Far above its recent level",
		"Reason for the month's total", "The month's total: 650")
	mustContain(t, body, `id="reason-2025-10-IN-JP-student"`, `name="reason.2025-10/IN-JP/student"`, `name="value.2025-10/total" value="650"`,
		`name="confirmed" value="yes"`, `href="/months/2025-10"`)
	if strings.Contains(text(body), "Skilled workers") {
		t.Error("a target the month does not count toward is listed")
	}
	if st := state(t, e, "2025-10"); st.State != approval.Submitted {
		t.Fatalf("asking changed the month: %s", st.State)
	}
	// The same page without scripts, by its address.
	if st, body := ap.get("/months/2025-10/state?action=publish"); st != http.StatusOK || !strings.Contains(text(body), "makes its 650 people public") {
		t.Errorf("GET confirmation: %d", st)
	}

	// Confirmed without the reasons: the page again, each reason missing beside its field.
	form := confirmFlags(body, "")
	st, body = ap.post("/months/2025-10/state", form)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("publish without reasons: %d", st)
	}
	mustContain(t, text(body), "There is a problem",
		"Reason for Students, India to Japan: Say in a few words why this figure is right as it is")
	mustContain(t, body, `href="#reason-2025-10-IN-JP-student"`, `href="#reason-2025-10-total"`, `aria-invalid="true"`, "<title>Error: Publish October 2025?")
	if st := state(t, e, "2025-10"); st.State != approval.Submitted {
		t.Fatalf("a refused publication changed the month: %s", st.State)
	}
	// One reason given, the other not: the given one is kept on the page.
	form.Set("reason.2025-10/IN-JP/student", "JASSO: the autumn intake")
	st, body = ap.post("/months/2025-10/state", form)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, ">JASSO: the autumn intake</textarea>") {
		t.Fatalf("one reason missing: %d", st)
	}
	form.Set("reason.2025-10/total", "the autumn intake")
	if st, _ := ap.post("/months/2025-10/state", form); st != http.StatusSeeOther {
		t.Fatalf("publish with reasons: %d", st)
	}
	_, body = anonymousDashboard(e)
	mustContain(t, text(body), "950 of 500,000 people")
	_, body = ap.get("/months/2025-10/rows?direction=IN-JP&category=student")
	mustContain(t, text(body), "ap@example.gov.in", "JASSO: the autumn intake")

	// Reopened, revised, submitted: the students changed and need a reason again.
	st, body = ap.post("/months/2025-10/state", url.Values{"action": {"reopen"}, "comment": {"JASSO revised October"}})
	if st != http.StatusOK {
		t.Fatalf("reopen: %d", st)
	}
	mustContain(t, text(body), "Reopen October 2025 for revision?", "Editors can change the figures of October 2025 again",
		"Until then the public keeps seeing the figures published on", ": 650 people.")
	mustContain(t, body, ">JASSO revised October</textarea>")
	if st := state(t, e, "2025-10"); st.State != approval.Published {
		t.Fatalf("asking reopened the month: %s", st.State)
	}
	if st, _ := ap.post("/months/2025-10/state", url.Values{"action": {"reopen"}, "comment": {"JASSO revised October"}, "confirmed": {"yes"}}); st != http.StatusSeeOther {
		t.Fatalf("reopen confirmed: %d", st)
	}
	ed.get("/months/2025-10")
	if st, _ := ed.post("/months/2025-10", url.Values{"v.IN-JP.student": {"1"}, "c.IN-JP.student": {"480"}}); st != http.StatusSeeOther {
		t.Fatalf("revise: %d", st)
	}
	ed.get("/months/2025-10")
	ed.post("/months/2025-10/state", url.Values{"action": {"submit"}})
	_, body = ap.post("/months/2025-10/state", url.Values{"action": {"publish"}})
	mustContain(t, text(body), "Publishing October 2025 again replaces the 650 people the public sees for it with 680.",
		"Total human resource exchange: the public total becomes 980 of 500,000 people (now 950).",
		"Students, India to Japan: 480", "The month's total: 680")
	// Sent without confirming the new values (an old tab's reasons): refused, saying so.
	old := url.Values{"action": {"publish"}, "confirmed": {"yes"}, "flag": {"2025-10/IN-JP/student"},
		"value.2025-10/IN-JP/student": {"450"}, "reason.2025-10/IN-JP/student": {"JASSO: the autumn intake"}}
	if st, body := ap.post("/months/2025-10/state", old); st != http.StatusConflict ||
		!strings.Contains(text(body), "India to Japan, student (now 480; it was 450 when the reason was written)") {
		t.Errorf("reasons for the old values: %d", st)
	}
	if st, _ := ap.publishMonth("2025-10"); st != http.StatusSeeOther {
		t.Fatalf("publishing the revision: %d", st)
	}
	_, body = anonymousDashboard(e)
	mustContain(t, text(body), "980 of 500,000 people")
}

// TestSendBackAndNothingToReportAskFirst: sending back says who is told,
// keeps the comment for the confirmation and changes nothing until it is
// confirmed; an empty month is offered "nothing to report" by its page,
// which asks first too.
func TestSendBackAndNothingToReportAskFirst(t *testing.T) {
	e := newEnv(t)
	ed, ap := flaggedOctober(t, e)
	st, body := ap.post("/months/2025-10/state", url.Values{"action": {"return"}, "comment": {"Students look high: check the JASSO file"}})
	if st != http.StatusOK {
		t.Fatalf("send back: %d", st)
	}
	mustContain(t, text(body), "Send October 2025 back to open?",
		"October 2025 goes back to open: editors can change its figures again, and it must be submitted for review again before it can be published.",
		"ed@example.gov.in submitted it. Your comment is shown with the month, on its page, where they and the other editors read it.",
		"Send October 2025 back to open Cancel")
	mustContain(t, body, ">Students look high: check the JASSO file</textarea>")
	if st := state(t, e, "2025-10"); st.State != approval.Submitted {
		t.Fatalf("asking sent the month back: %s", st.State)
	}
	// Emptied on the confirmation: refused beside the field, nothing changes.
	st, body = ap.post("/months/2025-10/state", url.Values{"action": {"return"}, "comment": {" "}, "confirmed": {"yes"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(text(body), "Write what needs to be fixed") || state(t, e, "2025-10").State != approval.Submitted {
		t.Fatalf("send back without a comment: %d", st)
	}
	if st, _ := ap.post("/months/2025-10/state", url.Values{"action": {"return"}, "comment": {"Students look high"}, "confirmed": {"yes"}}); st != http.StatusSeeOther {
		t.Fatalf("send back confirmed: %d", st)
	}
	if st := state(t, e, "2025-10"); st.State != approval.Open || st.Comment != "Students look high" {
		t.Fatalf("after sending back: %+v", st)
	}

	// November has no figures: not offered to the editor; the approver is
	// told first that October must be published, then offered it.
	_, body = ed.get("/months/2025-11")
	if strings.Contains(body, `value="nothing_to_report"`) {
		t.Error("an editor is offered “nothing to report”")
	}
	_, body = ap.get("/months/2025-11")
	mustContain(t, text(body), "November 2025 cannot be published yet: months are published in order, and October 2025 is not published.")
	if strings.Contains(body, `value="nothing_to_report"`) {
		t.Error("a month blocked by the order rule is offered “nothing to report”")
	}
	ed.get("/months/2025-10")
	ed.post("/months/2025-10/state", url.Values{"action": {"submit"}})
	if st, _ := ap.publishMonth("2025-10"); st != http.StatusSeeOther {
		t.Fatalf("publish October: %d", st)
	}
	_, body = ap.get("/months/2025-11")
	mustContain(t, text(body), "Why there is nothing to report", "Publish November 2025 as “nothing to report”")
	st, body = ap.post("/months/2025-11/state", url.Values{"action": {"nothing_to_report"}, "comment": {"MEA sent no November file"}})
	if st != http.StatusOK {
		t.Fatalf("nothing to report: %d", st)
	}
	mustContain(t, text(body), "Publish November 2025 as “nothing to report”?",
		"November 2025 will show as “no figures reported” on the public charts, never as a zero, and the months after it can then be published.")
	if st := state(t, e, "2025-11"); st.State != approval.Open {
		t.Fatalf("asking published the month: %s", st.State)
	}
	if st, _ := ap.post("/months/2025-11/state", url.Values{"action": {"nothing_to_report"}, "comment": {"MEA sent no November file"}, "confirmed": {"yes"}}); st != http.StatusSeeOther {
		t.Fatalf("nothing to report confirmed: %d", st)
	}
	_, body = ap.get("/months/2025-11")
	mustContain(t, text(body), "published as “nothing to report” by ap@example.gov.in on", "MEA sent no November file")
	// Reopening it says the public keeps "no figures reported".
	_, body = ap.post("/months/2025-11/state", url.Values{"action": {"reopen"}, "comment": {"the file came"}})
	mustContain(t, text(body), "Until then the public keeps seeing it as “no figures reported”, as published on")

	// September, published with 300 people, reopened and emptied: "nothing
	// to report" says the public stops counting them.
	ap.post("/months/2025-09/state", url.Values{"action": {"reopen"}, "comment": {"wrong file"}, "confirmed": {"yes"}})
	ed.get("/months/2025-09")
	if st, _ := ed.post("/months/2025-09", url.Values{"v.IN-JP.student": {"1"}, "c.IN-JP.student": {""}, "v.JP-IN.business": {"1"}, "c.JP-IN.business": {""}}); st != http.StatusSeeOther {
		t.Fatalf("emptying September: %d", st)
	}
	_, body = ap.post("/months/2025-09/state", url.Values{"action": {"nothing_to_report"}, "comment": {"the file was for another plan"}})
	mustContain(t, text(body), "The public no longer counts the 300 people it sees for it now.",
		"Total human resource exchange: the public total becomes 650 of 500,000 people (now 950).")
}

// TestPublishRefusalShownBeforeActing: the month page tells an approver,
// before they act, why publishing would be refused and who can act, and
// offers no Publish button that would only fail; an editor is told who can
// publish a submitted month.
func TestPublishRefusalShownBeforeActing(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("ap@example.gov.in", users.Approver)
	e.addUser("ap2@example.gov.in", users.Approver)
	e.insert(figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 10},
		figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 12})
	ed, ap, ap2 := e.browser(), e.browser(), e.browser()
	ed.signIn("ed@example.gov.in")
	ap.signIn("ap@example.gov.in")
	ap2.signIn("ap2@example.gov.in")
	publishForm := `<input type="hidden" name="action" value="publish">`

	// October is submitted while September is open: the order rule.
	ed.get("/months/2025-10")
	ed.post("/months/2025-10/state", url.Values{"action": {"submit"}})
	_, body := ap.get("/months/2025-10")
	mustContain(t, text(body), "October 2025 cannot be published yet: months are published in order, and September 2025 is not published. It is open; an editor must submit it for review, and an approver publish it, first",
		"Send back to open")
	if strings.Contains(body, publishForm) {
		t.Error("a blocked month offers a Publish button")
	}
	if st, body := ap.get("/months/2025-10/state?action=publish"); st != http.StatusConflict || !strings.Contains(text(body), "September 2025 is not published") {
		t.Errorf("the confirmation of a blocked month: %d", st)
	}
	// The editor sees who can publish it, not advice to ask their own role.
	_, body = ed.get("/months/2025-10")
	mustContain(t, text(body), "ap2@example.gov.in and ap@example.gov.in can publish it or send it back to open.")

	// September: the approver typed its figure, so under four eyes another publishes it.
	ap.get("/months/2025-09")
	ap.post("/months/2025-09", url.Values{"v.IN-JP.student": {"1"}, "c.IN-JP.student": {"11"}})
	ed.get("/months/2025-09")
	ed.post("/months/2025-09/state", url.Values{"action": {"submit"}})
	_, body = ap.get("/months/2025-09")
	mustContain(t, text(body), "September 2025: you changed its figures since it was last published, so under the four-eyes rule someone else must publish it. ap2@example.gov.in can publish it.")
	if strings.Contains(body, publishForm) {
		t.Error("the four-eyes rule's refusal comes with a Publish button")
	}
	_, body = ed.get("/months/2025-09")
	mustContain(t, text(body), "ap2@example.gov.in can publish it or send it back to open.")
	_, body = ap2.get("/months/2025-09")
	mustContain(t, body, publishForm)
	mustContain(t, text(body), "Publish September 2025")
	if st, _ := ap2.publishMonth("2025-09"); st != http.StatusSeeOther {
		t.Fatalf("the second approver publishes: %d", st)
	}
	// Published: the approver is told how to change it, the editor whom to ask.
	_, body = ap2.get("/months/2025-09")
	mustContain(t, text(body), "Its figures cannot change while it is published; reopen it for revision below to change them.")
	_, body = ed.get("/months/2025-09")
	mustContain(t, text(body), "Its figures cannot change now; ap2@example.gov.in and ap@example.gov.in can reopen it for revision.")
}
