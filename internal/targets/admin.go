package targets

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/dataversion"
	"hrx/internal/i18n"
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
	dirs := []string(t.Directions)
	if len(dirs) == 0 { // both, written as none
		dirs = []string{reference.IndiaToJapan, reference.JapanToIndia}
	}
	in := Input{Slug: t.Slug, NameEN: t.NameEN, NameJA: t.NameJA, NameHI: t.NameHI, Value: strconv.FormatInt(t.Value, 10),
		Start: t.Start.String(), End: t.End.String(), Directions: dirs, Categories: t.Categories, SkilledOnly: t.SkilledOnly, Published: t.Published}
	var lines []string
	for _, m := range t.Milestones {
		lines = append(lines, m.Month.String()+" "+strconv.FormatInt(m.Value, 10))
	}
	in.Milestones = strings.Join(lines, "\n")
	return in
}

// label is what the target form calls a field.
func label(field string) i18n.Msg { return i18n.M("admin.targets.field." + field) }

// parse checks the input and builds the target and its milestones.
func (in Input) parse(isNew bool, known func(kind, code string) bool) (Target, *apperr.ValidationError) {
	v := &apperr.ValidationError{}
	t := Target{Slug: strings.TrimSpace(in.Slug), NameEN: strings.TrimSpace(in.NameEN), NameJA: strings.TrimSpace(in.NameJA), NameHI: strings.TrimSpace(in.NameHI),
		Filter: Filter{SkilledOnly: in.SkilledOnly}, Published: in.Published}
	if isNew && !slugRe.MatchString(t.Slug) {
		v.AddMsg("slug", label("slug"), i18n.M("admin.targets.error.slug"))
	}
	if t.NameEN == "" {
		v.AddMsg("name_en", i18n.M("admin.field.name_en"), i18n.M("admin.targets.error.name_en"))
	}
	n, err := strconv.ParseInt(strings.NewReplacer(",", "", " ", "").Replace(strings.TrimSpace(in.Value)), 10, 64)
	if err != nil || n <= 0 || n > 100_000_000 {
		v.AddMsg("value", label("value"), i18n.M("admin.targets.error.value"))
	}
	t.Value = n
	start, startErr := month.Parse(strings.TrimSpace(in.Start))
	if startErr != nil {
		v.AddMsg("start", label("start"), i18n.M("admin.targets.error.start"))
	}
	end, endErr := month.Parse(strings.TrimSpace(in.End))
	if endErr != nil {
		v.AddMsg("end", label("end"), i18n.M("admin.targets.error.end"))
	}
	windowOK := startErr == nil && endErr == nil
	if windowOK && end < start {
		v.AddMsg("end", label("end"), i18n.M("admin.targets.error.end_before_start"))
	}
	t.Start, t.End = start, end
	for _, d := range in.Directions {
		if !known("direction", d) {
			v.AddMsg("directions", i18n.M("admin.targets.label.directions"), i18n.M("admin.targets.error.directions_unknown"))
		}
	}
	for _, c := range in.Categories {
		if !known("category", c) {
			v.AddMsg("categories", i18n.M("admin.targets.label.categories"), i18n.M("admin.targets.error.categories_unknown"))
		}
	}
	if len(in.Directions) == 0 {
		v.AddMsg("directions", i18n.M("admin.targets.label.directions"), i18n.M("admin.targets.error.directions_none"))
	}
	if len(in.Directions) < 2 {
		t.Directions = ParseCodes(strings.Join(in.Directions, ","))
	}
	t.Categories = ParseCodes(strings.Join(in.Categories, ","))
	seen := map[month.Month]bool{}
	for i, line := range strings.Split(in.Milestones, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		bad := func(id string, nameValues ...any) {
			v.AddMsg("milestones", label("milestones"), i18n.M("admin.targets.error.milestone.line", "line", i+1, "problem", i18n.M(id, nameValues...)))
		}
		if len(f) != 2 {
			bad("admin.targets.error.milestone.shape")
			continue
		}
		m, err := month.Parse(f[0])
		val, valErr := strconv.ParseInt(strings.ReplaceAll(f[1], ",", ""), 10, 64)
		switch {
		case err != nil:
			bad("admin.targets.error.milestone.month", "value", f[0])
		case valErr != nil || val < 0:
			bad("admin.targets.error.milestone.count", "value", f[1])
		case windowOK && (m < start || m > end):
			bad("admin.targets.error.milestone.outside", "month", m)
		case seen[m]:
			bad("admin.targets.error.milestone.twice", "month", m)
		default:
			seen[m] = true
			t.Milestones = append(t.Milestones, Milestone{Month: m, Value: val})
		}
	}
	sort.Slice(t.Milestones, func(i, j int) bool { return t.Milestones[i].Month < t.Milestones[j].Month })
	return t, v
}

func (t Target) auditView() map[string]any {
	return map[string]any{"name_en": t.NameEN, "name_ja": t.NameJA, "name_hi": t.NameHI, "value": t.Value, "start": t.Start.String(), "end": t.End.String(),
		"directions": t.Directions.String(), "categories": t.Categories.String(), "skilled_only": t.SkilledOnly, "published": t.Published, "milestones": t.Milestones}
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
			v.AddMsg("slug", label("slug"), i18n.M("admin.targets.error.slug_taken"))
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
		return dataversion.Bump(tx)
	})
	return t, err
}
