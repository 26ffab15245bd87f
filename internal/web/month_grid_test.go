package web_test

import (
	"net/http"
	"strings"
	"testing"

	"hrx/internal/figures"
	"hrx/internal/users"
)

// TestMonthGridWordsByState: an open month offers the grid's script, its
// words and keyboard help, and each box's history link outside the Tab order;
// a published month loads none of it, says in one line why its figures
// cannot change and who can change that, and does not promise that totals
// update on saving; a viewer is told who can change an open month.
func TestMonthGridWordsByState(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("vi@example.gov.in", users.Viewer)
	e.insertPublished(figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 100})
	ed := e.browser()
	ed.signIn("ed@example.gov.in")

	st, open := ed.get("/months/2025-10")
	if st != http.StatusOK {
		t.Fatalf("open month: status %d", st)
	}
	mustContain(t, open, `/grid.`, `<script type="application/json" id="grid-words">`, `id="grid-keys" hidden`,
		`class="cell-history" tabindex="-1"`, `data-label="Students, India to Japan"`, `id="grid-status"`,
		`"too_big":"{value} is more than 10,000,000, the most one row can hold; check the number"`)
	mustContain(t, text(open), "Alt+H opens the history of the box you are in", "Ctrl+S (⌘S on a Mac) saves the month.",
		"Totals show the figures as saved; they update when you save.")
	if n := strings.Count(open, `class="cell-history" href`); n != 0 {
		t.Errorf("%d history links are Tab stops", n)
	}

	_, published := ed.get("/months/2025-09")
	for _, no := range []string{"grid.js", `id="grid-words"`, `id="grid-keys"`, "they update when you save"} {
		if strings.Contains(published, no) {
			t.Errorf("a published month shows %q", no)
		}
	}
	mustContain(t, text(published), "Its figures cannot change now; ask an approver to reopen it.")

	vi := e.browser()
	vi.signIn("vi@example.gov.in")
	_, viewed := vi.get("/months/2025-10")
	mustContain(t, text(viewed), "You can read these figures. Editors can change them.")
	for _, no := range []string{"grid.js", `id="grid-words"`, "they update when you save"} {
		if strings.Contains(viewed, no) {
			t.Errorf("a viewer's month page shows %q", no)
		}
	}
}
