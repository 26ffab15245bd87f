// Package settings holds what an administrator may change while HRX runs
// (the four-eyes rule, the plausibility thresholds): each setting has a name,
// a type, a default and its limits here, and a stored value only once someone
// changes it.
package settings

import (
	"context"
	"math"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/i18n"
)

// Kind is how a setting's value is written.
type Kind int

// The kinds of setting.
const (
	Bool   Kind = iota // on or off
	Number             // a decimal number between Min and Max
)

// Setting describes one setting: its name, kind, default and limits, and the
// catalog ids of its label and hint (settings.NAME.label, settings.NAME.hint).
type Setting struct {
	Name     string
	Kind     Kind
	Default  float64 // for Bool: 1 on, 0 off
	Min, Max float64
	Whole    bool // a Number that counts people or months: no fractions
}

// Label is the setting's name in words.
func (s Setting) Label() i18n.Msg { return i18n.M("settings." + s.Name + ".label") }

// Hint says what the setting does.
func (s Setting) Hint() i18n.Msg { return i18n.M("settings." + s.Name + ".hint") }

// The settings. Each is declared here, with its default and limits, so that
// the settings page lists everything that can be changed.
var (
	// FourEyes: the person who submitted a month, or changed its figures since
	// it was last published, may not publish it.
	FourEyes = Setting{Name: "four_eyes", Kind: Bool, Default: 1}
	// FlagRatio: a figure is flagged when it is more than this many times, or
	// less than one this-many-th of, both its recent median and the same month
	// a year before.
	FlagRatio = Setting{Name: "flag_ratio", Kind: Number, Default: 3, Min: 1.1, Max: 100}
	// FlagFloor: differences of fewer people than this are never flagged.
	FlagFloor = Setting{Name: "flag_floor", Kind: Number, Default: 20, Min: 0, Max: 1_000_000, Whole: true}
	// FlagHistory: how many earlier months with figures the median is taken over.
	FlagHistory = Setting{Name: "flag_history", Kind: Number, Default: 6, Min: 1, Max: 36, Whole: true}
	// FlagTotalJump: a month whose total moves more than this per cent from
	// the month before is flagged.
	FlagTotalJump = Setting{Name: "flag_total_jump", Kind: Number, Default: 50, Min: 1, Max: 10_000}
)

// registry is every setting, in the order the settings page lists them.
var registry = []Setting{FourEyes, FlagRatio, FlagFloor, FlagHistory, FlagTotalJump}

// All lists every setting.
func All() []Setting { return append([]Setting(nil), registry...) }

// row is a stored value.
type row struct {
	Name      string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
	UpdatedBy string
}

func (row) TableName() string { return "settings" }

// Store reads and changes settings.
type Store struct {
	db  *db.DB
	now func() time.Time
}

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store {
	return &Store{db: d, now: func() time.Time { return time.Now().UTC() }}
}

// Values are the settings as they are now, defaults included.
type Values map[string]float64

// Bool is a Bool setting's value.
func (v Values) Bool(s Setting) bool { return v.Number(s) != 0 }

// Number is a Number setting's value.
func (v Values) Number(s Setting) float64 {
	if x, ok := v[s.Name]; ok {
		return x
	}
	return s.Default
}

// Load reads every setting (on the reader pool, or on tx when it is given,
// so that a check inside a write sees the same values it decides with).
func (st *Store) Load(ctx context.Context, tx *gorm.DB) (Values, error) {
	q := tx
	if q == nil {
		q = st.db.R.WithContext(ctx)
	}
	var rows []row
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	out := Values{}
	for _, r := range rows {
		if f, err := strconv.ParseFloat(r.Value, 64); err == nil {
			out[r.Name] = f
		}
	}
	return out, nil
}

// Set changes settings by name from form text ("on"/"" for Bool, a number
// for Number), all or none, recording each change in the audit log. Unknown
// names are refused.
func (st *Store) Set(ctx context.Context, actor audit.Actor, in map[string]string) error {
	v := &apperr.ValidationError{}
	parsed := map[string]float64{}
	for _, s := range registry {
		text, ok := in[s.Name]
		switch s.Kind {
		case Bool:
			parsed[s.Name] = 0
			if ok && (text == "on" || text == "true" || text == "1") {
				parsed[s.Name] = 1
			}
		case Number:
			if !ok {
				continue
			}
			f, err := strconv.ParseFloat(text, 64)
			if s.Whole && (err != nil || math.IsNaN(f) || f < s.Min || f > s.Max || f != math.Trunc(f)) {
				v.AddMsg(s.Name, s.Label(), i18n.M("settings.invalid.whole", "min", int64(s.Min), "max", int64(s.Max)))
				continue
			}
			if err != nil || math.IsNaN(f) || f < s.Min || f > s.Max {
				v.AddMsg(s.Name, s.Label(), i18n.M("settings.invalid.number", "min", s.Min, "max", s.Max))
				continue
			}
			parsed[s.Name] = f
		}
	}
	for name := range in {
		if _, ok := parsed[name]; !ok && v.For(name).IsZero() && find(name) == nil {
			return apperr.New(apperr.Invalid, "settings.invalid.unknown", "name", name)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	return st.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := st.Load(ctx, tx)
		if err != nil {
			return err
		}
		for _, s := range registry {
			val, ok := parsed[s.Name]
			if !ok || val == old.Number(s) {
				continue
			}
			r := row{Name: s.Name, Value: strconv.FormatFloat(val, 'f', -1, 64), UpdatedAt: st.now(), UpdatedBy: actor.Name}
			if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&r).Error; err != nil {
				return err
			}
			if err := audit.Record(tx, actor, audit.Change{Action: "update", Entity: "setting", Key: s.Name,
				Before: map[string]any{"value": old.Number(s)}, After: map[string]any{"value": val}}); err != nil {
				return err
			}
		}
		return nil
	})
}

func find(name string) *Setting {
	for i := range registry {
		if registry[i].Name == name {
			return &registry[i]
		}
	}
	return nil
}
