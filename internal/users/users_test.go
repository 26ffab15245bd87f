package users_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/i18n"
	"hrx/internal/users"
)

// TestCreate shares one database between its subtests, which run in order.
func TestCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	t.Run("valid", func(t *testing.T) { testCreateValid(t, e.fork(t)) })
	t.Run("audit actor", func(t *testing.T) { testCreateAuditActor(t, e.fork(t)) })
	t.Run("invalid", func(t *testing.T) { testCreateInvalid(t, e.fork(t)) })
}

func testCreateValid(t *testing.T, e *env) {
	admin := e.create("admin@example.gov.in", users.Admin)

	u, err := e.s.Create(e.ctx, admin.Actor(), users.NewUser{
		Email:    "  Asha.Rao@Example.GOV.in ",
		Name:     "  Asha Rao ",
		Role:     users.Editor,
		Password: goodPassword,
	})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if u.ID == 0 || u.Email != "asha.rao@example.gov.in" || u.Name != "Asha Rao" || u.Role != users.Editor || u.Disabled {
		t.Fatalf("Create returned %+v", u)
	}
	if !u.CreatedAt.Equal(start) || !u.UpdatedAt.Equal(start) || u.LastLoginAt != nil {
		t.Errorf("times: created %v updated %v last login %v; want %v, %v, nil", u.CreatedAt, u.UpdatedAt, u.LastLoginAt, start, start)
	}

	// What is stored is the lower-cased address and a bcrypt hash, never the password.
	got, err := e.s.ByEmail(e.ctx, "ASHA.RAO@example.gov.in")
	if err != nil {
		t.Fatalf("ByEmail in another case: %v", err)
	}
	if got.ID != u.ID || got.Email != "asha.rao@example.gov.in" {
		t.Errorf("ByEmail = %+v, want id %d", got, u.ID)
	}
	if got.PasswordHash == goodPassword || bcrypt.CompareHashAndPassword([]byte(got.PasswordHash), []byte(goodPassword)) != nil {
		t.Errorf("stored password hash %q does not verify the password", got.PasswordHash)
	}
	if n := e.count("users", "email = ?", "Asha.Rao@Example.GOV.in"); n != 0 {
		t.Errorf("%d rows keep the address as typed; want it lower-cased", n)
	}

	// The audit log says who created whom, and keeps no password hash.
	a := e.lastAudit("create")
	if a.Entity != "user" || a.EntityKey != u.Email || a.Actor != admin.Email || a.UserID == nil || *a.UserID != admin.ID {
		t.Errorf("audit entry = %+v; want entity user, key %s, by %s (%d)", a, u.Email, admin.Email, admin.ID)
	}
	if a.Before != "" {
		t.Errorf("audit before = %q, want empty for a new account", a.Before)
	}
	var after map[string]any
	if err := json.Unmarshal([]byte(a.After), &after); err != nil {
		t.Fatalf("audit after %q: %v", a.After, err)
	}
	if after["email"] != u.Email || after["role"] != "editor" || after["name"] != "Asha Rao" {
		t.Errorf("audit after = %v", after)
	}
	for _, side := range []string{a.Before, a.After} {
		if strings.Contains(side, got.PasswordHash) || strings.Contains(strings.ToLower(side), "password") || strings.Contains(side, "$2a$") {
			t.Errorf("audit entry leaks the password hash: %q", side)
		}
	}
}

func testCreateAuditActor(t *testing.T, e *env) {
	cases := []struct {
		name     string
		actor    audit.Actor
		email    string
		wantName string // "" means the new account itself
		wantUser bool
	}{
		{"command line", audit.System("cli"), "cli@example.gov.in", "cli", false},
		{"nobody named: the account itself", audit.Actor{}, "self@example.gov.in", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := e.with(t)
			u, err := e.s.Create(e.ctx, c.actor, users.NewUser{Email: c.email, Role: users.Viewer, Password: goodPassword})
			if err != nil {
				t.Fatal(err)
			}
			a := e.lastAudit("create")
			want := c.wantName
			if want == "" {
				want = u.Email
			}
			if a.Actor != want || a.EntityKey != u.Email {
				t.Errorf("audit actor %q key %q, want %q %q", a.Actor, a.EntityKey, want, u.Email)
			}
			if c.wantUser != (a.UserID != nil) || (a.UserID != nil && *a.UserID != u.ID) {
				t.Errorf("audit user id = %v, want the new account's (%v)", a.UserID, c.wantUser)
			}
		})
	}
}

func testCreateInvalid(t *testing.T, e *env) {
	e.create("taken@example.gov.in", users.Viewer)
	users0, audit0 := e.count("users"), e.count("audit_log")

	ok := users.NewUser{Email: "new.person@example.gov.in", Name: "New Person", Role: users.Editor, Password: goodPassword}
	with := func(f func(n *users.NewUser)) users.NewUser { n := ok; f(&n); return n }

	cases := []struct {
		name string
		in   users.NewUser
		want []string
	}{
		{"empty email", with(func(n *users.NewUser) { n.Email = "" }), []string{"email"}},
		{"blank email", with(func(n *users.NewUser) { n.Email = "   " }), []string{"email"}},
		{"no at sign", with(func(n *users.NewUser) { n.Email = "new.person.example.gov.in" }), []string{"email"}},
		{"no domain", with(func(n *users.NewUser) { n.Email = "new.person@" }), []string{"email"}},
		{"display name form", with(func(n *users.NewUser) { n.Email = "New <new.person@example.gov.in>" }), []string{"email"}},
		{"two addresses", with(func(n *users.NewUser) { n.Email = "a@example.gov.in, b@example.gov.in" }), []string{"email"}},
		{"unknown role", with(func(n *users.NewUser) { n.Role = "superuser" }), []string{"role"}},
		{"role in capitals", with(func(n *users.NewUser) { n.Role = "Admin" }), []string{"role"}},
		{"no role", with(func(n *users.NewUser) { n.Role = "" }), []string{"role"}},
		{"no password", with(func(n *users.NewUser) { n.Password = "" }), []string{"password"}},
		{"short password", with(func(n *users.NewUser) { n.Password = "Short1!" }), []string{"password"}},
		{"nine characters", with(func(n *users.NewUser) { n.Password = "x7#kQ9!mZ" }), []string{"password"}},
		{"over 72 bytes", with(func(n *users.NewUser) { n.Password = strings.Repeat("kQ9!", 19) }), []string{"password"}},
		{"common password", with(func(n *users.NewUser) { n.Password = "password123" }), []string{"password"}},
		{"common password in capitals", with(func(n *users.NewUser) { n.Password = "PASSWORD123" }), []string{"password"}},
		{"password is the email", with(func(n *users.NewUser) { n.Password = "new.person@example.gov.in" }), []string{"password"}},
		{"password is the email in another case", with(func(n *users.NewUser) {
			n.Email = "New.Person@Example.gov.in"
			n.Password = "NEW.PERSON@EXAMPLE.GOV.IN"
		}), []string{"password"}},
		{"name too long", with(func(n *users.NewUser) { n.Name = strings.Repeat("n", 201) }), []string{"name"}},
		{"duplicate email", with(func(n *users.NewUser) { n.Email = "taken@example.gov.in" }), []string{"email"}},
		{"duplicate email in another case", with(func(n *users.NewUser) { n.Email = " TAKEN@Example.Gov.In " }), []string{"email"}},
		{"everything wrong at once", users.NewUser{Email: "nope", Name: strings.Repeat("n", 201), Role: "boss", Password: "short"}, []string{"email", "name", "role", "password"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := e.with(t)
			u, err := e.s.Create(e.ctx, audit.System("test"), c.in)
			wantFields(t, err, c.want...)
			if u.ID != 0 {
				t.Errorf("Create returned an account %+v with the error", u)
			}
			if n := e.count("users"); n != users0 {
				t.Errorf("users: %d rows, want %d: nothing may be written", n, users0)
			}
			if n := e.count("audit_log"); n != audit0 {
				t.Errorf("audit_log: %d rows, want %d: nothing may be written", n, audit0)
			}
		})
	}

	// The base input is itself fine, so each case above fails only for its own reason.
	if _, err := e.s.Create(e.ctx, audit.System("test"), ok); err != nil {
		t.Fatalf("base input refused: %v", err)
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pw, email string
		ok        bool
	}{
		{"", "", false},
		{"123456789", "", false},
		{"1234567890", "", false}, // long enough but common
		{"Qwertyuiop", "", false}, // common, in capitals
		{"ten chars!", "", true},
		{"ünïcödé-pw", "", true},             // 10 runes, more bytes
		{strings.Repeat("a", 72), "", false}, // long, but one character repeated
		{"plum lantern river kite stone harbour amber field north gate copper moss", "", true}, // 72 bytes of words
		{strings.Repeat("a", 73), "", false},
		{strings.Repeat("é", 37), "", false}, // 37 runes but 74 bytes: bcrypt would ignore the tail
		{"me@example.gov.in", "ME@example.gov.in", false},
		{"me@example.gov.in", "", true},
		{goodPassword, "me@example.gov.in", true},
	}
	for _, c := range cases {
		msg := users.CheckPassword(c.pw, c.email)
		if msg.IsZero() != c.ok {
			t.Errorf("CheckPassword(%q, %q) = %q, want ok=%v", c.pw, c.email, msg, c.ok)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 50 {
		p := users.GeneratePassword()
		if len(p) != 20 || strings.ContainsAny(p, "0O1lI") {
			t.Errorf("GeneratePassword() = %q: want 20 characters, none easily confused", p)
		}
		if msg := users.CheckPassword(p, ""); !msg.IsZero() {
			t.Errorf("generated password %q fails the rules: %s", p, msg)
		}
		if seen[p] {
			t.Errorf("GeneratePassword repeated %q", p)
		}
		seen[p] = true
	}
}

func TestRoleOrder(t *testing.T) {
	t.Parallel()
	for i, r := range users.Roles {
		if !r.Valid() {
			t.Errorf("%s.Valid() = false", r)
		}
		for j, o := range users.Roles {
			if got, want := r.AtLeast(o), i >= j; got != want {
				t.Errorf("%s.AtLeast(%s) = %v, want %v", r, o, got, want)
			}
		}
	}
	// The order itself, spelled out: each role includes the ones before it.
	cases := []struct {
		r, o users.Role
		want bool
	}{
		{users.Admin, users.Approver, true},
		{users.Approver, users.Editor, true},
		{users.Editor, users.Viewer, true},
		{users.Viewer, users.Editor, false},
		{users.Editor, users.Approver, false},
		{users.Approver, users.Admin, false},
		{"root", users.Viewer, false},
		{"", users.Viewer, false},
		{"Admin", users.Viewer, false},
	}
	for _, c := range cases {
		if got := c.r.AtLeast(c.o); got != c.want {
			t.Errorf("%q.AtLeast(%q) = %v, want %v", c.r, c.o, got, c.want)
		}
	}
	for _, r := range []users.Role{"", "root", "Admin"} {
		if r.Valid() {
			t.Errorf("%q.Valid() = true", r)
		}
	}
}

// TestRoleNames: people read each role by its name in their language, and
// the English names are the codes, as before; a code that is no role shows as
// it is.
func TestRoleNames(t *testing.T) {
	t.Parallel()
	want := map[i18n.Lang][]string{
		i18n.EN: {"viewer", "editor", "approver", "admin"},
		i18n.JA: {"閲覧者", "編集者", "承認者", "管理者"},
		i18n.HI: {"दर्शक", "संपादक", "अनुमोदक", "प्रशासक"},
	}
	for _, l := range i18n.Langs {
		for i, r := range users.Roles {
			if got := i18n.New(l, "").Tr(r.Name()); got != want[l][i] {
				t.Errorf("%s in %s: %q, want %q", r, l, got, want[l][i])
			}
		}
	}
	if got := i18n.New(i18n.JA, "").Tr(users.Role("root").Name()); got != "root" {
		t.Errorf("an unknown role reads %q", got)
	}
}

func TestUserCan(t *testing.T) {
	t.Parallel()
	for _, role := range users.Roles {
		for _, disabled := range []bool{false, true} {
			u := users.User{Email: "x@example.gov.in", Role: role, Disabled: disabled}
			for _, need := range users.Roles {
				want := !disabled && role.AtLeast(need)
				if got := u.Can(need); got != want {
					t.Errorf("%s (disabled=%v).Can(%s) = %v, want %v", role, disabled, need, got, want)
				}
			}
		}
	}
	if (users.User{Role: "root"}).Can(users.Viewer) {
		t.Error("a user with an unknown role can view")
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	type account struct {
		email    string
		role     users.Role
		disabled bool
	}
	cases := []struct {
		name     string
		accounts []account // the first is the one updated
		role     users.Role
		disabled bool
		want     []string // invalid fields; nil means accepted
	}{
		{"promote a viewer", []account{{"v@example.gov.in", users.Viewer, false}, {"a@example.gov.in", users.Admin, false}}, users.Approver, false, nil},
		{"disable an editor", []account{{"e@example.gov.in", users.Editor, false}, {"a@example.gov.in", users.Admin, false}}, users.Editor, true, nil},
		{"re-enable an editor", []account{{"e@example.gov.in", users.Editor, true}, {"a@example.gov.in", users.Admin, false}}, users.Editor, false, nil},
		{"unknown role", []account{{"v@example.gov.in", users.Viewer, false}}, "root", false, []string{"role"}},
		{"demote the only admin", []account{{"a@example.gov.in", users.Admin, false}, {"v@example.gov.in", users.Viewer, false}}, users.Approver, false, []string{"role"}},
		{"disable the only admin", []account{{"a@example.gov.in", users.Admin, false}}, users.Admin, true, []string{"role"}},
		{"demote the only active admin beside a disabled one", []account{{"a@example.gov.in", users.Admin, false}, {"old@example.gov.in", users.Admin, true}}, users.Viewer, false, []string{"role"}},
		{"keep the only admin as is", []account{{"a@example.gov.in", users.Admin, false}}, users.Admin, false, nil},
		{"demote an admin when another exists", []account{{"a@example.gov.in", users.Admin, false}, {"b@example.gov.in", users.Admin, false}}, users.Editor, false, nil},
		{"disable an admin when another exists", []account{{"a@example.gov.in", users.Admin, false}, {"b@example.gov.in", users.Admin, false}}, users.Admin, true, nil},
	}
	shared := newEnv(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := shared.fork(t)
			e.reset()
			var ids []int64
			for _, a := range c.accounts {
				u := e.create(a.email, a.role)
				if a.disabled {
					if err := e.d.W.Table("users").Where("id = ?", u.ID).Update("disabled", true).Error; err != nil {
						t.Fatal(err)
					}
				}
				ids = append(ids, u.ID)
			}
			before, _ := e.s.ByID(e.ctx, ids[0])
			audit0 := e.count("audit_log")
			e.clock.advance(time.Hour)
			actor := audit.Actor{UserID: ids[len(ids)-1], Name: c.accounts[len(ids)-1].email}

			u, err := e.s.Update(e.ctx, actor, ids[0], c.role, c.disabled)
			stored, _ := e.s.ByID(e.ctx, ids[0])
			if c.want != nil {
				wantFields(t, err, c.want...)
				if stored.Role != before.Role || stored.Disabled != before.Disabled || !stored.UpdatedAt.Equal(before.UpdatedAt) {
					t.Errorf("refused update changed the account: %+v -> %+v", before, stored)
				}
				if n := e.count("audit_log"); n != audit0 {
					t.Errorf("refused update wrote %d audit rows", n-audit0)
				}
				return
			}
			if err != nil {
				t.Fatalf("Update: %v", err)
			}
			for _, x := range []users.User{u, stored} {
				// Not checked: updated_at, which gorm stamps with the wall clock instead of the store's (see report).
				if x.Role != c.role || x.Disabled != c.disabled {
					t.Errorf("after update: role %s disabled %v; want %s %v", x.Role, x.Disabled, c.role, c.disabled)
				}
			}
			a := e.lastAudit("update")
			if a.Actor != actor.Name || a.EntityKey != stored.Email || a.Before == "" || a.After == "" {
				t.Errorf("audit entry = %+v", a)
			}
			if strings.Contains(a.Before+a.After, "$2a$") {
				t.Errorf("audit entry leaks the password hash: %+v", a)
			}
		})
	}

	t.Run("unknown account", func(t *testing.T) {
		e := shared.fork(t)
		if _, err := e.s.Update(e.ctx, audit.System("test"), 999, users.Viewer, false); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("Update(unknown) = %v, want ErrNotFound", err)
		}
	})
}
