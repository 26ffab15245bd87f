package users_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/users"
)

// TestSessions shares one database between its subtests, which run in order,
// each with its own accounts.
func TestSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	t.Run("start", func(t *testing.T) { testStartSession(t, e.fork(t)) })
	t.Run("end", func(t *testing.T) { testEndSession(t, e.fork(t)) })
	t.Run("disabling ends sessions", func(t *testing.T) { testUpdateEndsSessions(t, e.fork(t)) })
	t.Run("disabled account", func(t *testing.T) { testSessionOfDisabledUser(t, e.fork(t)) })
	t.Run("expiry", func(t *testing.T) { testSessionExpiry(t, e) })
	// Last: it deletes every session its clock sees as expired.
	t.Run("delete expired", func(t *testing.T) { testDeleteExpiredSessions(t, e.fork(t)) })
}

func testStartSession(t *testing.T, e *env) {
	u := e.create("start@example.gov.in", users.Viewer)
	other := e.create("start.other@example.gov.in", users.Admin)

	toks := map[string]bool{}
	for range 5 {
		tok := e.session(u.ID)
		if len(tok) < 43 || toks[tok] {
			t.Fatalf("StartSession gave %q: want a fresh token of 32 random bytes", tok)
		}
		toks[tok] = true
	}
	otherTok := e.session(other.ID)

	for tok := range toks {
		e.wantSessionUser(tok, u.ID)
	}
	e.wantSessionUser(otherTok, other.ID)

	// Only a hash of each token is stored: the sessions table alone lets nobody in.
	var ids []string
	if err := e.d.R.Table("sessions").Where("user_id = ?", u.ID).Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(toks) {
		t.Fatalf("%d sessions stored, want %d", len(ids), len(toks))
	}
	for _, id := range ids {
		if toks[id] {
			t.Errorf("session stored under its token %q", id)
		}
		if _, err := e.s.SessionUser(e.ctx, id); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("the stored id works as a token: %v", err)
		}
	}
	for tok := range toks {
		if n := e.count("sessions", "id = ?", sha256Hex(tok)); n != 1 {
			t.Errorf("no session stored under the token's SHA-256")
		}
	}

	for _, tok := range []string{"", "no-such-token", otherTok + "x"} {
		e.wantNoSession(tok)
	}
}

func repeatWait(n int, d time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func testSessionExpiry(t *testing.T, shared *env) {
	idle := users.DefaultSessionIdle
	cases := []struct {
		name  string
		uses  []time.Duration // waits between uses, each of which must find the user
		final time.Duration   // then this wait...
		alive bool            // ...after which the session is or is not still there
	}{
		{"used just within the idle time", nil, idle - time.Second, true},
		{"used exactly at the idle time", nil, idle, true},
		{"unused past the idle time", nil, idle + time.Second, false},
		{"each use extends it", []time.Duration{25 * time.Minute, 25 * time.Minute, 25 * time.Minute}, 25 * time.Minute, true},
		{"extended, then left unused", []time.Duration{25 * time.Minute}, idle + time.Second, false},
		{"used all day, it lasts until 12 hours after sign-in", repeatWait(24, 29*time.Minute), 24 * time.Minute, true},
		{"used all day, it ends 12 hours after sign-in", repeatWait(24, 29*time.Minute), 24*time.Minute + time.Second, false},
	}
	for n, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := shared.fork(t)
			u := e.create(fmt.Sprintf("expiry%d@example.gov.in", n), users.Viewer)
			tok := e.session(u.ID)
			for _, w := range c.uses {
				e.clock.advance(w)
				e.wantSessionUser(tok, u.ID)
			}
			e.clock.advance(c.final)
			if c.alive {
				e.wantSessionUser(tok, u.ID)
			} else {
				e.wantNoSession(tok)
			}
		})
	}
}

func testDeleteExpiredSessions(t *testing.T, e *env) {
	u := e.create("expired@example.gov.in", users.Viewer)
	old := e.session(u.ID)
	e.clock.advance(20 * time.Minute)
	fresh := e.session(u.ID)
	e.clock.advance(users.DefaultSessionIdle - 10*time.Minute)
	if err := e.s.DeleteExpiredSessions(e.ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.count("sessions", "id = ?", sha256Hex(old)); n != 0 {
		t.Errorf("expired session kept")
	}
	e.wantSessionUser(fresh, u.ID)
}

func testEndSession(t *testing.T, e *env) {
	u := e.create(known, users.Viewer)
	here, there := e.session(u.ID), e.session(u.ID)

	if err := e.s.EndSession(e.ctx, here); err != nil {
		t.Fatalf("EndSession: %v", err)
	}
	e.wantNoSession(here)
	e.wantSessionUser(there, u.ID)
	if n := e.count("sessions", "id = ?", sha256Hex(here)); n != 0 {
		t.Errorf("ended session still stored")
	}
	a := e.lastAudit("sign-out")
	if a.Entity != "session" || a.EntityKey != known || a.UserID == nil || *a.UserID != u.ID {
		t.Errorf("sign-out audit entry = %+v", a)
	}

	// Signing out twice, or with a token that never was, is harmless.
	audit0 := e.count("audit_log")
	for _, tok := range []string{here, "never-issued", ""} {
		if err := e.s.EndSession(e.ctx, tok); err != nil {
			t.Errorf("EndSession(%q) = %v, want nil", tok, err)
		}
	}
	if n := e.count("audit_log"); n != audit0 {
		t.Errorf("signing out of nothing wrote %d audit rows", n-audit0)
	}
	e.wantSessionUser(there, u.ID)
}

func testUpdateEndsSessions(t *testing.T, e *env) {
	admin := e.create("admin@example.gov.in", users.Admin)
	u := e.create("disable.me@example.gov.in", users.Editor)
	adminTok := e.session(admin.ID)
	toks := []string{e.session(u.ID), e.session(u.ID)}

	// A change of role keeps the sessions, and they see the new role.
	if _, err := e.s.Update(e.ctx, admin.Actor(), u.ID, users.Approver, false); err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks {
		got, err := e.s.SessionUser(e.ctx, tok)
		if err != nil || got.Role != users.Approver {
			t.Fatalf("after promotion: %+v, %v; want the session to stay, as approver", got, err)
		}
	}

	// Disabling ends them all, for good.
	if _, err := e.s.Update(e.ctx, admin.Actor(), u.ID, users.Approver, true); err != nil {
		t.Fatal(err)
	}
	if n := e.count("sessions", "user_id = ?", u.ID); n != 0 {
		t.Errorf("%d sessions remain for a disabled user", n)
	}
	for _, tok := range toks {
		e.wantNoSession(tok)
	}
	if _, err := e.s.Update(e.ctx, admin.Actor(), u.ID, users.Approver, false); err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks {
		e.wantNoSession(tok)
	}
	e.wantSessionUser(adminTok, admin.ID)
}

// A session cannot outlive its account being disabled, even if the session row were kept.
func testSessionOfDisabledUser(t *testing.T, e *env) {
	u := e.create("disabled@example.gov.in", users.Editor)
	tok := e.session(u.ID)
	if err := e.d.W.Table("users").Where("id = ?", u.ID).Update("disabled", true).Error; err != nil {
		t.Fatal(err)
	}
	e.wantNoSession(tok)
}
