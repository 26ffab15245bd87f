package approval

import (
	"sort"
	"time"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/dataversion"
	"hrx/internal/i18n"
	"hrx/internal/month"
)

// States of a month. A month with no row in month_states is open.
const (
	Open      = "open"
	Submitted = "submitted"
	Published = "published"
)

// MonthState is where a month is in its approval, and who moved it there.
type MonthState struct {
	Month        month.Month `gorm:"primaryKey"`
	State        string
	ChangedBy    *int64
	Actor        string // who moved it last, by name
	Action       string // the last move: submit, publish, return or reopen
	ChangedAt    time.Time
	Comment      string // the last return comment or reopen reason
	PublishedAt  *time.Time
	PublishedBy  string
	Publications int // how many times it has been published; more than one means revised
	// NothingToReport says the month's last publication was a statement that
	// it has no figures (who: PublishedBy, when: PublishedAt, why:
	// NothingReason): the public sees "no figures reported", never a zero. It
	// stays while the month is reopened, as the public still sees that.
	NothingToReport bool
	NothingReason   string
}

// TableName maps MonthState to its table.
func (MonthState) TableName() string { return "month_states" }

// OpenState is the state of a month nobody has moved yet.
func OpenState(m month.Month) MonthState { return MonthState{Month: m, State: Open} }

// Locked reports whether figures of the month may not change.
func (s MonthState) Locked() bool { return s.State == Submitted || s.State == Published }

// Revised reports whether the month was published, reopened and published again.
func (s MonthState) Revised() bool { return s.Publications > 1 }

// EverPublished reports whether the public has seen figures of the month.
func (s MonthState) EverPublished() bool { return s.Publications > 0 }

// Public reports whether the public sees the month: published now, or
// reopened for revision while the public keeps its last publication.
func (s MonthState) Public() bool { return s.State == Published || s.Publications > 0 }

// LockMsg says why a locked month cannot change and who can unlock it:
// "October 2025 was published by … on …; ask an approver to reopen it".
// It is zero for an open month.
func (s MonthState) LockMsg() i18n.Msg {
	var who any = s.Actor
	if s.Actor == "" {
		who = i18n.M("month.locked.someone")
	}
	switch s.State {
	case Published:
		return i18n.M("month.locked.published", "month", s.Month, "who", who, "when", s.ChangedAt)
	case Submitted:
		return i18n.M("month.locked.submitted", "month", s.Month, "who", who, "when", s.ChangedAt)
	}
	return i18n.Msg{}
}

// lockedError is the refusal of a change to months that are submitted or
// published (an apperr.Locked error): each month's reason, then that nothing
// was saved.
func lockedError(states []MonthState) error {
	reasons := make([]i18n.Msg, len(states))
	for i, s := range states {
		reasons[i] = s.LockMsg()
	}
	return &apperr.Error{Kind: apperr.Locked, Msg: i18n.M("month.locked.nothing_saved", "reasons", sentences(reasons))}
}

// sentences joins messages into one, each a sentence of its own, in the
// reader's punctuation (". " in English, "。" in Japanese, "। " in Hindi).
func sentences(ms []i18n.Msg) i18n.Msg {
	switch len(ms) {
	case 0:
		return i18n.Msg{}
	case 1:
		return ms[0]
	}
	return i18n.M("month.sentences", "first", ms[0], "rest", sentences(ms[1:]))
}

// LockedMonths returns the states of those of the months (written YYYY-MM,
// as figures carry them) that are locked, in month order.
func LockedMonths(tx *gorm.DB, months []string) ([]MonthState, error) {
	if len(months) == 0 {
		return nil, nil
	}
	var out []MonthState
	// In chunks: a file may cover many years of months.
	for i := 0; i < len(months); i += 500 {
		var part []MonthState
		if err := tx.Where("month IN ? AND state <> ?", months[i:min(i+500, len(months))], Open).Find(&part).Error; err != nil {
			return nil, err
		}
		out = append(out, part...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Month < out[j].Month })
	return out, nil
}

// AllLocked returns the state of every month that is locked now, by the
// month written YYYY-MM, as the figures a file holds look it up.
func AllLocked(tx *gorm.DB) (map[string]MonthState, error) {
	var list []MonthState
	if err := tx.Where("state <> ?", Open).Find(&list).Error; err != nil {
		return nil, err
	}
	out := make(map[string]MonthState, len(list))
	for _, s := range list {
		out[s.Month.String()] = s
	}
	return out, nil
}

// SerializeWrites makes the transaction wait for, and then hold off, every
// other transaction that writes figures or moves a month, until it ends; so a
// month cannot be published between a writer's check that it is open and the
// writer's commit. Every month move and every writer of figures (through
// CheckOpen) takes it first, before reading any state, so they all queue on
// the one lock (dataversion.Lock) in the same order.
func SerializeWrites(tx *gorm.DB) error { return dataversion.Lock(tx) }

// CheckOpen returns an apperr.Locked error when any of the months is locked.
// Call it inside the transaction that writes, before writing, so no state
// change slips in between.
func CheckOpen(tx *gorm.DB, months ...string) error {
	if err := SerializeWrites(tx); err != nil {
		return err
	}
	return OpenNow(tx, months...)
}

// OpenNow is CheckOpen without the lock, for asking before a change whether
// it would be refused now (an import's confirmation page); the change itself
// checks again with CheckOpen.
func OpenNow(tx *gorm.DB, months ...string) error {
	locked, err := LockedMonths(tx, months)
	if err != nil {
		return err
	}
	if len(locked) > 0 {
		return lockedError(locked)
	}
	return nil
}

// StateOf returns one month's state (open when nobody has moved it).
func StateOf(tx *gorm.DB, m month.Month) (MonthState, error) {
	var out []MonthState
	if err := tx.Where("month = ?", m).Limit(1).Find(&out).Error; err != nil {
		return MonthState{}, err
	}
	if len(out) == 0 {
		return OpenState(m), nil
	}
	return out[0], nil
}
