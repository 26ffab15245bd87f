package users

import (
	"context"
	"errors"
	"fmt"
	"sync"
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
	return e.Until.Sub(e.Now).Round(time.Second) + time.Second
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

// dummyHash lets a sign-in for an unknown address take as long as a real one.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("not a real password at all"), bcrypt.DefaultCost)
	return h
})

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
	hash := dummyHash()
	if err == nil {
		hash = []byte(u.PasswordHash)
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || err != nil || u.Disabled {
		return User{}, s.recordFailure(ctx, email, att, now)
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

func (s *Store) recordFailure(ctx context.Context, email string, att loginAttempt, now time.Time) error {
	if att.Email == "" || now.Sub(att.LastFailure) > failureWindow {
		att = loginAttempt{Email: email}
	}
	att.Failures++
	att.LastFailure = now
	att.LockedUntil = nil
	if d := lockFor(att.Failures); d > 0 {
		until := now.Add(d)
		att.LockedUntil = &until
	}
	if err := s.db.W.WithContext(ctx).Save(&att).Error; err != nil {
		return err
	}
	if att.LockedUntil != nil {
		return &LockedError{Until: *att.LockedUntil, Now: now}
	}
	return ErrBadCredentials
}
