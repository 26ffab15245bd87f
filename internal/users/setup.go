package users

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/i18n"
)

// SetupLifetime is how long a first-run setup link works.
const SetupLifetime = 24 * time.Hour

type setupToken struct {
	TokenHash string `gorm:"primaryKey"`
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (setupToken) TableName() string { return "setup_tokens" }

// ErrSetupDone means an administrator exists already, or the link was used or has expired.
var ErrSetupDone error = apperr.New(apperr.Conflict, "users.setup_done")

// NewSetupToken returns a one-time token for creating the first administrator,
// or ErrSetupDone when there are accounts already.
func (s *Store) NewSetupToken(ctx context.Context) (string, error) {
	n, err := s.Count(ctx)
	if err != nil {
		return "", err
	}
	if n > 0 {
		return "", ErrSetupDone
	}
	tok := NewToken()
	now := s.now()
	err = s.db.W.WithContext(ctx).Create(&setupToken{TokenHash: hashToken(tok), CreatedAt: now, ExpiresAt: now.Add(SetupLifetime)}).Error
	return tok, err
}

// CheckSetupToken reports whether a setup token can still be used.
func (s *Store) CheckSetupToken(ctx context.Context, token string) error {
	return s.checkSetup(s.db.R.WithContext(ctx), token)
}

func (s *Store) checkSetup(q *gorm.DB, token string) error {
	if token == "" {
		return ErrSetupDone
	}
	var st setupToken
	err := q.Where("token_hash = ?", hashToken(token)).First(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrSetupDone
	}
	if err != nil {
		return err
	}
	if st.UsedAt != nil || s.now().After(st.ExpiresAt) {
		return ErrSetupDone
	}
	var users int64
	if err := q.Model(&User{}).Count(&users).Error; err != nil {
		return err
	}
	if users > 0 {
		return ErrSetupDone
	}
	return nil
}

// CompleteSetup creates the first administrator with a setup token; the token then stops working.
func (s *Store) CompleteSetup(ctx context.Context, token string, n NewUser, confirm string) (User, error) {
	n.Role = Admin
	var u User
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockAccounts(tx); err != nil {
			return err
		}
		if err := s.checkSetup(tx, token); err != nil {
			return err
		}
		// Spend the token first: of two requests racing with it, only one gets a row.
		now := s.now()
		res := tx.Model(&setupToken{}).Where("token_hash = ? AND used_at IS NULL", hashToken(token)).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrSetupDone
		}
		n.Email = NormalizeEmail(n.Email)
		v := validateNew(n)
		if n.Password != confirm && v.For("password").IsZero() {
			v.AddMsg("confirm_password", labelConfirmPassword, i18n.M("users.invalid.passwords_differ"))
		}
		if !v.Empty() {
			return v
		}
		var err error
		u, err = s.create(tx, audit.Actor{}, n)
		return err
	})
	return u, err
}
