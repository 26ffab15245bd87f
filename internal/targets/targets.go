// Package targets holds the plan's targets and computes their progress from figure totals.
package targets

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/db"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/progress"
)

// Target is a number of people to reach within a window of months.
type Target struct {
	ID         int64
	Slug       string
	NameEN     string `gorm:"column:name_en"`
	NameJA     string `gorm:"column:name_ja"`
	NameHI     string `gorm:"column:name_hi"`
	Value      int64
	Start      month.Month `gorm:"column:start_month"` // the window's first month
	End        month.Month `gorm:"column:end_month"`   // the window's last month
	Filter                 // which people count: the columns directions, categories, skilled_only
	Published  bool
	Position   int
	Milestones []Milestone `gorm:"foreignKey:TargetID"`
}

// Milestone is a cumulative value due by the end of a month.
type Milestone struct {
	TargetID int64       `gorm:"primaryKey"`
	Month    month.Month `gorm:"primaryKey"`
	Value    int64
}

// TableName maps Milestone to its table.
func (Milestone) TableName() string { return "target_milestones" }

// Name is the target's name in a language, English when it has none there.
func (t Target) Name(l i18n.Lang) string {
	switch {
	case l == i18n.JA && t.NameJA != "":
		return t.NameJA
	case l == i18n.HI && t.NameHI != "":
		return t.NameHI
	}
	return t.NameEN
}

// Plan is the target in the form the progress arithmetic takes.
func (t Target) Plan() progress.Target {
	p := progress.Target{Value: t.Value, Start: t.Start, End: t.End}
	for _, m := range t.Milestones {
		p.Milestones = append(p.Milestones, progress.Milestone{Month: m.Month, Value: m.Value})
	}
	return p
}

// Store reads targets.
type Store struct{ db *db.DB }

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// List returns the targets in display order; only published ones unless all is set.
func (s *Store) List(ctx context.Context, all bool) ([]Target, error) {
	q := s.db.R.WithContext(ctx).Preload("Milestones", func(db *gorm.DB) *gorm.DB { return db.Order("month") }).Order("position, id")
	if !all {
		q = q.Where("published = ?", true)
	}
	var out []Target
	err := q.Find(&out).Error
	return out, err
}

// BySlug returns one target.
func (s *Store) BySlug(ctx context.Context, slug string) (Target, error) {
	var t Target
	err := s.db.R.WithContext(ctx).Preload("Milestones").Where("slug = ?", slug).First(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return t, apperr.ErrNotFound
	}
	return t, err
}
