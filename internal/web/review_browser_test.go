package web_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"hrx/internal/approval"
	"hrx/internal/figures"
	"hrx/internal/users"
)

// TestBrowserSubmitAndReview is what an editor and an approver click, in
// headless Chromium. The editor types 999 in a cell and presses "Submit for
// review" without saving: the submission is not sent and the page says to
// save first; leaving the page asks first (and staying keeps the 999).
// Saving is not interrupted, and submitting then goes through. The approver
// then sees each cell's change against the month before and the figure far
// from its recent level, beside its cell and in the review.
func TestBrowserSubmitAndReview(t *testing.T) {
	tab := startChromium(t, 60*time.Second)
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("ap@example.gov.in", users.Approver)
	var history []figures.Figure
	for _, m := range []string{"2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08"} {
		history = append(history, figures.Figure{Month: m, Direction: "IN-JP", Category: "student", Count: 75})
	}
	e.insert(history...)

	// Every dialog the page opens is recorded and answered "stay on the page".
	var mu sync.Mutex
	var dialogs []page.DialogType
	dialogCtx, stopDialogs := context.WithCancel(tab)
	defer stopDialogs()
	opened := chromedp.Events(dialogCtx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range opened {
			if err != nil {
				return
			}
			mu.Lock()
			dialogs = append(dialogs, ev.Type)
			mu.Unlock()
			chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	dialogCount := func() int { mu.Lock(); defer mu.Unlock(); return len(dialogs) }

	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	mainText := func() string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(s), " ")
	}
	// waitFor waits until the page's main text says want: after a click that
	// loads another page, whose flash says what was done. The page may be
	// between documents while it asks, so a failed look is tried again.
	waitFor := func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			s, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("main") ? document.querySelector("main").innerText : ""`))
			if err == nil && strings.Contains(strings.Join(strings.Fields(s), " "), want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the page never said %q: %v\n%s", want, err, s)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	signIn := func(email string) {
		t.Helper()
		run("sign in as "+email,
			chromedp.Navigate(e.srv.URL+"/login"),
			chromedp.SendKeys(chromedp.CSS("#email"), email),
			chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
			chromedp.Click(chromedp.CSS("main form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
		)
	}
	submit := chromedp.CSS(`form[action$="/state"] input[value="submit"] ~ button`)

	signIn("ed@example.gov.in")
	run("type 999 and press Submit",
		chromedp.Navigate(e.srv.URL+"/months/2025-09"),
		chromedp.SendKeys(chromedp.CSS("#c-IN-JP-student"), "999"),
		chromedp.Click(submit),
		chromedp.WaitVisible(chromedp.CSS(".unsaved-note")),
	)
	note, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(".unsaved-note")))
	if err != nil || note != "Save your changes first: some figures you typed are not saved yet." {
		t.Errorf("beside the submit button: %q %v", note, err)
	}
	if st := monthState(t, e, "2025-09"); st != approval.Open {
		t.Fatalf("the unsaved submission was sent: state %s", st)
	}

	// Leaving asks first; staying keeps what was typed.
	run("follow a link away", chromedp.Click(chromedp.CSS(`.month-nav a[href="/months"]`)), chromedp.Sleep(300*time.Millisecond))
	mu.Lock()
	asked := append([]page.DialogType(nil), dialogs...)
	mu.Unlock()
	if len(asked) != 1 || asked[0] != page.DialogTypeBeforeunload {
		t.Errorf("leaving with unsaved changes: dialogs %v, want one beforeunload", asked)
	}
	loc, _ := chromedp.Run(tab, chromedp.Location())
	value, _ := chromedp.Run(tab, chromedp.Value(chromedp.CSS("#c-IN-JP-student")))
	if !strings.HasSuffix(loc, "/months/2025-09") || value != "999" {
		t.Errorf("after staying: at %s with %q", loc, value)
	}

	// Saving is not interrupted; then the submission goes.
	before := dialogCount()
	run("save", chromedp.Click(chromedp.CSS(`#grid-form button[type=submit]`)))
	waitFor("Saved 1 figure for September 2025")
	run("submit", chromedp.Click(submit))
	waitFor("September 2025 is submitted for review")
	if n := dialogCount(); n != before {
		t.Errorf("saving or submitting asked %d times", n-before)
	}
	if st := monthState(t, e, "2025-09"); st != approval.Submitted {
		t.Fatalf("state after submitting: %s", st)
	}
	if g := grid(t, e, "2025-09"); g.Cells["IN-JP|student"].Total != 999 {
		t.Errorf("saved: %+v", g.Cells["IN-JP|student"])
	}

	// The approver reviews: the change beside the cell, the flag in words and
	// shape, which opens to the sentence; the review lists both.
	run("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href^="/login"]`)))
	signIn("ap@example.gov.in")
	run("open the month", chromedp.Navigate(e.srv.URL+"/months/2025-09"), chromedp.WaitVisible(chromedp.CSS("#review-title")))
	cell, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("td.flagged")))
	if err != nil {
		t.Fatal(err)
	}
	cell = strings.Join(strings.Fields(cell), " ")
	for _, w := range []string{"75 → 999 (+924, +1,232%)", "▲ Far above its recent level"} {
		if !strings.Contains(cell, w) {
			t.Errorf("the flagged cell says %q, not %q", cell, w)
		}
	}
	sentence := "999 is 13.3 times the median of its last 6 months with figures (75)"
	if strings.Contains(cell, sentence) {
		t.Errorf("the flag's sentence shows before it is opened: %q", cell)
	}
	run("open the flag", chromedp.Click(chromedp.CSS("td.flagged .cell-flag summary")), chromedp.WaitVisible(chromedp.CSS("td.flagged .cell-flag p")))
	if s, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS("td.flagged .cell-flag p"))); s != sentence {
		t.Errorf("the opened flag says %q", s)
	}
	got := mainText()
	for _, w := range []string{
		"Compared with August 2025",
		"September 2025 has never been published, so each cell shows how it differs from August 2025.",
		"Students, India to Japan: ▲ Far above its recent level — " + sentence,
		"ed@example.gov.in Entered Students, India to Japan, September 2025: 999",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("the approver's page does not say %q:\n%s", w, got)
		}
	}

	// Publishing asks once, with a reason for each flag (the cell's and the
	// month total's); an empty reason is refused beside its field and
	// nothing is published.
	confirm := chromedp.CSS(`main form button[type=submit]`)
	run("press Publish", chromedp.Click(chromedp.CSS(`form[action$="/state"] input[value="publish"] ~ button`)),
		chromedp.WaitVisible(chromedp.CSS(".flag-reasons textarea")))
	waitFor("Students, India to Japan: 999")
	run("confirm without a reason", chromedp.Click(confirm))
	waitFor("Say in a few words why this figure is right as it is")
	if st := monthState(t, e, "2025-09"); st != approval.Submitted {
		t.Fatalf("published without a reason: state %s", st)
	}
	run("give the reasons and confirm",
		chromedp.SendKeys(chromedp.CSS(".flag-reasons div.field:nth-of-type(1) textarea"), "JASSO confirmed a new intake"),
		chromedp.SendKeys(chromedp.CSS(".flag-reasons div.field:nth-of-type(2) textarea"), "the same intake"),
		chromedp.Click(confirm))
	waitFor("September 2025 is published: the dashboard, widgets and public API now count its figures.")
	if st := monthState(t, e, "2025-09"); st != approval.Published {
		t.Fatalf("state after confirming: %s", st)
	}
	run("open the cell's history", chromedp.Navigate(e.srv.URL+"/months/2025-09/rows?direction=IN-JP&category=student"))
	waitFor("JASSO confirmed a new intake")

	// November is submitted while October is open: the approver is told
	// which month blocks it and is offered no Publish button, and the public
	// sees September, never November with a hole before it.
	ed := e.browser()
	ed.signIn("ed@example.gov.in")
	ed.get("/months/2025-11")
	ed.post("/months/2025-11", url.Values{"c.IN-JP.student": {"80"}, "v.IN-JP.student": {"0"}})
	ed.get("/months/2025-11")
	ed.post("/months/2025-11/state", url.Values{"action": {"submit"}})
	if st := monthState(t, e, "2025-11"); st != approval.Submitted {
		t.Fatalf("November: %s", st)
	}
	run("open November", chromedp.Navigate(e.srv.URL+"/months/2025-11"))
	waitFor("November 2025 cannot be published yet: months are published in order, and October 2025 is not published.")
	if n, _ := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('form[action$="/state"] input[value="publish"]').length`)); n != 0 {
		t.Error("a blocked month offers a Publish button")
	}
	run("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href^="/login"]`)))
	run("open the dashboard", chromedp.Navigate(e.srv.URL+"/"))
	waitFor("As of September 2025")
	if got := mainText(); strings.Contains(got, "November 2025") {
		t.Errorf("the public dashboard shows November:\n%s", got)
	}
}
