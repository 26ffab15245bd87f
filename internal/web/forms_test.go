package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"hrx/internal/users"
)

// TestAddUserShowsEveryProblemAtOnce: the store is the one place that checks
// a new account, so a form with several mistakes shows all of them.
func TestAddUserShowsEveryProblemAtOnce(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@example.gov.in", users.Admin)
	b := e.browser()
	b.signIn("admin@example.gov.in")
	b.get("/admin/users")
	st, body := b.post("/admin/users", url.Values{"email": {"not an address"}, "role": {"chief"}, "password": {"aaaaaaaaaa"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", st)
	}
	mustContain(t, body, `href="#email"`, `href="#role"`, `href="#password"`)
	// A form that cannot be read at all is refused in words, not with a crash.
	if st, _ := b.post("/admin/users/abc", url.Values{"role": {"viewer"}}); st != http.StatusNotFound {
		t.Errorf("a user id that is not a number: %d, want 404", st)
	}
}
