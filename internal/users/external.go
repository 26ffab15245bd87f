package users

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/i18n"
)

// External is a person as a single sign-on provider vouches for them, from
// a verified ID token.
type External struct {
	Issuer, Subject string
	Email           string
	EmailVerified   bool
	Name            string
	Groups          []string
}

// Admission is what the configured rule gives a person the provider vouches
// for who has no account yet: a role, a request for an administrator to
// decide (Ask), or, the zero value, nothing.
type Admission struct {
	Role Role
	Ask  bool
	Rule string // the rule that decided, for the audit log
}

// The refusals of a single sign-on that reached HRX with a valid ID token.
var (
	ErrAccessPending   error = apperr.New(apperr.Forbidden, "sso.refused.pending")
	ErrAccessRefused   error = apperr.New(apperr.Forbidden, "sso.refused.unknown")
	ErrEmailUnverified error = apperr.New(apperr.Forbidden, "sso.refused.email_unverified")
	ErrAccountDisabled error = apperr.New(apperr.Forbidden, "sso.refused.disabled")
)

// identity links an account to a provider's person.
type identity struct {
	Issuer    string `gorm:"primaryKey"`
	Subject   string `gorm:"primaryKey"`
	UserID    int64
	CreatedAt time.Time
}

func (identity) TableName() string { return "user_identities" }

// AccessRequest is a person the provider vouched for whom no rule admitted,
// waiting for an administrator at /admin/users.
type AccessRequest struct {
	ID          int64
	Issuer      string
	Subject     string
	Email       string
	Name        string
	Groups      string `gorm:"column:group_names"` // comma-separated, as the provider listed them
	RequestedAt time.Time
}

// SignInExternal finds or makes the account of a person the provider has
// vouched for (a verified ID token), in this order: the account linked to
// the provider's issuer and subject; else the account with the same
// e-mail address, when the provider says it verified that address (the
// account is then linked); else what the rule (adm) admits: a new account
// with its role, a request for an administrator (ErrAccessPending), or
// ErrAccessRefused. The sign-in is recorded in the audit log with the client
// address, as a password sign-in is.
func (s *Store) SignInExternal(ctx context.Context, ext External, adm Admission, address string) (User, error) {
	ext.Email = NormalizeEmail(ext.Email)
	var u User
	var refusal error
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		u, refusal, err = s.admitExternal(tx, ext, adm, address)
		if err != nil || refusal != nil {
			return err
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("last_login_at", s.now()).Error; err != nil {
			return err
		}
		after := map[string]any{"method": "oidc", "issuer": ext.Issuer}
		if address != "" {
			after["address"] = address
		}
		return audit.Record(tx, u.Actor(), audit.Change{Action: "sign-in", Entity: "session", Key: u.Email, After: after})
	})
	if err != nil {
		return User{}, err
	}
	return u, refusal
}

// admitExternal is SignInExternal's decision inside its transaction: the
// account, or the refusal (recorded in the audit log, which is why the
// transaction still commits).
func (s *Store) admitExternal(tx *gorm.DB, ext External, adm Admission, address string) (User, error, error) {
	who := clientActor(address)
	refuse := func(why error, reason string) (User, error, error) {
		after := map[string]any{"issuer": ext.Issuer, "subject": ext.Subject, "reason": reason}
		if address != "" {
			after["address"] = address
		}
		return User{}, why, audit.Record(tx, who, audit.Change{Action: "sign-in-refused", Entity: "session", Key: ext.Email, After: after})
	}
	var id identity
	err := tx.Where("issuer = ? AND subject = ?", ext.Issuer, ext.Subject).First(&id).Error
	switch {
	case err == nil:
		var u User
		if err := tx.First(&u, id.UserID).Error; err != nil {
			return User{}, nil, err
		}
		if u.Disabled {
			return refuse(ErrAccountDisabled, "disabled")
		}
		return u, nil, nil
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return User{}, nil, err
	}
	// Not linked yet: everything below rests on the e-mail address, which
	// counts only when the provider verified it.
	if !ext.EmailVerified || ext.Email == "" {
		return refuse(ErrEmailUnverified, "email-unverified")
	}
	var u User
	err = tx.Where("email = ?", ext.Email).First(&u).Error
	switch {
	case err == nil:
		if u.Disabled {
			return refuse(ErrAccountDisabled, "disabled")
		}
		return u, nil, s.link(tx, u, ext, who)
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return User{}, nil, err
	}
	switch {
	case adm.Role.Valid():
		u, err := s.createExternal(tx, ext, adm.Role, audit.System("single sign-on"), adm.Rule)
		if err != nil {
			return User{}, nil, err
		}
		return u, nil, s.link(tx, u, ext, u.Actor())
	case adm.Ask:
		return User{}, ErrAccessPending, s.requestAccess(tx, ext, who)
	}
	return refuse(ErrAccessRefused, "no-rule")
}

// link ties an account to the provider's person.
func (s *Store) link(tx *gorm.DB, u User, ext External, who audit.Actor) error {
	if err := tx.Create(&identity{Issuer: ext.Issuer, Subject: ext.Subject, UserID: u.ID, CreatedAt: s.now()}).Error; err != nil {
		return err
	}
	return audit.Record(tx, who, audit.Change{Action: "link", Entity: "identity", Key: u.Email,
		After: map[string]any{"issuer": ext.Issuer, "subject": ext.Subject}})
}

// createExternal makes an account without a password: its owner signs in
// through the provider only.
func (s *Store) createExternal(tx *gorm.DB, ext External, role Role, actor audit.Actor, rule string) (User, error) {
	name := strings.TrimSpace(ext.Name)
	if len(name) > MaxNameLength {
		name = ""
	}
	now := s.now()
	u := User{Email: ext.Email, Name: name, Role: role, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(&u).Error; err != nil {
		return User{}, err
	}
	after := u.auditView()
	after["single_sign_on"] = true
	if rule != "" {
		after["rule"] = rule
	}
	return u, audit.Record(tx, actor, audit.Change{Action: "create", Entity: "user", Key: u.Email, After: after})
}

// requestAccess records (or renews) a person's request for an administrator.
func (s *Store) requestAccess(tx *gorm.DB, ext External, who audit.Actor) error {
	r := AccessRequest{Issuer: ext.Issuer, Subject: ext.Subject, Email: ext.Email, Name: strings.TrimSpace(ext.Name),
		Groups: strings.Join(ext.Groups, ","), RequestedAt: s.now()}
	if len(r.Name) > MaxNameLength {
		r.Name = ""
	}
	var n int64
	if err := tx.Model(&AccessRequest{}).Where("issuer = ? AND subject = ?", ext.Issuer, ext.Subject).Count(&n).Error; err != nil {
		return err
	}
	err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "issuer"}, {Name: "subject"}},
		DoUpdates: clause.AssignmentColumns([]string{"email", "name", "group_names", "requested_at"})}).Create(&r).Error
	if err != nil || n > 0 {
		return err // asked again: one request, one entry in the log
	}
	return audit.Record(tx, who, audit.Change{Action: "request", Entity: "access", Key: r.Email,
		After: map[string]any{"issuer": r.Issuer, "name": r.Name, "groups": r.Groups}})
}

// AccessRequests lists the people waiting for an administrator, oldest first.
func (s *Store) AccessRequests(ctx context.Context) ([]AccessRequest, error) {
	var list []AccessRequest
	err := s.db.R.WithContext(ctx).Order("requested_at, id").Limit(500).Find(&list).Error
	return list, err
}

// GrantAccess turns a request into an account with a role, linked to the
// person at the provider, who signs in through it next time.
func (s *Store) GrantAccess(ctx context.Context, actor audit.Actor, id int64, role Role) (User, error) {
	if !role.Valid() {
		v := &apperr.ValidationError{}
		v.AddMsg("role", labelRole, i18n.M("users.invalid.role"))
		return User{}, v
	}
	var u User
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := takeRequest(tx, id)
		if err != nil {
			return err
		}
		ext := External{Issuer: r.Issuer, Subject: r.Subject, Email: r.Email, Name: r.Name}
		var exists int64
		if err := tx.Model(&User{}).Where("email = ?", r.Email).Count(&exists).Error; err != nil {
			return err
		}
		if exists > 0 {
			return apperr.New(apperr.Conflict, "sso.grant.email_taken", "email", r.Email)
		}
		if u, err = s.createExternal(tx, ext, role, actor, ""); err != nil {
			return err
		}
		if err := s.link(tx, u, ext, actor); err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.Change{Action: "grant", Entity: "access", Key: r.Email, After: map[string]any{"role": role}})
	})
	return u, err
}

// DismissAccess removes a request without making an account; the person may ask again.
func (s *Store) DismissAccess(ctx context.Context, actor audit.Actor, id int64) (AccessRequest, error) {
	var r AccessRequest
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if r, err = takeRequest(tx, id); err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.Change{Action: "dismiss", Entity: "access", Key: r.Email})
	})
	return r, err
}

// takeRequest reads and deletes a request.
func takeRequest(tx *gorm.DB, id int64) (AccessRequest, error) {
	var r AccessRequest
	if err := tx.First(&r, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return r, apperr.ErrNotFound
		}
		return r, err
	}
	return r, tx.Delete(&AccessRequest{}, id).Error
}
