package users_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"hrx/internal/users"
)

const (
	known   = "asha@example.gov.in"
	unknown = "nobody@example.gov.in"
	wrongPw = "not the password at all"
)

type outcome int

const (
	signedIn outcome = iota
	badCredentials
	locked
)

func (o outcome) String() string {
	return [...]string{"signed in", "bad credentials", "locked"}[o]
}

// attempt is one sign-in: wait, then try email and password.
type attempt struct {
	wait     time.Duration
	email    string
	password string
	want     outcome
	lock     time.Duration // when locked: how long until sign-in opens again
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		disabled bool
		steps    []attempt
	}{
		{"right password", false, []attempt{
			{0, known, goodPassword, signedIn, 0},
		}},
		{"address in another case, with spaces", false, []attempt{
			{0, "  ASHA@Example.gov.in ", goodPassword, signedIn, 0},
		}},
		{"wrong password", false, []attempt{
			{0, known, wrongPw, badCredentials, 0},
		}},
		{"unknown address", false, []attempt{
			{0, unknown, wrongPw, badCredentials, 0},
		}},
		{"unknown address with a real account's password", false, []attempt{
			{0, unknown, goodPassword, badCredentials, 0},
		}},
		{"disabled account, right password", true, []attempt{
			{0, known, goodPassword, badCredentials, 0},
		}},
		{"third failure locks briefly, then it opens", false, []attempt{
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, locked, 5 * time.Second},
			{0, known, goodPassword, locked, 5 * time.Second},
			{4 * time.Second, known, goodPassword, locked, time.Second},
			{time.Second, known, goodPassword, signedIn, 0},
		}},
		{"fifth failure locks for 15 minutes, even the right password", false, []attempt{
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, locked, 5 * time.Second},
			{5 * time.Second, known, wrongPw, locked, 30 * time.Second},
			{30 * time.Second, known, wrongPw, locked, 15 * time.Minute},
			{0, known, goodPassword, locked, 15 * time.Minute},
			{10 * time.Minute, known, goodPassword, locked, 5 * time.Minute},
			{5*time.Minute - time.Second, known, goodPassword, locked, time.Second},
			{time.Second, known, goodPassword, signedIn, 0},
		}},
		{"another failure after the long lock locks again", false, []attempt{
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, locked, 5 * time.Second},
			{5 * time.Second, known, wrongPw, locked, 30 * time.Second},
			{30 * time.Second, known, wrongPw, locked, 15 * time.Minute},
			{15 * time.Minute, known, wrongPw, locked, 15 * time.Minute},
		}},
		{"unknown addresses are locked the same way", false, []attempt{
			{0, unknown, wrongPw, badCredentials, 0},
			{0, unknown, wrongPw, badCredentials, 0},
			{0, unknown, wrongPw, locked, 5 * time.Second},
			{0, unknown, wrongPw, locked, 5 * time.Second},
			{5 * time.Second, unknown, wrongPw, locked, 30 * time.Second},
			{30 * time.Second, unknown, wrongPw, locked, 15 * time.Minute},
			{15*time.Minute - time.Second, unknown, goodPassword, locked, time.Second},
		}},
		{"a lock on one address leaves others open", false, []attempt{
			{0, unknown, wrongPw, badCredentials, 0},
			{0, unknown, wrongPw, badCredentials, 0},
			{0, unknown, wrongPw, locked, 5 * time.Second},
			{0, known, goodPassword, signedIn, 0},
		}},
		{"the address's case does not dodge the count", false, []attempt{
			{0, "Asha@example.gov.in", wrongPw, badCredentials, 0},
			{0, "ASHA@EXAMPLE.GOV.IN", wrongPw, badCredentials, 0},
			{0, " asha@example.gov.in", wrongPw, locked, 5 * time.Second},
			{0, known, goodPassword, locked, 5 * time.Second},
		}},
		{"a success resets the count", false, []attempt{
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, badCredentials, 0},
			{0, known, goodPassword, signedIn, 0},
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, locked, 5 * time.Second},
		}},
		{"failures within the hour are remembered", false, []attempt{
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, badCredentials, 0},
			{59 * time.Minute, known, wrongPw, locked, 5 * time.Second},
		}},
		{"failures older than an hour are forgotten", false, []attempt{
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, badCredentials, 0},
			{61 * time.Minute, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, locked, 5 * time.Second},
		}},
		{"an old lock is forgotten too", false, []attempt{
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, badCredentials, 0},
			{0, known, wrongPw, locked, 5 * time.Second},
			{5 * time.Second, known, wrongPw, locked, 30 * time.Second},
			{30 * time.Second, known, wrongPw, locked, 15 * time.Minute},
			{2 * time.Hour, known, wrongPw, badCredentials, 0},
			{0, known, goodPassword, signedIn, 0},
		}},
	}
	// The cases share one database, each with its own clock and its own
	// addresses: "asha@…" becomes "asha+3@…" in case 3.
	shared := newEnv(t)
	t.Run("success is recorded", func(t *testing.T) {
		t.Parallel()
		testAuthenticateRecordsSignIn(t, shared.fork(t))
	})
	for n, c := range cases {
		own := func(addr string) string { return strings.Replace(addr, "@", fmt.Sprintf("+%d@", n), 1) }
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := shared.fork(t)
			u := e.create(own(known), users.Editor)
			if c.disabled {
				e.create(own("admin@example.gov.in"), users.Admin)
				if _, err := e.s.Update(e.ctx, u.Actor(), u.ID, u.Role, true); err != nil {
					t.Fatal(err)
				}
			}
			for i, st := range c.steps {
				e.clock.advance(st.wait)
				st.email = own(st.email)
				got, err := e.s.Authenticate(e.ctx, st.email, st.password)
				var le *users.LockedError
				switch st.want {
				case signedIn:
					if err != nil || got.ID != u.ID {
						t.Fatalf("step %d (%s, %q): %v, user %d; want signed in as %d", i, st.email, st.password, err, got.ID, u.ID)
					}
				case badCredentials:
					// The very same error for a wrong password and an unknown address.
					if err != users.ErrBadCredentials || got.ID != 0 {
						t.Fatalf("step %d (%s, %q): %v (%T), user %d; want ErrBadCredentials", i, st.email, st.password, err, err, got.ID)
					}
				case locked:
					if !errors.As(err, &le) || got.ID != 0 {
						t.Fatalf("step %d (%s, %q): %v (%T), user %d; want *LockedError", i, st.email, st.password, err, err, got.ID)
					}
					if !le.Now.Equal(e.clock.now()) || le.Until.Sub(le.Now) != st.lock {
						t.Fatalf("step %d: locked from %v until %v (%v); want %v from %v", i, le.Now, le.Until, le.Until.Sub(le.Now), st.lock, e.clock.now())
					}
					if errors.Is(err, users.ErrBadCredentials) {
						t.Fatalf("step %d: a lock also reads as bad credentials", i)
					}
				}
			}
		})
	}
}

func testAuthenticateRecordsSignIn(t *testing.T, e *env) {
	const known = "records@example.gov.in"
	u := e.create(known, users.Editor)

	e.clock.advance(time.Hour)
	if _, err := e.s.Authenticate(e.ctx, known, wrongPw); err != users.ErrBadCredentials {
		t.Fatalf("wrong password: %v", err)
	}
	if got, _ := e.s.ByID(e.ctx, u.ID); got.LastLoginAt != nil {
		t.Fatalf("a failed sign-in set last_login_at to %v", got.LastLoginAt)
	}
	if n := e.count("audit_log", "action = ? AND entity_key = ?", "sign-in", known); n != 0 {
		t.Fatalf("a failed sign-in wrote %d sign-in audit rows", n)
	}

	e.clock.advance(time.Minute)
	got, err := e.s.Authenticate(e.ctx, known, goodPassword)
	if err != nil {
		t.Fatalf("right password: %v", err)
	}
	if got.ID != u.ID || got.Email != known || got.Role != users.Editor {
		t.Errorf("Authenticate returned %+v", got)
	}
	stored, err := e.s.ByID(e.ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.LastLoginAt == nil || !stored.LastLoginAt.Equal(e.clock.now()) {
		t.Errorf("last_login_at = %v, want %v", stored.LastLoginAt, e.clock.now())
	}
	a := e.lastAudit("sign-in")
	if a.EntityKey != known {
		t.Fatalf("newest sign-in audit entry is for %q", a.EntityKey)
	}
	if a.Entity != "session" || a.EntityKey != known || a.Actor != known || a.UserID == nil || *a.UserID != u.ID {
		t.Errorf("sign-in audit entry = %+v", a)
	}
	if n := e.count("login_attempts", "email = ?", known); n != 0 {
		t.Errorf("%d failed-attempt rows remain after a successful sign-in", n)
	}
}

// TestParallelGuessesAllCount sends wrong passwords at once: each counts, so the
// address ends up locked however the guesses are timed.
func TestParallelGuessesAllCount(t *testing.T) {
	e := newEnv(t)
	e.create("asha@example.gov.in", users.Editor)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.s.Authenticate(e.ctx, "asha@example.gov.in", "wrong guess number one")
		}()
	}
	wg.Wait()
	var locked *users.LockedError
	if _, err := e.s.Authenticate(e.ctx, "asha@example.gov.in", goodPassword); !errors.As(err, &locked) {
		t.Fatalf("after 8 parallel wrong guesses: %v, want a lock", err)
	}
}

func TestUnknownRoleNeverAllows(t *testing.T) {
	for _, r := range users.Roles {
		if r.AtLeast("Admin") || r.AtLeast("administrator") || r.AtLeast("") {
			t.Errorf("%s.AtLeast(an unknown role) is true", r)
		}
	}
}
