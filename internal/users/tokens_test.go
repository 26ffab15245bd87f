package users_test

import (
	"errors"
	"strings"
	"testing"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/users"
)

func TestAPITokens(t *testing.T) {
	e := newEnv(t)
	ed := e.create("editor@example.gov.in", users.Editor)
	plain, tok, err := e.s.CreateToken(e.ctx, audit.System("test"), ed.ID, "monthly upload")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(plain, "hrx_") || !strings.HasPrefix(plain, tok.Prefix) || len(plain) < 40 {
		t.Errorf("token %q, prefix %q", plain, tok.Prefix)
	}
	if e.count("api_tokens", "token_hash = ?", plain) != 0 {
		t.Error("the token is stored in the clear")
	}
	u, err := e.s.TokenUser(e.ctx, plain)
	if err != nil || u.ID != ed.ID {
		t.Fatalf("TokenUser = %v, %v", u.Email, err)
	}
	for _, bad := range []string{"", "hrx_", plain + "x", "Bearer " + plain, strings.TrimPrefix(plain, "hrx_")} {
		if _, err := e.s.TokenUser(e.ctx, bad); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("TokenUser(%q) = %v", bad, err)
		}
	}
	if err := e.s.RevokeToken(e.ctx, audit.System("test"), tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.TokenUser(e.ctx, plain); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("revoked token still works: %v", err)
	}
	// A disabled user's tokens stop working.
	plain2, _, err := e.s.CreateToken(e.ctx, audit.System("test"), ed.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	e.create("admin@example.gov.in", users.Admin)
	if _, err := e.s.Update(e.ctx, audit.System("test"), ed.ID, users.Editor, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.TokenUser(e.ctx, plain2); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("disabled user's token works: %v", err)
	}
	if _, _, err := e.s.CreateToken(e.ctx, audit.System("test"), 9999, "x"); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("token for a missing user: %v", err)
	}
	list, err := e.s.Tokens(e.ctx)
	if err != nil || len(list) != 2 || list[0].User.Email != "editor@example.gov.in" {
		t.Errorf("Tokens = %+v, %v", list, err)
	}
}
