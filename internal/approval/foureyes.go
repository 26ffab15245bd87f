package approval

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/settings"
	"hrx/internal/users"
)

// The four-eyes rule (settings.FourEyes): the person who submitted a month, or
// who changed any of its figures since it was last published, does not
// publish it. Who did what is read from the audit log, which every writer of
// figures records in (the grid's figures, and each cell an import, a revert
// or a bulk load changed) and every move of a month. A publisher with no
// account behind it (the command line without --as) cannot show it is
// someone else, so it is refused too, unless the publication is declared as
// a single approver's (loading official history), which the audit log keeps.

// errFourEyes marks a refusal by the four-eyes rule.
var errFourEyes = errors.New("four-eyes rule")

// involvement is who submitted a month and who changed its figures since its
// last publication, by user id.
type involvement struct {
	submitted, changed map[int64]bool
}

func (in involvement) has(id int64) bool { return in.submitted[id] || in.changed[id] }

// involved reads the audit log of month m after its last publication.
func involved(tx *gorm.DB, m month.Month) (involvement, error) {
	in := involvement{submitted: map[int64]bool{}, changed: map[int64]bool{}}
	var last int64
	if err := tx.Model(&audit.Entry{}).Select("COALESCE(MAX(id), 0)").
		Where("month = ? AND entity = ? AND action = ?", m.String(), "month", string(Publish)).Scan(&last).Error; err != nil {
		return in, err
	}
	var rows []struct {
		UserID int64
		Entity string
	}
	if err := tx.Model(&audit.Entry{}).Distinct("user_id", "entity").
		Where("month = ? AND id > ? AND user_id IS NOT NULL", m.String(), last).
		Where("entity IN ? OR (entity = ? AND action = ?)", []string{"figure", "cell"}, "month", string(Submit)).
		Scan(&rows).Error; err != nil {
		return in, err
	}
	for _, r := range rows {
		if r.Entity == "month" {
			in.submitted[r.UserID] = true
		} else {
			in.changed[r.UserID] = true
		}
	}
	return in, nil
}

// checkFourEyes refuses a publication of m by actor that the four-eyes rule
// forbids. bypassed is true when the rule is on and single set it aside, for
// the audit log to say so.
func (s *Store) checkFourEyes(tx *gorm.DB, actor audit.Actor, m month.Month, single bool) (bypassed bool, err error) {
	v, err := s.settings.Load(tx.Statement.Context, tx)
	if err != nil || !v.Bool(settings.FourEyes) {
		return false, err
	}
	if single {
		return true, nil
	}
	in, err := involved(tx, m)
	if err != nil {
		return false, err
	}
	if actor.UserID != 0 && !in.has(actor.UserID) {
		return false, nil
	}
	others, err := otherApprovers(tx, actor.UserID, in)
	if err != nil {
		return false, err
	}
	who := i18n.M("approval.four_eyes.nobody")
	if len(others) > 0 {
		who = i18n.M("approval.four_eyes.others", "people", others)
	}
	if actor.UserID == 0 {
		return false, &apperr.Error{Kind: apperr.Forbidden, Err: errFourEyes,
			Msg: i18n.M("approval.four_eyes.anonymous", "month", m, "who", actor.Name, "others", who)}
	}
	did := "approval.four_eyes.did.changed"
	switch {
	case in.submitted[actor.UserID] && in.changed[actor.UserID]:
		did = "approval.four_eyes.did.both"
	case in.submitted[actor.UserID]:
		did = "approval.four_eyes.did.submitted"
	}
	return false, &apperr.Error{Kind: apperr.Forbidden, Err: errFourEyes,
		Msg: i18n.M("approval.four_eyes.refused", "month", m, "did", i18n.M(did), "others", who)}
}

// Approvers names the active approvers and administrators: who can reopen a
// published month for revision, for a page to tell someone who cannot.
func (s *Store) Approvers(ctx context.Context) ([]string, error) {
	return otherApprovers(s.db.R.WithContext(ctx), 0, involvement{})
}

// otherApprovers names the active approvers and administrators who may
// publish instead: not the publisher, and not involved in the month.
func otherApprovers(tx *gorm.DB, self int64, in involvement) ([]string, error) {
	var list []users.User
	if err := tx.Where("role IN ? AND disabled = ?", []users.Role{users.Approver, users.Admin}, false).
		Order("email").Find(&list).Error; err != nil {
		return nil, err
	}
	var out []string
	for _, u := range list {
		if u.ID == self || in.has(u.ID) {
			continue
		}
		name := u.Email
		if u.Name != "" {
			name = u.Name + " <" + u.Email + ">"
		}
		out = append(out, name)
	}
	return out, nil
}

// Publishers names who may publish month m now as far as the four-eyes rule
// goes: the active approvers and administrators, less, while the rule is on,
// those who submitted it or changed its figures since its last publication.
// For a page to tell someone who cannot publish who can.
func (s *Store) Publishers(ctx context.Context, m month.Month) ([]string, error) {
	tx := s.db.R.WithContext(ctx)
	in := involvement{}
	v, err := s.settings.Load(ctx, tx)
	if err != nil {
		return nil, err
	}
	if v.Bool(settings.FourEyes) {
		if in, err = involved(tx, m); err != nil {
			return nil, err
		}
	}
	return otherApprovers(tx, 0, in)
}
