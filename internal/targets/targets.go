// Package targets holds the plan's targets and computes their progress from figure totals.
package targets

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/db"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/progress"
)

// Target is a number of people to reach within a window of months.
type Target struct {
	ID          int64
	Slug        string
	NameEN      string `gorm:"column:name_en"`
	NameJA      string `gorm:"column:name_ja"`
	NameHI      string `gorm:"column:name_hi"`
	Value       int64
	StartMonth  string
	EndMonth    string
	Directions  string // comma-separated direction codes; empty for both
	Categories  string // comma-separated category codes; empty for all (or all skilled)
	SkilledOnly bool
	Published   bool
	Position    int
	Milestones  []Milestone `gorm:"foreignKey:TargetID"`
}

// Milestone is a cumulative value due by the end of a month.
type Milestone struct {
	TargetID int64  `gorm:"primaryKey"`
	Month    string `gorm:"primaryKey"`
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

// Start is the window's first month.
func (t Target) Start() month.Month { m, _ := month.Parse(t.StartMonth); return m }

// End is the window's last month.
func (t Target) End() month.Month { m, _ := month.Parse(t.EndMonth); return m }

func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// DirectionList is the directions counted; empty for both.
func (t Target) DirectionList() []string { return list(t.Directions) }

// CategoryList is the categories counted; empty for all (or all skilled ones).
func (t Target) CategoryList() []string { return list(t.Categories) }

// IncludesDirection reports whether people moving in a direction can count toward the target.
func (t Target) IncludesDirection(direction string) bool {
	ds := t.DirectionList()
	return len(ds) == 0 || contains(ds, direction)
}

// Counts reports whether people of a direction and category count toward the target.
func (t Target) Counts(direction, category string, skilled bool) bool {
	if !t.IncludesDirection(direction) {
		return false
	}
	if cs := t.CategoryList(); len(cs) > 0 && !contains(cs, category) {
		return false
	}
	return !t.SkilledOnly || skilled
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// Plan is the target in the form the progress arithmetic takes.
func (t Target) Plan() progress.Target {
	p := progress.Target{Value: t.Value, Start: t.Start(), End: t.End()}
	for _, m := range t.Milestones {
		if mm, err := month.Parse(m.Month); err == nil {
			p.Milestones = append(p.Milestones, progress.Milestone{Month: mm, Value: m.Value})
		}
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
