package approval

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/users"
)

// Versioner gives the version of a month's figures: a fingerprint that
// changes whenever any of them changes. figures.Store is one; Submit asks the
// Snapshotter the Store was built with.
type Versioner interface {
	MonthVersion(tx *gorm.DB, month string) (string, error)
}

// errChanged marks a submission refused because the figures changed after
// the person's page was loaded.
var errChanged = errors.New("figures changed since the page was loaded")

// Submit submits month m for review, as Do(Submit) does, for a person whose
// page showed the month's figures at version seen (Versioner). When they
// changed after that (someone saved the grid, or applied or reverted an
// import), nothing is submitted: it is refused with an apperr.Conflict error
// that names who changed them last and when, so that nobody locks a month
// whose figures they have not seen. An empty seen is not checked, for a
// caller that showed no figures.
func (s *Store) Submit(ctx context.Context, actor audit.Actor, role users.Role, m, comment, seen string) (MonthState, error) {
	return s.do(ctx, actor, role, m, Submit, comment, publishing{seen: seen})
}

// checkSeen refuses when month m's figures are no longer at version seen.
func (s *Store) checkSeen(tx *gorm.DB, actor audit.Actor, m month.Month, seen string) error {
	if seen == "" {
		return nil
	}
	v, ok := s.figures.(Versioner)
	if !ok {
		return errors.New("approval: the figures cannot tell their version")
	}
	now, err := v.MonthVersion(tx, m.String())
	if err != nil || now == seen {
		return err
	}
	// Who changed them last: the grid's figures and the cells an import, a
	// revert or a bulk load changed are all in the audit log.
	var last []audit.Entry
	if err := tx.Where("month = ? AND entity IN ?", m.String(), []string{"figure", "cell"}).
		Order("id DESC").Limit(1).Find(&last).Error; err != nil {
		return err
	}
	msg := i18n.M("approval.submit.changed", "month", m)
	switch {
	case len(last) == 1 && last[0].UserID != nil && *last[0].UserID == actor.UserID && actor.UserID != 0:
		msg = i18n.M("approval.submit.changed_by_you", "month", m, "when", last[0].At)
	case len(last) == 1:
		msg = i18n.M("approval.submit.changed_by", "month", m, "who", last[0].Actor, "when", last[0].At)
	}
	return &apperr.Error{Kind: apperr.Conflict, Msg: msg, Err: errChanged}
}
