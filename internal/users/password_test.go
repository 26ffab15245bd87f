package users_test

import (
	"errors"
	"testing"

	"hrx/internal/apperr"
	"hrx/internal/users"
)

const newPassword = "a quite different passphrase"

// TestChangePassword shares one database between its subtests, which run in order.
func TestChangePassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	t.Run("refused", func(t *testing.T) { testChangePasswordRefused(t, e.fork(t)) })
	t.Run("accepted", func(t *testing.T) { testChangePassword(t, e.fork(t)) })
}

func testChangePasswordRefused(t *testing.T, e *env) {
	const email = "refused@example.gov.in"
	u := e.create(email, users.Editor)
	here, there := e.session(u.ID), e.session(u.ID)
	hash0 := u.PasswordHash
	audit0 := e.count("audit_log")

	cases := []struct {
		name                   string
		current, next, confirm string
		want                   []string
	}{
		{"wrong current password", wrongPw, newPassword, newPassword, []string{"current_password"}},
		{"no current password", "", newPassword, newPassword, []string{"current_password"}},
		{"empty new password", goodPassword, "", "", []string{"new_password"}},
		{"short new password", goodPassword, "short", "short", []string{"new_password"}},
		{"common new password", goodPassword, "Password123", "Password123", []string{"new_password"}},
		{"new password is the email", goodPassword, "Refused@Example.gov.in", "Refused@Example.gov.in", []string{"new_password"}},
		{"confirmation differs", goodPassword, newPassword, newPassword + " ", []string{"confirm_password"}},
		{"confirmation empty", goodPassword, newPassword, "", []string{"confirm_password"}},
		{"wrong current and a mismatch", wrongPw, newPassword, "something else", []string{"current_password", "confirm_password"}},
		{"wrong current and a weak new one", wrongPw, "short", "short", []string{"current_password", "new_password"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := e.with(t)
			err := e.s.ChangePassword(e.ctx, u.ID, c.current, c.next, c.confirm, here)
			wantFields(t, err, c.want...)
			if got, _ := e.s.ByID(e.ctx, u.ID); got.PasswordHash != hash0 {
				t.Errorf("refused change altered the password")
			}
			e.wantSessionUser(here, u.ID)
			e.wantSessionUser(there, u.ID)
			if n := e.count("audit_log"); n != audit0 {
				t.Errorf("refused change wrote %d audit rows", n-audit0)
			}
		})
	}

	if err := e.s.ChangePassword(e.ctx, 999, goodPassword, newPassword, newPassword, ""); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("ChangePassword(unknown id) = %v, want ErrNotFound", err)
	}
}

func testChangePassword(t *testing.T, e *env) {
	u := e.create(known, users.Editor)
	bystander := e.create("other@example.gov.in", users.Viewer)
	here, there, elsewhere := e.session(u.ID), e.session(u.ID), e.session(u.ID)
	theirs := e.session(bystander.ID)

	if err := e.s.ChangePassword(e.ctx, u.ID, goodPassword, newPassword, newPassword, here); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}

	// The browser that made the change stays signed in; every other one is signed out.
	e.wantSessionUser(here, u.ID)
	e.wantNoSession(there)
	e.wantNoSession(elsewhere)
	e.wantSessionUser(theirs, bystander.ID)

	if _, err := e.s.Authenticate(e.ctx, known, goodPassword); err != users.ErrBadCredentials {
		t.Errorf("old password: %v, want ErrBadCredentials", err)
	}
	if got, err := e.s.Authenticate(e.ctx, known, newPassword); err != nil || got.ID != u.ID {
		t.Errorf("new password: %v", err)
	}
	got, _ := e.s.ByID(e.ctx, u.ID)
	if got.PasswordHash == u.PasswordHash || got.PasswordHash == newPassword {
		t.Errorf("stored hash not replaced by a new hash: %q", got.PasswordHash)
	}
	a := e.lastAudit("change-password")
	if a.Entity != "user" || a.EntityKey != known || a.UserID == nil || *a.UserID != u.ID {
		t.Errorf("change-password audit entry = %+v", a)
	}
	if a.Before != "" || a.After != "" {
		t.Errorf("change-password audit entry keeps password data: %+v", a)
	}

	// With no session to keep (say, a reset from the command line), all end.
	if err := e.s.ChangePassword(e.ctx, u.ID, newPassword, goodPassword, goodPassword, ""); err != nil {
		t.Fatalf("ChangePassword back: %v", err)
	}
	e.wantNoSession(here)
	e.wantSessionUser(theirs, bystander.ID)
}
