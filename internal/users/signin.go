package users

import (
	"context"
	"errors"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
)

// ErrBadCredentials means the e-mail and password do not match an active account.
// It never says which of the two was wrong.
var ErrBadCredentials error = apperr.New(apperr.Invalid, "users.bad_credentials")

// MaxEmailLength is the longest e-mail address there can be (RFC 5321's
// limit on a path); anything longer is refused before it reaches the database.
const MaxEmailLength = 254

// maxPasswordInput bounds what is handed to bcrypt, which reads 72 bytes at
// most anyway.
const maxPasswordInput = 1024

// Authenticate checks an e-mail and password sent from a client address (""
// when there is none, as on the command line). It returns the user,
// ErrBadCredentials or a *ThrottledError. The attempt is counted before the
// password is compared; a failure is written to the audit log with the address.
func (s *Store) Authenticate(ctx context.Context, email, password, address string) (User, error) {
	email = NormalizeEmail(email)
	if len(email) > MaxEmailLength || len(password) > maxPasswordInput {
		return User{}, ErrBadCredentials
	}
	keys := signInKeys(email, ClientKey(address))
	if err := s.takeGlobal(ctx); err != nil {
		return User{}, err
	}
	wait, err := s.countAttempt(ctx, keys)
	if err != nil {
		return User{}, err
	}
	u, err := s.ByEmail(ctx, email)
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return User{}, err
	}
	hash := s.dummyHash()
	if err == nil {
		hash = []byte(u.PasswordHash)
	}
	match, cerr := s.compareHash(ctx, hash, password)
	if cerr != nil {
		return User{}, cerr
	}
	if !match || err != nil || u.Disabled {
		err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			who := clientActor(address)
			if err := audit.Record(tx, who, audit.Change{Action: "sign-in-failed", Entity: "session", Key: email, After: map[string]any{"address": address}}); err != nil {
				return err
			}
			if wait == 0 {
				return nil
			}
			// The start of each wait, not each attempt refused during it:
			// those write nothing, so a flood cannot grow the log.
			return audit.Record(tx, who, audit.Change{Action: "sign-in-throttled", Entity: "session", Key: email,
				After: map[string]any{"address": address, "wait_seconds": int(wait / time.Second)}})
		})
		if err != nil {
			return User{}, err
		}
		return User{}, ErrBadCredentials
	}
	return u, s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.forgive(tx, keys); err != nil {
			return err
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("last_login_at", s.now()).Error; err != nil {
			return err
		}
		var after any
		if address != "" {
			after = map[string]any{"address": address}
		}
		return audit.Record(tx, u.Actor(), audit.Change{Action: "sign-in", Entity: "session", Key: u.Email, After: after})
	})
}

// clientActor is the author of an anonymous attempt: the client's address.
func clientActor(address string) audit.Actor {
	if address == "" {
		return audit.System("sign-in")
	}
	return audit.System(address)
}

// dummyHash is a hash at the store's cost, compared against for unknown
// addresses so that they take as long to refuse as real ones.
func (s *Store) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		s.dummy, _ = bcrypt.GenerateFromPassword([]byte("not a real password at all"), s.HashCost)
	})
	return s.dummy
}
