package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hrx/internal/users"
)

// TestBrowserRowsEditor is what an editor clicks to change a broken-down
// cell, in headless Chromium: "Edit rows" on the month page, then on the
// cell's page a changed count and note, a removed row and an added one, saved
// at once, and a row added with "Add another row". Then someone else saves
// the cell while the editor's page is open: the editor's save is refused
// naming them, nothing is written, and the form shows the newer rows.
func TestBrowserRowsEditor(t *testing.T) {
	tab := startChromium(t, 90*time.Second)
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("other@example.gov.in", users.Editor)
	sswRows(e)
	signInBrowser(t, tab, e, "ed@example.gov.in")

	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// waitFor waits until the page's main text says want, after a click that loads another
	// page, and the page has loaded whole (its main text is read only then).
	waitFor := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			s, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.readyState === "complete" && document.querySelector("main") ? document.querySelector("main").innerText : ""`))
			s = strings.Join(strings.Fields(s), " ")
			if err == nil && strings.Contains(s, want) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("the page never said %q: %v\n%s", want, err, s)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	value := func(id string) string {
		t.Helper()
		v, err := chromedp.Run(tab, chromedp.Value(chromedp.CSS("#"+id)))
		if err != nil {
			t.Fatalf("the value of #%s: %v", id, err)
		}
		return v
	}
	typeIn := func(id, s string) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(document.getElementById("`+id+`").value = "", true)`)); err != nil {
			t.Fatalf("clear #%s: %v", id, err)
		}
		run("type "+s+" in #"+id, chromedp.SendKeys(chromedp.CSS("#"+id), s))
	}
	save := chromedp.Click(chromedp.CSS(`#rows-form button[type=submit]`))

	run("open the cell from the month page",
		chromedp.Navigate(e.srv.URL+"/months/2025-09"),
		chromedp.Click(chromedp.CSS(`a.rows-edit-link[href*="category=ssw"]`)),
		chromedp.WaitVisible(chromedp.CSS("#rows-form")))
	if v := value("row-1-count"); v != "120" {
		t.Fatalf("row 1 shows %q", v)
	}
	// Change, remove and add rows, then save.
	typeIn("row-1-count", "125")
	typeIn("row-1-note", "revised by MOJ")
	run("tick Remove on row 2", chromedp.Click(chromedp.CSS("#row-2-remove")))
	typeIn("row-3-sector", "IT and software")
	typeIn("row-3-origin", "Karnataka")
	typeIn("row-3-destination", "JP-13")
	typeIn("row-3-count", "9")
	run("save", save)
	got := waitFor("Saved the rows of Specified skilled workers, India to Japan, September 2025: 1 added, 1 changed, 1 removed")
	rows := cellRows(t, e, "2025-09", "IN-JP", "ssw")
	if len(rows) != 2 || rows[0].Count != 125 || rows[0].Note != "revised by MOJ" || rows[1].Sector != "it_software" || rows[1].Origin != "IN-KA" ||
		rows[1].Destination != "JP-13" || rows[1].Count != 9 {
		t.Fatalf("rows after saving: %+v", rows)
	}
	for _, w := range []string{"Cell rows form", "nursing_care", "it_software"} {
		if !strings.Contains(got, w) {
			t.Errorf("the cell's page after saving does not say %q:\n%s", w, got)
		}
	}
	if v := value("row-1-count"); v != "125" {
		t.Errorf("the editor shows row 1 as %q after saving", v)
	}

	// "Add another row" adds row 6 after the five the page has.
	run("add another row", chromedp.Click(chromedp.CSS("[data-add-row]")), chromedp.WaitVisible(chromedp.CSS("#row-6-count")))
	if th, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`tr[data-row="6"] th`))); th != "New row 6" {
		t.Errorf("the added row is headed %q", th)
	}
	typeIn("row-6-sector", "Building cleaning")
	typeIn("row-6-count", "3")
	run("save the added row", save)
	waitFor("1 added, 0 changed, 0 removed")
	if rows := cellRows(t, e, "2025-09", "IN-JP", "ssw"); len(rows) != 3 || rows[2].Sector != "building_cleaning" || rows[2].Count != 3 {
		t.Fatalf("rows after adding one: %+v", rows)
	}

	// Someone else saves the cell after this page was loaded.
	other := e.browser()
	other.signIn("other@example.gov.in")
	_, page := other.get(sswPage)
	other.post("/months/2025-09/rows", rowsForm(t, page, map[string]string{"row.2.count": "11"}))
	if rows := cellRows(t, e, "2025-09", "IN-JP", "ssw"); rows[1].Count != 11 {
		t.Fatalf("the other save: %+v", rows)
	}
	typeIn("row-1-count", "300")
	typeIn("row-2-count", "12")
	run("save the older page", save)
	got = waitFor("other@example.gov.in saved this cell's rows on")
	if !strings.Contains(got, "after you opened the page, so nothing was saved. The rows below are the newer ones") {
		t.Errorf("the refusal says:\n%s", got)
	}
	if rows := cellRows(t, e, "2025-09", "IN-JP", "ssw"); rows[0].Count != 125 || rows[1].Count != 11 {
		t.Errorf("a refused save wrote: %+v", rows)
	}
	if a, b := value("row-1-count"), value("row-2-count"); a != "125" || b != "11" {
		t.Errorf("after the refusal the editor shows %q and %q, not the newer 125 and 11", a, b)
	}
	// From the newer rows, saving goes through.
	typeIn("row-2-count", "12")
	run("save again from the newer rows", save)
	waitFor("1 changed")
	if rows := cellRows(t, e, "2025-09", "IN-JP", "ssw"); rows[1].Count != 12 {
		t.Errorf("the second save: %+v", rows)
	}
}
