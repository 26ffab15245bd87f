package users

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"hrx/internal/audit"
)

// ErrBadCredentials means the e-mail and password do not match an active account.
// It never says which of the two was wrong.
var ErrBadCredentials = errors.New("the email address or password is not correct")

// LockedError means too many sign-ins failed for this address; try again after Until.
type LockedError struct{ Until, Now time.Time }

func (e *LockedError) Error() string {
	return fmt.Sprintf("too many failed sign-ins; try again in %s", e.Wait())
}

// Wait is how long until sign-in opens again, rounded up to the second.
func (e *LockedError) Wait() time.Duration {
	return (e.Until.Sub(e.Now) + time.Second - 1).Truncate(time.Second)
}

// loginAttempt counts failed sign-ins per e-mail address, whether or not an
// account exists, so that the answers do not reveal which addresses are real.
type loginAttempt struct {
	Email       string `gorm:"primaryKey"`
	Failures    int
	LastFailure time.Time
	LockedUntil *time.Time
}

func (loginAttempt) TableName() string { return "login_attempts" }

// lockFor is how long sign-in is closed after n failures in a row: short pauses
// first, to slow guessing, then a longer lock.
func lockFor(n int) time.Duration {
	switch {
	case n < 3:
		return 0
	case n == 3:
		return 5 * time.Second
	case n == 4:
		return 30 * time.Second
	default:
		return 15 * time.Minute
	}
}

// failureWindow is how long failures are remembered.
const failureWindow = time.Hour

// Authenticate checks an e-mail and password. It returns the user, ErrBadCredentials or a *LockedError.
func (s *Store) Authenticate(ctx context.Context, email, password string) (User, error) {
	email = NormalizeEmail(email)
	now := s.now()
	var att loginAttempt
	err := s.db.R.WithContext(ctx).Where("email = ?", email).First(&att).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, err
	}
	if att.LockedUntil != nil && now.Before(*att.LockedUntil) {
		return User{}, &LockedError{Until: *att.LockedUntil, Now: now}
	}
	u, err := s.ByEmail(ctx, email)
	hash := s.dummyHash()
	if err == nil {
		hash = []byte(u.PasswordHash)
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || err != nil || u.Disabled {
		return User{}, s.recordFailure(ctx, email, now)
	}
	return u, s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("email = ?", email).Delete(&loginAttempt{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("last_login_at", now).Error; err != nil {
			return err
		}
		return audit.Record(tx, u.Actor(), audit.Change{Action: "sign-in", Entity: "session", Key: u.Email})
	})
}

// recordFailure counts a failed sign-in in one statement, so that guesses sent in
// parallel each count, and locks the address when there have been too many.
func (s *Store) recordFailure(ctx context.Context, email string, now time.Time) error {
	var locked *time.Time
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var failures int
		err := tx.Raw(`INSERT INTO login_attempts (email, failures, last_failure) VALUES (?, 1, ?)
			ON CONFLICT (email) DO UPDATE SET
				failures = CASE WHEN login_attempts.last_failure < ? THEN 1 ELSE login_attempts.failures + 1 END,
				last_failure = excluded.last_failure
			RETURNING failures`, email, now, now.Add(-failureWindow)).Scan(&failures).Error
		if err != nil {
			return err
		}
		if d := lockFor(failures); d > 0 {
			until := now.Add(d)
			locked = &until
		}
		return tx.Model(&loginAttempt{}).Where("email = ?", email).Update("locked_until", locked).Error
	})
	if err != nil {
		return err
	}
	if locked != nil {
		return &LockedError{Until: *locked, Now: now}
	}
	return ErrBadCredentials
}

// dummyHash is a hash at the store's cost, compared against for unknown
// addresses so that they take as long to refuse as real ones.
func (s *Store) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		s.dummy, _ = bcrypt.GenerateFromPassword([]byte("not a real password at all"), s.HashCost)
	})
	return s.dummy
}
