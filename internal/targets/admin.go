package targets

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/reference"
)

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,59}$`)

// Input is what the target form sends; numbers and months as typed.
type Input struct {
	Slug, NameEN, NameJA, NameHI string
	Value, Start, End            string
	Directions, Categories       []string
	SkilledOnly, Published       bool
	Milestones                   string // one "YYYY-MM value" a line
}

// InputOf fills the form from a target.
func InputOf(t Target) Input {
	dirs := t.DirectionList()
	if len(dirs) == 0 { // both, written as none
		dirs = []string{reference.IndiaToJapan, reference.JapanToIndia}
	}
	in := Input{Slug: t.Slug, NameEN: t.NameEN, NameJA: t.NameJA, NameHI: t.NameHI, Value: strconv.FormatInt(t.Value, 10),
		Start: t.StartMonth, End: t.EndMonth, Directions: dirs, Categories: t.CategoryList(), SkilledOnly: t.SkilledOnly, Published: t.Published}
	var lines []string
	for _, m := range t.Milestones {
		lines = append(lines, m.Month+" "+strconv.FormatInt(m.Value, 10))
	}
	in.Milestones = strings.Join(lines, "\n")
	return in
}

// parse checks the input and builds the target and its milestones.
func (in Input) parse(isNew bool, known func(kind, code string) bool) (Target, *apperr.ValidationError) {
	v := &apperr.ValidationError{}
	t := Target{Slug: strings.TrimSpace(in.Slug), NameEN: strings.TrimSpace(in.NameEN), NameJA: strings.TrimSpace(in.NameJA), NameHI: strings.TrimSpace(in.NameHI),
		SkilledOnly: in.SkilledOnly, Published: in.Published}
	if isNew && !slugRe.MatchString(t.Slug) {
		v.Add("slug", "Address", "Enter 2 to 60 lower-case letters, digits or hyphens, like women-in-it; it becomes /targets/women-in-it")
	}
	if t.NameEN == "" {
		v.Add("name_en", "English name", "Enter the target's English name")
	}
	n, err := strconv.ParseInt(strings.NewReplacer(",", "", " ", "").Replace(strings.TrimSpace(in.Value)), 10, 64)
	if err != nil || n <= 0 || n > 100_000_000 {
		v.Add("value", "Target", "Enter the number of people to reach, a whole number above 0")
	}
	t.Value = n
	start, err1 := month.Parse(strings.TrimSpace(in.Start))
	if err1 != nil {
		v.Add("start", "First month", "Enter the first month of the window as YYYY-MM, for example 2025-09")
	}
	end, err2 := month.Parse(strings.TrimSpace(in.End))
	if err2 != nil {
		v.Add("end", "Last month", "Enter the last month of the window as YYYY-MM, for example 2030-08")
	}
	if err1 == nil && err2 == nil && end < start {
		v.Add("end", "Last month", "The last month must not come before the first month")
	}
	t.StartMonth, t.EndMonth = start.String(), end.String()
	for _, d := range in.Directions {
		if !known("direction", d) {
			v.Add("directions", "Directions", "Choose directions from the list")
		}
	}
	for _, c := range in.Categories {
		if !known("category", c) {
			v.Add("categories", "Categories", "Choose categories from the list")
		}
	}
	if len(in.Directions) == 0 {
		v.Add("directions", "Directions", "Choose at least one direction")
	}
	if len(in.Directions) < 2 {
		t.Directions = strings.Join(in.Directions, ",")
	}
	t.Categories = strings.Join(in.Categories, ",")
	seen := map[string]bool{}
	for i, line := range strings.Split(in.Milestones, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		bad := func(msg string) { v.Add("milestones", "Milestones", fmt.Sprintf("Line %d: %s", i+1, msg)) }
		if len(f) != 2 {
			bad("write a month and a cumulative number of people, like 2027-08 200000")
			continue
		}
		m, err := month.Parse(f[0])
		val, err2 := strconv.ParseInt(strings.ReplaceAll(f[1], ",", ""), 10, 64)
		switch {
		case err != nil:
			bad(f[0] + " is not a month; write YYYY-MM")
		case err2 != nil || val < 0:
			bad(f[1] + " is not a number of people")
		case err1 == nil && err2 == nil && (m < start || m > end):
			bad(f[0] + " is outside the target's window")
		case seen[m.String()]:
			bad(f[0] + " appears twice")
		default:
			seen[m.String()] = true
			t.Milestones = append(t.Milestones, Milestone{Month: m.String(), Value: val})
		}
	}
	sort.Slice(t.Milestones, func(i, j int) bool { return t.Milestones[i].Month < t.Milestones[j].Month })
	return t, v
}

func (t Target) auditView() map[string]any {
	return map[string]any{"name_en": t.NameEN, "name_ja": t.NameJA, "name_hi": t.NameHI, "value": t.Value, "start": t.StartMonth, "end": t.EndMonth,
		"directions": t.Directions, "categories": t.Categories, "skilled_only": t.SkilledOnly, "published": t.Published, "milestones": t.Milestones}
}

// Save adds (isNew) or changes a target and its milestones; the change is
// audited and moves the data version, so progress follows at once.
func (s *Store) Save(ctx context.Context, actor audit.Actor, in Input, isNew bool, known func(kind, code string) bool) (Target, error) {
	t, v := in.parse(isNew, known)
	if !v.Empty() {
		return t, v
	}
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old Target
		err := tx.Preload("Milestones").Where("slug = ?", t.Slug).First(&old).Error
		switch {
		case isNew && err == nil:
			v := &apperr.ValidationError{}
			v.Add("slug", "Address", "A target with this address exists already")
			return v
		case !isNew && errors.Is(err, gorm.ErrRecordNotFound):
			return apperr.ErrNotFound
		case err != nil && !errors.Is(err, gorm.ErrRecordNotFound):
			return err
		}
		var before any
		if isNew {
			var pos int
			tx.Model(&Target{}).Select("COALESCE(MAX(position), 0)").Scan(&pos)
			t.Position = pos + 1
		} else {
			before = old.auditView()
			t.ID, t.Position = old.ID, old.Position
		}
		ms := t.Milestones
		t.Milestones = nil
		if err := tx.Omit("Milestones").Save(&t).Error; err != nil {
			return err
		}
		if err := tx.Where("target_id = ?", t.ID).Delete(&Milestone{}).Error; err != nil {
			return err
		}
		for i := range ms {
			ms[i].TargetID = t.ID
		}
		if len(ms) > 0 {
			if err := tx.Create(&ms).Error; err != nil {
				return err
			}
		}
		t.Milestones = ms
		action := "update"
		if isNew {
			action = "create"
		}
		if err := audit.Record(tx, actor, audit.Change{Action: action, Entity: "target", Key: t.Slug, Before: before, After: t.auditView()}); err != nil {
			return err
		}
		return figures.BumpVersion(tx)
	})
	return t, err
}
