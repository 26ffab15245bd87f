package users

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
)

// The session lifetimes unless configured otherwise (ASVS level 2): a session
// ends after half an hour without use, and twelve hours after sign-in whatever
// the use.
const (
	DefaultSessionIdle = 30 * time.Minute
	DefaultSessionMax  = 12 * time.Hour
)

// sessionEnd is when a session started at created and last used at seen ends.
func (s *Store) sessionEnd(created, seen time.Time) time.Time {
	end := seen.Add(s.SessionIdle)
	if abs := created.Add(s.SessionMax); abs.Before(end) {
		return abs
	}
	return end
}

// Session is a signed-in browser. Only the SHA-256 of the cookie's token is stored,
// so a copy of the database does not let anyone sign in.
type Session struct {
	ID         string
	UserID     int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
	IDToken    string // the provider's ID token of a single sign-on, its hint at sign-out
}

// NewToken returns a random URL-safe token of 32 bytes.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// StartSession creates a new session for a user and returns its token. Always a
// new one: a sign-in never reuses a token the browser had before.
func (s *Store) StartSession(ctx context.Context, userID int64) (string, error) {
	return s.StartSessionWith(ctx, userID, "")
}

// StartSessionWith is StartSession for a single sign-on, keeping the
// provider's ID token to send back as the hint when the person signs out.
func (s *Store) StartSessionWith(ctx context.Context, userID int64, idToken string) (string, error) {
	tok := NewToken()
	now := s.now()
	err := s.db.W.WithContext(ctx).Create(&Session{ID: hashToken(tok), UserID: userID, CreatedAt: now, ExpiresAt: s.sessionEnd(now, now), LastSeenAt: now, IDToken: idToken}).Error
	return tok, err
}

// SessionIDToken is the provider's ID token a session was started with, ""
// for a password sign-in or an unknown session.
func (s *Store) SessionIDToken(ctx context.Context, token string) (string, error) {
	var sess Session
	err := s.db.R.WithContext(ctx).Select("id_token").Where("id = ?", hashToken(token)).Limit(1).Find(&sess).Error
	return sess.IDToken, err
}

// SessionUser returns the user behind a session token, sliding its idle expiry
// forward (never past the absolute lifetime).
func (s *Store) SessionUser(ctx context.Context, token string) (User, error) {
	if token == "" {
		return User{}, apperr.ErrNotFound
	}
	var sess Session
	err := s.db.R.WithContext(ctx).Where("id = ?", hashToken(token)).First(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, apperr.ErrNotFound
	}
	if err != nil {
		return User{}, err
	}
	now := s.now()
	// Both limits are checked here, not only the stored expiry, so that a
	// shorter setting applies at once to sessions made under a longer one.
	if now.After(sess.ExpiresAt) || now.After(s.sessionEnd(sess.CreatedAt, sess.LastSeenAt)) {
		return User{}, apperr.ErrNotFound
	}
	u, err := s.ByID(ctx, sess.UserID)
	if err != nil {
		return User{}, err
	}
	if u.Disabled {
		return User{}, apperr.ErrNotFound
	}
	// Write the sliding expiry at most once a minute, to keep reads cheap.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		s.db.W.WithContext(ctx).Model(&Session{}).Where("id = ?", sess.ID).
			Updates(map[string]any{"last_seen_at": now, "expires_at": s.sessionEnd(sess.CreatedAt, now)})
	}
	return u, nil
}

// EndSession signs a browser out.
func (s *Store) EndSession(ctx context.Context, token string) error {
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sess Session
		if err := tx.Where("id = ?", hashToken(token)).First(&sess).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return nil
			}
			return err
		}
		if err := tx.Delete(&sess).Error; err != nil {
			return err
		}
		var u User
		if err := tx.First(&u, sess.UserID).Error; err != nil {
			return err
		}
		return audit.Record(tx, u.Actor(), audit.Change{Action: "sign-out", Entity: "session", Key: u.Email})
	})
}

// DeleteExpiredSessions removes sessions past their expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context) error {
	return s.db.W.WithContext(ctx).Where("expires_at < ?", s.now()).Delete(&Session{}).Error
}
