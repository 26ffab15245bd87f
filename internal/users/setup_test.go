package users_test

import (
	"errors"
	"testing"
	"time"

	"hrx/internal/users"
)

var firstAdmin = users.NewUser{Email: "Chief@Example.gov.in", Name: "Chief", Role: users.Viewer, Password: goodPassword}

// TestSetup shares one database between its subtests, which run in order,
// each starting with no accounts.
func TestSetup(t *testing.T) {
	t.Parallel()
	shared := newEnv(t)
	t.Run("new token", func(t *testing.T) {
		e := shared.fork(t)
		e.reset()
		testNewSetupToken(t, e)
	})
	t.Run("complete", func(t *testing.T) { testCompleteSetup(t, shared) })
}

func testNewSetupToken(t *testing.T, e *env) {
	a, err := e.s.NewSetupToken(e.ctx)
	if err != nil {
		t.Fatalf("NewSetupToken with no accounts: %v", err)
	}
	b, err := e.s.NewSetupToken(e.ctx)
	if err != nil || a == b || a == "" {
		t.Fatalf("second NewSetupToken = %q, %v; want another token", b, err)
	}
	for _, tok := range []string{a, b} {
		if err := e.s.CheckSetupToken(e.ctx, tok); err != nil {
			t.Errorf("CheckSetupToken(fresh) = %v", err)
		}
		if n := e.count("setup_tokens", "token_hash = ?", tok); n != 0 {
			t.Errorf("setup token stored as itself")
		}
	}

	// Once anyone has an account, there is no more first-run setup: every link dies.
	e.create("someone@example.gov.in", users.Viewer)
	if tok, err := e.s.NewSetupToken(e.ctx); !errors.Is(err, users.ErrSetupDone) || tok != "" {
		t.Errorf("NewSetupToken with an account = %q, %v; want ErrSetupDone", tok, err)
	}
	for _, tok := range []string{a, b} {
		if err := e.s.CheckSetupToken(e.ctx, tok); !errors.Is(err, users.ErrSetupDone) {
			t.Errorf("CheckSetupToken after an account exists = %v, want ErrSetupDone", err)
		}
		if _, err := e.s.CompleteSetup(e.ctx, tok, firstAdmin, firstAdmin.Password); !errors.Is(err, users.ErrSetupDone) {
			t.Errorf("CompleteSetup after an account exists = %v, want ErrSetupDone", err)
		}
	}
}

func testCompleteSetup(t *testing.T, shared *env) {
	type try struct {
		wait    time.Duration
		n       users.NewUser
		confirm string
		tok     string // "" uses the token made at the start
		wantErr error  // ErrSetupDone, or nil
		fields  []string
	}
	bad := func(f func(*users.NewUser)) users.NewUser { n := firstAdmin; f(&n); return n }
	cases := []struct {
		name   string
		tries  []try
		admins int64 // accounts at the end
	}{
		{"creates the first administrator", []try{
			{n: firstAdmin, confirm: firstAdmin.Password},
		}, 1},
		{"the same link a second time", []try{
			{n: firstAdmin, confirm: firstAdmin.Password},
			{n: bad(func(n *users.NewUser) { n.Email = "second@example.gov.in" }), confirm: firstAdmin.Password, wantErr: users.ErrSetupDone},
		}, 1},
		{"used just before it expires", []try{
			{wait: users.SetupLifetime - time.Second, n: firstAdmin, confirm: firstAdmin.Password},
		}, 1},
		{"expired", []try{
			{wait: users.SetupLifetime + time.Second, n: firstAdmin, confirm: firstAdmin.Password, wantErr: users.ErrSetupDone},
		}, 0},
		{"unknown link", []try{
			{tok: "not-a-token", n: firstAdmin, confirm: firstAdmin.Password, wantErr: users.ErrSetupDone},
		}, 0},
		{"confirmation differs, then corrected", []try{
			{n: firstAdmin, confirm: "something else entirely", fields: []string{"confirm_password"}},
			{n: firstAdmin, confirm: firstAdmin.Password},
		}, 1},
		{"bad email, then corrected", []try{
			{n: bad(func(n *users.NewUser) { n.Email = "chief" }), confirm: firstAdmin.Password, fields: []string{"email"}},
			{n: firstAdmin, confirm: firstAdmin.Password},
		}, 1},
		{"weak password, then corrected", []try{
			{n: bad(func(n *users.NewUser) { n.Password = "password123" }), confirm: "password123", fields: []string{"password"}},
			{n: firstAdmin, confirm: firstAdmin.Password},
		}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := shared.fork(t)
			e.reset()
			setupTok, err := e.s.NewSetupToken(e.ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i, tr := range c.tries {
				e.clock.advance(tr.wait)
				tok := tr.tok
				if tok == "" {
					tok = setupTok
				}
				u, err := e.s.CompleteSetup(e.ctx, tok, tr.n, tr.confirm)
				switch {
				case tr.fields != nil:
					wantFields(t, err, tr.fields...)
					if err := e.s.CheckSetupToken(e.ctx, tok); err != nil {
						t.Fatalf("try %d: after a refused form the link no longer works: %v", i, err)
					}
				case tr.wantErr != nil:
					if !errors.Is(err, tr.wantErr) {
						t.Fatalf("try %d: CompleteSetup = %v, want %v", i, err, tr.wantErr)
					}
				default:
					if err != nil {
						t.Fatalf("try %d: CompleteSetup: %v", i, err)
					}
					if u.ID == 0 || u.Role != users.Admin || u.Email != "chief@example.gov.in" || !u.Can(users.Admin) {
						t.Fatalf("try %d: CompleteSetup made %+v; want an administrator", i, u)
					}
					if err := e.s.CheckSetupToken(e.ctx, tok); !errors.Is(err, users.ErrSetupDone) {
						t.Fatalf("try %d: the link still works after use: %v", i, err)
					}
					if got, err := e.s.Authenticate(e.ctx, tr.n.Email, tr.n.Password, ""); err != nil || got.ID != u.ID {
						t.Fatalf("try %d: the new administrator cannot sign in: %v", i, err)
					}
					a := e.lastAudit("create")
					if a.EntityKey != u.Email || a.Actor != u.Email {
						t.Errorf("try %d: audit entry = %+v; want the administrator creating itself", i, a)
					}
				}
				if err != nil && u.ID != 0 {
					t.Errorf("try %d: CompleteSetup returned an account with an error", i)
				}
			}
			if n := e.count("users"); n != c.admins {
				t.Errorf("%d accounts at the end, want %d", n, c.admins)
			}
			if n := e.count("users", "role = ?", "admin"); n != c.admins {
				t.Errorf("%d administrators at the end, want %d", n, c.admins)
			}
		})
	}
}
