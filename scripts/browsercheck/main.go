// Command browsercheck walks through HRX as a ministry user would, in a real
// headless Chromium, against the real binary and a fresh SQLite database.
//
// It builds ./cmd/hrx, starts it on a free port, follows the one-time setup
// link, adds an editor, signs in as the editor, enters a month's figures
// (with a validation error first), uploads a file with errors and a Shift_JIS
// file, applies it, checks the public dashboard signed out, and checks the
// widget builder. Each step prints "ok  <step>" or "FAIL <step>: <why>"; the
// first failure saves a screenshot of the failing page and exits 1.
//
// Run it from the repository root (scripts/browser-check.sh does):
//
//	go run ./scripts/browsercheck [-out DIR] [-chromium PATH] [-timeout 3m]
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"hrx/internal/browsertest"
)

const (
	adminEmail  = "admin@example.gov.in"
	adminPass   = "amber kettle violins" // 20 characters
	editorEmail = "editor@example.gov.in"

	samplesDir = "internal/upload/testdata" // copies of the shared sample files
)

func main() { os.Exit(run()) }

// checker holds the browser tab, the server and where screenshots go.
type checker struct {
	ctx  context.Context // the current tab
	base string          // http://127.0.0.1:PORT
	out  string          // screenshot folder
	n    int             // step number

	mu       sync.Mutex
	jsErrors []string // uncaught exceptions in the page since the last step
}

func run() int {
	outDir := flag.String("out", "", "folder for the screenshots (default: a new temporary folder)")
	chromium := flag.String("chromium", "", "Chromium or Chrome binary (default: chromium in PATH or /usr/bin/chromium)")
	timeout := flag.Duration("timeout", 3*time.Minute, "overall time limit")
	flag.Parse()

	if *outDir == "" {
		d, err := os.MkdirTemp("", "hrx-browsercheck-*")
		if err != nil {
			fmt.Fprintln(os.Stderr, "FAIL setup: ", err)
			return 1
		}
		*outDir = d
	} else if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "FAIL setup:", err)
		return 1
	}
	bin := *chromium
	if bin == "" {
		bin = browsertest.ChromiumPath()
	}
	if bin == "" {
		fmt.Println("FAIL start browser: no Chromium found (chromium, chromium-browser, google-chrome in PATH or /usr/bin/chromium); pass -chromium")
		return 1
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	tmp, err := os.MkdirTemp("", "hrx-browsercheck-run-*")
	if err != nil {
		fmt.Println("FAIL setup:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	c := &checker{out: *outDir}
	code := 0
	defer func() {
		fmt.Printf("screenshots: %s\n", c.out)
	}()

	// Step 1: build and start the real binary.
	srv := &server{}
	defer srv.stop()
	var setupURL string
	if err := c.stepNoShot("build and start the server", func() error {
		var err error
		setupURL, err = srv.start(ctx, tmp)
		if err != nil {
			return err
		}
		c.base = srv.base
		return nil
	}); err != nil {
		return 1
	}

	// The browser.
	var browserOut browsertest.LockedBuffer
	opts := browsertest.Options(bin, filepath.Join(tmp, "chromium"), 1200, 900, &browserOut, chromedp.Flag("lang", "en-GB"))
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		fmt.Printf("FAIL start browser: %s: %v\n%s\n", bin, err, browserOut.String())
		return 1
	}
	if err := c.attach(bctx); err != nil {
		fmt.Printf("FAIL start browser: %v\n", err)
		return 1
	}

	var editorPass string
	steps := []struct {
		name string
		fn   func() error
	}{
		{"create the first administrator from the setup link", func() error { return c.setupAdmin(setupURL) }},
		{"add an editor with a generated password", func() error {
			var err error
			editorPass, err = c.addEditor()
			return err
		}},
		{"sign out, and sign in as the editor", func() error { return c.signInAs(editorEmail, editorPass, "editor") }},
		{"month entry: a negative count is refused and explained", c.monthError},
		{"month entry: corrected figures are saved", c.monthSave},
		{"upload: a file with errors is listed by line and cannot be applied", c.uploadErrors},
		{"upload: a Shift_JIS file is previewed and applied", c.uploadShiftJIS},
		{"approval: the editor submits September 2025 and its grid locks", c.submitMonth},
		{"approval: the administrator publishes September 2025", func() error {
			if err := c.signInAs(adminEmail, adminPass, "admin"); err != nil {
				return err
			}
			return c.publishMonth()
		}},
		{"dashboard, signed in: ticking \"Include unpublished figures\" shows every figure", c.viewSwitch},
		{"dashboard, signed out: both targets, as-of month, numbers", func() error { return c.dashboard(bctx) }},
		{"dashboard: \"Show the data\" opens with the keyboard", c.disclosure},
		{"widgets: choosing the bar style updates the preview", c.widgets},
	}
	for _, s := range steps {
		if err := c.step(s.name, s.fn); err != nil {
			code = 1
			if ctx.Err() != nil {
				fmt.Printf("     (the overall time limit of %v ran out)\n", *timeout)
			}
			if logs := srv.logs(); logs != "" {
				fmt.Printf("---- server log (last lines) ----\n%s\n", tail(logs, 30))
			}
			return code
		}
	}
	fmt.Println("all steps passed")
	return code
}

// ---------------------------------------------------------------- steps

func (c *checker) setupAdmin(setupURL string) error {
	if err := c.open(setupURL, 200); err != nil {
		return err
	}
	if err := c.expectText("h1", "Create the first administrator"); err != nil {
		return err
	}
	if err := c.fill("Email", adminEmail); err != nil {
		return err
	}
	if err := c.fill("Password", adminPass); err != nil {
		return err
	}
	if err := c.fill("Confirm password", adminPass); err != nil {
		return err
	}
	if err := c.clickButton("Create administrator"); err != nil {
		return err
	}
	if err := c.expectPath("/admin/users"); err != nil {
		return err
	}
	return c.expectText(".flash", "Your administrator account "+adminEmail+" is ready")
}

func (c *checker) addEditor() (string, error) {
	if err := c.expectPath("/admin/users"); err != nil {
		return "", err
	}
	if err := c.fill("Email", editorEmail); err != nil {
		return "", err
	}
	id, err := c.labelFor("Role")
	if err != nil {
		return "", err
	}
	if err := chromedp.Do(c.ctx, chromedp.SetValue(byID(id), "editor")); err != nil {
		return "", fmt.Errorf("choose the role editor: %w", err)
	}
	pid, err := c.labelFor("Password")
	if err != nil {
		return "", err
	}
	if v, err := chromedp.Run(c.ctx, chromedp.Value(byID(pid))); err != nil || v != "" {
		return "", fmt.Errorf("the password field should start empty, has %q (%v)", v, err)
	}
	if err := c.clickButton("Add user"); err != nil {
		return "", err
	}
	if err := c.expectText(".flash", "Added "+editorEmail+" as editor"); err != nil {
		return "", err
	}
	secret, err := c.eval(`(document.querySelector("code.secret") || {}).textContent || ""`)
	if err != nil {
		return "", err
	}
	secret = strings.TrimSpace(secret)
	if len(secret) < 10 {
		return "", fmt.Errorf("expected a generated password in code.secret, found %q", secret)
	}
	if err := c.expectText("table", editorEmail); err != nil {
		return "", err
	}
	return secret, nil
}

func (c *checker) signInAs(email, pass, role string) error {
	if err := c.clickButton("Sign out"); err != nil {
		return err
	}
	if err := c.expectText(".flash", "You have signed out"); err != nil {
		return err
	}
	if err := c.open(c.base+"/login", 200); err != nil {
		return err
	}
	if err := c.fill("Email", email); err != nil {
		return err
	}
	if err := c.fill("Password", pass); err != nil {
		return err
	}
	if err := c.clickButton("Sign in"); err != nil {
		return err
	}
	if err := c.expectText(".flash", "Signed in as "+email); err != nil {
		return err
	}
	return c.expectText(".signed-in", "Signed in as "+email+" ("+role+")")
}

func (c *checker) submitMonth() error {
	if err := c.open(c.base+"/months/2025-09", 200); err != nil {
		return err
	}
	if err := c.expectText(".month-state", "Open"); err != nil {
		return err
	}
	if err := c.clickButton("Submit September 2025 for review"); err != nil {
		return err
	}
	if err := c.expectText(".flash", "is submitted for review"); err != nil {
		return err
	}
	if err := c.expectText(".month-state", "submitted by "+editorEmail); err != nil {
		return err
	}
	if n, err := c.count(`document.querySelectorAll("input.count").length`); err != nil || n != 0 {
		return fmt.Errorf("a submitted month should offer no inputs; %d found (%v)", n, err)
	}
	return nil
}

func (c *checker) viewSwitch() error {
	if err := c.open(c.base+"/", 200); err != nil {
		return err
	}
	if err := c.expectText(".view-switch", "Showing what the public sees"); err != nil {
		return err
	}
	id, err := c.labelFor("Include unpublished figures")
	if err != nil {
		return err
	}
	// The switch applies as soon as it changes; its Show button is for pages without scripts.
	if err := c.navigate(chromedp.Click(byID(id))); err != nil {
		return fmt.Errorf("tick the switch: %w", err)
	}
	if err := c.expectText(".view-switch", "Showing every figure, published or not"); err != nil {
		return err
	}
	loc, err := chromedp.Run(c.ctx, chromedp.Location())
	if err != nil {
		return err
	}
	if !strings.Contains(loc, "unpublished=1") {
		return fmt.Errorf("the switch should lead to ?unpublished=1; the browser is on %s", loc)
	}
	return nil
}

// publishMonth publishes September from its page: the button asks first,
// saying what the public will see, and the confirmation publishes it, with a
// reason for each figure flagged as far from its recent level.
func (c *checker) publishMonth() error {
	if err := c.open(c.base+"/months/2025-09", 200); err != nil {
		return err
	}
	if err := c.clickButton("Publish September 2025"); err != nil {
		return err
	}
	if err := c.expectText("h1", "Publish September 2025?"); err != nil {
		return err
	}
	if err := c.expectText("main", "Publishing September 2025 makes its"); err != nil {
		return err
	}
	labels, err := c.eval(`[...document.querySelectorAll(".flag-reasons label")].map(l => l.textContent.trim().replace(/\s+/g, " ")).join("\n")`)
	if err != nil {
		return err
	}
	for _, label := range strings.Split(labels, "\n") {
		if label == "" {
			continue
		}
		if err := c.fill(label, "Checked against the source file"); err != nil {
			return err
		}
	}
	if err := c.clickButton("Publish September 2025"); err != nil {
		return err
	}
	if err := c.expectText(".flash", "is published"); err != nil {
		return err
	}
	return c.expectText(".month-state", "published by "+adminEmail)
}

const (
	studentsLabel  = "Students, India to Japan"
	engineersLabel = "Engineers, IT and specialist professionals, India to Japan"
)

func (c *checker) monthError() error {
	if err := c.open(c.base+"/months/2025-09", 200); err != nil {
		return err
	}
	if err := c.fill(studentsLabel, "-4"); err != nil {
		return err
	}
	if err := c.fill(engineersLabel, "150"); err != nil {
		return err
	}
	if err := c.clickButton("Save September 2025"); err != nil {
		return err
	}
	title, err := chromedp.Run(c.ctx, chromedp.Title())
	if err != nil {
		return err
	}
	if !strings.HasPrefix(title, "Error: ") {
		return fmt.Errorf("page title should start with \"Error: \", is %q", title)
	}
	if err := c.expectText(".error-summary h2", "There is a problem"); err != nil {
		return err
	}
	focused, err := c.eval(`(() => { const a = document.activeElement; return a ? a.tagName + "." + a.className : "none"; })()`)
	if err != nil {
		return err
	}
	if focused != "DIV.error-summary" {
		return fmt.Errorf("the error summary should have keyboard focus; document.activeElement is %s", focused)
	}
	sid, err := c.labelFor(studentsLabel)
	if err != nil {
		return err
	}
	href, err := c.eval(`[...document.querySelectorAll(".error-summary a")].map(a => a.getAttribute("href")).join(" ")`)
	if err != nil {
		return err
	}
	if !strings.Contains(" "+href+" ", " #"+sid+" ") {
		return fmt.Errorf("the error summary should link to the Students field (#%s); its links are %q", sid, href)
	}
	// The link must land on the field.
	target, err := c.eval(`(() => { const a = document.querySelector(".error-summary a"); if (!a) return ""; const t = document.getElementById(decodeURIComponent(a.hash.slice(1))); return t ? t.id : ""; })()`)
	if err != nil {
		return err
	}
	if target != sid {
		return fmt.Errorf("the error summary's first link points to no element with that id (found %q, want %q)", target, sid)
	}
	if err := c.expectField(studentsLabel, "-4"); err != nil {
		return err
	}
	inv, err := c.eval(fmt.Sprintf(`document.getElementById(%s).getAttribute("aria-invalid") || ""`, js(sid)))
	if err != nil {
		return err
	}
	if inv != "true" {
		return fmt.Errorf("the Students field should have aria-invalid=\"true\", has %q", inv)
	}
	return c.expectField(engineersLabel, "150")
}

func (c *checker) monthSave() error {
	if err := c.fill(studentsLabel, "143"); err != nil {
		return err
	}
	if err := c.clickButton("Save September 2025"); err != nil {
		return err
	}
	if err := c.expectText(".flash", "Saved 2 figures for September 2025"); err != nil {
		return err
	}
	title, _ := chromedp.Run(c.ctx, chromedp.Title())
	if strings.HasPrefix(title, "Error") {
		return fmt.Errorf("page title after a good save is %q", title)
	}
	if err := c.expectField(studentsLabel, "143"); err != nil {
		return err
	}
	if err := c.expectField(engineersLabel, "150"); err != nil {
		return err
	}
	// The total row shows the saved sum.
	return c.expectText("tfoot", "293")
}

func (c *checker) uploadErrors() error {
	if err := c.upload("2025-09-errors.csv", ""); err != nil {
		return err
	}
	lines, err := c.eval(`[...document.querySelectorAll("table.issues tbody tr")].map(r => r.cells[0].textContent.trim()).join(",")`)
	if err != nil {
		return err
	}
	if lines != "3,4,5,6" {
		return fmt.Errorf("expected 4 errors on lines 3,4,5,6; the error table lists lines %q", lines)
	}
	if n, err := c.count(`[...document.querySelectorAll("button")].filter(b => /^Apply/.test(b.textContent.trim())).length`); err != nil || n != 0 {
		return fmt.Errorf("a file with errors must have no Apply button; found %d (%v)", n, err)
	}
	return c.expectText("main", "Nothing can be applied")
}

func (c *checker) uploadShiftJIS() error {
	if err := c.upload("2025-09-shift_jis.csv", "mode-merge"); err != nil {
		return err
	}
	body, err := c.eval(`document.querySelector("main").innerText`)
	if err != nil {
		return err
	}
	if strings.ContainsRune(body, '\uFFFD') {
		return fmt.Errorf("the preview contains U+FFFD replacement characters: the Shift_JIS file was decoded wrongly")
	}
	if !strings.Contains(body, "Shift_JIS") {
		return fmt.Errorf("the preview should name the file's encoding (Shift_JIS); it shows:\n%s", tail(body, 25))
	}
	// The sources in the file are Japanese. The preview shows a source only
	// where a figure changes (new figures are listed without one): the
	// students row (143) entered by hand gets the source 日本学生支援機構.
	found := ""
	for _, s := range []string{"出入国在留管理庁", "日本学生支援機構", "インド外務省", "外務省"} {
		if strings.Contains(body, s) {
			found = s
			break
		}
	}
	if found == "" {
		return fmt.Errorf("the preview shows none of the file's Japanese source texts (出入国在留管理庁, 日本学生支援機構, …); it shows:\n%s", tail(body, 25))
	}
	if errs, err := c.count(`document.querySelectorAll("table.issues tbody tr").length`); err != nil || errs != 0 {
		return fmt.Errorf("the Shift_JIS file should have no errors; %d listed (%v)", errs, err)
	}
	label, err := c.eval(`(([...document.querySelectorAll("button")].find(b => /^Apply \d+ rows$/.test(b.textContent.trim()))) || {textContent: ""}).textContent.trim()`)
	if err != nil {
		return err
	}
	if label == "" {
		return fmt.Errorf("no \"Apply N rows\" button on the preview")
	}
	if label != "Apply 10 rows" {
		return fmt.Errorf("the file has 10 rows; the button says %q", label)
	}
	if err := c.screenshot(fmt.Sprintf("%02da-preview.png", c.n)); err != nil {
		return err
	}
	if err := c.clickButton(label); err != nil {
		return err
	}
	// Applying asks once first, saying what it does in numbers.
	if err := c.expectText("h1", "Apply 2025-09-shift_jis.csv?"); err != nil {
		return err
	}
	if err := c.expectText("main", "Applying 2025-09-shift_jis.csv adds"); err != nil {
		return err
	}
	if err := c.screenshot(fmt.Sprintf("%02db-confirm.png", c.n)); err != nil {
		return err
	}
	if err := c.clickButton("Apply 2025-09-shift_jis.csv"); err != nil {
		return err
	}
	if err := c.expectText(".flash", "Applied 2025-09-shift_jis.csv"); err != nil {
		return err
	}
	return c.expectText(".summary-list", "applied")
}

func (c *checker) dashboard(bctx context.Context) error {
	// A new browser context: no cookies, so signed out.
	tab, _ := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	if err := c.attach(tab); err != nil {
		return err
	}
	if err := c.open(c.base+"/", 200); err != nil {
		return err
	}
	if err := c.expectText("header nav", "Sign in"); err != nil {
		return fmt.Errorf("the new browser context should be signed out: %w", err)
	}
	type card struct {
		Name, Big, AsOf string
	}
	var cards []card
	// A process trusts the data version it read for one second: allow a reload.
	deadline := time.Now().Add(5 * time.Second)
	for {
		raw, err := c.eval(`JSON.stringify([...document.querySelectorAll(".target-card")].map(s => ({
			Name: (s.querySelector("h2") || {}).textContent || "",
			Big: (s.querySelector(".big") || {}).textContent || "",
			AsOf: (s.querySelector(".as-of") || {}).textContent || ""})))`)
		if err != nil {
			return err
		}
		cards = nil
		if err := json.Unmarshal([]byte(raw), &cards); err != nil {
			return err
		}
		ok := len(cards) == 2
		for _, cd := range cards {
			if cd.AsOf != "As of September 2025" || digits(cd.Big) == 0 {
				ok = false
			}
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("expected 2 target cards, each \"As of September 2025\" with a non-zero number; found %+v", cards)
		}
		time.Sleep(500 * time.Millisecond)
		if err := c.open(c.base+"/", 200); err != nil {
			return err
		}
	}
	names := cards[0].Name + " | " + cards[1].Name
	for _, want := range []string{"India", "skilled"} {
		if !strings.Contains(strings.ToLower(names), strings.ToLower(want)) {
			return fmt.Errorf("target names %q: expected one about %q", names, want)
		}
	}
	// Skilled: engineers 150 + 412 + 198, ssw 37 + 21, titp 64, researcher 18 … at least the engineers.
	for _, cd := range cards {
		if digits(cd.Big) < 150 {
			return fmt.Errorf("%s shows %s people achieved; expected at least 150", strings.TrimSpace(cd.Name), cd.Big)
		}
	}
	return nil
}

func (c *checker) disclosure() error {
	sel := chromedp.CSS("details.chart-data > summary")
	if err := chromedp.Do(c.ctx, chromedp.ScrollIntoView(sel), chromedp.Focus(sel)); err != nil {
		return fmt.Errorf("focus the first \"Show the data\" summary: %w", err)
	}
	text, err := c.eval(`(() => { const a = document.activeElement; return a && a.tagName === "SUMMARY" ? a.textContent.trim() : "focus is on " + (a ? a.tagName : "nothing"); })()`)
	if err != nil {
		return err
	}
	if text != "Show the data" {
		return fmt.Errorf("the summary cannot take keyboard focus, or says something else: %q", text)
	}
	if err := chromedp.Do(c.ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		return err
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		res, err := c.eval(`(() => { const d = document.querySelector("details.chart-data");
			const t = d.querySelector("table");
			return (d.open ? "open" : "closed") + " " + (t && t.getBoundingClientRect().height > 0 ? t.rows.length : 0); })()`)
		if err != nil {
			return err
		}
		var state string
		var rows int
		fmt.Sscanf(res, "%s %d", &state, &rows)
		if state == "open" && rows >= 3 { // header, a month, the total
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after Enter on the focused summary: details is %s, visible table rows %d", state, rows)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (c *checker) widgets() error {
	if err := c.open(c.base+"/widgets", 200); err != nil {
		return err
	}
	src, err := c.eval(`document.getElementById("widget-preview").getAttribute("src")`)
	if err != nil {
		return fmt.Errorf("no preview iframe: %w", err)
	}
	if strings.Contains(src, "style=bar") {
		return fmt.Errorf("the preview already shows the bar style before the choice: %q", src)
	}
	// Click the radio's label, as a person would; app.js resubmits the form.
	if err := c.navigate(chromedp.Click(chromedp.CSS(`label[for="style-bar"]`))); err != nil {
		return fmt.Errorf("choose \"Bar\" (the page should reload with the new style): %w", err)
	}
	loc, _ := chromedp.Run(c.ctx, chromedp.Location())
	if !strings.Contains(loc, "style=bar") {
		return fmt.Errorf("the page address after choosing Bar is %q", loc)
	}
	src, err = c.eval(`document.getElementById("widget-preview").getAttribute("src")`)
	if err != nil {
		return err
	}
	if !strings.Contains(src, "style=bar") {
		return fmt.Errorf("the preview iframe src should contain style=bar; it is %q", src)
	}
	checked, err := c.eval(`String(document.getElementById("style-bar").checked)`)
	if err != nil || checked != "true" {
		return fmt.Errorf("the Bar radio is not checked after the reload (%v)", err)
	}
	if err := c.expectText("#snippet-iframe", "style=bar"); err != nil {
		return err
	}
	return nil
}

// ---------------------------------------------------------------- helpers

// step runs fn, prints the outcome and saves a screenshot.
func (c *checker) step(name string, fn func() error) error {
	c.n++
	c.mu.Lock()
	c.jsErrors = nil
	c.mu.Unlock()
	err := fn()
	if err == nil {
		c.mu.Lock()
		if len(c.jsErrors) > 0 {
			err = fmt.Errorf("script errors in the page: %s", strings.Join(c.jsErrors, "; "))
		}
		c.mu.Unlock()
	}
	shot := fmt.Sprintf("%02d-%s.png", c.n, slug(name))
	if err != nil {
		shot = fmt.Sprintf("%02d-%s-FAIL.png", c.n, slug(name))
	}
	shotErr := c.screenshot(shot)
	if err != nil {
		where, _ := chromedp.Run(c.ctx, chromedp.Location())
		fmt.Printf("FAIL %s: %v\n", name, err)
		if where != "" {
			fmt.Printf("     page: %s\n", where)
		}
		if shotErr == nil {
			fmt.Printf("     screenshot: %s\n", filepath.Join(c.out, shot))
		}
		return err
	}
	fmt.Printf("ok  %s\n", name)
	if shotErr != nil {
		fmt.Printf("     (no screenshot: %v)\n", shotErr)
	}
	return nil
}

// stepNoShot is a step without a page.
func (c *checker) stepNoShot(name string, fn func() error) error {
	c.n++
	if err := fn(); err != nil {
		fmt.Printf("FAIL %s: %v\n", name, err)
		return err
	}
	fmt.Printf("ok  %s\n", name)
	return nil
}

func (c *checker) screenshot(name string) error {
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(c.out, name), png, 0o644)
}

// attach makes tab the current tab and records its uncaught script errors.
func (c *checker) attach(tab context.Context) error {
	c.ctx = tab
	return chromedp.Listen(tab, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil && e.ExceptionDetails.Exception.Description != "" {
				msg = e.ExceptionDetails.Exception.Description
			}
			c.mu.Lock()
			c.jsErrors = append(c.jsErrors, fmt.Sprintf("%s (%s:%d)", msg, e.ExceptionDetails.URL, e.ExceptionDetails.LineNumber))
			c.mu.Unlock()
		}
	})
}

// open loads url and checks the HTTP status of the page.
func (c *checker) open(url string, want int64) error {
	ctx, cancel := context.WithTimeout(c.ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(url))
	if err != nil {
		return fmt.Errorf("open %s: %w", url, err)
	}
	if resp != nil && resp.Status != want {
		return fmt.Errorf("open %s: HTTP %d %s, want %d", url, resp.Status, resp.StatusText, want)
	}
	return nil
}

// navigate runs an action that loads a new page, waits for it, and fails on a
// server error.
func (c *checker) navigate(a chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(c.ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, a)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("no new page loaded within 20 s")
		}
		return err
	}
	if resp != nil && resp.Status >= 500 {
		return fmt.Errorf("the server answered HTTP %d %s (%s)", resp.Status, resp.StatusText, resp.URL)
	}
	if resp != nil && resp.Status == 403 {
		return fmt.Errorf("the server refused the form: HTTP 403 (%s)", resp.URL)
	}
	return nil
}

// clickButton clicks the visible button whose text is exactly text and waits
// for the page it loads.
func (c *checker) clickButton(text string) error {
	xp := fmt.Sprintf(`//button[normalize-space(.)=%s]`, xpathString(text))
	n, err := c.count(fmt.Sprintf(`[...document.querySelectorAll("button")].filter(b => b.textContent.trim().replace(/\s+/g, " ") === %s).length`, js(text)))
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("no button %q on the page", text)
	}
	if err := c.navigate(chromedp.Click(chromedp.Search(xp))); err != nil {
		return fmt.Errorf("click %q: %w", text, err)
	}
	return nil
}

// labelFor finds the label whose text is exactly text and returns its for id,
// checking that an element has that id.
func (c *checker) labelFor(text string) (string, error) {
	id, err := c.eval(fmt.Sprintf(`(() => {
		const ls = [...document.querySelectorAll("label")].filter(l => l.textContent.trim().replace(/\s+/g, " ") === %s);
		if (ls.length !== 1) return "!" + ls.length;
		const id = ls[0].htmlFor;
		if (!id) return "!nofor";
		return document.getElementById(id) ? id : "!missing:" + id;
	})()`, js(text)))
	if err != nil {
		return "", err
	}
	switch {
	case id == "!0":
		return "", fmt.Errorf("no label %q on the page", text)
	case id == "!nofor":
		return "", fmt.Errorf("label %q has no for attribute", text)
	case strings.HasPrefix(id, "!missing:"):
		return "", fmt.Errorf("label %q points to id %q, which no element has", text, id[len("!missing:"):])
	case strings.HasPrefix(id, "!"):
		return "", fmt.Errorf("%s labels %q on the page; expected one", id[1:], text)
	}
	return id, nil
}

// fill clears the field labelled text and types value into it.
func (c *checker) fill(label, value string) error {
	id, err := c.labelFor(label)
	if err != nil {
		return err
	}
	sel := byID(id)
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(sel), chromedp.Clear(sel), chromedp.SendKeys(sel, value)); err != nil {
		return fmt.Errorf("type into %q: %w", label, err)
	}
	got, err := chromedp.Run(ctx, chromedp.Value(sel))
	if err != nil {
		return err
	}
	if got != value {
		return fmt.Errorf("typed %q into %q, the field holds %q", value, label, got)
	}
	return nil
}

// expectField checks the value of the field labelled label.
func (c *checker) expectField(label, want string) error {
	id, err := c.labelFor(label)
	if err != nil {
		return err
	}
	got, err := chromedp.Run(c.ctx, chromedp.Value(byID(id)))
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("field %q shows %q, expected %q", label, got, want)
	}
	return nil
}

// expectText checks that the element matching css contains text.
func (c *checker) expectText(css, text string) error {
	got, err := c.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%s); return e ? (e.innerText || e.value || e.textContent) : "\u0000none"; })()`, js(css)))
	if err != nil {
		return err
	}
	if got == "\x00none" {
		h1, _ := c.eval(`(document.querySelector("h1") || {textContent: "(no h1)"}).textContent`)
		return fmt.Errorf("expected %q in %s, but the page has no %s (page heading: %q)", text, css, css, strings.TrimSpace(h1))
	}
	if !strings.Contains(normSpace(got), text) {
		return fmt.Errorf("expected %q in %s, found %q", text, css, trunc(normSpace(got), 300))
	}
	return nil
}

func (c *checker) expectPath(path string) error {
	loc, err := chromedp.Run(c.ctx, chromedp.Location())
	if err != nil {
		return err
	}
	rest := strings.TrimPrefix(loc, c.base)
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	if rest != path {
		return fmt.Errorf("expected to be on %s, the browser is on %s", path, loc)
	}
	return nil
}

// upload sends a sample file from /imports/new.
func (c *checker) upload(file, modeID string) error {
	path, err := filepath.Abs(filepath.Join(samplesDir, file))
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("sample file: %w", err)
	}
	if err := c.open(c.base+"/imports/new", 200); err != nil {
		return err
	}
	id, err := c.labelFor("File")
	if err != nil {
		return err
	}
	if err := chromedp.Do(c.ctx, chromedp.SetUploadFiles(byID(id), []string{path})); err != nil {
		return fmt.Errorf("choose the file: %w", err)
	}
	if modeID != "" {
		if err := chromedp.Do(c.ctx, chromedp.Click(chromedp.CSS(`label[for="`+modeID+`"]`))); err != nil {
			return fmt.Errorf("choose the mode: %w", err)
		}
		checked, err := c.eval(fmt.Sprintf(`String(document.getElementById(%s).checked)`, js(modeID)))
		if err != nil || checked != "true" {
			return fmt.Errorf("the %s radio is not checked after clicking its label (%v)", modeID, err)
		}
	}
	if err := c.clickButton("Upload and preview"); err != nil {
		return err
	}
	loc, _ := chromedp.Run(c.ctx, chromedp.Location())
	if !regexp.MustCompile(`/imports/\d+$`).MatchString(loc) {
		h1, _ := c.eval(`(document.querySelector("h1") || {}).textContent || ""`)
		return fmt.Errorf("expected the import's preview page (/imports/N), the browser is on %s (%q)", loc, h1)
	}
	return c.expectText("h1", "Import of "+file)
}

func (c *checker) eval(expr string) (string, error) {
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		return "", fmt.Errorf("script in page: %w", err)
	}
	return v, nil
}

func (c *checker) count(expr string) (int, error) {
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
	if err != nil {
		return 0, fmt.Errorf("script in page: %w", err)
	}
	return v, nil
}

// ---------------------------------------------------------------- server

type server struct {
	cmd  *exec.Cmd
	base string
	log  browsertest.LockedBuffer
	done chan struct{}
}

// start builds the binary, starts it on a free port with a new database and
// returns the setup link it prints.
func (s *server) start(ctx context.Context, tmp string) (string, error) {
	bin := filepath.Join(tmp, "hrx")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/hrx")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/hrx: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return "", err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	s.base = "http://" + addr
	s.cmd = exec.Command(bin, "serve", "--addr", addr, "--database", filepath.Join(tmp, "hrx.db"))
	s.cmd.Dir = tmp
	for _, kv := range os.Environ() {
		// The links and cookies must follow --addr: plain http on this port.
		if !strings.HasPrefix(kv, "HRX_BASE_URL=") {
			s.cmd.Env = append(s.cmd.Env, kv)
		}
	}
	s.cmd.Stderr = &s.log
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := s.cmd.Start(); err != nil {
		return "", fmt.Errorf("start %s: %w", bin, err)
	}
	s.done = make(chan struct{})
	go func() { s.cmd.Wait(); close(s.done) }()

	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			s.log.Write([]byte(line + "\n"))
			if !sent && strings.Contains(line, "/setup?token=") {
				found <- strings.TrimSpace(line)
				sent = true
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case link := <-found:
		// The link says localhost or the --addr host; use the address we chose.
		i := strings.Index(link, "/setup?token=")
		setup := s.base + link[i:]
		if err := waitHTTP(ctx, addr); err != nil {
			return "", err
		}
		return setup, nil
	case <-s.done:
		return "", fmt.Errorf("the server exited before printing the setup link:\n%s", tail(s.log.String(), 20))
	case <-time.After(30 * time.Second):
		return "", fmt.Errorf("no line with /setup?token= on the server's output within 30 s:\n%s", tail(s.log.String(), 20))
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (s *server) logs() string { return s.log.String() }

// stop ends the server: SIGTERM, then SIGKILL after 5 s.
func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil || s.done == nil {
		return
	}
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

func waitHTTP(ctx context.Context, addr string) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("the server printed the setup link but does not accept connections on %s: %v", addr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ---------------------------------------------------------------- small things

// byID selects the element with this id, also when the id has characters
// such as dots that a "#id" selector would misread.
func byID(id string) chromedp.CSS {
	return chromedp.CSS("[id=" + js(id) + "]")
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// xpathString quotes s for XPath 1.0.
func xpathString(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	parts := strings.Split(s, `"`)
	return `concat("` + strings.Join(parts, `", '"', "`) + `")`
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if len(out) > 60 {
		out = strings.TrimRight(out[:60], "-")
	}
	return out
}

// digits reads the number in a formatted count such as "1,500" or "5,00,000".
func digits(s string) int {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	n, _ := strconv.Atoi(b.String())
	return n
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func trunc(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
