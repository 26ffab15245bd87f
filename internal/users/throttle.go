package users

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"runtime"
	"slices"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/time/rate"
	"gorm.io/gorm"
)

// ThrottledError refuses a password check that came too soon after earlier
// failed ones: try again after Wait. Nothing was compared.
type ThrottledError struct {
	Wait time.Duration
	// Global is true when the server as a whole is checking as many
	// passwords as it will, rather than this account or address being slowed.
	Global bool
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many sign-in attempts; try again in %s", e.Wait)
}

// limit is how one throttle key slows down: Free attempts in the window go
// through at once, then each needs a wait that doubles from Base up to Max.
type limit struct {
	Free      int
	Base, Max time.Duration
}

// delay is how long the attempt after the n-th must wait.
func (l limit) delay(n int) time.Duration {
	if n <= l.Free {
		return 0
	}
	d := l.Base
	for i := l.Free + 1; i < n && d < l.Max; i++ {
		d *= 2
	}
	return min(d, l.Max)
}

// The throttles. A stranger's guesses slow mostly the stranger: the pair
// (account, address) grows to a long wait, while the account on its own, which
// the stranger shares with its owner, never waits more than a minute, so that
// nobody can keep the owner out. An address guessing many accounts is slowed
// on its own key.
var (
	pairLimit     = limit{Free: 5, Base: time.Second, Max: 15 * time.Minute}
	accountLimit  = limit{Free: 20, Base: time.Second, Max: time.Minute}
	addressLimit  = limit{Free: 30, Base: time.Second, Max: 15 * time.Minute}
	passwordLimit = limit{Free: 5, Base: time.Second, Max: 15 * time.Minute}
)

// noWait is next_allowed of a key that need not wait. Not "now": parallel
// attempts read the clock before they queue for the row, so a later one may
// hold an earlier time, and must not be refused for it.
var noWait = time.Unix(0, 0).UTC()

// throttleWindow is how long attempts are remembered after the last one.
const throttleWindow = time.Hour

// maxThrottleRows bounds the throttle table even under a flood of attempts from
// many addresses: past it, the oldest rows are dropped at the next purge.
const maxThrottleRows = 100_000

// throttleKey is one counter and the way it slows down.
type throttleKey struct {
	Key   string
	Limit limit
	// Shared keys are used by many people at once (an office's address): a
	// success does not clear them.
	Shared bool
}

// signInKeys are the counters a sign-in attempt passes through.
func signInKeys(email, address string) []throttleKey {
	keys := []throttleKey{{Key: "account:" + email, Limit: accountLimit}}
	if address != "" {
		keys = append(keys, throttleKey{Key: "pair:" + email + " " + address, Limit: pairLimit},
			throttleKey{Key: "address:" + address, Limit: addressLimit, Shared: true})
	}
	return keys
}

// ClientKey reduces a client address to what identifies one client: the
// address itself for IPv4, its /64 network for IPv6 (one household or server
// gets a whole /64, so single IPv6 addresses cost an attacker nothing).
// Anything that is not an address is kept out of the keys.
func ClientKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return ""
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// newGlobalLimiter bounds password checks per process: bcrypt takes tens of
// milliseconds of a core, so a flood from many addresses must not be able to
// take all of the machine's CPU.
func newGlobalLimiter() *rate.Limiter { return rate.NewLimiter(20, 40) }

// hashingAtOnce is how many password checks run at once: all the cores but
// one, so that a burst of sign-ins (each check takes a core for tens of
// milliseconds) leaves a core for every other request.
func hashingAtOnce() int { return max(1, runtime.GOMAXPROCS(0)-1) }

// compareHash is bcrypt's comparison of password with hash, waiting its turn
// among the checks running at once. It reports whether they match.
func (s *Store) compareHash(ctx context.Context, hash []byte, password string) (bool, error) {
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-s.hashing }()
	return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil, nil
}

// globalWait is the longest an attempt queues for the global limiter before it
// is refused instead.
const globalWait = 2 * time.Second

// takeGlobal waits for the process-wide password check budget.
func (s *Store) takeGlobal(ctx context.Context) error {
	r := s.global.Reserve()
	d := r.Delay()
	if d > globalWait {
		r.Cancel()
		return &ThrottledError{Wait: max(d, time.Second), Global: true}
	}
	if d == 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	}
}

// countAttempt lets an attempt through every key, counting it, or refuses it
// with a *ThrottledError when any key must still wait; then nothing is counted.
// Counting comes before the password is compared, in one transaction, so that
// parallel guesses cannot all pass a check made before any of them is counted.
// It returns the longest wait the next attempt now faces.
func (s *Store) countAttempt(ctx context.Context, keys []throttleKey) (time.Duration, error) {
	now := s.now()
	// The same order everywhere, so that PostgreSQL's row locks cannot deadlock.
	keys = slices.Clone(keys)
	slices.SortFunc(keys, func(a, b throttleKey) int { return cmp.Compare(a.Key, b.Key) })
	var next time.Duration
	errWait := errors.New("wait")
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, k := range keys {
			var n []int
			// The WHERE of the update refuses a key that must still wait; the
			// row lock it takes makes parallel attempts queue behind it.
			err := tx.Raw(`INSERT INTO signin_throttle (key, attempts, last_attempt, next_allowed) VALUES (?, 1, ?, ?)
				ON CONFLICT (key) DO UPDATE SET
					attempts = CASE WHEN signin_throttle.last_attempt < ? THEN 1 ELSE signin_throttle.attempts + 1 END,
					last_attempt = excluded.last_attempt
				WHERE signin_throttle.next_allowed <= ?
				RETURNING attempts`, k.Key, now, noWait, now.Add(-throttleWindow), now).Scan(&n).Error
			if err != nil {
				return err
			}
			if len(n) == 0 {
				return errWait
			}
			d := k.Limit.delay(n[0])
			if d == 0 {
				continue
			}
			next = max(next, d)
			if err := tx.Exec("UPDATE signin_throttle SET next_allowed = ? WHERE key = ?", now.Add(d), k.Key).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errWait) {
		return 0, s.waitFor(ctx, keys, now)
	}
	return next, err
}

// waitFor is the refusal of an attempt: how long until every key lets one through.
func (s *Store) waitFor(ctx context.Context, keys []throttleKey, now time.Time) error {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.Key
	}
	var until []time.Time
	if err := s.db.R.WithContext(ctx).Raw("SELECT next_allowed FROM signin_throttle WHERE key IN ?", names).Scan(&until).Error; err != nil {
		return err
	}
	var wait time.Duration
	for _, u := range until {
		wait = max(wait, u.Sub(now))
	}
	return &ThrottledError{Wait: max((wait + time.Second - 1).Truncate(time.Second), time.Second)}
}

// forgive clears the keys of an attempt that proved to be the real person.
func (s *Store) forgive(tx *gorm.DB, keys []throttleKey) error {
	for _, k := range keys {
		if k.Shared {
			// Many people sign in from one office address: a success is not
			// counted against it, but its earlier failures stay.
			if err := tx.Exec("UPDATE signin_throttle SET attempts = attempts - 1 WHERE key = ? AND attempts > 0", k.Key).Error; err != nil {
				return err
			}
			continue
		}
		if err := tx.Exec("DELETE FROM signin_throttle WHERE key = ?", k.Key).Error; err != nil {
			return err
		}
	}
	return nil
}

// PurgeThrottle deletes the counters nobody has used for the window, and the
// oldest ones past maxThrottleRows, returning how many went.
func (s *Store) PurgeThrottle(ctx context.Context) (int64, error) {
	w := s.db.W.WithContext(ctx)
	res := w.Exec("DELETE FROM signin_throttle WHERE last_attempt < ? AND next_allowed < ?", s.now().Add(-throttleWindow), s.now())
	if res.Error != nil {
		return 0, res.Error
	}
	n := res.RowsAffected
	res = w.Exec(`DELETE FROM signin_throttle WHERE key IN (
		SELECT key FROM signin_throttle ORDER BY last_attempt DESC LIMIT 1000000000 OFFSET ?)`, maxThrottleRows)
	return n + res.RowsAffected, res.Error
}
