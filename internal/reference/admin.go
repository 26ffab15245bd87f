package reference

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/dataversion"
	"hrx/internal/i18n"
)

var codeRe = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// The longest name and description a category may have, in characters.
const (
	maxName        = 200
	maxDescription = 1000
)

// CategoryInput is what the category form sends.
type CategoryInput struct {
	Code, NameEN, NameJA, NameHI, DescriptionEN string
	Skilled, Retired                            bool
}

func (in *CategoryInput) validate(isNew bool) *apperr.ValidationError {
	v := &apperr.ValidationError{}
	in.Code = strings.TrimSpace(in.Code)
	in.NameEN, in.NameJA, in.NameHI = strings.TrimSpace(in.NameEN), strings.TrimSpace(in.NameJA), strings.TrimSpace(in.NameHI)
	if isNew && !codeRe.MatchString(in.Code) {
		v.AddMsg("code", i18n.M("admin.categories.field.code"), i18n.M("admin.categories.error.code"))
	}
	if in.NameEN == "" {
		v.AddMsg("name_en", i18n.M("admin.field.name_en"), i18n.M("admin.categories.error.name_en"))
	}
	for _, f := range []struct{ field, value string }{{"name_en", in.NameEN}, {"name_ja", in.NameJA}, {"name_hi", in.NameHI}} {
		if len([]rune(f.value)) > maxName && v.For(f.field).IsZero() {
			v.AddMsg(f.field, i18n.M("admin.field."+f.field), i18n.M("admin.categories.error.name_long", "max", maxName))
		}
	}
	if len([]rune(in.DescriptionEN)) > maxDescription {
		v.AddMsg("description_en", i18n.M("admin.categories.field.description_en"), i18n.M("admin.categories.error.description_long", "max", maxDescription))
	}
	return v
}

func (c Category) auditView() map[string]any {
	return map[string]any{"name_en": c.NameEN, "name_ja": c.NameJA, "name_hi": c.NameHI, "skilled": c.Skilled, "retired": c.Retired, "description_en": c.DescriptionEN}
}

// SaveCategory adds a category (isNew) or changes one. Categories are never
// deleted: one no longer used is retired, and keeps the figures it has. A change
// moves the data version, so progress follows at once (the skilled flag matters).
func (s *Store) SaveCategory(ctx context.Context, actor audit.Actor, in CategoryInput, isNew bool) (Category, error) {
	if v := in.validate(isNew); !v.Empty() {
		return Category{}, v
	}
	var c Category
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var before map[string]any
		if isNew {
			var n int64
			if err := tx.Model(&Category{}).Where("code = ?", in.Code).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				v := &apperr.ValidationError{}
				v.AddMsg("code", i18n.M("admin.categories.field.code"), i18n.M("admin.categories.error.code_taken"))
				return v
			}
			var pos int
			tx.Model(&Category{}).Select("COALESCE(MAX(position), 0)").Scan(&pos)
			c = Category{Code: in.Code, Position: pos + 1}
		} else {
			if err := tx.Where("code = ?", in.Code).First(&c).Error; err != nil {
				if errors.Is(err, gorm.ErrRecordNotFound) {
					return apperr.ErrNotFound
				}
				return err
			}
			before = c.auditView()
		}
		c.NameEN, c.NameJA, c.NameHI, c.DescriptionEN, c.Skilled, c.Retired = in.NameEN, in.NameJA, in.NameHI, in.DescriptionEN, in.Skilled, in.Retired
		if err := tx.Save(&c).Error; err != nil {
			return err
		}
		action := "update"
		if isNew {
			action = "create"
		}
		if err := audit.Record(tx, actor, audit.Change{Action: action, Entity: "category", Key: c.Code, Before: nilIfEmpty(before), After: c.auditView()}); err != nil {
			return err
		}
		return dataversion.Bump(tx)
	})
	return c, err
}

func nilIfEmpty(m map[string]any) any {
	if m == nil {
		return nil
	}
	return m
}
