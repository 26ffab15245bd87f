package users

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/i18n"
)

// APIToken lets a program act as a user over the API (uploads). Only its hash is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	TokenHash  string `json:"-"`
	Prefix     string // the first characters, to recognise it in lists
	CreatedBy  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	User       User `gorm:"foreignKey:UserID"`
}

// TableName maps APIToken to its table.
func (APIToken) TableName() string { return "api_tokens" }

// maxTokenName is the longest name a token may have.
const maxTokenName = 100

// tokenPrefix marks HRX tokens so that secret scanners and people recognise them.
const tokenPrefix = "hrx_"

// CreateToken makes a token for a user and returns it in full, the only time it is shown.
func (s *Store) CreateToken(ctx context.Context, actor audit.Actor, userID int64, name string) (string, APIToken, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API token"
	}
	if len(name) > maxTokenName {
		v := &apperr.ValidationError{}
		v.AddMsg("name", labelName, i18n.M("users.invalid.name_too_long", "max", maxTokenName))
		return "", APIToken{}, v
	}
	plain := tokenPrefix + NewToken()
	var t APIToken
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.First(&u, userID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.ErrNotFound
			}
			return err
		}
		if u.Disabled {
			v := &apperr.ValidationError{}
			v.AddMsg("user", labelUser, i18n.M("users.invalid.token_user_disabled"))
			return v
		}
		t = APIToken{UserID: userID, Name: name, TokenHash: hashToken(plain), Prefix: plain[:len(tokenPrefix)+6], CreatedBy: actor.Name, CreatedAt: s.now()}
		if err := tx.Omit("User").Create(&t).Error; err != nil {
			return err
		}
		t.User = u
		return audit.Record(tx, actor, audit.Change{Action: "create", Entity: "token", Key: t.Prefix + "…",
			After: map[string]any{"user": u.Email, "name": name}})
	})
	return plain, t, err
}

// Tokens lists every token, newest first, with its user.
func (s *Store) Tokens(ctx context.Context) ([]APIToken, error) {
	var out []APIToken
	err := s.db.R.WithContext(ctx).Preload("User").Order("id DESC").Find(&out).Error
	return out, err
}

// RevokeToken stops a token from working.
func (s *Store) RevokeToken(ctx context.Context, actor audit.Actor, id int64) error {
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var t APIToken
		if err := tx.First(&t, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.ErrNotFound
			}
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		now := s.now()
		if err := tx.Model(&APIToken{}).Where("id = ?", id).Update("revoked_at", now).Error; err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.Change{Action: "revoke", Entity: "token", Key: t.Prefix + "…",
			Before: map[string]any{"name": t.Name, "revoked": false}, After: map[string]any{"name": t.Name, "revoked": true}})
	})
}

// TokenUser returns the active user behind a token; ErrNotFound for an unknown, revoked or disabled one.
func (s *Store) TokenUser(ctx context.Context, plain string) (User, error) {
	if !strings.HasPrefix(plain, tokenPrefix) {
		return User{}, apperr.ErrNotFound
	}
	var t APIToken
	err := s.db.R.WithContext(ctx).Preload("User").Where("token_hash = ? AND revoked_at IS NULL", hashToken(plain)).First(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, apperr.ErrNotFound
	}
	if err != nil {
		return User{}, err
	}
	if t.User.Disabled {
		return User{}, apperr.ErrNotFound
	}
	now := s.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		s.db.W.WithContext(ctx).Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now)
	}
	return t.User, nil
}
