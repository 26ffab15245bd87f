package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hrx/internal/figures"
	"hrx/internal/users"
)

// confirmed is the form a confirmation page posts back.
func confirmed() url.Values { return url.Values{"confirmed": {"yes"}} }

// TestApplyAndRevertAskFirst: applying an upload and reverting an import each
// show what they will do, in numbers, and change nothing until confirmed.
func TestApplyAndRevertAskFirst(t *testing.T) {
	e := newEnv(t)
	fig := func(m, cat string, n int64) figures.Figure {
		return figures.Figure{Month: m, Direction: "IN-JP", Category: cat, Count: n, Status: figures.Final}
	}
	var rows []figures.Figure
	for _, m := range []string{"2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09"} {
		rows = append(rows, fig(m, "engineer", 75), fig(m, "student", 200))
	}
	e.insert(append(rows, fig("2025-10", "student", 210), fig("2025-10", "business", 40))...)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")

	// October: engineers 412 (new, far above 75), students 210 → 20 (changed,
	// far below 200), hsp 12 (new, nothing to compare with), business 40
	// as it is. The month's total moves from 250 to 484: a third flag.
	file := "month,direction,category,count\n2025-10,IN-JP,engineer,412\n2025-10,IN-JP,student,20\n2025-10,IN-JP,hsp,12\n2025-10,IN-JP,business,40\n"
	at, body := upload(t, b, "2025-10.csv", []byte(file), "merge")
	mustContain(t, text(body), "3 figures are far from their recent level")
	before := monthTotal(t, e, "2025-10")

	st, body := b.post(at+"/apply", nil)
	if st != http.StatusOK {
		t.Fatalf("apply without confirming: %d", st)
	}
	mustContain(t, text(body),
		"Apply 2025-10.csv?",
		"Applying 2025-10.csv adds 2 figures, changes 1 and removes 0 in October 2025.",
		"3 of them are far from their recent level (listed on the preview); before publishing the month, an approver confirms each with a reason.",
		"1 row of the file is the same as the figure already recorded and changes nothing.",
		"Everything is written in one step, and you can revert it afterwards.",
		"Apply 2025-10.csv Cancel")
	mustContain(t, body, `action="`+at+`/apply"`, `name="confirmed" value="yes"`, `href="`+at+`"`)
	if got := monthTotal(t, e, "2025-10"); got != before {
		t.Fatalf("asking changed October: %d, was %d", got, before)
	}
	if _, page := b.get(at); !strings.Contains(text(page), "State preview") {
		t.Errorf("the import is no longer a preview after asking:\n%s", text(page))
	}

	// Confirmed: applied, once.
	if st, _ := b.post(at+"/apply", confirmed()); st != http.StatusSeeOther {
		t.Fatalf("apply confirmed: %d", st)
	}
	if got := monthTotal(t, e, "2025-10"); got != 412+20+12+40 {
		t.Fatalf("October after applying: %d", got)
	}
	// Applying again is refused at once, without asking.
	if st, body := b.post(at+"/apply", nil); st != http.StatusConflict || strings.Contains(body, `name="confirmed"`) {
		t.Errorf("applying twice: %d", st)
	}

	// Revert asks first, saying what it puts back.
	b.get(at)
	st, body = b.post(at+"/revert", nil)
	if st != http.StatusOK {
		t.Fatalf("revert without confirming: %d", st)
	}
	mustContain(t, text(body),
		"Revert 2025-10.csv?",
		"Reverting 2025-10.csv puts back the 1 figure it changed as it was before, removes the 2 it added and restores the 0 it removed, in October 2025.",
		"The import stays in the list, marked as reverted",
		"Revert 2025-10.csv Cancel")
	mustContain(t, body, `action="`+at+`/revert"`, `class="button warning"`)
	if got := monthTotal(t, e, "2025-10"); got != 484 {
		t.Fatalf("asking to revert changed October: %d", got)
	}
	if st, _ := b.post(at+"/revert", confirmed()); st != http.StatusSeeOther {
		t.Fatalf("revert confirmed: %d", st)
	}
	if got := monthTotal(t, e, "2025-10"); got != before {
		t.Errorf("October after reverting: %d, want %d", got, before)
	}
}

// TestRevertRefusedBeforeAsking: when a later change touched an import's
// figures, reverting is refused at once, naming them, instead of asking.
func TestRevertRefusedBeforeAsking(t *testing.T) {
	e := newEnv(t)
	ed := e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	at, _ := upload(t, b, "2025-09.csv", sample(t, "2025-09.csv"), "replace")
	if st, _ := b.post(at+"/apply", confirmed()); st != http.StatusSeeOther {
		t.Fatalf("apply: %d", st)
	}
	fs := figures.NewStore(e.db)
	g, _ := fs.Grid(context.Background(), "2025-09")
	v := int64(150)
	if _, err := fs.SaveGrid(context.Background(), ed.Actor(), "2025-09", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &v, Version: g.Cell("IN-JP", "student").Version()}}); err != nil {
		t.Fatal(err)
	}
	b.get(at)
	st, body := b.post(at+"/revert", nil)
	if st != http.StatusConflict || strings.Contains(body, `name="confirmed"`) {
		t.Fatalf("revert after a later change: %d", st)
	}
	mustContain(t, text(body), "1 row of this import was changed after it was applied", "2025-09/IN-JP/student")
}

// TestApplyConfirmationNamesTheMonths: a file over a few months names each;
// over many, how many from the first to the last.
func TestApplyConfirmationNamesTheMonths(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	tests := []struct{ months, says string }{
		{"2025-09 2025-11", "Applying two.csv adds 2 figures, changes 0 and removes 0 in September 2025 and November 2025."},
		{"2025-09 2025-10 2025-11 2025-12 2026-01 2026-02", "Applying two.csv adds 6 figures, changes 0 and removes 0 in the 6 months from September 2025 to February 2026."},
		{"2025-01 2025-03 2025-05 2025-07 2025-09", "Applying two.csv adds 5 figures, changes 0 and removes 0 in 5 months between January 2025 and September 2025."},
		{"2025-09", "Applying two.csv adds 1 figure, changes 0 and removes 0 in September 2025."},
	}
	for _, tt := range tests {
		file := "month,direction,category,count\n"
		for _, m := range strings.Fields(tt.months) {
			file += m + ",JP-IN,business,30\n"
		}
		at, _ := upload(t, b, "two.csv", []byte(file), "merge")
		_, body := b.post(at+"/apply", nil)
		mustContain(t, text(body), tt.says)
		if strings.Contains(text(body), "far from") || strings.Contains(text(body), "the same as the figure") {
			t.Errorf("%s: says what does not apply:\n%s", tt.months, text(body))
		}
	}
}
