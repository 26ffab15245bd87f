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
	"hrx/internal/plausibility"
	"hrx/internal/settings"
	"hrx/internal/users"
)

// Store keeps month states and the published snapshot.
type Store struct {
	db       *db.DB
	figures  Snapshotter
	settings *settings.Store
	flags    *plausibility.Store
	notifier Notifier // told of each move in its transaction (SetNotifier); may be nil
	now      func() time.Time
}

// NewStore returns a Store on d that publishes the figures f looks at and copies.
func NewStore(d *db.DB, f Snapshotter) *Store {
	return &Store{db: d, figures: f, settings: settings.NewStore(d), flags: plausibility.NewStore(d),
		now: func() time.Time { return time.Now().UTC() }}
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
	errEmpty      = errors.New("no figures")
	errHasFigures = errors.New("figures to publish")
	errChecks     = errors.New("figures fail a check")
)

// Do takes an action on a month for a person with role, in one transaction:
// the state moves, the audit log records it with the comment, and publishing
// takes the snapshot the public reads. A refusal is an apperr error: Forbidden
// or Conflict from Decide; an *apperr.ValidationError (field "comment") for a
// return, reopen or "nothing to report" without words; for a publication,
// Conflict when an earlier month of the targets' windows is not published
// (the order rule), when the month is empty (publish) or has figures (nothing
// to report), or when its figures fail a check, Forbidden when the four-eyes
// rule keeps this person from publishing it, and Conflict while a figure
// flagged as far from its recent level has no confirmation
// (PublishConfirming gives them). Nothing changes on any error.
func (s *Store) Do(ctx context.Context, actor audit.Actor, role users.Role, m string, a Action, comment string) (MonthState, error) {
	return s.do(ctx, actor, role, m, a, comment, publishing{})
}

// PublishConfirming publishes month m as Do(Publish) does, first recording
// the reasons the publisher gives for its flagged figures (Flags lists them):
// each is given for the value the figure has now, and every flag that no
// earlier confirmation covers needs one. A reason left empty is an
// *apperr.ValidationError on the flag's ReasonField; a flag without a reason,
// or whose figure changed after the reason was written, refuses the
// publication (apperr.Conflict). Nothing changes on any error, the reasons
// included.
func (s *Store) PublishConfirming(ctx context.Context, actor audit.Actor, role users.Role, m, comment string, confirms []Confirmation) (MonthState, error) {
	return s.do(ctx, actor, role, m, Publish, comment, publishing{confirms: confirms})
}

// publishing is how a move goes, besides who makes it: for a publication,
// the four-eyes rule and the flags' reasons; for a submission, the figures'
// version the person saw.
type publishing struct {
	single   bool           // the four-eyes rule set aside (PublishRange, SingleApprover)
	confirms []Confirmation // the reasons the publisher gives for flagged figures
	all      string         // one reason for every flag not yet confirmed (PublishRange, ConfirmFlags)
	seen     string         // the figures' version the submitter's page showed (Submit); "" not checked
}

func (s *Store) do(ctx context.Context, actor audit.Actor, role users.Role, m string, a Action, comment string, p publishing) (MonthState, error) {
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
		if err := checkComment(machine[a].needs, comment); err != nil {
			return err
		}
		if err := s.checkSeen(tx, actor, mon, p.seen); err != nil {
			return err
		}
		return s.moveWith(tx, actor, &st, a, comment, p)
	})
	return st, err
}

// checkComment refuses a move without the words it needs, or with too many.
func checkComment(needs, comment string) error {
	var v apperr.ValidationError
	switch {
	case needs == "comment" && comment == "":
		v.AddMsg("comment", i18n.M("approval.field.comment"), i18n.M("approval.comment.missing"))
	case needs == "reason" && comment == "":
		v.AddMsg("comment", i18n.M("approval.field.reason"), i18n.M("approval.reason.missing"))
	case needs == "nothing" && comment == "":
		v.AddMsg("comment", i18n.M("approval.field.reason"), i18n.M("approval.nothing.reason_missing"))
	case len(comment) > maxComment:
		v.AddMsg("comment", i18n.M("approval.field.comment"), i18n.M("approval.comment.too_long", "max", maxComment))
	}
	return v.Err()
}

// CheckWords says, before anyone acts, whether comment is what action a
// needs (a return's comment, a reopen's or "nothing to report"'s reason), as
// Do would: nil, or the *apperr.ValidationError on the field "comment".
func CheckWords(a Action, comment string) error {
	return checkComment(machine[a].needs, strings.TrimSpace(comment))
}

// maxComment is the longest return comment or reopen reason, in bytes.
const maxComment = 1000

// moveWith changes st by the action inside tx, as p says; the action is
// known to be allowed by the state machine.
func (s *Store) moveWith(tx *gorm.DB, actor audit.Actor, st *MonthState, a Action, comment string, p publishing) error {
	before := st.State
	after := map[string]any{}
	if publishes(a) {
		bypassed, err := s.publish(tx, actor, st, a, comment, p)
		if err != nil {
			return err
		}
		after["publication"] = st.Publications
		if st.NothingToReport {
			after["nothing_to_report"] = true
		}
		if bypassed {
			after["single_approver"] = true
		}
	}
	now := s.now()
	st.State, st.Action, st.Actor, st.ChangedAt, st.Comment = Next(a), auditAction(a), actor.Name, now, comment
	st.ChangedBy = nil
	if actor.UserID != 0 {
		id := actor.UserID
		st.ChangedBy = &id
	}
	if err := tx.Save(st).Error; err != nil {
		return err
	}
	after["state"] = st.State
	if err := audit.Record(tx, actor, audit.Change{Action: auditAction(a), Entity: "month", Key: st.Month.String(), Month: st.Month.String(),
		Before: map[string]any{"state": before}, After: after, Reason: comment}); err != nil {
		return err
	}
	if err := s.notify(tx, st.Month, a, actor, comment, p); err != nil {
		return err
	}
	// Publishing changes what the public sees; every move changes what staff see marked.
	return dataversion.Bump(tx)
}

// auditAction is how the audit log and the month's state name an action:
// "nothing to report" is a publication, marked as such.
func auditAction(a Action) string {
	if a == NothingToReport {
		return string(Publish)
	}
	return string(a)
}

// publish checks that the month may be published (checkPublish) and that
// each of its flagged figures is confirmed (settleFlags, which records the
// reasons p gives), and copies its figures, and their totals, over its
// previous snapshot: for "nothing to report", none, so the public sees no
// figures for it.
func (s *Store) publish(tx *gorm.DB, actor audit.Actor, st *MonthState, a Action, comment string, p publishing) (bypassed bool, err error) {
	if bypassed, err = s.checkPublish(tx, actor, *st, a, p.single); err != nil {
		return false, err
	}
	if a == Publish {
		if err := s.settleFlags(tx, actor, st.Month, p.confirms, p.all); err != nil {
			return false, err
		}
	}
	if err := s.figures.Snapshot(tx, st.Month.String()); err != nil {
		return false, err
	}
	now := s.now()
	st.PublishedAt, st.PublishedBy = &now, actor.Name
	st.Publications++
	st.NothingToReport, st.NothingReason = a == NothingToReport, ""
	if st.NothingToReport {
		st.NothingReason = comment
	}
	return bypassed, nil
}

// checkPublish is every rule a publication of st by actor must pass, in the
// order a person can act on them: the months before it (the order rule), what
// the month holds (figures for a publication, none for "nothing to report",
// and no figure that fails a check), then who publishes (the four-eyes rule).
func (s *Store) checkPublish(tx *gorm.DB, actor audit.Actor, st MonthState, a Action, single bool) (bypassed bool, err error) {
	if err := s.checkOrder(tx, st.Month); err != nil {
		return false, err
	}
	found, err := s.figures.Inspect(tx, st.Month.String())
	if err != nil {
		return false, err
	}
	switch {
	case a == Publish && found.Rows == 0:
		return false, &apperr.Error{Kind: apperr.Conflict, Msg: i18n.M("approval.publish.empty", "month", st.Month), Err: errEmpty}
	case a == NothingToReport && found.Rows > 0:
		return false, &apperr.Error{Kind: apperr.Conflict, Err: errHasFigures,
			Msg: i18n.M("approval.nothing.has_figures", "month", st.Month, "count", found.Rows)}
	}
	if problems := found.problems(); len(problems) > 0 {
		return false, &apperr.Error{Kind: apperr.Conflict, Err: errChecks,
			Msg: i18n.M("approval.publish.failed", "month", st.Month, "problems", joinProblems(problems))}
	}
	return s.checkFourEyes(tx, actor, st.Month, single)
}

// CheckPublish says, before anyone acts, whether actor with role may take a
// publishing action (Publish or NothingToReport) on month m now: nil, or the
// refusal Do would give (the state machine, the order rule with the earlier
// month that blocks and who can act on it, the month's figures, the four-eyes
// rule with who else can publish). The flags are not among them: the
// publisher confirms those in the act (Flags, PublishConfirming). It changes
// nothing.
func (s *Store) CheckPublish(ctx context.Context, actor audit.Actor, role users.Role, m month.Month, a Action) error {
	if !publishes(a) {
		return apperr.New(apperr.Invalid, "approval.no_such_action", "action", string(a))
	}
	tx := s.db.R.WithContext(ctx)
	st, err := StateOf(tx, m)
	if err != nil {
		return err
	}
	if err := Decide(m, st.State, a, role); err != nil {
		return err
	}
	_, err = s.checkPublish(tx, actor, st, a, false)
	return err
}

// RangeOptions are how PublishRange publishes.
type RangeOptions struct {
	Comment string // kept with each publication in the audit log; the reason, for "nothing to report"
	// SingleApprover sets the four-eyes rule aside, for loading official
	// history; each publication's audit entry says so.
	SingleApprover bool
	// NothingToReport publishes the range's months that have no figures as
	// "nothing to report", with Comment as the reason.
	NothingToReport bool
	// ConfirmFlags, when not empty, is the reason every figure flagged as far
	// from its recent level that no confirmation covers yet is confirmed
	// with, one confirmation (and audit entry) per flag. Without it, a month
	// with such a flag stops the range, naming its flags.
	ConfirmFlags string
}

// RangeResult is what publishing a range of months did to each month.
type RangeResult struct {
	Published []string // published now, with their figures
	Nothing   []string // published now as "nothing to report"
	Already   []string // published before, left as they were
	Skipped   []string // no figures and outside every target's window, left as they were
	// Stopped is why the first month that could not be published was refused
	// (an apperr error naming it); the months after it were not tried. Nil
	// when every month was published or left as it was.
	Stopped   error
	StoppedAt month.Month
}

// PublishRange publishes the months from..to in month order, whether open or
// submitted: the command-line path for loading years of already official
// history. It applies the same rules as Do's publication (the order rule, the
// publish checks, the four-eyes rule unless SingleApprover), and stops at the
// first month it cannot publish. A month with no figures is published as
// "nothing to report" when asked to; otherwise it stops the range, unless it
// lies outside every target's window (history before the plan), where it is
// skipped. Each month is its own transaction, so the months before the one
// that stopped stay published.
func (s *Store) PublishRange(ctx context.Context, actor audit.Actor, from, to month.Month, opts RangeOptions) (RangeResult, error) {
	var res RangeResult
	opts.Comment, opts.ConfirmFlags = strings.TrimSpace(opts.Comment), strings.TrimSpace(opts.ConfirmFlags)
	needs := ""
	if opts.NothingToReport {
		needs = "nothing"
	}
	if err := checkComment(needs, opts.Comment); err != nil {
		return res, err
	}
	if len(opts.ConfirmFlags) > maxComment {
		var v apperr.ValidationError
		v.AddMsg("confirm_flags", i18n.M("approval.field.flags_reason"), i18n.M("approval.comment.too_long", "max", maxComment))
		return res, &v
	}
	if from > to {
		var v apperr.ValidationError
		v.AddMsg("range", i18n.M("approval.field.months"), i18n.M("approval.range.backwards", "from", from, "to", to))
		return res, &v
	}
	for _, m := range month.Range(from, to) {
		var outcome *[]string
		err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := SerializeWrites(tx); err != nil {
				return err
			}
			st, err := StateOf(tx, m)
			if err != nil {
				return err
			}
			if st.State == Published {
				outcome = &res.Already
				return nil
			}
			p := publishing{single: opts.SingleApprover, all: opts.ConfirmFlags}
			err = s.moveWith(tx, actor, &st, Publish, opts.Comment, p)
			outcome = &res.Published
			if errors.Is(err, errEmpty) {
				if opts.NothingToReport {
					err = s.moveWith(tx, actor, &st, NothingToReport, opts.Comment, p)
					outcome = &res.Nothing
				} else if ws, werr := windowsOf(tx); werr != nil {
					return werr
				} else if !ws.covers(m) {
					outcome, err = &res.Skipped, nil
				}
			}
			return err
		})
		if err != nil {
			if isRefusal(err) {
				res.Stopped, res.StoppedAt = err, m
				return res, nil
			}
			return res, err
		}
		*outcome = append(*outcome, m.String())
	}
	return res, nil
}

// isRefusal reports whether err is one of the rules refusing a publication.
func isRefusal(err error) bool {
	for _, e := range []error{errOrder, errEmpty, errHasFigures, errChecks, errFourEyes, errFlags} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// joinProblems makes one message of a month's problems: "a; b; c".
func joinProblems(ps []i18n.Msg) i18n.Msg {
	if len(ps) == 1 {
		return ps[0]
	}
	return i18n.M("approval.check.join", "first", ps[0], "rest", joinProblems(ps[1:]))
}
