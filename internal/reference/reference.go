// Package reference holds the lists figures are coded against: directions,
// categories, sectors and regions.
package reference

import (
	"context"

	"hrx/internal/db"
	"hrx/internal/i18n"
)

// Direction codes.
const (
	IndiaToJapan = "IN-JP"
	JapanToIndia = "JP-IN"
)

// Direction is one way people move.
type Direction struct {
	Code   string
	NameEN string
}

// Directions lists both directions in display order.
var Directions = []Direction{{IndiaToJapan, "India to Japan"}, {JapanToIndia, "Japan to India"}}

// DirectionName is a direction's English name ("India to Japan"), to be translated; "" when unknown.
func DirectionName(code string) string {
	for _, d := range Directions {
		if d.Code == code {
			return d.NameEN
		}
	}
	return ""
}

// DirectionMsg is a direction's name in the reader's words ("India to
// Japan", "インドから日本"); zero when the code is not a direction.
func DirectionMsg(code string) i18n.Msg {
	switch code {
	case IndiaToJapan:
		return i18n.M("admin.direction.in_jp")
	case JapanToIndia:
		return i18n.M("admin.direction.jp_in")
	}
	return i18n.Msg{}
}

// Category is a kind of movement.
type Category struct {
	Code          string `gorm:"primaryKey"`
	Skilled       bool
	NameEN        string `gorm:"column:name_en"`
	NameJA        string `gorm:"column:name_ja"`
	NameHI        string `gorm:"column:name_hi"`
	DescriptionEN string `gorm:"column:description_en"`
	Position      int
	Retired       bool
}

// Name is the category's name in a language, English when it has none there.
func (c Category) Name(l i18n.Lang) string { return pick(l, c.NameEN, c.NameJA, c.NameHI) }

// Sector is an economic sector for breakdowns.
type Sector struct {
	Code     string `gorm:"primaryKey"`
	SSWField bool   `gorm:"column:ssw_field"`
	NameEN   string `gorm:"column:name_en"`
	NameJA   string `gorm:"column:name_ja"`
	NameHI   string `gorm:"column:name_hi"`
	Position int
}

// Name is the sector's name in a language.
func (s Sector) Name(l i18n.Lang) string { return pick(l, s.NameEN, s.NameJA, s.NameHI) }

// Region is an Indian state or union territory or a Japanese prefecture (ISO 3166-2).
type Region struct {
	Code      string `gorm:"primaryKey"`
	Country   string
	NameEN    string `gorm:"column:name_en"`
	NameLocal string `gorm:"column:name_local"`
	Position  int
}

func pick(l i18n.Lang, en, ja, hi string) string {
	switch {
	case l == i18n.JA && ja != "":
		return ja
	case l == i18n.HI && hi != "":
		return hi
	}
	return en
}

// Store reads the reference lists.
type Store struct{ db *db.DB }

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// Categories returns every category in display order.
func (s *Store) Categories(ctx context.Context) ([]Category, error) {
	var out []Category
	err := s.db.R.WithContext(ctx).Order("position, code").Find(&out).Error
	return out, err
}

// Sectors returns every sector in display order.
func (s *Store) Sectors(ctx context.Context) ([]Sector, error) {
	var out []Sector
	err := s.db.R.WithContext(ctx).Order("position, code").Find(&out).Error
	return out, err
}

// Regions returns every region in display order.
func (s *Store) Regions(ctx context.Context) ([]Region, error) {
	var out []Region
	err := s.db.R.WithContext(ctx).Order("position, code").Find(&out).Error
	return out, err
}

// Aliases maps each retired region code to the current one.
func (s *Store) Aliases(ctx context.Context) (map[string]string, error) {
	var rows []struct{ Alias, Code string }
	if err := s.db.R.WithContext(ctx).Table("region_aliases").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Alias] = r.Code
	}
	return out, nil
}
