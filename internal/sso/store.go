package sso

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// login is a sign-in under way at the provider, keyed by the hash of the
// cookie its browser holds: whoever lacks the cookie cannot finish it, and
// a copy of the database does not give it away.
type login struct {
	ID        string
	State     string
	Nonce     string
	Verifier  string
	Next      string
	ExpiresAt time.Time
}

func (login) TableName() string { return "oidc_logins" }

// take reads and deletes the sign-in of a cookie: each is used once.
func (s *Service) take(ctx context.Context, cookie string) (login, error) {
	if cookie == "" {
		return login{}, refusal(errExpired, errors.New("no sign-in cookie"))
	}
	var l login
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", hashOf(cookie)).First(&l).Error; err != nil {
			return err
		}
		return tx.Delete(&login{}, "id = ?", l.ID).Error
	})
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return login{}, refusal(errExpired, errors.New("no sign-in for this cookie"))
	case err != nil:
		return login{}, err
	case s.now().After(l.ExpiresAt):
		return login{}, refusal(errExpired, errors.New("the sign-in expired"))
	}
	return l, nil
}

// Sweep deletes the sign-ins that were never finished and have expired.
func (s *Service) Sweep(ctx context.Context) error {
	return s.db.W.WithContext(ctx).Where("expires_at < ?", s.now()).Delete(&login{}).Error
}

// SetClock replaces the clock, for tests of expiry.
func (s *Service) SetClock(now func() time.Time) { s.now = now }
