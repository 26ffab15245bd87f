package approval

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/plausibility"
	"hrx/internal/reference"
)

// Flags at publication: a figure far from its recent level (package
// plausibility) is published only once the publisher has confirmed it with a
// reason. A confirmation holds for the flag's key and the value it was given
// for, so a figure changed after it was confirmed needs confirming again,
// while one left as it was stays confirmed when the month is reopened and
// published again. Each confirmation is kept (flag_confirmations) and
// written to the audit log under the flag's key, which for a cell is the
// cell's key: its history shows it.

// errFlags marks a refusal because a flagged figure is not confirmed.
var errFlags = errors.New("flagged figures not confirmed")

// Confirmation is the reason a publisher gives for publishing a flagged
// figure as it is.
type Confirmation struct {
	Key    string // the flag's key: plausibility.Flag.Key
	Value  int64  // the figure as the person saw it when they gave the reason
	Reason string
}

// FlagConfirmation is a confirmation as it is kept: which flag, at which
// value, why, who and when.
type FlagConfirmation struct {
	ID          int64
	Month       month.Month
	FlagKey     string
	Value       int64
	Reason      string
	UserID      *int64
	Actor       string
	ConfirmedAt time.Time
}

// TableName maps FlagConfirmation to its table.
func (FlagConfirmation) TableName() string { return "flag_confirmations" }

// FlagState is one of a month's flags with the confirmation that covers it.
type FlagState struct {
	plausibility.Flag
	// Confirmed is the latest confirmation of this flag at its value; nil
	// when the month cannot be published before someone gives a reason.
	Confirmed *FlagConfirmation
}

// Flags returns month m's flags as its figures are now, each with the
// confirmation that covers it, for a page to ask a reason for each of the
// others before publishing.
func (s *Store) Flags(ctx context.Context, m month.Month) ([]FlagState, error) {
	return s.flagStates(ctx, s.db.R.WithContext(ctx), m)
}

// ReasonField is the form field, and the HTML id, of a flag's reason:
// "reason-2025-10-IN-JP-engineer". A validation error names it.
func ReasonField(key string) string { return "reason-" + strings.ReplaceAll(key, "/", "-") }

// FlagLabel names what a flag is about: "India to Japan, engineer" (the
// category by its code: the domain has no reader to name it for), or "the
// month's total".
func FlagLabel(f plausibility.Flag) i18n.Msg {
	if f.Kind == plausibility.TotalFlag {
		return i18n.M("approval.flags.total")
	}
	dir := reference.DirectionMsg(f.Cell.Direction)
	if dir.IsZero() {
		dir = i18n.Text(f.Cell.Direction)
	}
	return i18n.M("approval.flags.cell", "direction", dir, "category", f.Cell.Category)
}

func (s *Store) flagStates(ctx context.Context, tx *gorm.DB, m month.Month) ([]FlagState, error) {
	flags, err := s.flags.Month(ctx, tx, m)
	if err != nil || len(flags) == 0 {
		return nil, err
	}
	var kept []FlagConfirmation
	if err := tx.Where("month = ?", m).Order("id DESC").Find(&kept).Error; err != nil {
		return nil, err
	}
	out := make([]FlagState, len(flags))
	for i, f := range flags {
		out[i] = FlagState{Flag: f}
		for j := range kept {
			if kept[j].FlagKey == f.Key() && kept[j].Value == f.Value {
				out[i].Confirmed = &kept[j]
				break
			}
		}
	}
	return out, nil
}

// settleFlags, in a publication's transaction, records the reasons given for
// month m's flags that no confirmation covers yet (each in the audit log),
// or the one reason all gives every such flag (PublishRange), and refuses
// while any flag is left without one: an *apperr.ValidationError for a
// reason given empty or too long (its field is ReasonField), an
// apperr.Conflict error naming the flags no reason was given for, or whose
// figure changed after the reason was written.
func (s *Store) settleFlags(tx *gorm.DB, actor audit.Actor, m month.Month, given []Confirmation, all string) error {
	states, err := s.flagStates(tx.Statement.Context, tx, m)
	if err != nil {
		return err
	}
	byKey := make(map[string]Confirmation, len(given))
	for _, c := range given {
		byKey[c.Key] = c
	}
	var v apperr.ValidationError
	var open []i18n.Msg
	for _, st := range states {
		if st.Confirmed != nil {
			continue
		}
		c, ok := byKey[st.Key()]
		reason := strings.TrimSpace(c.Reason)
		switch {
		case ok && c.Value != st.Value:
			open = append(open, i18n.M("approval.flags.changed", "flag", FlagLabel(st.Flag), "was", c.Value, "value", st.Value))
			continue
		case ok && reason == "":
			v.AddMsg(ReasonField(st.Key()), i18n.M("approval.flags.reason_label", "flag", FlagLabel(st.Flag)), i18n.M("approval.flags.reason_missing"))
			continue
		case ok && len(reason) > maxComment:
			v.AddMsg(ReasonField(st.Key()), i18n.M("approval.flags.reason_label", "flag", FlagLabel(st.Flag)), i18n.M("approval.comment.too_long", "max", maxComment))
			continue
		case !ok && all != "":
			reason = all
		case !ok:
			open = append(open, i18n.M("approval.flags.item", "flag", FlagLabel(st.Flag), "value", st.Value))
			continue
		}
		if err := s.confirmFlag(tx, actor, m, st.Flag, reason); err != nil {
			return err
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if len(open) > 0 {
		return &apperr.Error{Kind: apperr.Conflict, Err: errFlags,
			Msg: i18n.M("approval.flags.unconfirmed", "month", m, "count", len(open), "flags", open)}
	}
	return nil
}

// confirmFlag keeps one confirmation and writes it to the audit log, keyed
// like the cell's other entries so that the cell's history shows it.
func (s *Store) confirmFlag(tx *gorm.DB, actor audit.Actor, m month.Month, f plausibility.Flag, reason string) error {
	c := FlagConfirmation{Month: m, FlagKey: f.Key(), Value: f.Value, Reason: reason, Actor: actor.Name, ConfirmedAt: s.now()}
	if actor.UserID != 0 {
		id := actor.UserID
		c.UserID = &id
	}
	if err := tx.Create(&c).Error; err != nil {
		return err
	}
	return audit.Record(tx, actor, audit.Change{Action: "confirm", Entity: "flag", Key: f.Key(), Month: m.String(),
		After: map[string]any{"total": f.Value, "up": f.Up, "kind": string(f.Kind)}, Reason: reason})
}

// FlagsUnconfirmed reports whether err refused a publication because a
// flagged figure has no confirmation, for the command line to say how to give one.
func FlagsUnconfirmed(err error) bool { return errors.Is(err, errFlags) }
