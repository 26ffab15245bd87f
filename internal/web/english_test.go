package web_test

import (
	"context"
	"flag"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/figures"
	"hrx/internal/imports"
	"hrx/internal/month"
	"hrx/internal/users"
)

var updateEnglish = flag.Bool("update-english", false, "rewrite testdata/english-left.txt with the English words pages show today")

// englishLeft lists the English words still shown on pages in Japanese and
// Hindi, one "page lang word" a line. It may only shrink: a word that is not
// in it fails the test.
const englishLeft = "testdata/english-left.txt"

// englishAllowed are Latin-script words that are the same in every language:
// names of formats, standards and the product, and units.
var englishAllowed = map[string]bool{
	"HRX": true, "CSV": true, "XLSX": true, "UTF": true, "BOM": true, "SVG": true, "PNG": true, "API": true,
	"JSON": true, "URL": true, "ISO": true, "MB": true, "KB": true, "Excel": true, "Shift_JIS": true,
	"oEmbed": true, "iframe": true, "HTML": true, "OpenAPI": true, "IST": true, "JST": true, "UTC": true,
	"English":   true, // the language menu names each language in itself
	"WordPress": true, "Drupal": true, "README": true,
	// Keys as printed on keyboards everywhere, and the spreadsheets people copy from.
	"Ctrl": true, "Alt": true, "Shift": true, "Enter": true, "Mac": true, "Google": true, "Sheets": true, "LibreOffice": true,
}

// codeRe matches what is a code or a value rather than a word: anything with
// a digit, an upper-case code such as IN-JP, an e-mail address, a path.
var codeRe = regexp.MustCompile(`^([A-Z]{2}-[A-Z0-9]+|[A-Z]{2,3}|.*[0-9].*|.*@.*|/.*|.*_.*)$`)

var wordRe = regexp.MustCompile(`[A-Za-z][A-Za-z'’_-]*[A-Za-z]|[A-Za-z]`)

// visibleText collects what a reader sees or hears of a page: its text and
// the attributes read aloud (aria-label, title, alt, placeholder), leaving out
// scripts, styles, code and whatever is marked as another language or as not
// to be translated.
func visibleText(doc *html.Node, pageLang string) []string {
	var out []string
	var walk func(n *html.Node, skip bool)
	walk = func(n *html.Node, skip bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "code", "kbd", "pre", "textarea", "svg":
				skip = true
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "lang" && a.Val != pageLang && !strings.HasPrefix(a.Val, pageLang+"-"):
					skip = true
				case a.Key == "translate" && a.Val == "no":
					skip = true
				}
			}
			if !skip {
				for _, a := range n.Attr {
					if a.Key == "aria-label" || a.Key == "title" || a.Key == "alt" || a.Key == "placeholder" {
						out = append(out, a.Val)
					}
				}
			}
		}
		if n.Type == html.TextNode && !skip {
			out = append(out, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, skip)
		}
	}
	walk(doc, false)
	return out
}

// englishWords are the English words among texts.
func englishWords(texts []string) []string {
	var out []string
	for _, t := range texts {
		for _, f := range strings.Fields(t) {
			f = strings.Trim(f, `.,;:!?()[]{}"'“”‘’«»…—–·*`)
			if f == "" || codeRe.MatchString(f) || englishAllowed[f] {
				continue
			}
			for _, w := range wordRe.FindAllString(f, -1) {
				if !englishAllowed[w] && len(w) > 1 && !codeRe.MatchString(w) {
					out = append(out, w)
				}
			}
		}
	}
	return out
}

// TestNoEnglishLeft visits every page, in its normal and error states, in
// Japanese and Hindi, and fails on any English word that is not already
// listed in testdata/english-left.txt (which may only shrink).
func TestNoEnglishLeft(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	tok, err := e.web.Users().NewSetupToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.addUser("admin@example.gov.in", users.Admin)
	if _, err := imports.NewStore(e.db).Stage(context.Background(), audit.System("test"), imports.Upload{Name: "bad.csv",
		Body: strings.NewReader("month,direction,category,count\n2025-13,IN-XX,student,-5\n2025-09,IN-JP,nosuch,12.5\n")}); err != nil {
		t.Fatal(err)
	}
	// A file far from the recent level: its preview compares it with recent months.
	far, err := imports.NewStore(e.db).Stage(context.Background(), audit.System("ed@example.gov.in"), imports.Upload{Name: "2025-11.csv",
		Body: strings.NewReader("month,direction,category,count\n2025-11,IN-JP,engineer,5000\n2025-11,IN-JP,student,0\n")})
	if err != nil {
		t.Fatal(err)
	}
	// An applied file, whose revert asks first.
	applied, err := imports.NewStore(e.db).Stage(context.Background(), audit.System("ed@example.gov.in"), imports.Upload{Name: "2025-12.csv",
		Body: strings.NewReader("month,direction,category,count\n2025-12,JP-IN,business,40\n")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := imports.NewStore(e.db).Apply(context.Background(), audit.System("ed@example.gov.in"), applied.ID); err != nil {
		t.Fatal(err)
	}
	reviewData(e) // November 2025: submitted, with changes, flags and edits to review
	// November's publication confirmed with every reason left empty.
	flags, err := approval.NewStore(e.db, figures.NewStore(e.db)).Flags(context.Background(), month.MustParse("2025-11"))
	if err != nil || len(flags) == 0 {
		t.Fatalf("November has no flags to confirm: %v", err)
	}
	novemberFlags := func() url.Values {
		form := url.Values{"action": {"publish"}, "confirmed": {"yes"}}
		for _, f := range flags {
			form.Add("flag", f.Key())
			form.Set("value."+f.Key(), strconv.FormatInt(f.Value, 10))
			form.Set("reason."+f.Key(), "")
		}
		return form
	}
	found := map[string]bool{}
	for _, lang := range []string{"ja", "hi"} {
		anon := e.browser()
		anon.get("/language?lang=" + lang) // the cookie makes every later page speak lang
		admin := e.browser()
		admin.get("/language?lang=" + lang)
		admin.signIn("admin@example.gov.in")
		editor := e.browser()
		editor.get("/language?lang=" + lang)
		editor.signIn("nov-editor@example.gov.in")
		visit := func(b *browser, name, path string, form url.Values) {
			var body string
			if form == nil {
				_, body = b.get(path)
			} else {
				_, body = b.post(path, form)
				if b.lastTo != "" && strings.HasPrefix(b.lastTo, "/") {
					_, body = b.get(b.lastTo) // the page after a redirect, with its flash
				}
			}
			doc, err := html.Parse(strings.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			for _, w := range englishWords(visibleText(doc, lang)) {
				found[name+" "+lang+" "+w] = true
			}
		}
		for name, path := range map[string]string{
			"dashboard": "/", "target": "/targets/skilled-workers", "login": "/login", "error-404": "/no/such/page",
			"help-upload": "/help/upload", "widgets": "/widgets", "setup": "/setup?token=" + tok,
			"breakdown": "/breakdown", "breakdown-target": "/targets/skilled-workers/breakdown?direction=IN-JP",
			"annual": "/reports/2026", "annual-list": "/reports",
		} {
			visit(anon, name, path, nil)
		}
		visit(anon, "login-failed", "/login", url.Values{"email": {"nobody@example.gov.in"}, "password": {"wrong password"}})
		visit(anon, "login-empty", "/login", url.Values{})
		for name, path := range map[string]string{
			"account": "/account", "months": "/months", "month": "/months/2025-09", "month-open": "/months/2026-01",
			"rows": "/months/2025-09/rows?direction=IN-JP&category=engineer", "users": "/admin/users", "tokens": "/admin/tokens",
			"imports": "/imports", "import-new": "/imports/new", "import-errors": "/imports/1", "audit": "/audit",
			"categories": "/admin/categories?edit=ssw", "targets-admin": "/admin/targets?edit=skilled-workers",
			"dashboard-staff": "/?unpublished=1",
			"bodies-admin":    "/admin/bodies", "completeness": "/completeness?from=2025-09&to=2026-01",
			"completeness-body": "/completeness?from=2025-09&to=2026-01&body=0",
			"notifications":     "/notifications", "jobs": "/admin/jobs",
		} {
			visit(admin, name, path, nil)
		}
		visit(admin, "account-errors", "/account/password", url.Values{"current_password": {"wrong"}, "new_password": {"aaaaaaaaaa"}, "confirm_password": {"b"}})
		visit(admin, "users-errors", "/admin/users", url.Values{"email": {"not an address"}, "role": {"chief"}})
		visit(admin, "import-flags", "/imports/"+strconv.FormatInt(far.ID, 10), nil)
		visit(admin, "import-apply-confirm", "/imports/"+strconv.FormatInt(far.ID, 10)+"/apply", url.Values{})
		visit(admin, "import-revert-confirm", "/imports/"+strconv.FormatInt(applied.ID, 10)+"/revert", url.Values{})
		visit(admin, "account-email-errors", "/account/email", url.Values{"email_lang": {"xx"}})
		visit(admin, "bodies-errors", "/admin/bodies", url.Values{"name_en": {""}, "due_day": {"40"}, "cells": {"XX/nosuch"}})
		visit(admin, "completeness-errors", "/completeness?from=2025-13&to=2025", nil)
		visit(admin, "settings", "/admin/settings", nil)
		visit(admin, "settings-errors", "/admin/settings", url.Values{"flag_ratio": {"0.5"}, "flag_floor": {"many"}, "flag_history": {"2.5"}, "flag_total_jump": {""}})
		visit(admin, "settings-saved", "/admin/settings", url.Values{"four_eyes": {"on"}, "flag_ratio": {"4"}, "flag_floor": {"20"}, "flag_history": {"6"}, "flag_total_jump": {"50"}})
		visit(admin, "month-errors", "/months/2026-01", url.Values{"c.IN-JP.student": {"-5"}, "c.JP-IN.student": {"many"}})
		visit(admin, "month-saved", "/months/2026-01", url.Values{"c.IN-JP.student": {"7"}})
		// A cell's rows editor: its form, every row's problems, a save, and a
		// save from a page loaded before that one.
		_, rowsVersion, err := figures.NewStore(e.db).CellRows(context.Background(), "2026-01", "IN-JP", "ssw")
		if err != nil {
			t.Fatal(err)
		}
		rowsEdit := func(version string, rows ...[2]string) url.Values {
			form := url.Values{"direction": {"IN-JP"}, "category": {"ssw"}, "version": {version}}
			for i, r := range rows {
				k := "row." + strconv.Itoa(i+1) + "."
				form.Set(k+"id", "0")
				form.Set(k+"sector", r[0])
				form.Set(k+"count", r[1])
			}
			return form
		}
		sector := map[string]string{"ja": "nursing_care", "hi": "building_cleaning"}[lang]
		visit(admin, "rows-edit", "/months/2026-01/rows?direction=IN-JP&category=ssw", nil)
		visit(admin, "rows-edit-errors", "/months/2026-01/rows", rowsEdit(rowsVersion, [2]string{"ZZ", "-5"}, [2]string{"", "4"}, [2]string{"", "5"}))
		visit(admin, "rows-edit-saved", "/months/2026-01/rows", rowsEdit(rowsVersion, [2]string{sector, "7"}))
		visit(admin, "rows-edit-conflict", "/months/2026-01/rows", rowsEdit(rowsVersion, [2]string{"", "7"}))
		// The review of a submitted month, its comments and a cell's, a refused
		// comment, and a submission refused because the figures changed.
		comment := map[string]string{"ja": "１１月の数値を確認しました", "hi": "नवंबर के आँकड़े जाँच लिए"}[lang]
		visit(admin, "month-review", "/months/2025-11", nil)
		visit(admin, "month-comment", "/months/2025-11/comments", url.Values{"comment_text": {comment}})
		visit(admin, "month-comment-errors", "/months/2025-11/comments", url.Values{"comment_text": {" "}})
		visit(admin, "rows-comment", "/months/2025-11/comments", url.Values{"comment_text": {comment}, "direction": {"IN-JP"}, "category": {"ssw"}})
		visit(admin, "rows-comment-errors", "/months/2025-11/comments", url.Values{"comment_text": {""}, "direction": {"IN-JP"}, "category": {"ssw"}})
		visit(admin, "month-submit-changed", "/months/2026-02/state", url.Values{"action": {"submit"}, "version": {"0"}})
		// The approver's actions: each asks first, with the consequence; a
		// publication asks a reason for each flagged figure; an empty month
		// is asked why there is nothing to report; a blocked one says why; an editor
		// is told who can publish.
		words := map[string]string{"ja": "数値を確認してください", "hi": "आँकड़े जाँचें"}[lang]
		visit(admin, "month-confirm-publish", "/months/2025-11/state", url.Values{"action": {"publish"}})
		visit(admin, "month-confirm-publish-errors", "/months/2025-11/state", novemberFlags())
		visit(admin, "month-confirm-return", "/months/2025-11/state", url.Values{"action": {"return"}, "comment": {words}})
		visit(admin, "month-confirm-reopen", "/months/2025-10/state", url.Values{"action": {"reopen"}, "comment": {words}})
		visit(admin, "month-confirm-nothing", "/months/2025-07/state", url.Values{"action": {"nothing_to_report"}, "comment": {words}})
		visit(admin, "month-confirm-nothing-errors", "/months/2025-07/state", url.Values{"action": {"nothing_to_report"}, "comment": {""}})
		visit(admin, "month-blocked", "/months/2025-12", nil)
		visit(editor, "month-waiting", "/months/2025-11", nil)
		visit(admin, "logout", "/logout", url.Values{})
	}
	var got []string
	for k := range found {
		got = append(got, k)
	}
	sort.Strings(got)
	if *updateEnglish {
		if err := os.WriteFile(englishLeft, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(englishLeft)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	left := strings.Fields(strings.ReplaceAll(string(b), " ", "\x00"))
	var added []string
	for _, g := range got {
		if !slices.Contains(left, strings.ReplaceAll(g, " ", "\x00")) {
			added = append(added, g)
		}
	}
	if len(added) > 0 {
		t.Errorf("%d English words on pages in Japanese or Hindi (page, language, word); translate them, or mark codes and names with <code> or translate=\"no\":\n%s",
			len(added), strings.Join(added, "\n"))
	}
	if gone := len(left) - (len(got) - len(added)); gone > 0 {
		t.Logf("%d words of %s are translated now; remove them with go test ./internal/web/ -run TestNoEnglishLeft -update-english", gone, englishLeft)
	}
}
