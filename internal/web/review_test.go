package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/figures"
	"hrx/internal/users"
)

var versionRe = regexp.MustCompile(`name="version" value="([0-9a-f]+)"`)

// pageVersion is the version of the figures a month page's submit form carries.
func pageVersion(t *testing.T, body string) string {
	t.Helper()
	m := versionRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the submit form carries no version")
	}
	return m[1]
}

// TestSubmitRefusedWhenTheGridChanged is the submit race without scripts: an
// editor opens October (75 students) and types 999 without saving while a
// colleague saves 412. Pressing Submit posts the version the page was loaded
// with: refused with who saved and what to do, the month stays open and the
// colleague's 412 is kept and shown. Submitting from the page as it is now
// goes through.
func TestSubmitRefusedWhenTheGridChanged(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.gov.in", users.Editor)
	e.addUser("b@example.gov.in", users.Editor)
	e.insert(figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 75})
	a, b := e.browser(), e.browser()
	a.signIn("a@example.gov.in")
	b.signIn("b@example.gov.in")
	_, page := a.get("/months/2025-10")
	seen := pageVersion(t, page)
	mustContain(t, page, `data-unsaved-message="Save your changes first: some figures you typed are not saved yet."`, `id="grid-form" data-grid`)
	b.get("/months/2025-10")
	if st, _ := b.post("/months/2025-10", url.Values{"c.IN-JP.student": {"412"}, "v.IN-JP.student": {"1"}}); st != http.StatusSeeOther {
		t.Fatalf("b's save: %d", st)
	}
	st, body := a.post("/months/2025-10/state", url.Values{"action": {"submit"}, "version": {seen}})
	if st != http.StatusConflict {
		t.Fatalf("submit after b saved: %d, want 409", st)
	}
	mustContain(t, text(body), "That was not done",
		"b@example.gov.in saved figures of October 2025 on", "after you opened it, so nothing was submitted. Look at the changes, then submit again.")
	mustContain(t, body, `value="412"`, "<title>Error: Figures for October 2025")
	if g := grid(t, e, "2025-10"); g.Cells["IN-JP|student"].Total != 412 {
		t.Errorf("the grid's value after the refusal: %+v", g.Cells["IN-JP|student"])
	}
	if st := monthState(t, e, "2025-10"); st != approval.Open {
		t.Errorf("state after the refusal: %s", st)
	}
	// The refusal page carries the version it shows: submitting from it works.
	if st, _ := a.post("/months/2025-10/state", url.Values{"action": {"submit"}, "version": {pageVersion(t, body)}}); st != http.StatusSeeOther {
		t.Fatalf("submit from the refreshed page: %d", st)
	}
	if st := monthState(t, e, "2025-10"); st != approval.Submitted {
		t.Errorf("state: %s", st)
	}
}

// TestGridReshownUnsaved: entries re-shown after a refusal are not saved, and
// the grid says so to the page's script.
func TestGridReshownUnsaved(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	_, body := b.get("/months/2025-10")
	if strings.Contains(body, "data-unsaved ") || strings.Contains(body, "data-unsaved>") {
		t.Error("a freshly loaded grid is marked unsaved")
	}
	_, body = b.post("/months/2025-10", url.Values{"c.IN-JP.student": {"many"}, "v.IN-JP.student": {"0"}})
	mustContain(t, body, `data-grid data-unsaved data-unsaved-message=`)
}

func monthState(t *testing.T, e *env, m string) string {
	t.Helper()
	var st []string
	e.db.R.Raw("SELECT state FROM month_states WHERE month = ?", m).Scan(&st)
	if len(st) == 0 {
		return approval.Open
	}
	return st[0]
}

// TestReviewDifferences: what each person sees of a month's changes — a
// first publication against the month before, a revision against its last
// publication — with before → after, +n or −n and the per cent, and the
// edits behind them; and who sees them.
func TestReviewDifferences(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("ap@example.gov.in", users.Approver)
	e.addUser("v@example.gov.in", users.Viewer)
	ctx := context.Background()
	ap := approval.NewStore(e.db, figures.NewStore(e.db))
	e.insert(
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 100},
		figures.Figure{Month: "2025-09", Direction: "JP-IN", Category: "business", Count: 40},
	)
	e.publish("2025-09")
	ed, apr, v := e.browser(), e.browser(), e.browser()
	ed.signIn("ed@example.gov.in")
	apr.signIn("ap@example.gov.in")
	v.signIn("v@example.gov.in")
	ed.get("/months/2025-10")
	ed.post("/months/2025-10", url.Values{"c.IN-JP.student": {"120"}, "v.IN-JP.student": {"0"}, "c.IN-JP.engineer": {"7"}, "v.IN-JP.engineer": {"0"}})

	type check struct {
		who     *browser
		want    []string
		notWant []string
	}
	firstPublication := []string{
		"Compared with September 2025",
		"October 2025 has never been published, so each cell shows how it differs from September 2025. 3 cells differ; the total: 140 → 127 (−13, −9.3%).",
		"Compared with September 2025: 100 → 120 (+20, +20%)",
		"Compared with September 2025: none → 7 (+7)",
		"Compared with September 2025: 40 → none (−40, −100%)",
		"Edits and imports behind the changes",
		"ed@example.gov.in Entered Students, India to Japan, October 2025: 120",
	}
	steps := []struct {
		name   string
		before func()
		checks []check
	}{
		{"open, first publication", func() {}, []check{
			{ed, firstPublication, nil},
			{v, []string{"You can read these figures"}, []string{"Compared with September 2025", "Edits and imports behind the changes"}},
		}},
		{"submitted, first publication", func() {
			ed.get("/months/2025-10")
			_, body := ed.get("/months/2025-10")
			if st, _ := ed.post("/months/2025-10/state", url.Values{"action": {"submit"}, "version": {pageVersion(t, body)}}); st != http.StatusSeeOther {
				t.Fatalf("submit: %d", st)
			}
		}, []check{{apr, firstPublication, nil}, {v, firstPublication, nil}}},
		{"revision", func() {
			e.publish("2025-10")
			if _, err := ap.Do(ctx, audit.System("test"), users.Admin, "2025-10", approval.Reopen, "JASSO revised October"); err != nil {
				t.Fatal(err)
			}
			ed.get("/months/2025-10")
			if st, _ := ed.post("/months/2025-10", url.Values{"c.IN-JP.student": {"90"}, "v.IN-JP.student": {"1"}, "c.IN-JP.engineer": {""}, "v.IN-JP.engineer": {"1"}}); st != http.StatusSeeOther {
				t.Fatalf("revision save: %d", st)
			}
		}, []check{
			{ed, []string{
				"What changed since the last publication",
				"Each cell shows how it changed since test published October 2025 on",
				"2 cells changed; the total: 127 → 90 (−37, −29.1%).",
				"Since the last publication: 120 → 90 (−30, −25%)",
				"Since the last publication: 7 → none (−7, −100%)",
				"Changed Students, India to Japan, October 2025: 120 → 90",
				"Cleared Engineers, IT and specialist professionals, India to Japan, October 2025 (was 7)",
			}, []string{"Entered Students, India to Japan, October 2025: 120"}},
			{v, nil, []string{"What changed since the last publication"}},
		}},
		{"published", func() {
			e.publish("2025-10")
		}, []check{{apr, nil, []string{"What changed since the last publication", "Since the last publication:"}}}},
	}
	for _, step := range steps {
		step.before()
		for _, c := range step.checks {
			_, body := c.who.get("/months/2025-10")
			page := text(body)
			for _, w := range c.want {
				if !strings.Contains(page, w) {
					t.Errorf("%s: page does not say %q", step.name, w)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(page, w) {
					t.Errorf("%s: page says %q", step.name, w)
				}
			}
		}
	}
}

// TestFlagsBesideCells: a cell far from its recent level says so beside it,
// in words with an icon, in the grid editors type in and in the review;
// the month's total too. Saving is never blocked.
func TestFlagsBesideCells(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	var history []figures.Figure
	for _, m := range []string{"2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08"} {
		history = append(history, figures.Figure{Month: m, Direction: "IN-JP", Category: "student", Count: 75})
	}
	e.insert(history...)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	b.get("/months/2025-09")
	if st, _ := b.post("/months/2025-09", url.Values{"c.IN-JP.student": {"412"}, "v.IN-JP.student": {"0"}, "c.JP-IN.student": {"10"}, "v.JP-IN.student": {"0"}}); st != http.StatusSeeOther {
		t.Fatalf("saving a flagged figure: %d", st)
	}
	_, body := b.get("/months/2025-09")
	// Beside the cell: a shape and words, which open to the sentence.
	cell := regexp.MustCompile(`(?s)<td class="num flagged"[^>]*>\s*<input type="hidden" name="v.IN-JP.student".*?</td>`).FindString(body)
	if cell == "" {
		t.Fatalf("the flagged cell is not marked:\n%s", body)
	}
	mustContain(t, cell, `<span class="flag-icon" aria-hidden="true">▲</span> Far above its recent level</summary>`,
		"412 is 5.5 times the median of its last 6 months with figures (75)", `value="412"`)
	if strings.Contains(regexp.MustCompile(`(?s)name="v.JP-IN.student".*?</td>`).FindString(body), "cell-flag") {
		t.Error("a first figure is flagged")
	}
	// In the review: the cell named, and the month's total.
	mustContain(t, text(body), "Figures far from their recent level",
		"2 figures are far from their recent level.",
		"Students, India to Japan : ▲ Far above its recent level — 412 is 5.5 times the median of its last 6 months with figures (75)",
		"Total of September 2025 : ▲ Far above its recent level — The month’s total, 422, is 462.7% more than August 2025 (75)")
	// The cell's page says it too.
	_, rows := b.get("/months/2025-09/rows?direction=IN-JP&category=student")
	mustContain(t, text(rows), "▲ Far above its recent level — 412 is 5.5 times")
}

// TestComments: anyone who can see a month comments on it, or on a cell; the
// thread shows who and when, oldest first, with the send-back and reopening
// words in it; an empty or too long comment is refused beside the field with
// the text kept.
func TestComments(t *testing.T) {
	e := newEnv(t)
	e.addUser("v@example.gov.in", users.Viewer)
	e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("ap@example.gov.in", users.Approver)
	v, ed, apr := e.browser(), e.browser(), e.browser()
	v.signIn("v@example.gov.in")
	ed.signIn("ed@example.gov.in")
	apr.signIn("ap@example.gov.in")
	e.insert(figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 100})

	v.get("/months/2025-09")
	st, _ := v.post("/months/2025-09/comments", url.Values{"comment_text": {"Is September complete?"}})
	if st != http.StatusSeeOther || v.lastTo != "/months/2025-09#comments" {
		t.Fatalf("a viewer's comment: %d to %q", st, v.lastTo)
	}
	_, body := v.get("/months/2025-09")
	mustContain(t, text(body), "Your comment on September 2025 is added.", "v@example.gov.in · ", "Is September complete?")
	mustContain(t, body, `<time datetime="`)

	// On a cell, from its rows page: back there, and on the month's thread with a link.
	v.get("/months/2025-09/rows?direction=IN-JP&category=student")
	st, _ = v.post("/months/2025-09/comments", url.Values{"comment_text": {"JASSO sent 112"}, "direction": {"IN-JP"}, "category": {"student"}})
	if st != http.StatusSeeOther || v.lastTo != "/months/2025-09/rows?category=student&direction=IN-JP#comments" {
		t.Fatalf("a cell comment: %d to %q", st, v.lastTo)
	}
	_, rows := v.get(v.lastTo)
	mustContain(t, text(rows), "Your comment on Students, India to Japan, September 2025, is added.", "Comments on this cell", "JASSO sent 112")
	if strings.Contains(text(rows), "Is September complete?") {
		t.Error("the month's comment is on the cell's thread")
	}

	// Send back and reopen join the thread.
	_, body = ed.get("/months/2025-09")
	ed.post("/months/2025-09/state", url.Values{"action": {"submit"}, "version": {pageVersion(t, body)}})
	apr.get("/months/2025-09")
	if st, _ := apr.post("/months/2025-09/state", url.Values{"action": {"return"}, "comment": {"Business visas look doubled"}, "confirmed": {"yes"}}); st != http.StatusSeeOther {
		t.Fatalf("send back: %d", st)
	}
	ed.get("/months/2025-09")
	ed.post("/months/2025-09/comments", url.Values{"comment_text": {"Checked with MEA: the figure is right"}})
	_, body = v.get("/months/2025-09")
	page := text(body)
	page = page[strings.Index(page, "Comments v@example.gov.in"):] // the thread, not the state's line
	order := []string{"Is September complete?", "JASSO sent 112", "Sent back to open", "Business visas look doubled", "Checked with MEA"}
	last := -1
	for _, s := range order {
		i := strings.Index(page, s)
		if i < 0 || i < last {
			t.Errorf("thread order: %q at %d, after %d:\n%s", s, i, last, page)
		}
		last = i
	}
	mustContain(t, page, "on Students, India to Japan")
	mustContain(t, body, `href="/months/2025-09/rows?category=student&amp;direction=IN-JP#comments"`, ">1 comment</a>")

	// Refusals: the field's message, in the summary and beside it; the text kept; nothing added.
	for _, tt := range []struct{ text, msg string }{
		{"   ", "Write your comment"},
		{strings.Repeat("x", 2001), "Keep your comment to 2,000 characters; it has 2,001"},
	} {
		st, body := v.post("/months/2025-09/comments", url.Values{"comment_text": {tt.text}})
		if st != http.StatusUnprocessableEntity {
			t.Fatalf("%q: %d", tt.msg, st)
		}
		mustContain(t, body, "<title>Error: Figures for September 2025", `<a href="#comment_text">Comment: `+tt.msg, `id="comment_text-error"`, `aria-invalid="true"`)
		if strings.TrimSpace(tt.text) != "" {
			mustContain(t, body, ">"+tt.text+"</textarea>")
		}
	}
	st, body = v.post("/months/2025-09/comments", url.Values{"comment_text": {""}, "direction": {"IN-JP"}, "category": {"student"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "Comments on this cell") || !strings.Contains(body, `<a href="#comment_text">Comment: Write your comment`) {
		t.Errorf("an empty cell comment: %d", st)
	}
	if st, _ := v.post("/months/2025-09/comments", url.Values{"comment_text": {"x"}, "direction": {"IN-JP"}, "category": {"nosuch"}}); st != http.StatusNotFound {
		t.Errorf("a comment on no cell: %d", st)
	}
	// Signed out: to the sign-in page. No form token: refused.
	anon := e.browser()
	anon.get("/login")
	if st, _ := anon.post("/months/2025-09/comments", url.Values{"comment_text": {"anonymous"}}); st != http.StatusSeeOther || !strings.HasPrefix(anon.lastTo, "/login") {
		t.Errorf("signed out: %d to %q", st, anon.lastTo)
	}
	if st, _ := v.post("/months/2025-09/comments", url.Values{"comment_text": {"forged"}, "_csrf": {"nope"}}); st != http.StatusForbidden {
		t.Errorf("without the form token: %d", st)
	}
	var n int64
	e.db.R.Raw("SELECT COUNT(*) FROM comments").Scan(&n)
	if n != 3 {
		t.Errorf("%d comments kept, want 3", n)
	}
	var who []string
	e.db.R.Raw("SELECT actor FROM audit_log WHERE entity = 'comment' ORDER BY id").Scan(&who)
	if strings.Join(who, " ") != "v@example.gov.in v@example.gov.in ed@example.gov.in" {
		t.Errorf("audit entries by %v", who)
	}
}

// reviewData makes November 2025 a month to review, on top of knownData: an
// editor entered its figures on the grid (ssw far above October's, and the
// month's total too) and submitted it. For the pages in Japanese and Hindi.
func reviewData(e *env) {
	e.t.Helper()
	ctx := context.Background()
	ed := e.addUser("nov-editor@example.gov.in", users.Editor)
	student, ssw := int64(400), int64(900)
	if _, err := figures.NewStore(e.db).SaveGrid(ctx, ed.Actor(), "2025-11", []figures.CellInput{
		{Direction: "IN-JP", Category: "student", Value: &student}, {Direction: "IN-JP", Category: "ssw", Value: &ssw},
	}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := approval.NewStore(e.db, figures.NewStore(e.db)).Do(ctx, ed.Actor(), users.Editor, "2025-11", approval.Submit, ""); err != nil {
		e.t.Fatal(err)
	}
}
