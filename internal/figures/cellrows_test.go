package figures_test

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/dataversion"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/users"
)

// TestSaveCell changes a broken-down cell's rows as its editor does: a change,
// an addition and a removal at once, each in the audit log; a page loaded
// before someone else's save is refused, naming them, with nothing written;
// two rows in one place are refused; a submitted month is locked.
func TestSaveCell(t *testing.T) {
	d := dbtest.New(t)
	s := figures.NewStore(d)
	ctx := context.Background()
	person := func(email string) audit.Actor {
		us := users.NewStore(d)
		us.HashCost = bcrypt.MinCost
		u, err := us.Create(ctx, audit.System("test"), users.NewUser{Email: email, Role: users.Editor, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	ed, ap := person("ed@example.gov.in"), person("ap@example.gov.in")
	if err := s.Insert(ctx, audit.System("test"), []figures.Figure{
		{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Sector: "care", Count: 120, Source: "MOJ"},
		{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Sector: "food", Count: 80},
		{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 5},
	}, "test data"); err != nil {
		t.Fatal(err)
	}
	rows, v1, err := s.CellRows(ctx, "2025-09", "IN-JP", "ssw")
	if err != nil || len(rows) != 2 || rows[0].Sector != "care" {
		t.Fatalf("rows: %+v %v", rows, err)
	}
	care, food := rows[0], rows[1]
	dv0, _ := dataversion.Current(ctx, d)

	// Saving the rows as they are changes nothing and keeps the data version.
	same := figures.CellEdit{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Version: v1, Rows: []figures.RowEdit{
		{Pos: 1, ID: care.ID, Figure: care}, {Pos: 2, ID: food.ID, Figure: food}}}
	if done, err := s.SaveCell(ctx, ed, same); err != nil || done.Total() != 0 {
		t.Fatalf("the same rows: %+v %v", done, err)
	}
	if dv, _ := dataversion.Current(ctx, d); dv != dv0 {
		t.Errorf("saving nothing moved the data version %d → %d", dv0, dv)
	}

	// Two rows in one place are refused beside the later one.
	dup := figures.CellEdit{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Version: v1, Rows: []figures.RowEdit{
		{Pos: 1, ID: care.ID, Figure: care}, {Pos: 2, ID: food.ID, Figure: food},
		{Pos: 3, Figure: figures.Figure{Sector: "care", Count: 3}}}}
	var ve *apperr.ValidationError
	if _, err := s.SaveCell(ctx, ed, dup); !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != "row-3-sector" ||
		ve.Fields[0].Label.String() != "Row 3, sector" {
		t.Fatalf("a duplicate: %v", err)
	}

	// A change, an addition and a removal.
	edit := figures.CellEdit{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Version: v1, Rows: []figures.RowEdit{
		{Pos: 1, ID: care.ID, Figure: figures.Figure{Sector: "care", Count: 125, Note: "revised"}},
		{Pos: 2, ID: food.ID, Remove: true},
		{Pos: 3, Figure: figures.Figure{Origin: "IN-KA", Destination: "JP-13", Count: 9}},
	}}
	done, err := s.SaveCell(ctx, ed, edit)
	if err != nil || done != (figures.CellChanges{Added: 1, Changed: 1, Removed: 1}) {
		t.Fatalf("save: %+v %v", done, err)
	}
	rows, v2, _ := s.CellRows(ctx, "2025-09", "IN-JP", "ssw")
	if len(rows) != 2 || rows[0].Count != 125 || rows[0].Note != "revised" || rows[0].Source != "MOJ" || rows[0].Version != care.Version+1 ||
		rows[1].Origin != "IN-KA" || rows[1].Count != 9 || rows[1].Status != figures.Final || v2 == v1 {
		t.Errorf("after saving: %+v (version %s → %s)", rows, v1, v2)
	}
	g, _ := s.Grid(ctx, "2025-09")
	if c := g.Cell("IN-JP", "ssw"); c.Total != 134 || c.Rows != 2 {
		t.Errorf("the cell's total: %+v", c)
	}
	if dv, _ := dataversion.Current(ctx, d); dv != dv0+1 {
		t.Errorf("data version %d → %d", dv0, dv)
	}
	var entries []audit.Entry
	d.R.Where("reason = ?", figures.RowsReason).Order("id").Find(&entries)
	if len(entries) != 3 || entries[0].Action != "delete" || entries[0].EntityKey != "2025-09/IN-JP/ssw/food" ||
		entries[1].Action != "update" || entries[1].Before != `{"count":120,"note":"","source":"MOJ","status":"final"}` ||
		entries[2].Action != "create" || entries[2].EntityKey != "2025-09/IN-JP/ssw/IN-KA/JP-13" || entries[2].Actor != "ed@example.gov.in" {
		t.Errorf("audit entries: %+v", entries)
	}

	// A page loaded before that save is refused, naming who saved; nothing is written.
	stale := figures.CellEdit{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Version: v1, Rows: []figures.RowEdit{
		{Pos: 1, ID: care.ID, Figure: figures.Figure{Sector: "care", Count: 1}}}}
	_, err = s.SaveCell(ctx, ap, stale)
	if apperr.KindOf(err) != apperr.Conflict || apperr.MsgOf(err).ID != "rowsedit.changed_by" || apperr.MsgOf(err).Arg("who") != "ed@example.gov.in" {
		t.Fatalf("a stale page: %v", err)
	}
	// The same person in another window is told so.
	if _, err = s.SaveCell(ctx, ed, stale); apperr.MsgOf(err).ID != "rowsedit.changed_by_you" {
		t.Errorf("a stale page of the same person: %v", err)
	}
	if rows, v, _ := s.CellRows(ctx, "2025-09", "IN-JP", "ssw"); v != v2 || rows[0].Count != 125 {
		t.Errorf("a refused save wrote: %+v", rows)
	}

	// A submitted month is locked.
	if _, err := approval.NewStore(d, s).Do(ctx, ed, users.Editor, "2025-09", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	edit.Version = v2
	edit.Rows = []figures.RowEdit{{Pos: 1, ID: rows[0].ID, Figure: figures.Figure{Sector: "care", Count: 1}}}
	if _, err := s.SaveCell(ctx, ed, edit); apperr.KindOf(err) != apperr.Locked {
		t.Errorf("a submitted month: %v", err)
	}
}
