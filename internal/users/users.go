// Package users holds HRX's accounts, roles, passwords, sign-in sessions and first-run setup.
package users

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/time/rate"
	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/i18n"
)

// Role is what a user may do; each role may do everything the ones before it may.
type Role string

// The roles, from least to most trusted.
const (
	Viewer   Role = "viewer"
	Editor   Role = "editor"
	Approver Role = "approver"
	Admin    Role = "admin"
)

// Roles lists every role in order of trust.
var Roles = []Role{Viewer, Editor, Approver, Admin}

func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return i
		}
	}
	return -1
}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r.rank() >= 0 }

// AtLeast reports whether r includes what o may do.
func (r Role) AtLeast(o Role) bool { return r.Valid() && o.Valid() && r.rank() >= o.rank() }

// roleNames are the catalog ids of the roles' names. People read the names;
// forms, the database and the command line keep the codes.
var roleNames = map[Role]string{
	Viewer:   "users.role.viewer",
	Editor:   "users.role.editor",
	Approver: "users.role.approver",
	Admin:    "users.role.admin",
}

// Name is the role as a person reads it, in their language.
func (r Role) Name() i18n.Msg {
	if id, ok := roleNames[r]; ok {
		return i18n.M(id)
	}
	return i18n.Text(string(r))
}

// User is an account.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         Role
	PasswordHash string `json:"-"`
	Disabled     bool
	TimeZone     string // one of i18n.Zones, or "" to follow the language
	CreatedAt    time.Time
	UpdatedAt    time.Time
	LastLoginAt  *time.Time
}

// Can reports whether the user holds at least role r.
func (u User) Can(r Role) bool { return !u.Disabled && u.Role.AtLeast(r) }

// DisplayName is the name when there is one, else the e-mail address.
func (u User) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// Actor is the user as the author of a change.
func (u User) Actor() audit.Actor { return audit.Actor{UserID: u.ID, Name: u.Email} }

// auditView is what the audit log keeps of a user: never the password hash.
func (u User) auditView() map[string]any {
	view := map[string]any{"email": u.Email, "name": u.Name, "role": u.Role, "disabled": u.Disabled}
	if u.TimeZone != "" {
		view["time_zone"] = u.TimeZone
	}
	return view
}

// Store keeps accounts and sessions.
type Store struct {
	db *db.DB
	// HashCost is bcrypt's cost; tests lower it to run fast.
	HashCost int
	now      func() time.Time

	dummyOnce sync.Once
	dummy     []byte
	global    *rate.Limiter // password checks per second in this process
	hashing   chan struct{} // password checks running at once in this process

	// SessionIdle ends a session unused for this long; SessionMax ends any
	// session this long after sign-in.
	SessionIdle, SessionMax time.Duration
}

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store {
	return &Store{db: d, HashCost: bcrypt.DefaultCost, now: func() time.Time { return time.Now().UTC() },
		global: newGlobalLimiter(), hashing: make(chan struct{}, hashingAtOnce()), SessionIdle: DefaultSessionIdle, SessionMax: DefaultSessionMax}
}

// SetClock replaces the clock, for tests of lockouts and expiry.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// NewUser is what creating an account takes.
type NewUser struct {
	Email    string
	Name     string
	Role     Role
	Password string
}

// NormalizeEmail trims and lower-cases an address so that one person has one account.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// The fields' labels, as the forms and their error summaries show them.
var (
	labelEmail              = i18n.M("users.field.email")
	labelName               = i18n.M("users.field.name")
	labelRole               = i18n.M("users.field.role")
	labelPassword           = i18n.M("users.field.password")
	labelConfirmPassword    = i18n.M("users.field.confirm_password")
	labelCurrentPassword    = i18n.M("users.field.current_password")
	labelNewPassword        = i18n.M("users.field.new_password")
	labelConfirmNewPassword = i18n.M("users.field.confirm_new_password")
	labelUser               = i18n.M("users.field.user")
)

// MaxNameLength is the longest name an account may have.
const MaxNameLength = 200

func validateNew(n NewUser) *apperr.ValidationError {
	v := &apperr.ValidationError{}
	if n.Email == "" {
		v.AddMsg("email", labelEmail, i18n.M("users.invalid.email_missing"))
	} else if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email || !strings.Contains(n.Email, "@") {
		v.AddMsg("email", labelEmail, i18n.M("users.invalid.email_format"))
	}
	if len(n.Name) > MaxNameLength {
		v.AddMsg("name", labelName, i18n.M("users.invalid.name_too_long", "max", MaxNameLength))
	}
	if !n.Role.Valid() {
		v.AddMsg("role", labelRole, i18n.M("users.invalid.role"))
	}
	if msg := CheckPassword(n.Password, n.Email); !msg.IsZero() {
		v.AddMsg("password", labelPassword, msg)
	}
	return v
}

// Create adds an account, recording who added it.
func (s *Store) Create(ctx context.Context, actor audit.Actor, n NewUser) (User, error) {
	var u User
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		u, err = s.create(tx, actor, n)
		return err
	})
	return u, err
}

func (s *Store) create(tx *gorm.DB, actor audit.Actor, n NewUser) (User, error) {
	n.Email = NormalizeEmail(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	if v := validateNew(n); !v.Empty() {
		return User{}, v
	}
	var exists int64
	if err := tx.Model(&User{}).Where("email = ?", n.Email).Count(&exists).Error; err != nil {
		return User{}, err
	}
	if exists > 0 {
		v := &apperr.ValidationError{}
		v.AddMsg("email", labelEmail, i18n.M("users.invalid.email_taken"))
		return User{}, v
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(n.Password), s.HashCost)
	if err != nil {
		return User{}, err
	}
	now := s.now()
	u := User{Email: n.Email, Name: n.Name, Role: n.Role, PasswordHash: string(hash), CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(&u).Error; err != nil {
		return User{}, err
	}
	if actor.Name == "" {
		actor = u.Actor()
	}
	return u, audit.Record(tx, actor, audit.Change{Action: "create", Entity: "user", Key: u.Email, After: u.auditView()})
}

// Count returns how many accounts exist.
func (s *Store) Count(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.R.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, err
}

// ByID returns one account.
func (s *Store) ByID(ctx context.Context, id int64) (User, error) {
	return s.first(s.db.R.WithContext(ctx).Where("id = ?", id))
}

// ByEmail returns the account for an address.
func (s *Store) ByEmail(ctx context.Context, email string) (User, error) {
	return s.first(s.db.R.WithContext(ctx).Where("email = ?", NormalizeEmail(email)))
}

func (s *Store) first(q *gorm.DB) (User, error) {
	var u User
	err := q.First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, apperr.ErrNotFound
	}
	return u, err
}

// List returns every account, by e-mail address.
func (s *Store) List(ctx context.Context) ([]User, error) {
	var out []User
	err := s.db.R.WithContext(ctx).Order("email").Find(&out).Error
	return out, err
}

// Update changes an account's role and whether it is disabled; disabling ends its sessions.
// The last active administrator cannot be demoted or disabled.
func (s *Store) Update(ctx context.Context, actor audit.Actor, id int64, role Role, disabled bool) (User, error) {
	if !role.Valid() {
		v := &apperr.ValidationError{}
		v.AddMsg("role", labelRole, i18n.M("users.invalid.role"))
		return User{}, v
	}
	var u User
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&u, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.ErrNotFound
			}
			return err
		}
		before := u.auditView()
		if err := s.lockAccounts(tx); err != nil {
			return err
		}
		if u.Role == Admin && !u.Disabled && (role != Admin || disabled) {
			var admins int64
			if err := tx.Model(&User{}).Where("role = ? AND disabled = ? AND id <> ?", Admin, false, id).Count(&admins).Error; err != nil {
				return err
			}
			if admins == 0 {
				v := &apperr.ValidationError{}
				v.AddMsg("role", labelRole, i18n.M("users.invalid.last_admin"))
				return v
			}
		}
		u.Role, u.Disabled, u.UpdatedAt = role, disabled, s.now()
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{"role": role, "disabled": disabled, "updated_at": u.UpdatedAt}).Error; err != nil {
			return err
		}
		if disabled {
			if err := tx.Where("user_id = ?", id).Delete(&Session{}).Error; err != nil {
				return err
			}
		}
		return audit.Record(tx, actor, audit.Change{Action: "update", Entity: "user", Key: u.Email, Before: before, After: u.auditView()})
	})
	return u, err
}

// lockAccounts serialises changes that depend on counting accounts (the last
// administrator, first-run setup). SQLite's single writer does this already;
// PostgreSQL takes a transaction-scoped advisory lock.
func (s *Store) lockAccounts(tx *gorm.DB) error {
	if s.db.Dialect != db.Postgres {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(4872001)").Error
}

// Zone is the time zone the user reads times in; ok is false when they
// follow their language's usual zone.
func (u User) Zone() (*time.Location, bool) { return i18n.ZoneNamed(u.TimeZone) }

// SetTimeZone sets the time zone a person reads times in: one of i18n.Zones,
// or "" to follow their language.
func (s *Store) SetTimeZone(ctx context.Context, id int64, zone string) (User, error) {
	if _, ok := i18n.ZoneNamed(zone); !ok && zone != "" {
		v := &apperr.ValidationError{}
		v.AddMsg("time_zone", i18n.M("users.field.time_zone"), i18n.M("users.invalid.time_zone"))
		return User{}, v
	}
	var u User
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&u, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.ErrNotFound
			}
			return err
		}
		if u.TimeZone == zone {
			return nil
		}
		before := u.auditView()
		u.TimeZone, u.UpdatedAt = zone, s.now()
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{"time_zone": zone, "updated_at": u.UpdatedAt}).Error; err != nil {
			return err
		}
		return audit.Record(tx, u.Actor(), audit.Change{Action: "update", Entity: "user", Key: u.Email, Before: before, After: u.auditView()})
	})
	return u, err
}
