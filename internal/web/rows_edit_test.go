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
	"hrx/internal/users"
)

// cellRows reads a cell's rows as the database holds them.
func cellRows(t *testing.T, e *env, m, dir, cat string) []figures.Figure {
	t.Helper()
	rows, _, err := figures.NewStore(e.db).CellRows(context.Background(), m, dir, cat)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

var rowsVersionRe = regexp.MustCompile(`name="version" value="([^"]*)"`)

// rowsForm is the rows editor's form as the page sent it, with the values
// changed as given ("row.2.count": "7").
func rowsForm(t *testing.T, body string, change map[string]string) url.Values {
	t.Helper()
	form := url.Values{"direction": {"IN-JP"}, "category": {"ssw"}}
	v := rowsVersionRe.FindStringSubmatch(body)
	if v == nil {
		t.Fatalf("no rows editor on the page:\n%s", text(body))
	}
	form.Set("version", v[1])
	for _, m := range regexp.MustCompile(`name="(row\.[0-9]+\.[a-z]+)"[^>]*? value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		if !strings.HasSuffix(m[1], ".remove") && !strings.HasSuffix(m[1], ".note") {
			form.Set(m[1], m[2])
		}
	}
	for _, m := range regexp.MustCompile(`name="(row\.[0-9]+\.note)"[^>]*>([^<]*)</textarea>`).FindAllStringSubmatch(body, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	for k, v := range change {
		form.Set(k, v)
	}
	return form
}

func sswRows(e *env) {
	e.insert(
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Sector: "nursing_care", Count: 120, Source: "MOJ"},
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Sector: "building_cleaning", Count: 80},
	)
}

const sswPage = "/months/2025-09/rows?direction=IN-JP&category=ssw"

// TestRowsEditorSaves: an editor changes, adds and removes rows of a
// broken-down cell on its page, all in one save; the cell's history shows
// each change; the month page links to the editor.
func TestRowsEditorSaves(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	sswRows(e)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	_, month := b.get("/months/2025-09")
	mustContain(t, month, `href="/months/2025-09/rows?direction=IN-JP&amp;category=ssw#edit"`, ">Edit rows<")
	st, body := b.get(sswPage)
	if st != http.StatusOK {
		t.Fatalf("rows page: %d", st)
	}
	mustContain(t, text(body), "Edit rows", "Row 1", "Row 2", "New row 3", "New row 5", "Save the rows of Specified skilled workers, India to Japan, September 2025")
	mustContain(t, body, `<label class="visually-hidden" for="row-1-count">Row 1, count</label>`, `name="row.1.remove"`, `list="sector-list"`,
		`<option value="IN-KA">Karnataka</option>`)
	form := rowsForm(t, body, map[string]string{
		"row.1.count": "125", "row.1.note": "revised by MOJ",
		"row.2.remove": "on",
		"row.3.sector": "IT and software", "row.3.count": "9",
	})
	st, _ = b.post("/months/2025-09/rows", form)
	if st != http.StatusSeeOther || b.lastTo != "/months/2025-09/rows?category=ssw&direction=IN-JP" {
		t.Fatalf("save: %d to %s\n%v", st, b.lastTo, form)
	}
	_, body = b.get(b.lastTo)
	mustContain(t, text(body), "Saved the rows of Specified skilled workers, India to Japan, September 2025: 1 added, 1 changed, 1 removed",
		"Cell rows form", "revised by MOJ")
	rows := cellRows(t, e, "2025-09", "IN-JP", "ssw")
	if len(rows) != 2 || rows[0].Sector != "nursing_care" || rows[0].Count != 125 || rows[0].Source != "MOJ" || rows[0].Note != "revised by MOJ" ||
		rows[1].Sector != "it_software" || rows[1].Count != 9 {
		t.Errorf("rows after saving: %+v", rows)
	}
	if g := grid(t, e, "2025-09"); g.Cell("IN-JP", "ssw").Total != 134 {
		t.Errorf("the cell's total: %+v", g.Cell("IN-JP", "ssw"))
	}
	// Saving again without a change says so.
	b.post("/months/2025-09/rows", rowsForm(t, body, nil))
	_, body = b.get(b.lastTo)
	mustContain(t, text(body), "Nothing changed in the rows of Specified skilled workers, India to Japan, September 2025")
}

// TestRowsEditorRefuses: every problem of every row is shown beside its
// field in an upload's words, with "row 3" and the field's name, the input
// kept and nothing saved; two rows in one place are refused.
func TestRowsEditorRefuses(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	sswRows(e)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	_, body := b.get(sswPage)
	st, body := b.post("/months/2025-09/rows", rowsForm(t, body, map[string]string{
		"row.1.count": "12.5", "row.2.sector": "nosuch", "row.3.origin": "JP-13", "row.3.count": "4", "row.4.sector": "care",
	}))
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", st)
	}
	got := text(body)
	mustContain(t, got, "Error: ", "There is a problem",
		"Row 1, count: 12.5 is not a whole number; write the number of people without decimals",
		"Row 2, sector: nosuch is not a sector; see the list at /help/upload, or leave it empty",
		"Row 3, origin: JP-13 (Tokyo) is in Japan, but the origin of an India-to-Japan row must be in India",
		"Row 4, count: count is empty; write the number of people, 0 if none")
	mustContain(t, body, `href="#row-2-sector"`, `id="row-2-sector" name="row.2.sector" type="text" value="nosuch"`, `aria-invalid="true" aria-describedby="row-1-count-error"`)
	if rows := cellRows(t, e, "2025-09", "IN-JP", "ssw"); len(rows) != 2 || rows[0].Count != 120 {
		t.Errorf("a refused save wrote: %+v", rows)
	}
	// Two rows in one place.
	_, body = b.get(sswPage)
	st, body = b.post("/months/2025-09/rows", rowsForm(t, body, map[string]string{"row.2.sector": "Nursing care", "row.4.sector": "nursing_care", "row.4.count": "1"}))
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("duplicates: status %d", st)
	}
	mustContain(t, text(body), "Row 2, sector: the same sector, origin and destination as row 1; each combination may appear once in a cell",
		"Row 4, sector: the same sector, origin and destination as row 1")
	if rows := cellRows(t, e, "2025-09", "IN-JP", "ssw"); len(rows) != 2 || rows[1].Sector != "building_cleaning" {
		t.Errorf("a refused save wrote: %+v", rows)
	}
}

// TestRowsEditorConflict: a page loaded before someone else saved the cell
// is refused, naming them; nothing is written and the newer rows are shown.
func TestRowsEditorConflict(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("other@example.gov.in", users.Editor)
	sswRows(e)
	ed, other := e.browser(), e.browser()
	ed.signIn("ed@example.gov.in")
	other.signIn("other@example.gov.in")
	_, edPage := ed.get(sswPage)
	_, otherPage := other.get(sswPage)
	if st, _ := other.post("/months/2025-09/rows", rowsForm(t, otherPage, map[string]string{"row.2.count": "85"})); st != http.StatusSeeOther {
		t.Fatalf("the other save: %d", st)
	}
	st, body := ed.post("/months/2025-09/rows", rowsForm(t, edPage, map[string]string{"row.1.count": "1"}))
	if st != http.StatusConflict {
		t.Fatalf("status %d", st)
	}
	mustContain(t, text(body), "That was not done", "other@example.gov.in saved this cell's rows on ", "after you opened the page, so nothing was saved",
		"What you sent (not saved)", "Row 1 nursing_care 1", "Row 2 building_cleaning 80")
	mustContain(t, body, `id="row-2-count" name="row.2.count" type="text" value="85"`, `id="row-1-count" name="row.1.count" type="text" value="120"`)
	rows := cellRows(t, e, "2025-09", "IN-JP", "ssw")
	if rows[0].Count != 120 || rows[1].Count != 85 {
		t.Errorf("after the refused save: %+v", rows)
	}
	// The page now carries the newer version: saving from it goes through.
	if st, _ := ed.post("/months/2025-09/rows", rowsForm(t, body, map[string]string{"row.1.count": "1"})); st != http.StatusSeeOther {
		t.Errorf("saving from the newer rows: %d", st)
	}
}

// TestRowsEditorOnlyWhenOpen: viewers see no editor and cannot post; a
// submitted month says why its rows cannot change, in words for the
// reader's role, and refuses a save.
func TestRowsEditorOnlyWhenOpen(t *testing.T) {
	e := newEnv(t)
	ed := e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("viewer@example.gov.in", users.Viewer)
	e.addUser("ap@example.gov.in", users.Approver)
	sswRows(e)
	v := e.browser()
	v.signIn("viewer@example.gov.in")
	_, body := v.get(sswPage)
	mustContain(t, text(body), "You can read these figures. Editors can change them.")
	if strings.Contains(body, `action="/months/2025-09/rows"`) {
		t.Error("a viewer is offered the rows editor")
	}
	if _, month := v.get("/months/2025-09"); strings.Contains(month, "#edit") {
		t.Error("a viewer is offered Edit rows on the month page")
	}
	if st, _ := v.post("/months/2025-09/rows", url.Values{"direction": {"IN-JP"}, "category": {"ssw"}}); st != http.StatusForbidden {
		t.Errorf("a viewer's save: %d", st)
	}

	b := e.browser()
	b.signIn("ed@example.gov.in")
	_, page := b.get(sswPage)
	if _, err := approval.NewStore(e.db, figures.NewStore(e.db)).Do(context.Background(), ed.Actor(), users.Editor, "2025-09", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	st, body := b.post("/months/2025-09/rows", rowsForm(t, page, map[string]string{"row.1.count": "1"}))
	if st != http.StatusConflict {
		t.Fatalf("a submitted month's save: %d", st)
	}
	mustContain(t, text(body), "September 2025 was submitted for review by ed@example.gov.in",
		"September 2025 is submitted for review, so these rows cannot change now; ask an approver to send it back to open.")
	if strings.Contains(body, `action="/months/2025-09/rows"`) {
		t.Error("a submitted month offers the rows editor")
	}
	a := e.browser()
	a.signIn("ap@example.gov.in")
	_, body = a.get(sswPage)
	mustContain(t, text(body), "September 2025 is submitted for review, so these rows cannot change; publish it, or send it back to open on the month page")
	if rows := cellRows(t, e, "2025-09", "IN-JP", "ssw"); rows[0].Count != 120 {
		t.Errorf("a locked month was written: %+v", rows)
	}
}
