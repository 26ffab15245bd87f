package approval

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/dataversion"
	"hrx/internal/db"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/users"
)

// Store keeps month states and the published snapshot.
type Store struct {
	db      *db.DB
	figures Snapshotter
	now     func() time.Time
}

// NewStore returns a Store on d that publishes the figures f looks at and copies.
func NewStore(d *db.DB, f Snapshotter) *Store {
	return &Store{db: d, figures: f, now: func() time.Time { return time.Now().UTC() }}
}

// States returns every month that has left the open state at least once, by month.
func (s *Store) States(ctx context.Context) (map[month.Month]MonthState, error) {
	var list []MonthState
	if err := s.db.R.WithContext(ctx).Order("month").Find(&list).Error; err != nil {
		return nil, err
	}
	out := make(map[month.Month]MonthState, len(list))
	for _, st := range list {
		out[st.Month] = st
	}
	return out, nil
}

// State returns one month's state.
func (s *Store) State(ctx context.Context, m month.Month) (MonthState, error) {
	return StateOf(s.db.R.WithContext(ctx), m)
}

// Why a publication was refused, behind the apperr error, for PublishRange
// to sort months by.
var (
	errEmpty  = errors.New("no figures")
	errChecks = errors.New("figures fail a check")
)

// Do takes an action on a month for a person with role, in one transaction:
// the state moves, the audit log records it with the comment, and publishing
// takes the snapshot the public reads. A refusal is an apperr error: Forbidden
// or Conflict from Decide; an *apperr.ValidationError (field "comment") for a
// return or reopen without words; Conflict for a publish of an empty month or
// of figures that fail a check. Nothing changes on any error.
func (s *Store) Do(ctx context.Context, actor audit.Actor, role users.Role, m string, a Action, comment string) (MonthState, error) {
	mon, err := month.Parse(m)
	if err != nil {
		return MonthState{}, apperr.ErrNotFound
	}
	comment = strings.TrimSpace(comment)
	var st MonthState
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := SerializeWrites(tx); err != nil {
			return err
		}
		var err error
		if st, err = StateOf(tx, mon); err != nil {
			return err
		}
		if err := Decide(mon, st.State, a, role); err != nil {
			return err
		}
		var v apperr.ValidationError
		switch t := machine[a]; {
		case t.needs == "comment" && comment == "":
			v.AddMsg("comment", i18n.M("approval.field.comment"), i18n.M("approval.comment.missing"))
		case t.needs == "reason" && comment == "":
			v.AddMsg("comment", i18n.M("approval.field.reason"), i18n.M("approval.reason.missing"))
		case len(comment) > maxComment:
			v.AddMsg("comment", i18n.M("approval.field.comment"), i18n.M("approval.comment.too_long", "max", maxComment))
		}
		if err := v.Err(); err != nil {
			return err
		}
		return s.move(tx, actor, &st, a, comment)
	})
	return st, err
}

// maxComment is the longest return comment or reopen reason, in bytes.
const maxComment = 1000

// move changes st by the action inside tx; the action is known to be allowed.
func (s *Store) move(tx *gorm.DB, actor audit.Actor, st *MonthState, a Action, comment string) error {
	before := st.State
	if a == Publish {
		if err := s.publish(tx, actor, st); err != nil {
			return err
		}
	}
	now := s.now()
	st.State, st.Action, st.Actor, st.ChangedAt, st.Comment = Next(a), string(a), actor.Name, now, comment
	st.ChangedBy = nil
	if actor.UserID != 0 {
		id := actor.UserID
		st.ChangedBy = &id
	}
	if err := tx.Save(st).Error; err != nil {
		return err
	}
	after := map[string]any{"state": st.State}
	if a == Publish {
		after["publication"] = st.Publications
	}
	if err := audit.Record(tx, actor, audit.Change{Action: string(a), Entity: "month", Key: st.Month.String(), Month: st.Month.String(),
		Before: map[string]any{"state": before}, After: after, Reason: comment}); err != nil {
		return err
	}
	// Publishing changes what the public sees; every move changes what staff see marked.
	return dataversion.Bump(tx)
}

// publish checks the month's figures and copies them, and their totals, over
// the month's previous snapshot.
func (s *Store) publish(tx *gorm.DB, actor audit.Actor, st *MonthState) error {
	found, err := s.figures.Inspect(tx, st.Month.String())
	if err != nil {
		return err
	}
	if found.Rows == 0 {
		return &apperr.Error{Kind: apperr.Conflict, Msg: i18n.M("approval.publish.empty", "month", st.Month), Err: errEmpty}
	}
	if problems := found.problems(); len(problems) > 0 {
		return &apperr.Error{Kind: apperr.Conflict, Err: errChecks,
			Msg: i18n.M("approval.publish.failed", "month", st.Month, "problems", joinProblems(problems))}
	}
	if err := s.figures.Snapshot(tx, st.Month.String()); err != nil {
		return err
	}
	now := s.now()
	st.PublishedAt, st.PublishedBy = &now, actor.Name
	st.Publications++
	return nil
}

// RangeResult is what publishing a range of months did to each month.
type RangeResult struct {
	Published []string // published now
	Already   []string // published before, left as they were
	Empty     []string // no figures, skipped
	Failed    []error  // figures that fail a check (apperr.Conflict errors), left as they were
}

// PublishRange publishes every month from..to that has figures and is not
// published yet, whether open or submitted: the command-line path for loading
// years of already official history. Each month is its own transaction, so a
// month that fails a check is named and left as it was while the rest go on.
func (s *Store) PublishRange(ctx context.Context, actor audit.Actor, from, to month.Month, comment string) (RangeResult, error) {
	var res RangeResult
	if from > to {
		var v apperr.ValidationError
		v.AddMsg("range", i18n.M("approval.field.months"), i18n.M("approval.range.backwards", "from", from, "to", to))
		return res, &v
	}
	for _, m := range month.Range(from, to) {
		err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := SerializeWrites(tx); err != nil {
				return err
			}
			st, err := StateOf(tx, m)
			if err != nil {
				return err
			}
			if st.State == Published {
				res.Already = append(res.Already, st.Month.String())
				return nil
			}
			if err := s.move(tx, actor, &st, Publish, comment); err != nil {
				return err
			}
			res.Published = append(res.Published, st.Month.String())
			return nil
		})
		switch {
		case errors.Is(err, errEmpty):
			res.Empty = append(res.Empty, m.String())
		case errors.Is(err, errChecks):
			res.Failed = append(res.Failed, err)
		case err != nil:
			return res, err
		}
	}
	return res, nil
}

// joinProblems makes one message of a month's problems: "a; b; c".
func joinProblems(ps []i18n.Msg) i18n.Msg {
	if len(ps) == 1 {
		return ps[0]
	}
	return i18n.M("approval.check.join", "first", ps[0], "rest", joinProblems(ps[1:]))
}
