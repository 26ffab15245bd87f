package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

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
	// The button asks first, saying what will happen; nothing changes yet.
	st, body := b.get("/admin/users/" + strconv.FormatInt(ed.ID, 10) + "/password")
	if st != http.StatusOK || !strings.Contains(text(body), "Their current password stops working at once") {
		t.Fatalf("asking: %d\n%s", st, text(body))
	}
	if st, _ := old.get("/months"); st != http.StatusOK {
		t.Fatalf("asking ended the editor's session: %d", st)
	}
	st, body = b.post("/admin/users/"+strconv.FormatInt(ed.ID, 10)+"/password", url.Values{"confirmed": {"yes"}})
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

var flashRe = regexp.MustCompile(`(?s)<div class="flash" role="status"><p>(.*?)</p>`)

// TestAuthPagesInTheReadersLanguage walks sign-in, first-run setup, the
// account, users and tokens pages in Japanese and Hindi through the states
// TestNoEnglishLeft does not reach: every refusal, the throttle messages and
// every flash. No English word is left.
func TestAuthPagesInTheReadersLanguage(t *testing.T) {
	for _, c := range []struct {
		lang   string
		expect []string // words that show the page is in the language
	}{
		{"ja", []string{"ログインの失敗が多すぎます。1秒待って", "閲覧者", "エラー："}},
		{"hi", []string{"1 सेकंड प्रतीक्षा करें", "दर्शक", "त्रुटि:"}},
	} {
		t.Run(c.lang, func(t *testing.T) {
			e := newEnv(t)
			var seen strings.Builder
			see := func(what string, st, want int, body string) {
				t.Helper()
				if st != want {
					t.Fatalf("%s: status %d, want %d\n%s", what, st, want, text(body))
				}
				doc, err := html.Parse(strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if words := englishWords(visibleText(doc, c.lang)); len(words) > 0 {
					t.Errorf("%s: English left: %q", what, words)
				}
				seen.WriteString(text(body))
			}
			seeFlash := func(what string, st int, body string) {
				t.Helper()
				m := flashRe.FindStringSubmatch(body)
				if m == nil {
					t.Fatalf("%s: no flash (status %d)", what, st)
				}
				see(what+" flash", st, st, m[1])
			}
			b := e.browser()
			b.get("/language?lang=" + c.lang + "&next=/")

			tok, err := e.web.Users().NewSetupToken(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			st, body := b.get("/setup?token=" + tok)
			see("setup", st, http.StatusOK, body)
			st, body = b.post("/setup", url.Values{"token": {tok}, "email": {"not an address"}, "password": {"short"}, "confirm_password": {"other"}})
			see("setup refused", st, http.StatusUnprocessableEntity, body)
			b.post("/setup", url.Values{"token": {tok}, "email": {"admin@example.gov.in"}, "password": {testPassword}, "confirm_password": {testPassword}})
			st, body = b.get(b.lastTo)
			seeFlash("setup done", st, body)
			see("users", st, http.StatusOK, body)
			st, body = b.get("/setup?token=" + tok)
			see("setup spent", st, http.StatusGone, body)

			st, body = b.post("/admin/users", url.Values{"email": {"x"}, "role": {"boss"}, "name": {strings.Repeat("n", 201)}})
			see("add user refused", st, http.StatusUnprocessableEntity, body)
			st, body = b.post("/admin/users", url.Values{"email": {"ed@example.gov.in"}, "role": {"editor"}, "password": {"password123"}})
			see("add user weak password", st, http.StatusUnprocessableEntity, body)
			st, body = b.post("/admin/users", url.Values{"email": {"ed@example.gov.in"}, "role": {"editor"}})
			see("user added", st, http.StatusCreated, body)
			ed, _ := e.web.Users().ByEmail(context.Background(), "ed@example.gov.in")
			id := strconv.FormatInt(ed.ID, 10)
			st, body = b.post("/admin/users/"+id, url.Values{"role": {"viewer"}, "disabled": {"on"}})
			see("disable asks first", st, http.StatusOK, body)
			b.post("/admin/users/"+id, url.Values{"role": {"viewer"}, "disabled": {"on"}, "confirmed": {"yes"}})
			st, body = b.get(b.lastTo)
			seeFlash("user saved", st, body)
			st, body = b.post("/admin/users/"+id, url.Values{"role": {"root"}})
			see("user update refused", st, http.StatusUnprocessableEntity, body)
			st, body = b.post("/admin/users/"+id+"/password", nil)
			see("password reset asks first", st, http.StatusOK, body)
			st, body = b.post("/admin/users/"+id+"/password", url.Values{"confirmed": {"yes"}})
			see("password reset", st, http.StatusOK, body)

			st, body = b.post("/admin/tokens", url.Values{"user": {"0"}, "name": {"x"}})
			see("token refused", st, http.StatusUnprocessableEntity, body)
			st, body = b.post("/admin/tokens", url.Values{"user": {id}, "name": {"x"}})
			see("token for a disabled account refused", st, http.StatusUnprocessableEntity, body)
			admin, _ := e.web.Users().ByEmail(context.Background(), "admin@example.gov.in")
			st, body = b.post("/admin/tokens", url.Values{"user": {strconv.FormatInt(admin.ID, 10)}, "name": {"upload-1"}})
			see("token created", st, http.StatusCreated, body)
			m := regexp.MustCompile(`/admin/tokens/(\d+)/revoke`).FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no revoke form")
			}
			b.post(m[0], nil)
			st, body = b.get(b.lastTo)
			seeFlash("token revoked", st, body)
			see("tokens", st, http.StatusOK, body)

			st, body = b.post("/account/password", url.Values{"current_password": {"wrong"}, "new_password": {"short"}, "confirm_password": {"x"}})
			see("password change refused", st, http.StatusUnprocessableEntity, body)
			b.post("/account/password", url.Values{"current_password": {testPassword}, "new_password": {"a brand new passphrase"}, "confirm_password": {"a brand new passphrase"}})
			st, body = b.get(b.lastTo)
			seeFlash("password changed", st, body)
			see("account", st, http.StatusOK, body)
			for range 6 {
				b.post("/account/password", url.Values{"current_password": {"wrong"}, "new_password": {"x"}, "confirm_password": {"x"}})
			}
			st, body = b.post("/account/password", url.Values{"current_password": {"wrong"}, "new_password": {"x"}, "confirm_password": {"x"}})
			see("password change throttled", st, http.StatusTooManyRequests, body)

			b.post("/logout", nil)
			st, body = b.get(b.lastTo)
			seeFlash("signed out", st, body)
			st, body = b.get("/login")
			see("login", st, http.StatusOK, body)
			st, body = b.post("/login", url.Values{"email": {strings.Repeat("a", 300) + "@example.gov.in"}})
			see("login refused", st, http.StatusUnprocessableEntity, body)
			b.post("/login", url.Values{"email": {"admin@example.gov.in"}, "password": {"a brand new passphrase"}, "next": {"/account"}})
			st, body = b.get(b.lastTo)
			seeFlash("signed in", st, body)
			b.post("/logout", nil)
			b.get("/login")
			for range 6 {
				b.post("/login", url.Values{"email": {"admin@example.gov.in"}, "password": {"not the password"}})
			}
			st, body = b.post("/login", url.Values{"email": {"admin@example.gov.in"}, "password": {"a brand new passphrase"}})
			see("login throttled", st, http.StatusTooManyRequests, body)

			mustContain(t, seen.String(), c.expect...)
		})
	}
}
