package users

import (
	"context"
	"crypto/rand"
	_ "embed"
	"strings"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

//go:embed common-passwords.txt
var commonList string

var common = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Fields(commonList) {
		m[p] = true
	}
	return m
}()

// CheckPassword returns what is wrong with a new password, or "" when it is acceptable.
func CheckPassword(pw, email string) string {
	switch {
	case pw == "":
		return "Enter a password"
	case len([]rune(pw)) < MinPasswordLength:
		return "Password must be at least 10 characters long"
	case len(pw) > 72:
		return "Password must be 72 characters or fewer"
	case common[strings.ToLower(pw)]:
		return "This password is too common and easy to guess; choose another"
	case email != "" && strings.EqualFold(pw, email):
		return "Password must not be your email address"
	}
	return ""
}

// GeneratePassword returns a random password of 20 letters and digits, easy to read aloud.
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// ChangePassword sets a new password after checking the current one, and ends
// the user's other sessions (keepSession, the one making the change, stays).
func (s *Store) ChangePassword(ctx context.Context, id int64, current, next, confirm, keepSession string) error {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return err
	}
	v := &apperr.ValidationError{}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		v.Add("current_password", "Current password", "Your current password is not correct")
	}
	if msg := CheckPassword(next, u.Email); msg != "" {
		v.Add("new_password", "New password", msg)
	} else if next != confirm {
		v.Add("confirm_password", "Confirm new password", "The two new passwords do not match")
	}
	if !v.Empty() {
		return v
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), s.HashCost)
	if err != nil {
		return err
	}
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{"password_hash": string(hash), "updated_at": s.now()}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ? AND id <> ?", id, hashToken(keepSession)).Delete(&Session{}).Error; err != nil {
			return err
		}
		return audit.Record(tx, u.Actor(), audit.Change{Action: "change-password", Entity: "user", Key: u.Email})
	})
}

// ResetPassword gives an account a new generated password, ends its sessions and
// returns the password, to be handed over once. For people who forgot theirs.
func (s *Store) ResetPassword(ctx context.Context, actor audit.Actor, id int64) (User, string, error) {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return User{}, "", err
	}
	pw := GeneratePassword()
	hash, err := bcrypt.GenerateFromPassword([]byte(pw), s.HashCost)
	if err != nil {
		return User{}, "", err
	}
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{"password_hash": string(hash), "updated_at": s.now()}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", id).Delete(&Session{}).Error; err != nil {
			return err
		}
		if err := tx.Where("email = ?", u.Email).Delete(&loginAttempt{}).Error; err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.Change{Action: "reset-password", Entity: "user", Key: u.Email})
	})
	return u, pw, err
}
