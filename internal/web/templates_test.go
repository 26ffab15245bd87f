package web_test

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"hrx/internal/audit"
	"hrx/internal/imports"
	"hrx/internal/users"
)

// TestEveryTemplateRenders visits a page for every template; a new template
// without a page here fails the test.
func TestEveryTemplateRenders(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	tok, err := e.web.Users().NewSetupToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]struct {
		path   string
		status int
		admin  bool
	}{
		"setup":         {"/setup?token=" + tok, http.StatusOK, false},
		"dashboard":     {"/", http.StatusOK, false},
		"target":        {"/targets/total-exchange", http.StatusOK, false},
		"plan":          {"/targets/total-exchange/plan?growth=2", http.StatusOK, false},
		"breakdown":     {"/breakdown", http.StatusOK, false},
		"annual":        {"/reports/2026", http.StatusOK, false},
		"annual-list":   {"/reports", http.StatusOK, false},
		"login":         {"/login", http.StatusOK, false},
		"error":         {"/no/such/page", http.StatusNotFound, false},
		"account":       {"/account", http.StatusOK, true},
		"months":        {"/months", http.StatusOK, true},
		"month":         {"/months/2025-09", http.StatusOK, true},
		"month-confirm": {"/months/2025-10/state?action=reopen", http.StatusOK, true},
		"rows":          {"/months/2025-09/rows?direction=IN-JP&category=engineer", http.StatusOK, true},
		"users":         {"/admin/users", http.StatusOK, true},
		"confirm":       {"/admin/users/1/password", http.StatusOK, true},
		"tokens":        {"/admin/tokens", http.StatusOK, true},
		"imports":       {"/imports", http.StatusOK, true},
		"import-new":    {"/imports/new", http.StatusOK, true},
		"import":        {"/imports/1", http.StatusOK, true},
		"help-upload":   {"/help/upload", http.StatusOK, false},
		"audit":         {"/audit?kind=figures", http.StatusOK, true},
		"categories":    {"/admin/categories?edit=ssw", http.StatusOK, true},
		"targets-admin": {"/admin/targets?edit=skilled-workers", http.StatusOK, true},
		"settings":      {"/admin/settings", http.StatusOK, true},
		"notifications": {"/notifications", http.StatusOK, true},
		"jobs":          {"/admin/jobs", http.StatusOK, true},
		"bodies-admin":  {"/admin/bodies", http.StatusOK, true},
		"completeness":  {"/completeness", http.StatusOK, true},
		"widgets":       {"/widgets?target=skilled-workers&style=bar&theme=dark&wlang=ja", http.StatusOK, false},
	}
	names := e.web.TemplateNames()
	sort.Strings(names)
	for _, n := range names {
		if _, ok := pages[n]; !ok {
			t.Errorf("template %q is never rendered by this test; add a page that uses it", n)
		}
	}
	anon := e.browser()
	for name, p := range pages {
		if !p.admin {
			st, body := anon.get(p.path)
			check(t, name, p.path, st, p.status, body)
		}
	}
	e.addUser("admin@example.gov.in", users.Admin)
	if _, err := imports.NewStore(e.db).Stage(context.Background(), audit.System("test"), imports.Upload{Name: "x.csv", Body: strings.NewReader("month,direction,category,count\n2025-09,IN-JP,student,5\n")}); err != nil {
		t.Fatal(err)
	}
	admin := e.browser()
	admin.signIn("admin@example.gov.in")
	for name, p := range pages {
		if p.admin {
			st, body := admin.get(p.path)
			check(t, name, p.path, st, p.status, body)
		}
	}
}

func check(t *testing.T, name, path string, got, want int, body string) {
	t.Helper()
	if got != want {
		t.Errorf("%s (%s): status %d, want %d", name, path, got, want)
		return
	}
	for _, w := range []string{"<!DOCTYPE html>", `<main id="main"`, "<h1", "Skip to main content", "</html>"} {
		if !strings.Contains(body, w) {
			t.Errorf("%s (%s): no %q", name, path, w)
		}
	}
	if strings.Count(body, "<h1") != 1 {
		t.Errorf("%s: %d h1 elements", name, strings.Count(body, "<h1"))
	}
}

func TestChangePassword(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("a@example.gov.in")
	other := e.browser()
	other.signIn("a@example.gov.in")
	b.get("/account")
	st, body := b.post("/account/password", url.Values{"current_password": {"wrong"}, "new_password": {"a brand new passphrase"}, "confirm_password": {"a brand new passphrase"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("wrong current password: %d", st)
	}
	mustContain(t, body, `href="#current_password"`, "<title>Error: Your account")
	st, _ = b.post("/account/password", url.Values{"current_password": {testPassword}, "new_password": {"a brand new passphrase"}, "confirm_password": {"a brand new passphrase"}})
	if st != http.StatusSeeOther {
		t.Fatalf("change: %d", st)
	}
	if st, _ := b.get("/account"); st != http.StatusOK {
		t.Errorf("this browser was signed out: %d", st)
	}
	if st, _ := other.get("/account"); st != http.StatusSeeOther {
		t.Errorf("the other browser is still signed in: %d", st)
	}
	if _, err := e.web.Users().Authenticate(context.Background(), "a@example.gov.in", "a brand new passphrase", ""); err != nil {
		t.Errorf("new password: %v", err)
	}
}
