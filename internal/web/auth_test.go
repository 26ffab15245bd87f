package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"hrx/internal/users"
)

func TestSignIn(t *testing.T) {
	e := newEnv(t)
	e.addUser("editor@example.gov.in", users.Editor)
	tests := []struct {
		name, email, password string
		noCSRF                bool
		want                  int
		says                  string
	}{
		{"good", "editor@example.gov.in", testPassword, false, http.StatusSeeOther, ""},
		{"email in another case", "Editor@Example.gov.in", testPassword, false, http.StatusSeeOther, ""},
		{"bad password", "editor@example.gov.in", "wrong password!", false, http.StatusUnauthorized, "The email address or password is not correct"},
		{"unknown user", "nobody@example.gov.in", testPassword, false, http.StatusUnauthorized, "The email address or password is not correct"},
		{"empty", "", "", false, http.StatusUnprocessableEntity, "Enter your email address"},
		{"CSRF missing", "editor@example.gov.in", testPassword, true, http.StatusForbidden, "did not come from this site"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.browser()
			b.get("/login")
			form := url.Values{"email": {tt.email}, "password": {tt.password}}
			if tt.noCSRF {
				form.Set("_csrf", "")
			}
			status, body := b.post("/login", form)
			if status != tt.want {
				t.Fatalf("status %d, want %d\n%s", status, tt.want, text(body))
			}
			mustContain(t, text(body), tt.says)
			if tt.want != http.StatusSeeOther {
				if tt.want != http.StatusForbidden {
					mustContain(t, body, `class="error-summary"`, `href="#email"`)
				}
				if st, _ := b.get("/months"); st != http.StatusSeeOther {
					t.Errorf("after a failed sign-in /months gave %d, want a redirect to sign in", st)
				}
			} else if st, _ := b.get("/months"); st != http.StatusOK {
				t.Errorf("after signing in /months gave %d", st)
			}
		})
	}
}

func TestSignInRotatesSessionAndSignOutEndsIt(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.gov.in", users.Viewer)
	b := e.browser()
	b.signIn("a@example.gov.in")
	u, _ := url.Parse(e.srv.URL)
	first := cookie(b, u, "hrx_session")
	b.signIn("a@example.gov.in")
	second := cookie(b, u, "hrx_session")
	if first == "" || first == second {
		t.Fatalf("signing in again kept session id %q", first)
	}
	// The first session no longer works.
	old := e.browser()
	old.c.Jar.SetCookies(u, []*http.Cookie{{Name: "hrx_session", Value: first}})
	if st, _ := old.get("/months"); st != http.StatusSeeOther {
		t.Errorf("old session still works: %d", st)
	}
	b.get("/months")
	if st, _ := b.post("/logout", nil); st != http.StatusSeeOther {
		t.Fatalf("logout: %d", st)
	}
	again := e.browser()
	again.c.Jar.SetCookies(u, []*http.Cookie{{Name: "hrx_session", Value: second}})
	if st, _ := again.get("/months"); st != http.StatusSeeOther {
		t.Errorf("session works after sign-out: %d", st)
	}
}

func cookie(b *browser, u *url.URL, name string) string {
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func TestSessionCookieFlags(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.gov.in", users.Viewer)
	b := e.browser()
	b.get("/login")
	resp, err := b.c.PostForm(e.srv.URL+"/login", url.Values{"email": {"a@example.gov.in"}, "password": {testPassword}, "_csrf": {b.csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var found bool
	for _, c := range resp.Cookies() {
		if c.Name == "hrx_session" {
			found = true
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie: HttpOnly=%v SameSite=%v", c.HttpOnly, c.SameSite)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie set")
	}
}

func TestThrottleAfterRepeatedFailures(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.gov.in", users.Editor)
	for _, email := range []string{"a@example.gov.in", "ghost@example.gov.in"} {
		b := e.browser()
		b.get("/login")
		for i := range 6 {
			if status, _ := b.post("/login", url.Values{"email": {email}, "password": {"not the password"}}); status != http.StatusUnauthorized {
				t.Fatalf("%s: failure %d gave %d, want 401", email, i+1, status)
			}
		}
		// Even the right password must wait now, and the page says how long.
		resp, err := b.c.PostForm(e.srv.URL+"/login", url.Values{"email": {email}, "password": {testPassword}, "_csrf": {b.csrf}})
		if err != nil {
			t.Fatal(err)
		}
		status, body := b.read(resp)
		if status != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
			t.Fatalf("%s: right password at once gave %d (Retry-After %q), want 429 and 1", email, status, resp.Header.Get("Retry-After"))
		}
		mustContain(t, text(body), "Too many failed sign-in attempts. Wait 1 second")
	}
}

func TestFirstRunSetupWorksOnce(t *testing.T) {
	e := newEnv(t)
	tok, err := e.web.Users().NewSetupToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	if st, body := b.get("/setup?token=" + tok); st != http.StatusOK || !strings.Contains(body, "Create the first administrator") {
		t.Fatalf("setup page: %d", st)
	}
	// A weak password is refused with the field named, and the link still works.
	st, body := b.post("/setup", url.Values{"token": {tok}, "email": {"admin@example.gov.in"}, "password": {"short"}, "confirm_password": {"short"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("weak password: %d", st)
	}
	mustContain(t, body, `href="#password"`, "at least 10 characters")
	st, _ = b.post("/setup", url.Values{"token": {tok}, "email": {"admin@example.gov.in"}, "password": {testPassword}, "confirm_password": {testPassword}})
	if st != http.StatusSeeOther {
		t.Fatalf("setup: %d", st)
	}
	if st, body := b.get("/admin/users"); st != http.StatusOK || !strings.Contains(body, "admin@example.gov.in") {
		t.Fatalf("new admin cannot open users page: %d", st)
	}
	// The link is spent.
	other := e.browser()
	if st, body := other.get("/setup?token=" + tok); st != http.StatusGone || !strings.Contains(body, "no longer works") {
		t.Errorf("second use: %d", st)
	}
	other.get("/login") // a page with a form, for a CSRF token
	st, _ = other.post("/setup", url.Values{"token": {tok}, "email": {"evil@example.com"}, "password": {testPassword}, "confirm_password": {testPassword}})
	if st != http.StatusGone {
		t.Errorf("second setup post: %d", st)
	}
	if _, err := e.web.Users().ByEmail(context.Background(), "evil@example.com"); err == nil {
		t.Error("second setup created an account")
	}
}

func TestRoles(t *testing.T) {
	e := newEnv(t)
	e.addUser("viewer@example.gov.in", users.Viewer)
	e.addUser("editor@example.gov.in", users.Editor)
	anon := e.browser()
	if st, _ := anon.get("/months/2025-09"); st != http.StatusSeeOther || !strings.HasPrefix(anon.lastTo, "/login?next=") {
		t.Errorf("anonymous /months/2025-09: %d to %q, want redirect to sign in", st, anon.lastTo)
	}
	anon.get("/login")
	if st, _ := anon.post("/months/2025-09", url.Values{"c.IN-JP.student": {"5"}, "v.IN-JP.student": {"0"}}); st != http.StatusSeeOther || !strings.HasPrefix(anon.lastTo, "/login") {
		t.Errorf("anonymous save: %d to %q", st, anon.lastTo)
	}
	v := e.browser()
	v.signIn("viewer@example.gov.in")
	st, body := v.get("/months/2025-09")
	if st != http.StatusOK || strings.Contains(body, `name="c.IN-JP.student"`) {
		t.Errorf("viewer sees inputs on the month page (status %d)", st)
	}
	if st, _ := v.post("/months/2025-09", url.Values{"c.IN-JP.student": {"5"}, "v.IN-JP.student": {"0"}}); st != http.StatusForbidden {
		t.Errorf("viewer save: %d, want 403", st)
	}
	if st, _ := v.get("/admin/users"); st != http.StatusForbidden {
		t.Errorf("viewer /admin/users: %d", st)
	}
	ed := e.browser()
	ed.signIn("editor@example.gov.in")
	if st, _ := ed.post("/admin/users", url.Values{"email": {"x@example.gov.in"}, "role": {"admin"}}); st != http.StatusForbidden {
		t.Errorf("editor adding a user: %d", st)
	}
	if n, _ := e.web.Users().Count(context.Background()); n != 2 {
		t.Errorf("%d users, want 2", n)
	}
}

func TestAdminAddsUser(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@example.gov.in", users.Admin)
	b := e.browser()
	b.signIn("admin@example.gov.in")
	b.get("/admin/users")
	st, body := b.post("/admin/users", url.Values{"email": {"not-an-email"}, "role": {"boss"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", st)
	}
	mustContain(t, body, `href="#email"`, `href="#role"`, `value="not-an-email"`)
	st, body = b.post("/admin/users", url.Values{"email": {"new.editor@example.gov.in"}, "role": {"editor"}})
	if st != http.StatusCreated {
		t.Fatalf("add: %d\n%s", st, text(body))
	}
	mustContain(t, text(body), "Password for new.editor@example.gov.in")
	u, err := e.web.Users().ByEmail(context.Background(), "new.editor@example.gov.in")
	if err != nil || u.Role != users.Editor {
		t.Fatalf("created user: %+v, %v", u, err)
	}
}

func TestAdminResetsPassword(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@example.gov.in", users.Admin)
	ed := e.addUser("ed@example.gov.in", users.Editor)
	old := e.browser()
	old.signIn("ed@example.gov.in")
	b := e.browser()
	b.signIn("admin@example.gov.in")
	b.get("/admin/users")
	st, body := b.post("/admin/users/"+strconv.FormatInt(ed.ID, 10)+"/password", nil)
	if st != http.StatusOK {
		t.Fatalf("reset: %d", st)
	}
	m := regexp.MustCompile(`<code class="secret">([^<]+)</code>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no new password shown")
	}
	if _, err := e.web.Users().Authenticate(context.Background(), "ed@example.gov.in", m[1], ""); err != nil {
		t.Errorf("new password: %v", err)
	}
	if st, _ := old.get("/months"); st != http.StatusSeeOther {
		t.Errorf("the editor's old session survived: %d", st)
	}
}
