package figures

import (
	"context"
	"errors"
	"sort"
	"time"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/dataversion"
	"hrx/internal/i18n"
	"hrx/internal/month"
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
	// Version is the month's MonthVersion when the grid was read (Store.Grid
	// only), for the page's forms to carry.
	Version string
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
		if g, err = loadGrid(tx, m); err != nil {
			return err
		}
		g.Version, err = s.MonthVersion(tx, m)
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

// ConflictError lists the cells others changed after the page was loaded;
// SaveGrid returns it inside an apperr.Conflict error.
type ConflictError struct {
	Month     string
	Conflicts []Conflict
}

func (e *ConflictError) Error() string {
	m, _ := month.Parse(e.Month)
	return i18n.M("month.grid.conflict", "count", len(e.Conflicts), "month", m).String()
}

// SaveGrid writes a month's grid in one transaction: every cell or none. It
// refuses with an apperr.Conflict error wrapping a *ConflictError (the cells,
// for the form to show) when any cell changed since the page was loaded, and
// with an apperr.Locked error when the month is not open.
// It returns how many figures were created, changed or removed.
func (s *Store) SaveGrid(ctx context.Context, actor audit.Actor, m string, cells []CellInput) (int, error) {
	changed := 0
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		changed = 0
		if err := approval.CheckOpen(tx, m); err != nil {
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
		st := stampOf(actor, s.now())
		for _, in := range cells {
			cur := g.Cell(in.Direction, in.Category).Plain
			switch {
			case in.Value == nil && cur == nil:
				continue
			case in.Value == nil:
				if err := remove(tx, cur.ID); err != nil {
					return err
				}
				if err := audit.Record(tx, actor, audit.Change{Action: "delete", Entity: "figure", Key: cur.Key(), Month: m, Before: cur.auditView(), Reason: "month form"}); err != nil {
					return err
				}
			case cur == nil:
				f := Figure{Month: m, Direction: in.Direction, Category: in.Category, Count: *in.Value, Status: Final}
				if err := st.create(tx, &f); err != nil {
					return err
				}
				if err := audit.Record(tx, actor, audit.Change{Action: "create", Entity: "figure", Key: f.Key(), Month: m, After: f.auditView(), Reason: "month form"}); err != nil {
					return err
				}
			case cur.Count == *in.Value:
				continue
			default:
				before := cur.auditView()
				ok, err := st.setCount(tx, *cur, *in.Value)
				if err != nil {
					return err
				}
				if !ok {
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
		return dataversion.Bump(tx)
	})
	var ce *ConflictError
	if errors.As(err, &ce) {
		m, _ := month.Parse(ce.Month)
		return 0, &apperr.Error{Kind: apperr.Conflict, Msg: i18n.M("month.grid.conflict", "count", len(ce.Conflicts), "month", m), Err: ce}
	}
	return changed, err
}
