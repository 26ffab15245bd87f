package figures

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"
	"gorm.io/gorm"

	"hrx/internal/audit"
)

// Cell is one (direction, category) of a month as the data-entry grid shows it.
type Cell struct {
	Direction string
	Category  string
	Total     int64   // people in all the cell's rows
	Rows      int     // how many figures make the total
	Plain     *Figure // the row with no sector or region, if there is one
}

// Editable reports whether the cell is a single plain figure (or empty), which
// the grid can change; a cell broken down into several rows changes by upload.
func (c Cell) Editable() bool { return c.Rows == 0 || (c.Rows == 1 && c.Plain != nil) }

// Version is the plain figure's version, 0 when there is none.
func (c Cell) Version() int {
	if c.Plain == nil {
		return 0
	}
	return c.Plain.Version
}

// Grid is one month's cells, keyed by CellKey.
type Grid struct {
	Month string
	Cells map[string]Cell
}

// CellKey names a cell: "IN-JP|engineer".
func CellKey(direction, category string) string { return direction + "|" + category }

// Cell returns a cell, empty when the month has nothing there.
func (g Grid) Cell(direction, category string) Cell {
	if c, ok := g.Cells[CellKey(direction, category)]; ok {
		return c
	}
	return Cell{Direction: direction, Category: category}
}

// Total is the month's total people.
func (g Grid) Total() int64 {
	var t int64
	for _, c := range g.Cells {
		t += c.Total
	}
	return t
}

// Grid returns a month's cells.
func (s *Store) Grid(ctx context.Context, m string) (Grid, error) {
	var g Grid
	err := s.db.R.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		g, err = loadGrid(tx, m)
		return err
	})
	return g, err
}

func loadGrid(tx *gorm.DB, m string) (Grid, error) {
	g := Grid{Month: m, Cells: map[string]Cell{}}
	var totals []Total
	if err := tx.Where("month = ?", m).Find(&totals).Error; err != nil {
		return g, err
	}
	for _, t := range totals {
		g.Cells[CellKey(t.Direction, t.Category)] = Cell{Direction: t.Direction, Category: t.Category, Total: t.Total, Rows: t.RowCount}
	}
	var plain []Figure
	if err := tx.Where("month = ? AND sector = '' AND origin = '' AND destination = ''", m).Find(&plain).Error; err != nil {
		return g, err
	}
	for i := range plain {
		k := CellKey(plain[i].Direction, plain[i].Category)
		c := g.Cells[k]
		c.Plain = &plain[i]
		g.Cells[k] = c
	}
	return g, nil
}

// CellInput is what the grid form sends for one cell.
type CellInput struct {
	Direction, Category string
	Value               *int64 // nil: the cell was left empty (no figure)
	Version             int    // the plain figure's version when the page was loaded, 0 for none
}

// Conflict is a cell someone else changed after the page was loaded.
type Conflict struct {
	Direction, Category string
	Current             Cell
	UpdatedBy           *int64
	UpdatedAt           time.Time
}

// ConflictError refuses a save because others changed the month first; nothing was saved.
type ConflictError struct {
	Month     string
	Conflicts []Conflict
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%d figures of %s were changed by someone else after the page was loaded", len(e.Conflicts), e.Month)
}

// SaveGrid writes a month's grid in one transaction: every cell or none. It
// refuses with a *ConflictError when any cell changed since the page was loaded,
// and with a *LockedError when the month is not open.
// It returns how many figures were created, changed or removed.
func (s *Store) SaveGrid(ctx context.Context, actor audit.Actor, m string, cells []CellInput) (int, error) {
	changed := 0
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		changed = 0
		if err := CheckOpen(tx, m); err != nil {
			return err
		}
		g, err := loadGrid(tx, m)
		if err != nil {
			return err
		}
		conflict := &ConflictError{Month: m}
		for _, in := range cells {
			cur := g.Cell(in.Direction, in.Category)
			if cur.Version() != in.Version || (!cur.Editable() && in.Value != nil) {
				c := Conflict{Direction: in.Direction, Category: in.Category, Current: cur}
				if cur.Plain != nil {
					c.UpdatedBy, c.UpdatedAt = cur.Plain.UpdatedBy, cur.Plain.UpdatedAt
				}
				conflict.Conflicts = append(conflict.Conflicts, c)
			}
		}
		if len(conflict.Conflicts) > 0 {
			sort.Slice(conflict.Conflicts, func(i, j int) bool {
				a, b := conflict.Conflicts[i], conflict.Conflicts[j]
				return a.Direction+a.Category < b.Direction+b.Category
			})
			return conflict
		}
		now := s.now()
		var by *int64
		if actor.UserID != 0 {
			id := actor.UserID
			by = &id
		}
		for _, in := range cells {
			cur := g.Cell(in.Direction, in.Category).Plain
			switch {
			case in.Value == nil && cur == nil:
				continue
			case in.Value == nil:
				if err := tx.Delete(&Figure{}, cur.ID).Error; err != nil {
					return err
				}
				if err := audit.Record(tx, actor, audit.Change{Action: "delete", Entity: "figure", Key: cur.Key(), Month: m, Before: cur.auditView(), Reason: "month form"}); err != nil {
					return err
				}
			case cur == nil:
				f := Figure{Month: m, Direction: in.Direction, Category: in.Category, Count: *in.Value, Status: Final, Version: 1, UpdatedBy: by, CreatedAt: now, UpdatedAt: now}
				if err := tx.Create(&f).Error; err != nil {
					return err
				}
				if err := audit.Record(tx, actor, audit.Change{Action: "create", Entity: "figure", Key: f.Key(), Month: m, After: f.auditView(), Reason: "month form"}); err != nil {
					return err
				}
			case cur.Count == *in.Value:
				continue
			default:
				before := cur.auditView()
				res := tx.Model(&Figure{}).Where("id = ? AND version = ?", cur.ID, cur.Version).
					Updates(map[string]any{"count": *in.Value, "version": cur.Version + 1, "updated_by": by, "updated_at": now, "import_id": nil})
				if res.Error != nil {
					return res.Error
				}
				if res.RowsAffected != 1 {
					return &ConflictError{Month: m, Conflicts: []Conflict{{Direction: in.Direction, Category: in.Category}}}
				}
				after := *cur
				after.Count = *in.Value
				if err := audit.Record(tx, actor, audit.Change{Action: "update", Entity: "figure", Key: cur.Key(), Month: m, Before: before, After: after.auditView(), Reason: "month form"}); err != nil {
					return err
				}
			}
			changed++
		}
		if changed == 0 {
			return nil
		}
		if err := RefreshTotals(tx, []string{m}); err != nil {
			return err
		}
		return BumpVersion(tx)
	})
	var ce *ConflictError
	if errors.As(err, &ce) {
		return 0, ce
	}
	return changed, err
}

// ParseCount reads a count typed by a person: a whole number from 0 to MaxCount,
// with or without thousands separators (1,234 · 1,23,456 · 1 234) or full-width digits.
// An empty string gives nil: no figure. msg says what is wrong, "" when nothing is.
func ParseCount(s string) (v *int64, msg string) {
	s = strings.TrimSpace(width.Narrow.String(s))
	if s == "" {
		return nil, ""
	}
	const whole = "Enter a whole number of people, 0 or more"
	digits := strings.NewReplacer(",", "", " ", "", "\u00a0", "", "\u202f", "", "_", "").Replace(s)
	if strings.HasPrefix(digits, "-") {
		return nil, whole
	}
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		if strings.Contains(digits, ".") {
			return nil, "Enter a whole number of people, without decimals"
		}
		return nil, whole
	}
	// Grouping, if any, must be where a person would put it.
	if digits != s && !wellGrouped(s) {
		return nil, "Check the thousands separators, for example 1,234 or 1,23,456"
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > MaxCount {
		return nil, "Enter a number of people no more than 10,000,000"
	}
	return &n, ""
}

// wellGrouped accepts international (1,234,567) and Indian (12,34,567) grouping with
// commas or spaces: the last group has three digits, the others two or three, the first one to three.
func wellGrouped(s string) bool {
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\u00a0' || r == '\u202f' || r == '_' })
	if len(groups) < 2 || len(groups[0]) > 3 || len(groups[len(groups)-1]) != 3 {
		return false
	}
	for _, g := range groups[1 : len(groups)-1] {
		if len(g) != 2 && len(g) != 3 {
			return false
		}
	}
	return true
}
