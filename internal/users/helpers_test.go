package users_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/users"
)

// start is the test clock's first reading: whole seconds, so that nothing is
// lost to PostgreSQL's microsecond timestamps.
var start = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// goodPassword passes every password rule.
const goodPassword = "correct horse battery staple"

// clock is a hand-moved clock for one test.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// env is one test's fresh database and store.
type env struct {
	t     *testing.T
	ctx   context.Context
	d     *db.DB
	s     *users.Store
	clock *clock
	// floor is the last audit entry before the latest reset: the audit log is
	// append-only, so a reset hides the older entries instead of deleting them.
	floor *int64
}

// migrating serialises the creation of test databases. On PostgreSQL every
// migration takes one advisory lock, and goose retries a taken lock only every
// five seconds; waiting here instead keeps parallel tests fast.
var migrating sync.Mutex

// newEnv returns a store on a fresh database. Each costs a migration, so tests
// share one between subtests where they can (see fork and reset).
func newEnv(t *testing.T) *env {
	t.Helper()
	d := func() *db.DB {
		migrating.Lock()
		defer migrating.Unlock()
		return dbtest.New(t)
	}()
	return (&env{d: d, floor: new(int64)}).fork(t)
}

// fork returns a new store, with its own clock at start, on e's database.
func (e *env) fork(t *testing.T) *env {
	s := users.NewStore(e.d)
	s.HashCost = bcrypt.MinCost
	c := &clock{t: start}
	s.SetClock(c.now)
	return &env{t: t, ctx: context.Background(), d: e.d, s: s, clock: c, floor: e.floor}
}

// with returns e for use in the subtest t: same store and clock.
func (e *env) with(t *testing.T) *env { c := *e; c.t = t; return &c }

// reset empties the tables this package writes (the append-only audit log is hidden
// up to now instead), for a subtest that needs a database with no accounts.
func (e *env) reset() {
	e.t.Helper()
	for _, table := range []string{"sessions", "signin_throttle", "setup_tokens", "users"} {
		if err := e.d.W.Exec("DELETE FROM " + table).Error; err != nil {
			e.t.Fatalf("empty %s: %v", table, err)
		}
	}
	if err := e.d.R.Raw("SELECT COALESCE(MAX(id), 0) FROM audit_log").Scan(e.floor).Error; err != nil {
		e.t.Fatalf("read audit_log: %v", err)
	}
}

// create adds an account that must be accepted.
func (e *env) create(email string, role users.Role) users.User {
	e.t.Helper()
	u, err := e.s.Create(e.ctx, audit.System("test"), users.NewUser{Email: email, Name: "Test " + string(role), Role: role, Password: goodPassword})
	if err != nil {
		e.t.Fatalf("Create(%s): %v", email, err)
	}
	return u
}

// session starts a session that must succeed.
func (e *env) session(id int64) string {
	e.t.Helper()
	tok, err := e.s.StartSession(e.ctx, id)
	if err != nil {
		e.t.Fatalf("StartSession(%d): %v", id, err)
	}
	return tok
}

// count returns the number of rows in a table, optionally filtered.
func (e *env) count(table string, where ...any) int64 {
	e.t.Helper()
	q := e.d.R.WithContext(e.ctx).Table(table)
	if table == "audit_log" {
		q = q.Where("id > ?", *e.floor)
	}
	if len(where) > 0 {
		q = q.Where(where[0], where[1:]...)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		e.t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// auditRows returns the audit log, oldest first.
func (e *env) auditRows() []audit.Entry {
	e.t.Helper()
	var out []audit.Entry
	if err := e.d.R.WithContext(e.ctx).Where("id > ?", *e.floor).Order("id").Find(&out).Error; err != nil {
		e.t.Fatalf("read audit_log: %v", err)
	}
	return out
}

// lastAudit returns the newest audit entry with the given action.
func (e *env) lastAudit(action string) audit.Entry {
	e.t.Helper()
	return e.lastAuditOf(action, "")
}

// lastAuditOf returns the newest audit entry with the given action about
// key (any key when it is empty): subtests that run in parallel on one
// database write entries of their own between another's steps.
func (e *env) lastAuditOf(action, key string) audit.Entry {
	e.t.Helper()
	rows := e.auditRows()
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i].Action == action && (key == "" || rows[i].EntityKey == key) {
			return rows[i]
		}
	}
	e.t.Fatalf("no audit entry with action %q about %q in %+v", action, key, rows)
	return audit.Entry{}
}

// wantSessionUser asserts that a token signs in as the user with id.
func (e *env) wantSessionUser(tok string, id int64) {
	e.t.Helper()
	u, err := e.s.SessionUser(e.ctx, tok)
	if err != nil {
		e.t.Fatalf("SessionUser: %v, want user %d", err, id)
	}
	if u.ID != id {
		e.t.Fatalf("SessionUser: user %d, want %d", u.ID, id)
	}
}

// wantNoSession asserts that a token no longer signs anyone in.
func (e *env) wantNoSession(tok string) {
	e.t.Helper()
	if u, err := e.s.SessionUser(e.ctx, tok); !errors.Is(err, apperr.ErrNotFound) {
		e.t.Fatalf("SessionUser = %v, %v; want ErrNotFound", u.Email, err)
	}
}

// invalidFields returns the fields a *apperr.ValidationError names, failing the test for any other error.
func invalidFields(t *testing.T, err error) []string {
	t.Helper()
	var v *apperr.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("error = %v (%T), want *apperr.ValidationError", err, err)
	}
	var out []string
	for _, f := range v.Fields {
		if f.Message.IsZero() || f.Label.IsZero() {
			t.Errorf("field %q has no label or message: %+v", f.Field, f)
		}
		out = append(out, f.Field)
	}
	return out
}

func wantFields(t *testing.T, err error, want ...string) {
	t.Helper()
	if got := invalidFields(t, err); !slices.Equal(got, want) {
		t.Fatalf("invalid fields = %v, want %v (error: %v)", got, want, err)
	}
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
