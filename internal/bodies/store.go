package bodies

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/dataversion"
	"hrx/internal/db"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/users"
)

// Store keeps the reporting bodies.
type Store struct {
	db  *db.DB
	now func() time.Time
}

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store {
	return &Store{db: d, now: func() time.Time { return time.Now().UTC() }}
}

// cellRow and memberRow are the rows of body_cells and body_members.
type cellRow struct {
	BodyID              int64
	Direction, Category string
}

func (cellRow) TableName() string { return "body_cells" }

type memberRow struct {
	BodyID, UserID int64
}

func (memberRow) TableName() string { return "body_members" }

// List returns every body, by English name, with its cells (in the grid's
// order: direction, then category position) and members (by e-mail).
func (s *Store) List(ctx context.Context) ([]Body, error) {
	return list(s.db.R.WithContext(ctx))
}

func list(q *gorm.DB) ([]Body, error) {
	var out []Body
	if err := q.Order("name_en, id").Find(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	at := make(map[int64]int, len(out))
	for i, b := range out {
		at[b.ID] = i
	}
	var cells []cellRow
	if err := q.Table("body_cells").Select("body_cells.body_id, body_cells.direction, body_cells.category").
		Joins("JOIN categories ON categories.code = body_cells.category").
		Order("body_cells.direction, categories.position, body_cells.category").Scan(&cells).Error; err != nil {
		return nil, err
	}
	for _, c := range cells {
		if i, ok := at[c.BodyID]; ok {
			out[i].Cells = append(out[i].Cells, Cell{c.Direction, c.Category})
		}
	}
	var members []struct {
		BodyID, UserID int64
		Email, Name    string
		Role           users.Role
	}
	if err := q.Table("body_members").Select("body_members.body_id, body_members.user_id, users.email, users.name, users.role").
		Joins("JOIN users ON users.id = body_members.user_id").Order("users.email").Scan(&members).Error; err != nil {
		return nil, err
	}
	for _, m := range members {
		if i, ok := at[m.BodyID]; ok {
			out[i].Members = append(out[i].Members, Member{UserID: m.UserID, Email: m.Email, Name: m.Name, Role: m.Role})
		}
	}
	return out, nil
}

// Get returns one body with its cells and members, or an apperr.NotFound error.
func (s *Store) Get(ctx context.Context, id int64) (Body, error) {
	all, err := s.List(ctx)
	if err != nil {
		return Body{}, err
	}
	for _, b := range all {
		if b.ID == id {
			return b, nil
		}
	}
	return Body{}, apperr.New(apperr.NotFound, "bodies.not_found")
}

// Of returns the bodies user id acts for.
func (s *Store) Of(ctx context.Context, id int64) ([]Body, error) {
	all, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []Body
	for _, b := range all {
		if b.HasMember(id) {
			out = append(out, b)
		}
	}
	return out, nil
}

// Candidates are the people who may act for a body: every enabled editor
// and approver, by e-mail.
func (s *Store) Candidates(ctx context.Context) ([]users.User, error) {
	var out []users.User
	err := s.db.R.WithContext(ctx).Where("disabled = ? AND role IN ?", false, []users.Role{users.Editor, users.Approver}).Order("email").Find(&out).Error
	return out, err
}

// Cells lists every cell of a month's grid that figures are expected in:
// both directions of every category not retired, in the grid's order.
func (s *Store) Cells(ctx context.Context) ([]Cell, error) {
	return activeCells(s.db.R.WithContext(ctx))
}

func activeCells(q *gorm.DB) ([]Cell, error) {
	var cats []reference.Category
	if err := q.Where("retired = ?", false).Order("position, code").Find(&cats).Error; err != nil {
		return nil, err
	}
	out := make([]Cell, 0, 2*len(cats))
	for _, d := range reference.Directions {
		for _, c := range cats {
			out = append(out, Cell{Direction: d.Code, Category: c.Code})
		}
	}
	return out, nil
}

// Assignment is who reports each cell: the bodies, and the cells no body
// reports (the administrators' share).
type Assignment struct {
	Bodies   []Body
	Unowned  []Cell // active cells no body reports, in the grid's order
	Cells    []Cell // every active cell, in the grid's order
	owner    map[Cell]int
	unowned0 Body
}

// Owner is the body that reports cell c: one of Bodies, or AdminsShare.
func (a Assignment) Owner(c Cell) Body {
	if i, ok := a.owner[c]; ok {
		return a.Bodies[i]
	}
	return a.unowned0
}

// Owners is every body with at least one active cell, then the
// administrators' share when some cell has no body (with those cells).
func (a Assignment) Owners() []Body {
	var out []Body
	for _, b := range a.Bodies {
		var cells []Cell
		for _, c := range b.Cells {
			if _, ok := a.owner[c]; ok {
				cells = append(cells, c)
			}
		}
		if len(cells) > 0 {
			b.Cells = cells
			out = append(out, b)
		}
	}
	if len(a.Unowned) > 0 {
		adm := AdminsShare()
		adm.Cells = a.Unowned
		out = append(out, adm)
	}
	return out
}

// Assign reads who reports each active cell.
func (s *Store) Assign(ctx context.Context) (Assignment, error) {
	q := s.db.R.WithContext(ctx)
	bodies, err := list(q)
	if err != nil {
		return Assignment{}, err
	}
	cells, err := activeCells(q)
	if err != nil {
		return Assignment{}, err
	}
	return assign(bodies, cells), nil
}

// assign is who reports each of cells, given the bodies.
func assign(bodies []Body, cells []Cell) Assignment {
	a := Assignment{Bodies: bodies, Cells: cells, owner: map[Cell]int{}, unowned0: AdminsShare()}
	active := make(map[Cell]bool, len(cells))
	for _, c := range cells {
		active[c] = true
	}
	for i, b := range bodies {
		for _, c := range b.Cells {
			if active[c] {
				a.owner[c] = i
			}
		}
	}
	for _, c := range cells {
		if _, ok := a.owner[c]; !ok {
			a.Unowned = append(a.Unowned, c)
		}
	}
	return a
}

// Recipients is who to tell about month m, for notifications and reminders:
// the enabled members whose account has exactly role (users.Editor to ask
// for figures, users.Approver to ask for a review) of every body that
// reports any cell of m, and, when some cell of m has no body, every enabled
// administrator as well. Each person appears once, by e-mail. Bodies report
// the same cells every month, so m matters only through the cells expected
// in it (categories retired are not).
func (s *Store) Recipients(ctx context.Context, m month.Month, role users.Role) ([]users.User, error) {
	a, err := s.Assign(ctx)
	if err != nil {
		return nil, err
	}
	return s.recipients(ctx, a, a.Cells, role)
}

// RecipientsFor is Recipients for some cells only: the members with role of
// the bodies that report any of cells, and the administrators when one of
// them has no body.
func (s *Store) RecipientsFor(ctx context.Context, cells []Cell, role users.Role) ([]users.User, error) {
	a, err := s.Assign(ctx)
	if err != nil {
		return nil, err
	}
	return s.recipients(ctx, a, cells, role)
}

func (s *Store) recipients(ctx context.Context, a Assignment, cells []Cell, role users.Role) ([]users.User, error) {
	ids := map[int64]bool{}
	admins := false
	for _, c := range cells {
		b := a.Owner(c)
		if b.Admins() {
			admins = true
			continue
		}
		for _, m := range b.Members {
			if m.Role == role {
				ids[m.UserID] = true
			}
		}
	}
	q := s.db.R.WithContext(ctx).Where("disabled = ?", false)
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	switch {
	case admins && len(list) > 0:
		q = q.Where("id IN ? OR role = ?", list, users.Admin)
	case admins:
		q = q.Where("role = ?", users.Admin)
	case len(list) > 0:
		q = q.Where("id IN ?", list)
	default:
		return []users.User{}, nil
	}
	var out []users.User
	err := q.Order("email").Find(&out).Error
	return out, err
}

// DueDate is when body's figures of month m are due by: the end of its due
// day in the month after m, in Zone (see Deadline). The administrators'
// share is due on DefaultDueDay.
func (s *Store) DueDate(body Body, m month.Month) time.Time { return Deadline(body.DueDay, m) }

// Due is one body's month that still lacks figures: what a reminder says.
type Due struct {
	Body     Body // Body.Admins() for the cells no body reports
	Month    month.Month
	Deadline time.Time // as DueDate
	Missing  []Cell    // the body's cells with no figure (not even a recorded zero), in the grid's order
	Overdue  bool      // the deadline has passed
}

// Open lists, for reminders and the worklist, every body's month that is
// open (not submitted or published, "nothing to report" included) and due
// or overdue at now, with the body's cells that have no figure yet: the
// months from the first month of the earliest target (or the month before
// now's, when there is no target) to the month before now's in Zone, the
// latest first, then by body name (the administrators' share last). A month
// whose cells are all filled is not listed. Overdue says its deadline passed.
func (s *Store) Open(ctx context.Context, now time.Time) ([]Due, error) {
	q := s.db.R.WithContext(ctx)
	a, err := s.Assign(ctx)
	if err != nil {
		return nil, err
	}
	last := month.Of(now.In(Zone)).Add(-1)
	var first month.Month
	if err := q.Table("targets").Select("MIN(start_month)").Row().Scan(&first); err != nil || first == month.Zero || first > last {
		first = last
	}
	if last.Sub(first) > 120 { // ten years back is enough for reminders
		first = last.Add(-120)
	}
	var closed []month.Month
	if err := q.Table("month_states").Where("month BETWEEN ? AND ? AND state <> ?", first, last, "open").Pluck("month", &closed).Error; err != nil {
		return nil, err
	}
	isClosed := map[month.Month]bool{}
	for _, m := range closed {
		isClosed[m] = true
	}
	var filled []struct {
		Month               month.Month
		Direction, Category string
	}
	if err := q.Table("month_totals").Select("month, direction, category").Where("month BETWEEN ? AND ? AND row_count > 0", first, last).Scan(&filled).Error; err != nil {
		return nil, err
	}
	has := map[month.Month]map[Cell]bool{}
	for _, f := range filled {
		if has[f.Month] == nil {
			has[f.Month] = map[Cell]bool{}
		}
		has[f.Month][Cell{f.Direction, f.Category}] = true
	}
	return openMonths(a.Owners(), first, last, isClosed, has, now), nil
}

// openMonths is Open's rule over what it read.
func openMonths(owners []Body, first, last month.Month, closed map[month.Month]bool, has map[month.Month]map[Cell]bool, now time.Time) []Due {
	var out []Due
	for m := last; m >= first; m-- {
		if closed[m] {
			continue
		}
		for _, b := range owners {
			var missing []Cell
			for _, c := range b.Cells {
				if !has[m][c] {
					missing = append(missing, c)
				}
			}
			if len(missing) == 0 {
				continue
			}
			d := Deadline(b.DueDay, m)
			out = append(out, Due{Body: b, Month: m, Deadline: d, Missing: missing, Overdue: !now.Before(d)})
		}
	}
	return out
}

// Input is what the body form sends: names, the due day as typed, the cells
// ticked ("IN-JP/student") and the members ticked (user ids).
type Input struct {
	ID                     int64 // 0 for a new body
	NameEN, NameJA, NameHI string
	DueDay                 string
	Cells                  []string
	Members                []string
}

// InputOf fills the form from a body.
func InputOf(b Body) Input {
	in := Input{ID: b.ID, NameEN: b.NameEN, NameJA: b.NameJA, NameHI: b.NameHI, DueDay: strconv.Itoa(b.DueDay)}
	for _, c := range b.Cells {
		in.Cells = append(in.Cells, c.Key())
	}
	for _, m := range b.Members {
		in.Members = append(in.Members, strconv.FormatInt(m.UserID, 10))
	}
	return in
}

func label(field string) i18n.Msg { return i18n.M("bodies.field." + field) }

// auditView is what the audit log keeps of a body.
func (b Body) auditView() map[string]any {
	cells := make([]string, len(b.Cells))
	for i, c := range b.Cells {
		cells[i] = c.Key()
	}
	members := make([]string, len(b.Members))
	for i, m := range b.Members {
		members[i] = m.Email
	}
	return map[string]any{"name_en": b.NameEN, "name_ja": b.NameJA, "name_hi": b.NameHI, "due_day": b.DueDay, "cells": cells, "members": members}
}

// Save adds a body (in.ID 0) or changes one, with its cells and members, and
// its audit entry, in one transaction. It refuses with an
// *apperr.ValidationError naming every field's problem: no English name, a
// name too long or another body's, a due day that is not a whole number
// from 1 to 28, no cell or one that does not exist or another body reports,
// a member who is not an enabled editor or approver. Only an administrator
// may (apperr.Forbidden otherwise).
func (s *Store) Save(ctx context.Context, actor audit.Actor, role users.Role, in Input) (Body, error) {
	if role != users.Admin {
		return Body{}, apperr.New(apperr.Forbidden, "bodies.forbidden")
	}
	var out Body
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		all, err := list(tx)
		if err != nil {
			return err
		}
		var before *Body
		for i := range all {
			if all[i].ID == in.ID && in.ID != 0 {
				before = &all[i]
			}
		}
		if in.ID != 0 && before == nil {
			return apperr.New(apperr.NotFound, "bodies.not_found")
		}
		b, v, err := s.check(tx, in, all)
		if err != nil {
			return err
		}
		if !v.Empty() {
			return v
		}
		now := s.now()
		b.UpdatedAt = now
		action := "update"
		if before == nil {
			action, b.CreatedAt = "create", now
			if err := tx.Create(&b).Error; err != nil {
				return err
			}
		} else {
			b.ID, b.CreatedAt = before.ID, before.CreatedAt
			if err := tx.Save(&b).Error; err != nil {
				return err
			}
			if err := tx.Where("body_id = ?", b.ID).Delete(&cellRow{}).Error; err != nil {
				return err
			}
			if err := tx.Where("body_id = ?", b.ID).Delete(&memberRow{}).Error; err != nil {
				return err
			}
		}
		for _, c := range b.Cells {
			if err := tx.Create(&cellRow{BodyID: b.ID, Direction: c.Direction, Category: c.Category}).Error; err != nil {
				return err
			}
		}
		for _, m := range b.Members {
			if err := tx.Create(&memberRow{BodyID: b.ID, UserID: m.UserID}).Error; err != nil {
				return err
			}
		}
		change := audit.Change{Action: action, Entity: "body", Key: strconv.FormatInt(b.ID, 10), After: b.auditView()}
		if before != nil {
			change.Before = before.auditView()
		}
		if err := audit.Record(tx, actor, change); err != nil {
			return err
		}
		out = b
		return dataversion.Bump(tx)
	})
	return out, err
}

// check reads the input into a body, with the problems of each field.
func (s *Store) check(tx *gorm.DB, in Input, all []Body) (Body, *apperr.ValidationError, error) {
	v := &apperr.ValidationError{}
	b := Body{NameEN: strings.TrimSpace(in.NameEN), NameJA: strings.TrimSpace(in.NameJA), NameHI: strings.TrimSpace(in.NameHI)}
	if b.NameEN == "" {
		v.AddMsg("name_en", label("name_en"), i18n.M("bodies.error.name_en"))
	}
	for _, f := range []struct{ field, value string }{{"name_en", b.NameEN}, {"name_ja", b.NameJA}, {"name_hi", b.NameHI}} {
		if len([]rune(f.value)) > maxName && v.For(f.field).IsZero() {
			v.AddMsg(f.field, label(f.field), i18n.M("bodies.error.name_long", "max", maxName))
		}
	}
	for _, o := range all {
		if o.ID != in.ID && strings.EqualFold(o.NameEN, b.NameEN) && v.For("name_en").IsZero() {
			v.AddMsg("name_en", label("name_en"), i18n.M("bodies.error.name_taken", "name", o.NameEN))
		}
	}
	day, ok := parseDueDay(in.DueDay)
	if !ok {
		v.AddMsg("due_day", label("due_day"), i18n.M("bodies.error.due_day", "min", MinDueDay, "max", MaxDueDay))
	}
	b.DueDay = day

	cells, err := activeCells(tx)
	if err != nil {
		return b, nil, err
	}
	known := map[Cell]bool{}
	for _, c := range cells {
		known[c] = true
	}
	taken := map[Cell]Body{}
	for _, o := range all {
		if o.ID != in.ID {
			for _, c := range o.Cells {
				taken[c] = o
			}
		}
	}
	seen := map[Cell]bool{}
	var takenBy []string
	for _, k := range in.Cells {
		c, ok := ParseCell(k)
		if !ok || !known[c] {
			v.AddMsg("cells", label("cells"), i18n.M("bodies.error.cell_unknown"))
			takenBy = nil
			break
		}
		if o, ok := taken[c]; ok && !slices.Contains(takenBy, o.NameEN) {
			takenBy = append(takenBy, o.NameEN)
		}
		if !seen[c] {
			seen[c] = true
			b.Cells = append(b.Cells, c)
		}
	}
	if len(takenBy) > 0 {
		v.AddMsg("cells", label("cells"), i18n.M("bodies.error.cell_taken", "bodies", takenBy))
	}
	if len(in.Cells) == 0 {
		v.AddMsg("cells", label("cells"), i18n.M("bodies.error.no_cells"))
	}
	sort.SliceStable(b.Cells, func(i, j int) bool { return indexOf(cells, b.Cells[i]) < indexOf(cells, b.Cells[j]) })

	ids := map[int64]bool{}
	for _, k := range in.Members {
		id, err := strconv.ParseInt(strings.TrimSpace(k), 10, 64)
		if err != nil || id <= 0 {
			v.AddMsg("members", label("members"), i18n.M("bodies.error.member"))
			return b, v, nil
		}
		ids[id] = true
	}
	if len(ids) > 0 {
		list := make([]int64, 0, len(ids))
		for id := range ids {
			list = append(list, id)
		}
		var found []users.User
		if err := tx.Where("id IN ?", list).Order("email").Find(&found).Error; err != nil {
			return b, nil, err
		}
		ok := len(found) == len(ids)
		for _, u := range found {
			if u.Disabled || (u.Role != users.Editor && u.Role != users.Approver) {
				ok = false
			}
			b.Members = append(b.Members, Member{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role})
		}
		if !ok {
			v.AddMsg("members", label("members"), i18n.M("bodies.error.member"))
		}
	}
	return b, v, nil
}

func indexOf(cells []Cell, c Cell) int {
	for i, x := range cells {
		if x == c {
			return i
		}
	}
	return len(cells)
}

// Delete removes a body with its cells and members (its cells fall to the
// administrators), and its audit entry, in one transaction. Only an
// administrator may.
func (s *Store) Delete(ctx context.Context, actor audit.Actor, role users.Role, id int64) (Body, error) {
	if role != users.Admin {
		return Body{}, apperr.New(apperr.Forbidden, "bodies.forbidden")
	}
	var out Body
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		all, err := list(tx)
		if err != nil {
			return err
		}
		for _, b := range all {
			if b.ID == id {
				out = b
			}
		}
		if out.ID == 0 {
			return apperr.New(apperr.NotFound, "bodies.not_found")
		}
		for _, t := range []any{&cellRow{}, &memberRow{}} {
			if err := tx.Where("body_id = ?", id).Delete(t).Error; err != nil {
				return err
			}
		}
		if err := tx.Delete(&Body{}, id).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, actor, audit.Change{Action: "delete", Entity: "body", Key: strconv.FormatInt(id, 10), Before: out.auditView()}); err != nil {
			return err
		}
		return dataversion.Bump(tx)
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Body{}, apperr.New(apperr.NotFound, "bodies.not_found")
	}
	return out, err
}
