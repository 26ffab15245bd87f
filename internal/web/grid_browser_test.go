package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/users"
)

// countInputs are values a person may type or paste into a box: every form
// figures.ParseCount accepts and refuses, and some it must not be fooled by.
var countInputs = []string{
	"", "  ", "\t", "0", "7", "12", "007", "1234", "1,234", "12,34,567", "1,234,567", "1,00,00,000", "10,000,000",
	"1 234", "1\u00a0234", "1\u202f234", "1\u2009234", "1\u2007234", "12 34 567", " 180 ", "\t60\n",
	"１２３", "１，２３４", "\u3000１２\u3000", "１２．０", "12.0", "1,234.00", "0.000",
	"12.5", "0.5", ".5", "5.", "1.2.3", "1,234.5", "1_000", "1_000.5", "12_", "a_b",
	"-4", "+4", "\u22124", "\u20124", "\u20134", "\ufe634", "－４", "(4)", "(4", "4)",
	"10000000", "10000001", "99999999999999999999", "1,00,00,001",
	"12,34", "1,2345", "123,4567", "1,234 567", "1 234,567", "12,345,67", "1,,234", ",123", "123,", "1, 234",
	"1,23,45,678", "12,34,56,78,901", "1 2 3", "1,2,3,4,5,6,7,8,9,0,1,2,3",
	"abc", "12a", "1e3", "0x10", "٣", "१२३", "١٢٣", "12\u200b", "a\"b", "ab cd", "\u00a0\u00a0", "tab\tinside",
	"back\\slash", "\u0001", "😀", "9999999999999999999999999999999999999999999999", "ａｂｃ", "12 ", "\u0085 5",
}

// pasteCases are what spreadsheets put on the clipboard, and the blocks the
// grid reads from them.
var pasteCases = []struct {
	text string
	want [][]string
}{
	{"180\t60\n40\t25", [][]string{{"180", "60"}, {"40", "25"}}},
	{"180\t60\r\n40\t25\r\n", [][]string{{"180", "60"}, {"40", "25"}}}, // Excel
	{"180\t60\n40\t25\n", [][]string{{"180", "60"}, {"40", "25"}}},     // LibreOffice
	{"1\n2\n3\n", [][]string{{"1"}, {"2"}, {"3"}}},
	{"5\r\n", [][]string{{"5"}}},
	{"1\r2", [][]string{{"1"}, {"2"}}},
	{"1\t\t3", [][]string{{"1", "", "3"}}},
	{"1\t", [][]string{{"1", ""}}},
	{"\t", [][]string{{"", ""}}},
	{"\n", [][]string{{""}}},
	{"", [][]string{}},
	{"\"1,234\"\t5\n", [][]string{{"1,234", "5"}}},
	{"\"a\nb\"\tc\nd\te", [][]string{{"a\nb", "c"}, {"d", "e"}}},
	{"\"a\"\"b\"", [][]string{{"a\"b"}}},
	{"\"abc", [][]string{{"\"abc"}}},
	{"a\"b\tc", [][]string{{"a\"b", "c"}}},
	{"1\n2\t3", [][]string{{"1"}, {"2", "3"}}},
}

// gridTab signs in as an editor in headless Chromium and opens month m.
func gridTab(t *testing.T, e *env, m string) context.Context {
	t.Helper()
	tab := startChromium(t, 90*time.Second)
	e.addUser("ed@example.gov.in", users.Editor)
	signInBrowser(t, tab, e, "ed@example.gov.in")
	goTo(t, tab, e.srv.URL+"/months/"+m)
	return tab
}

// evalJS evaluates a JavaScript expression built with fmt.Sprintf from the
// format and the JSON of each argument.
func evalJS[T any](t *testing.T, tab context.Context, format string, args ...any) T {
	t.Helper()
	js := make([]any, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		js[i] = string(b)
	}
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](fmt.Sprintf(format, js...)))
	if err != nil {
		t.Fatalf("%s: %v", fmt.Sprintf(format, js...), err)
	}
	return v
}

// TestBrowserGridParsersMatchServer runs the grid script's count rule on
// every value of countInputs in the page, in English, Japanese and Hindi, and
// compares it with figures.ParseCount: the same count, or the same refusal in
// the same words. The paste parser reads each of pasteCases as a spreadsheet
// wrote it.
func TestBrowserGridParsersMatchServer(t *testing.T) {
	e := newEnv(t)
	tab := gridTab(t, e, "2025-09")
	type result struct {
		Value   *int64 `json:"value"`
		Message string `json:"message"`
	}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.JA, i18n.HI} {
		goTo(t, tab, e.srv.URL+"/months/2025-09?lang="+string(lang))
		got := evalJS[[]result](t, tab, `(() => {
			const words = JSON.parse(document.getElementById("grid-words").textContent);
			return %s.map(s => {
				const p = HRXGrid.parseCount(s);
				return p.problem ? {message: HRXGrid.fill(words.count[p.problem], {value: p.shown})} : {value: p.value};
			});
		})()`, countInputs)
		l := i18n.New(lang, "")
		for i, in := range countInputs {
			n, msg := figures.ParseCount(in)
			want := result{Message: l.Tr(msg)}
			if msg.IsZero() {
				want = result{Value: &n}
			}
			if !reflect.DeepEqual(got[i], want) {
				show := func(r result) string {
					if r.Value != nil {
						return fmt.Sprint(*r.Value)
					}
					return r.Message
				}
				t.Errorf("%s: %+q: the page says %q, the server %q", lang, in, show(got[i]), show(want))
			}
		}
	}
	for _, c := range pasteCases {
		got := evalJS[[][]string](t, tab, `HRXGrid.parsePaste(%s)`, c.text)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("parsePaste(%+q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// paste puts text on the clipboard and pastes it into the box with the id,
// as Ctrl+V does.
func paste(t *testing.T, tab context.Context, id, text string) {
	t.Helper()
	evalJS[bool](t, tab, `(() => {
		const box = document.getElementById(%s);
		box.focus();
		const data = new DataTransfer();
		data.setData("text/plain", %s);
		return box.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
	})()`, id, text)
}

// TestBrowserGridPasteKeysAndSave is an editor at the month grid with a
// keyboard: a 3×2 block copied from a spreadsheet fills the boxes to the
// right of and below the box it is pasted in; a block that would run off the
// grid, reach a cell made of several rows or hold a value that is not a count
// is refused whole, saying where; the arrow keys, Enter and Shift+Enter move
// between boxes, Tab goes box to box (not to each box's history link); Ctrl+S
// saves without asking about leaving; Alt+H opens the box's history.
func TestBrowserGridPasteKeysAndSave(t *testing.T) {
	e := newEnv(t)
	e.insert(figures.Figure{Month: "2025-09", Direction: "JP-IN", Category: "business", Sector: "it_software", Count: 5},
		figures.Figure{Month: "2025-09", Direction: "JP-IN", Category: "business", Sector: "construction", Count: 7})
	tab := gridTab(t, e, "2025-09")

	var mu sync.Mutex
	var dialogs []page.DialogType
	dialogCtx, stopDialogs := context.WithCancel(tab)
	defer stopDialogs()
	go func() {
		for ev, err := range chromedp.Events(dialogCtx, page.JavascriptDialogOpening) {
			if err != nil {
				return
			}
			mu.Lock()
			dialogs = append(dialogs, ev.Type)
			mu.Unlock()
			chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()

	values := func(ids ...string) string {
		t.Helper()
		return strings.Join(evalJS[[]string](t, tab, `%s.map(id => document.getElementById(id).value)`, ids), "|")
	}
	status := func() string {
		t.Helper()
		return evalJS[string](t, tab, `document.getElementById("grid-status").textContent`)
	}
	boxes := []string{"c-IN-JP-engineer", "c-JP-IN-engineer", "c-IN-JP-hsp", "c-JP-IN-hsp", "c-IN-JP-ssw", "c-JP-IN-ssw"}
	untouched := strings.Repeat("|", len(boxes)-1)

	// A block that would reach a cell made of several rows is refused whole.
	paste(t, tab, "c-IN-JP-language_teacher", "1\t2\n3\t4\n5\t6\n")
	if got := values("c-IN-JP-language_teacher", "c-JP-IN-language_teacher", "c-IN-JP-short_term"); got != "||" {
		t.Errorf("a refused paste changed the boxes: %q", got)
	}
	if s := status(); !strings.HasPrefix(s, "Nothing was pasted: the block would reach Business transferees and expatriates, Japan to India, which is made of several rows") {
		t.Errorf("refusing a paste onto a cell of several rows: %q", s)
	}
	// One that runs off the grid, and one with a value that is not a count.
	paste(t, tab, "c-JP-IN-other", "1\t2\n")
	if s := status(); !strings.HasPrefix(s, "Nothing was pasted: the copied block is 1 × 2 (rows × columns), but from Other personnel exchange, Japan to India the grid has room for 1 × 1.") {
		t.Errorf("refusing a paste off the grid: %q", s)
	}
	paste(t, tab, "c-IN-JP-student", "10\t11\n12.5\t13\n")
	if s := status(); s != "Nothing was pasted. Researchers and academics, India to Japan: 12.5 is not a whole number; write the number of people without decimals." {
		t.Errorf("refusing a paste with a decimal: %q", s)
	}
	if got := values("c-IN-JP-student", "c-JP-IN-student", "c-IN-JP-researcher"); got != "||" {
		t.Errorf("a refused paste changed the boxes: %q", got)
	}
	if got := values(boxes...); got != untouched {
		t.Errorf("before the good paste the boxes hold %q", got)
	}

	// A 3×2 block copied from a spreadsheet (Indian grouping, full-width digits).
	paste(t, tab, "c-IN-JP-engineer", "180\t60\r\n40\t25\r\n1,23,456\t１２\r\n")
	if got := values(boxes...); got != "180|60|40|25|1,23,456|１２" {
		t.Errorf("after pasting the 3×2 block the boxes hold %q", got)
	}
	if s := status(); s != "Pasted from Engineers, IT and specialist professionals, India to Japan to Specified skilled workers, Japan to India. Not saved yet: save the month to keep these figures." {
		t.Errorf("after pasting: %q", s)
	}

	// Arrows, Enter and Shift+Enter move between boxes; Tab goes box to box.
	focused := func() string {
		t.Helper()
		return evalJS[string](t, tab, `document.activeElement ? document.activeElement.id : ""`)
	}
	press := func(key string, want string, mods ...chromedp.Modifier) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.KeyEvent(key, chromedp.KeyModifiers(mods...))); err != nil {
			t.Fatal(err)
		}
		if got := focused(); got != want {
			t.Errorf("after %q (modifiers %v) the focus is on %q, want %q", key, mods, got, want)
		}
	}
	focus := func(id string, caret int) {
		t.Helper()
		evalJS[bool](t, tab, `(() => { const b = document.getElementById(%s); b.focus(); if (%s >= 0) b.setSelectionRange(%s, %s); return true; })()`, id, caret, caret, caret)
	}
	focus("c-IN-JP-engineer", -1)
	press(kb.ArrowDown, "c-IN-JP-hsp")
	press(kb.ArrowRight, "c-JP-IN-hsp") // a box's text is selected on arrival, so the arrow leaves it
	press(kb.Enter, "c-JP-IN-ssw")
	press(kb.Enter, "c-JP-IN-titp")
	press(kb.Enter, "c-JP-IN-ssw", chromedp.ModifierShift)
	press(kb.ArrowLeft, "c-IN-JP-ssw")
	press(kb.ArrowUp, "c-IN-JP-hsp")
	focus("c-IN-JP-engineer", 1) // inside "180" the arrows move the caret until it reaches the end
	press(kb.ArrowRight, "c-IN-JP-engineer")
	press(kb.ArrowRight, "c-IN-JP-engineer")
	press(kb.ArrowRight, "c-JP-IN-engineer")
	press(kb.ArrowLeft, "c-IN-JP-engineer") // all of "60" is selected on arrival
	focus("c-IN-JP-student", -1)
	press("\t", "c-JP-IN-student") // not the history link beside the box
	press("\t", "c-IN-JP-researcher")
	if got := values(boxes...); got != "180|60|40|25|1,23,456|１２" {
		t.Errorf("moving changed the boxes: %q", got)
	}

	// Ctrl+S in the comment box is not taken for the grid's.
	evalJS[bool](t, tab, `(() => { document.getElementById("comment_text").focus(); return true; })()`)
	if err := chromedp.Do(tab, chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if got := values(boxes...); got != "180|60|40|25|1,23,456|１２" {
		t.Errorf("Ctrl+S in the comment box: the boxes hold %q", got)
	}

	// Ctrl+S in the grid saves, without asking about leaving the page.
	focus("c-IN-JP-student", -1)
	if err := chromedp.Do(tab, chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	waitForText(t, tab, "Saved 6 figures for September 2025")
	mu.Lock()
	if len(dialogs) != 0 {
		t.Errorf("saving with Ctrl+S asked: %v", dialogs)
	}
	mu.Unlock()
	g := grid(t, e, "2025-09")
	for key, want := range map[string]int64{"IN-JP|engineer": 180, "JP-IN|engineer": 60, "IN-JP|hsp": 40, "JP-IN|hsp": 25, "IN-JP|ssw": 123456, "JP-IN|ssw": 12} {
		if got := g.Cells[key].Total; got != want {
			t.Errorf("saved %s: %d, want %d", key, got, want)
		}
	}

	// Alt+H opens the history of the box the person is in.
	focus("c-IN-JP-hsp", -1)
	if err := chromedp.Do(tab, chromedp.KeyEvent("h", chromedp.KeyModifiers(chromedp.ModifierAlt))); err != nil {
		t.Fatal(err)
	}
	waitForText(t, tab, "History of this cell")
	if loc, _ := chromedp.Run(tab, chromedp.Location()); !strings.HasSuffix(loc, "/months/2025-09/rows?direction=IN-JP&category=hsp#history") {
		t.Errorf("Alt+H went to %s", loc)
	}
}

// waitForText waits until the page's main text says want, the page having
// perhaps moved to another document meanwhile.
func waitForText(t *testing.T, tab context.Context, want string) {
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

// TestBrowserMonthGridOnPhone opens the month grid, with figures, a cell made
// of several rows and each cell's change since the month before, at 360 and
// 390 px in English, Japanese and Hindi: the page never scrolls sideways; the
// grid scrolls inside its own box with the categories kept in view, and at
// 390 px both directions' boxes of a row are in view without scrolling.
func TestBrowserMonthGridOnPhone(t *testing.T) {
	e := newEnv(t)
	var rows []figures.Figure
	for _, m := range []string{"2025-08", "2025-09"} {
		for i, cat := range []string{"engineer", "hsp", "ssw", "titp", "student", "researcher", "language_teacher", "short_term", "business", "other"} {
			rows = append(rows, figures.Figure{Month: m, Direction: "IN-JP", Category: cat, Count: int64(1000*i + len(m))},
				figures.Figure{Month: m, Direction: "JP-IN", Category: cat, Count: int64(12345 + i)})
		}
	}
	rows = append(rows, figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Origin: "IN-KA", Destination: "JP-13", Count: 300})
	e.insert(rows...)
	tab := gridTab(t, e, "2025-09")
	type fit struct {
		Scrolls  bool    `json:"scrolls"`
		Before   float64 `json:"before"`
		After    float64 `json:"after"`
		Position string  `json:"position"`
		Right    float64 `json:"right"` // the right edge of the first row's Japan to India box
	}
	for _, lang := range []string{"en", "ja", "hi"} {
		for _, w := range []int64{360, 390} {
			setWidth(t, tab, w)
			goTo(t, tab, e.srv.URL+"/months/2025-09?lang="+lang)
			s, err := chromedp.Run(tab, chromedp.Evaluate[sideways](sidewaysJS))
			if err != nil {
				t.Fatal(err)
			}
			if s.ScrollWidth > s.Viewport || s.Lang != lang {
				t.Errorf("the month grid in %s at %d px scrolls sideways: %d px wide (%s); too wide: %q", lang, w, s.ScrollWidth, s.Lang, s.Wide)
			}
			f := evalJS[fit](t, tab, `(() => {
				const box = document.querySelector("#grid-form .table-scroll");
				const th = box.querySelector("tbody th");
				const right = document.getElementById("c-JP-IN-hsp").getBoundingClientRect().right;
				const before = th.getBoundingClientRect().left;
				box.scrollLeft = 400;
				const out = {scrolls: box.scrollWidth > box.clientWidth, before, after: th.getBoundingClientRect().left, position: getComputedStyle(th).position, right};
				box.scrollLeft = 0;
				return out;
			})()`)
			t.Logf("%s at %d px: %+v", lang, w, f)
			if f.Position != "sticky" || f.After != f.Before {
				t.Errorf("the grid in %s at %d px: %+v; want the categories kept in view", lang, w, f)
			}
			if w == 390 && f.Right > float64(s.Viewport) {
				t.Errorf("the grid in %s at 390 px: the Japan to India box ends at %.0f px, past the screen", lang, f.Right)
			}
		}
	}
}
