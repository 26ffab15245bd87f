package figures

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/dataversion"
	"hrx/internal/i18n"
)

// A cell broken down into several rows (by sector or region) is changed on its
// own page, all its rows at once: CellRows reads them with their version,
// SaveCell writes what the rows editor sends, every row or none.

// RowsReason is how the audit log names a change made on a cell's rows editor.
const RowsReason = "rows form"

// RowEdit is one row of a cell's rows editor: the figure it shows (0 for a
// row to add), whether to remove it, and its values as the upload's row rules
// read them (rules.Rules.CellRow).
type RowEdit struct {
	Pos    int   // the row's place on the form, from 1: "row 3"
	ID     int64 // the figure it shows; 0 for a new row
	Remove bool
	// Figure holds the sector, origin, destination, count and note; a new row
	// also takes its status and source from it. An existing row keeps its own
	// status and source, which the editor does not show.
	Figure Figure
}

// CellEdit is a cell's rows as the editor sends them, with the version of the
// rows (CellRows) that the page showed.
type CellEdit struct {
	Month, Direction, Category string
	Version                    string
	Rows                       []RowEdit
}

// CellChanges counts what SaveCell wrote.
type CellChanges struct {
	Added, Changed, Removed int
}

// Total is how many figures were added, changed or removed.
func (c CellChanges) Total() int { return c.Added + c.Changed + c.Removed }

// RowProblem is what is wrong with one value of one row of the editor.
type RowProblem struct {
	Pos    int    // the row, from 1
	Column string // the value's column as the upload names it: "sector", "count" …
	Msg    i18n.Msg
}

// RowField is the form field (and element id) of a row's value: "row-3-sector".
func RowField(pos int, column string) string {
	return "row-" + strconv.Itoa(pos) + "-" + column
}

// RowsInvalid is problems as the error a form shows, each beside its field,
// labelled "Row 3, sector".
func RowsInvalid(problems []RowProblem) *apperr.ValidationError {
	v := &apperr.ValidationError{}
	for _, p := range problems {
		v.AddMsg(RowField(p.Pos, p.Column), i18n.M("rowsedit.field", "row", p.Pos, "column", i18n.M("imports.column."+p.Column)), p.Msg)
	}
	return v
}

// rowKey is a row's place in its cell: sector, origin and destination.
func rowKey(f Figure) string { return f.Sector + "\x1f" + f.Origin + "\x1f" + f.Destination }

// DuplicateRows finds the rows kept (not removed, not blank) whose sector,
// origin and destination are those of an earlier row: each is a problem of
// the later row's sector, naming the earlier row.
func DuplicateRows(rows []RowEdit) []RowProblem {
	first := map[string]int{}
	var out []RowProblem
	for _, r := range rows {
		if r.Remove {
			continue
		}
		k := rowKey(r.Figure)
		if at, ok := first[k]; ok {
			out = append(out, RowProblem{Pos: r.Pos, Column: "sector", Msg: i18n.M("rowsedit.duplicate", "row", at)})
			continue
		}
		first[k] = r.Pos
	}
	return out
}

// CellRows returns the figures of one cell of a month, largest first, and the
// version of the rows (cellVersion) read in the same transaction, for the
// editor's form to carry.
func (s *Store) CellRows(ctx context.Context, m, direction, category string) ([]Figure, string, error) {
	var rows []Figure
	var version string
	err := s.db.R.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if rows, err = cellFigures(tx, m, direction, category); err != nil {
			return err
		}
		version = cellVersion(rows)
		return nil
	})
	return rows, version, err
}

func cellFigures(tx *gorm.DB, m, direction, category string) ([]Figure, error) {
	var out []Figure
	err := tx.Where("month = ? AND direction = ? AND category = ?", m, direction, category).
		Order("count DESC, sector, origin, destination").Find(&out).Error
	return out, err
}

// cellVersion is a fingerprint of a cell's rows: each row's identity, key,
// count, status, source and note. It changes whenever a row is added, changed
// or removed, by any writer, and only then.
func cellVersion(rows []Figure) string {
	sorted := append([]Figure(nil), rows...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	h := sha256.New()
	for _, f := range sorted {
		// A separator no text field can hold keeps "ab"+"c" apart from "a"+"bc".
		for _, part := range []string{strconv.FormatInt(f.ID, 10), f.Sector, f.Origin, f.Destination, strconv.FormatInt(f.Count, 10), f.Status, f.Source, f.Note} {
			h.Write([]byte(part))
			h.Write([]byte{0})
		}
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// cellPlan is what saving a cell's rows does, in the order it is done:
// removes (the rows removed, and the old place of rows moved to another
// sector or region), then changes in place, then additions (new rows, and
// the new place of moved rows), so that no two rows ever share a key.
type cellPlan struct {
	remove []Figure
	change [][2]Figure // current, next
	add    []Figure
	moved  int // rows both removed and added: moved to another sector or region
}

// errUnknownRow is a row the form names that the cell does not have.
var errUnknownRow = errors.New("figures: the form names a row the cell does not have")

// planCell works out what turns the cell's rows cur into what the editor
// sent. A current row the form does not mention stays as it is; a blank new
// row (RowEdit.Remove on a new row) is skipped.
func planCell(cur []Figure, edits []RowEdit) (cellPlan, error) {
	var p cellPlan
	byID := make(map[int64]Figure, len(cur))
	for _, f := range cur {
		byID[f.ID] = f
	}
	seen := map[int64]bool{}
	for _, e := range edits {
		if e.ID == 0 {
			if !e.Remove {
				next := e.Figure
				next.ID, next.Version = 0, 0
				if next.Status == "" {
					next.Status = Final
				}
				p.add = append(p.add, next)
			}
			continue
		}
		f, ok := byID[e.ID]
		if !ok || seen[e.ID] {
			return cellPlan{}, errUnknownRow
		}
		seen[e.ID] = true
		next := f
		next.Sector, next.Origin, next.Destination = e.Figure.Sector, e.Figure.Origin, e.Figure.Destination
		next.Count, next.Note = e.Figure.Count, e.Figure.Note
		switch {
		case e.Remove:
			p.remove = append(p.remove, f)
		case rowKey(next) != rowKey(f):
			next.ID, next.Version, next.ImportID, next.UpdatedBy = 0, 0, nil, nil
			p.remove = append(p.remove, f)
			p.add = append(p.add, next)
			p.moved++
		case next.Count != f.Count || next.Note != f.Note:
			p.change = append(p.change, [2]Figure{f, next})
		}
	}
	// Rows the form does not mention stay: none may share a key with a row kept.
	keys := map[string]bool{}
	for _, f := range p.add {
		keys[rowKey(f)] = true
	}
	for _, f := range cur {
		if !seen[f.ID] && keys[rowKey(f)] {
			return cellPlan{}, errUnknownRow
		}
	}
	return p, nil
}

// SaveCell writes a cell's rows as the editor sent them, in one transaction:
// every row or none. Each row must already have passed the upload's row
// rules; two rows kept in the same sector, origin and destination are
// refused (an apperr.ValidationError, each beside its row). It refuses with
// an apperr.Conflict error naming who saved last and when when the rows
// changed after the page was loaded (e.Version), and with an apperr.Locked
// error when the month is not open. Each added, changed or removed figure is
// in the audit log ("rows form"), and the data version moves on when
// anything changed.
func (s *Store) SaveCell(ctx context.Context, actor audit.Actor, e CellEdit) (CellChanges, error) {
	if dup := DuplicateRows(e.Rows); len(dup) > 0 {
		return CellChanges{}, RowsInvalid(dup)
	}
	var done CellChanges
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		done = CellChanges{}
		if err := approval.CheckOpen(tx, e.Month); err != nil {
			return err
		}
		cur, err := cellFigures(tx, e.Month, e.Direction, e.Category)
		if err != nil {
			return err
		}
		if cellVersion(cur) != e.Version {
			return cellConflict(tx, actor, e)
		}
		plan, err := planCell(cur, e.Rows)
		if err != nil {
			return &apperr.Error{Kind: apperr.Conflict, Msg: i18n.M("rowsedit.changed"), Err: err}
		}
		if done, err = s.writeCell(tx, actor, e, plan); err != nil || done.Total() == 0 {
			return err
		}
		if err := RefreshTotals(tx, []string{e.Month}); err != nil {
			return err
		}
		return dataversion.Bump(tx)
	})
	if err != nil {
		return CellChanges{}, err
	}
	return done, nil
}

// writeCell carries out plan, recording each figure's change.
func (s *Store) writeCell(tx *gorm.DB, actor audit.Actor, e CellEdit, plan cellPlan) (CellChanges, error) {
	var done CellChanges
	st := stampOf(actor, s.now())
	record := func(action string, key string, before, after any) error {
		return audit.Record(tx, actor, audit.Change{Action: action, Entity: "figure", Key: key, Month: e.Month, Before: before, After: after, Reason: RowsReason})
	}
	for _, f := range plan.remove {
		if err := remove(tx, f.ID); err != nil {
			return done, err
		}
		if err := record("delete", f.Key(), f.auditView(), nil); err != nil {
			return done, err
		}
		done.Removed++
	}
	for _, ch := range plan.change {
		ok, err := st.setValues(tx, ch[0], ch[1])
		if err != nil {
			return done, err
		}
		if !ok {
			return done, &apperr.Error{Kind: apperr.Conflict, Msg: i18n.M("rowsedit.changed"), Err: errUnknownRow}
		}
		if err := record("update", ch[0].Key(), ch[0].auditView(), ch[1].auditView()); err != nil {
			return done, err
		}
		done.Changed++
	}
	for _, f := range plan.add {
		f.Month, f.Direction, f.Category = e.Month, e.Direction, e.Category
		if err := st.create(tx, &f); err != nil {
			return done, err
		}
		if err := record("create", f.Key(), nil, f.auditView()); err != nil {
			return done, err
		}
		done.Added++
	}
	// A row moved to another sector or region is one removal and one
	// addition in the log, but one change for the person.
	done.Removed -= plan.moved
	done.Added -= plan.moved
	done.Changed += plan.moved
	return done, nil
}

// cellConflict is the refusal of a save whose page showed older rows: who
// saved the cell last (from the audit log, which every writer of figures
// writes) and when, or that the person did so in another window.
func cellConflict(tx *gorm.DB, actor audit.Actor, e CellEdit) error {
	key := e.Month + "/" + e.Direction + "/" + e.Category
	var last []audit.Entry
	if err := tx.Where("month = ? AND entity IN ? AND (entity_key = ? OR entity_key LIKE ?)", e.Month, []string{"figure", "cell"}, key, key+"/%").
		Order("id DESC").Limit(1).Find(&last).Error; err != nil {
		return err
	}
	msg := i18n.M("rowsedit.changed")
	switch {
	case len(last) == 1 && last[0].UserID != nil && *last[0].UserID == actor.UserID && actor.UserID != 0:
		msg = i18n.M("rowsedit.changed_by_you", "when", last[0].At)
	case len(last) == 1 && strings.TrimSpace(last[0].Actor) != "":
		msg = i18n.M("rowsedit.changed_by", "who", last[0].Actor, "when", last[0].At)
	}
	return &apperr.Error{Kind: apperr.Conflict, Msg: msg, Err: errCellChanged}
}

// errCellChanged marks a save refused because the cell's rows changed after
// the page was loaded.
var errCellChanged = errors.New("figures: the cell's rows changed since the page was loaded")
