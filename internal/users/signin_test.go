package users_test

import (
	"errors"
	"fmt"
	"net/netip"
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
	throttled
)

func (o outcome) String() string {
	return [...]string{"signed in", "bad credentials", "throttled"}[o]
}

// Client addresses for the steps.
const (
	here     = "192.0.2.10"
	there    = "198.51.100.20"
	stranger = "203.0.113.7"
)

// attempt is one sign-in: wait, then try email and password from an address.
type attempt struct {
	wait     time.Duration
	email    string
	password string
	from     string
	want     outcome
	delay    time.Duration // when throttled: how long until an attempt goes through
}

// repeat is n copies of a step.
func repeat(n int, a attempt) []attempt {
	out := make([]attempt, n)
	for i := range out {
		out[i] = a
	}
	return out
}

// steps joins lists of steps.
func steps(lists ...[]attempt) []attempt {
	var out []attempt
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	wrong := func(from string) attempt { return attempt{0, known, wrongPw, from, badCredentials, 0} }
	cases := []struct {
		name     string
		disabled bool
		steps    []attempt
	}{
		{"right password", false, []attempt{
			{0, known, goodPassword, here, signedIn, 0},
		}},
		{"address in another case, with spaces", false, []attempt{
			{0, "  ASHA@Example.gov.in ", goodPassword, here, signedIn, 0},
		}},
		{"from the command line, with no client address", false, []attempt{
			{0, known, goodPassword, "", signedIn, 0},
		}},
		{"wrong password", false, []attempt{wrong(here)}},
		{"unknown address", false, []attempt{
			{0, unknown, wrongPw, here, badCredentials, 0},
		}},
		{"unknown address with a real account's password", false, []attempt{
			{0, unknown, goodPassword, here, badCredentials, 0},
		}},
		{"disabled account, right password", true, []attempt{
			{0, known, goodPassword, here, badCredentials, 0},
		}},
		{"an e-mail address longer than any real one is refused unread", false, []attempt{
			{0, strings.Repeat("a", 250) + "@example.gov.in", wrongPw, here, badCredentials, 0},
		}},
		{"after six failures from one address, each attempt from it waits twice as long", false, steps(
			repeat(6, wrong(here)),
			[]attempt{
				{0, known, goodPassword, here, throttled, time.Second},
				{time.Second, known, wrongPw, here, badCredentials, 0},
				{0, known, goodPassword, here, throttled, 2 * time.Second},
				{time.Second, known, goodPassword, here, throttled, time.Second},
				{time.Second, known, wrongPw, here, badCredentials, 0},
				{0, known, wrongPw, here, throttled, 4 * time.Second},
				{4 * time.Second, known, goodPassword, here, signedIn, 0},
			})},
		{"the delay stops growing at 15 minutes", false, steps(
			repeat(6, wrong(here)),
			[]attempt{
				{time.Second, known, wrongPw, here, badCredentials, 0},
				{2 * time.Second, known, wrongPw, here, badCredentials, 0},
				{4 * time.Second, known, wrongPw, here, badCredentials, 0},
				{8 * time.Second, known, wrongPw, here, badCredentials, 0},
				{16 * time.Second, known, wrongPw, here, badCredentials, 0},
				{32 * time.Second, known, wrongPw, here, badCredentials, 0},
				{64 * time.Second, known, wrongPw, here, badCredentials, 0},
				{128 * time.Second, known, wrongPw, here, badCredentials, 0},
				{256 * time.Second, known, wrongPw, here, badCredentials, 0},
				{512 * time.Second, known, wrongPw, here, badCredentials, 0},
				{0, known, wrongPw, here, throttled, 15 * time.Minute},
			})},
		// Parallel attempts read the clock before they queue, so one may come
		// with an earlier time than the one before it.
		{"an attempt that read the clock a moment earlier is not refused", false, []attempt{
			{time.Millisecond, known, wrongPw, here, badCredentials, 0},
			{-time.Millisecond, known, goodPassword, here, signedIn, 0},
		}},
		{"a stranger's failures do not keep the owner out", false, steps(
			repeat(6, wrong(stranger)),
			[]attempt{
				{0, known, goodPassword, stranger, throttled, time.Second},
				{0, known, goodPassword, here, signedIn, 0},
			})},
		{"guesses from everywhere slow the account by a minute at most", false, steps(
			repeat(4, wrong("192.0.2.1")), repeat(4, wrong("192.0.2.2")), repeat(4, wrong("192.0.2.3")),
			repeat(4, wrong("192.0.2.4")), repeat(4, wrong("192.0.2.5")),
			[]attempt{
				wrong("192.0.2.6"),
				{0, known, goodPassword, here, throttled, time.Second},
				{time.Second, known, wrongPw, "192.0.2.6", badCredentials, 0},
				{2 * time.Second, known, wrongPw, "192.0.2.7", badCredentials, 0},
				{4 * time.Second, known, wrongPw, "192.0.2.8", badCredentials, 0},
				{8 * time.Second, known, wrongPw, "192.0.2.9", badCredentials, 0},
				{16 * time.Second, known, wrongPw, "192.0.2.13", badCredentials, 0},
				{32 * time.Second, known, wrongPw, "192.0.2.11", badCredentials, 0},
				{0, known, goodPassword, there, throttled, time.Minute},
				{time.Minute, known, wrongPw, "192.0.2.12", badCredentials, 0},
				{0, known, goodPassword, there, throttled, time.Minute},
				{time.Minute, known, goodPassword, there, signedIn, 0},
			})},
		{"one address guessing many accounts is slowed", false, func() []attempt {
			var out []attempt
			for i := range 31 {
				out = append(out, attempt{0, fmt.Sprintf("guess%d@example.gov.in", i), wrongPw, stranger, badCredentials, 0})
			}
			return append(out,
				attempt{0, "guess99@example.gov.in", wrongPw, stranger, throttled, time.Second},
				attempt{0, known, goodPassword, here, signedIn, 0})
		}()},
		{"the address's case does not dodge the count", false, []attempt{
			{0, "Asha@example.gov.in", wrongPw, here, badCredentials, 0},
			{0, "ASHA@EXAMPLE.GOV.IN", wrongPw, here, badCredentials, 0},
			{0, " asha@example.gov.in", wrongPw, here, badCredentials, 0},
			{0, "asha@Example.gov.in", wrongPw, here, badCredentials, 0},
			{0, known, wrongPw, here, badCredentials, 0},
			{0, known, wrongPw, here, badCredentials, 0},
			{0, known, goodPassword, here, throttled, time.Second},
		}},
		{"the addresses of one IPv6 /64 count as one client", false, []attempt{
			{0, known, wrongPw, "2001:db8:1:2::1", badCredentials, 0},
			{0, known, wrongPw, "2001:db8:1:2::2", badCredentials, 0},
			{0, known, wrongPw, "2001:db8:1:2::3", badCredentials, 0},
			{0, known, wrongPw, "2001:db8:1:2:ffff::4", badCredentials, 0},
			{0, known, wrongPw, "2001:db8:1:2::5", badCredentials, 0},
			{0, known, wrongPw, "2001:db8:1:2::6", badCredentials, 0},
			{0, known, goodPassword, "2001:db8:1:2::7", throttled, time.Second},
			{0, known, goodPassword, "2001:db8:1:3::7", signedIn, 0},
		}},
		{"a success resets the count", false, steps(
			repeat(5, wrong(here)),
			[]attempt{{0, known, goodPassword, here, signedIn, 0}},
			repeat(6, wrong(here)),
			[]attempt{{0, known, goodPassword, here, throttled, time.Second}},
		)},
		{"failures within the hour are remembered", false, steps(
			repeat(5, wrong(here)),
			[]attempt{
				{59 * time.Minute, known, wrongPw, here, badCredentials, 0},
				{0, known, goodPassword, here, throttled, time.Second},
			})},
		{"failures older than an hour are forgotten", false, steps(
			repeat(6, wrong(here)),
			[]attempt{{61 * time.Minute, known, wrongPw, here, badCredentials, 0}},
			repeat(4, wrong(here)),
			[]attempt{{0, known, goodPassword, here, signedIn, 0}},
		)},
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
		// Addresses are shared by the parallel cases: give each its own.
		ownIP := func(ip string) string {
			if ip == "" {
				return ""
			}
			a := netip.MustParseAddr(ip)
			if a.Is4() {
				b := a.As4()
				b[0] = byte(10 + n)
				return netip.AddrFrom4(b).String()
			}
			b := a.As16()
			b[2] = byte(n)
			return netip.AddrFrom16(b).String()
		}
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
				got, err := e.s.Authenticate(e.ctx, st.email, st.password, ownIP(st.from))
				var te *users.ThrottledError
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
				case throttled:
					if !errors.As(err, &te) || got.ID != 0 {
						t.Fatalf("step %d (%s, %q): %v (%T), user %d; want *ThrottledError", i, st.email, st.password, err, err, got.ID)
					}
					if te.Wait != st.delay {
						t.Fatalf("step %d: wait %v; want %v", i, te.Wait, st.delay)
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
	if _, err := e.s.Authenticate(e.ctx, known, wrongPw, stranger); err != users.ErrBadCredentials {
		t.Fatalf("wrong password: %v", err)
	}
	failed := e.lastAuditOf("sign-in-failed", known)
	if failed.EntityKey != known || failed.Actor != stranger || !strings.Contains(failed.After, `"address":"`+stranger+`"`) {
		t.Errorf("failed sign-in audit entry = %+v; want the address and the client", failed)
	}
	if got, _ := e.s.ByID(e.ctx, u.ID); got.LastLoginAt != nil {
		t.Fatalf("a failed sign-in set last_login_at to %v", got.LastLoginAt)
	}
	if n := e.count("audit_log", "action = ? AND entity_key = ?", "sign-in", known); n != 0 {
		t.Fatalf("a failed sign-in wrote %d sign-in audit rows", n)
	}

	e.clock.advance(time.Minute)
	got, err := e.s.Authenticate(e.ctx, known, goodPassword, here)
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
	a := e.lastAuditOf("sign-in", known)
	if a.Entity != "session" || a.EntityKey != known || a.Actor != known || a.UserID == nil || *a.UserID != u.ID || !strings.Contains(a.After, here) {
		t.Errorf("sign-in audit entry = %+v", a)
	}
	if n := e.count("signin_throttle", "key = ?", "account:"+known); n != 0 {
		t.Errorf("the account's count remains after a successful sign-in")
	}
}

// TestParallelGuessesAllCount sends 40 wrong passwords at once from one
// address, then the right one: every guess is counted before its password is
// compared, so only the free ones are compared and the right one must wait.
func TestParallelGuessesAllCount(t *testing.T) {
	e := newEnv(t)
	e.create(known, users.Editor)
	var wg sync.WaitGroup
	var mu sync.Mutex
	outcomes := map[string]int{}
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.s.Authenticate(e.ctx, known, "wrong guess number one", stranger)
			var te *users.ThrottledError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == users.ErrBadCredentials:
				outcomes["checked"]++
			case errors.As(err, &te):
				outcomes["throttled"]++
			default:
				t.Errorf("parallel guess: %v", err)
			}
		}()
	}
	wg.Wait()
	if outcomes["checked"] > 6 || outcomes["checked"]+outcomes["throttled"] != 40 {
		t.Errorf("of 40 parallel guesses %d were compared and %d throttled; want at most 6 compared", outcomes["checked"], outcomes["throttled"])
	}
	if n := e.count("audit_log", "action = ?", "sign-in-failed"); n != int64(outcomes["checked"]) {
		t.Errorf("%d failed sign-ins in the audit log; want %d, one a compared guess", n, outcomes["checked"])
	}
	// The sixth compared guess started a wait; the refused ones wrote nothing.
	if n := e.count("audit_log", "action = ? AND actor = ?", "sign-in-throttled", stranger); n != 1 {
		t.Errorf("%d throttling entries in the audit log; want 1", n)
	}
	var te *users.ThrottledError
	if _, err := e.s.Authenticate(e.ctx, known, goodPassword, stranger); !errors.As(err, &te) {
		t.Fatalf("the right password at once after 40 parallel wrong guesses: %v, want a wait", err)
	}
	if _, err := e.s.Authenticate(e.ctx, known, goodPassword, here); err != nil {
		t.Fatalf("the owner from another address: %v, want signed in", err)
	}
}

func TestPurgeThrottle(t *testing.T) {
	e := newEnv(t)
	for i := range 3 {
		e.s.Authenticate(e.ctx, fmt.Sprintf("old%d@example.gov.in", i), wrongPw, here)
	}
	e.clock.advance(2 * time.Hour)
	e.s.Authenticate(e.ctx, "new@example.gov.in", wrongPw, there)
	n, err := e.s.PurgeThrottle(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Three accounts and three pairs went; the address "here" went too.
	if n != 7 {
		t.Errorf("purged %d rows, want 7", n)
	}
	if left := e.count("signin_throttle"); left != 3 {
		t.Errorf("%d rows left, want the new attempt's 3", left)
	}
}

func TestUnknownRoleNeverAllows(t *testing.T) {
	for _, r := range users.Roles {
		if r.AtLeast("Admin") || r.AtLeast("administrator") || r.AtLeast("") {
			t.Errorf("%s.AtLeast(an unknown role) is true", r)
		}
	}
}
