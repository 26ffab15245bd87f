package bodies_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/bodies"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/users"
)

var ctx = context.Background()

func addUser(t *testing.T, d *db.DB, email string, role users.Role) users.User {
	t.Helper()
	st := users.NewStore(d)
	st.HashCost = 4
	u, err := st.Create(ctx, audit.System("test"), users.NewUser{Email: email, Role: role, Password: "correct horse battery staple"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func id(u users.User) string { return strconv.FormatInt(u.ID, 10) }

// TestSaveRecipientsOpen: a body is saved with its cells and members and
// audited; the form's problems are named field by field; Recipients finds
// the members with a role and the administrators for cells with no body;
// Open lists the months with missing cells; Delete gives the cells back.
func TestSaveRecipientsOpen(t *testing.T) {
	d := dbtest.New(t)
	st := bodies.NewStore(d)
	admin := addUser(t, d, "admin@example.org", users.Admin)
	ed := addUser(t, d, "ed@example.org", users.Editor)
	ap := addUser(t, d, "ap@example.org", users.Approver)
	viewer := addUser(t, d, "viewer@example.org", users.Viewer)
	actor := admin.Actor()

	if _, err := st.Save(ctx, ed.Actor(), users.Editor, bodies.Input{NameEN: "X", Cells: []string{"IN-JP/student"}}); apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("an editor saved a body: %v", err)
	}
	desk, err := st.Save(ctx, actor, users.Admin, bodies.Input{NameEN: " Emigration desk ", NameJA: "移住課", DueDay: "",
		Cells: []string{"IN-JP/student", "IN-JP/engineer"}, Members: []string{id(ed), id(ap)}})
	if err != nil {
		t.Fatal(err)
	}
	if desk.NameEN != "Emigration desk" || desk.DueDay != 15 || len(desk.Cells) != 2 || desk.Cells[0].Category != "engineer" || len(desk.Members) != 2 {
		t.Fatalf("saved %+v", desk)
	}

	_, err = st.Save(ctx, actor, users.Admin, bodies.Input{NameEN: "emigration DESK", DueDay: "29",
		Cells: []string{"IN-JP/student", "XX/student"}, Members: []string{id(viewer)}})
	var v *apperr.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("want a validation error, got %v", err)
	}
	for _, f := range []string{"name_en", "due_day", "cells", "members"} {
		if v.For(f).IsZero() {
			t.Errorf("no message for %s: %v", f, v)
		}
	}
	_, err = st.Save(ctx, actor, users.Admin, bodies.Input{NameEN: "Agency", Cells: []string{"IN-JP/student"}})
	if !errors.As(err, &v) || v.For("cells").String() == "" || v.For("name_en").String() != "" {
		t.Fatalf("a cell of another body: %v", err)
	}

	agency, err := st.Save(ctx, actor, users.Admin, bodies.Input{NameEN: "Agency", DueDay: "10", Cells: []string{"JP-IN/student"}, Members: []string{id(ed)}})
	if err != nil {
		t.Fatal(err)
	}
	upd := bodies.InputOf(agency)
	upd.DueDay = "20"
	if agency, err = st.Save(ctx, actor, users.Admin, upd); err != nil || agency.DueDay != 20 {
		t.Fatalf("update: %+v %v", agency, err)
	}
	entries, _ := audit.NewStore(d).List(ctx, audit.Filter{Entity: "body"})
	if len(entries) != 3 || entries[0].Action != "update" || entries[0].Before == "" {
		t.Fatalf("audit entries: %+v", entries)
	}

	emails := func(us []users.User) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.Email)
		}
		return out
	}
	m := month.MustParse("2025-10")
	got, err := st.Recipients(ctx, m, users.Approver)
	if err != nil {
		t.Fatal(err)
	}
	if e := emails(got); len(e) != 2 || e[0] != "admin@example.org" || e[1] != "ap@example.org" {
		t.Errorf("approvers to tell: %v", e)
	}
	got, _ = st.Recipients(ctx, m, users.Editor)
	if e := emails(got); len(e) != 2 || e[1] != "ed@example.org" {
		t.Errorf("editors to tell: %v", e)
	}
	got, _ = st.RecipientsFor(ctx, []bodies.Cell{{Direction: "JP-IN", Category: "student"}}, users.Editor)
	if e := emails(got); len(e) != 1 || e[0] != "ed@example.org" {
		t.Errorf("editors of one cell: %v", e)
	}
	if d := st.DueDate(agency, month.MustParse("2025-12")); !d.Equal(time.Date(2026, 1, 20, 18, 30, 0, 0, time.UTC)) {
		t.Errorf("due date %v", d)
	}

	// Figures of October 2025 for one of the desk's cells.
	if err := figures.NewStore(d).Insert(ctx, audit.System("test"), []figures.Figure{{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 0}}, "test"); err != nil {
		t.Fatal(err)
	}
	due, err := st.Open(ctx, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	// October 2025 and, from the first month of the targets, September.
	var deskOct *bodies.Due
	var oct []bodies.Due
	for i, x := range due {
		if x.Month != m && x.Month != m.Add(-1) {
			t.Errorf("only September and October 2025 are due: %+v", x)
		}
		if x.Month == m {
			oct = append(oct, x)
		}
		if x.Body.ID == desk.ID && x.Month == m {
			deskOct = &due[i]
		}
	}
	if deskOct == nil || len(deskOct.Missing) != 1 || deskOct.Missing[0].Category != "engineer" || !deskOct.Overdue {
		t.Errorf("the desk's October: %+v", deskOct)
	}
	if len(due) != 6 || len(oct) != 3 || !oct[2].Body.Admins() || len(oct[2].Missing) != 17 || oct[0].Overdue {
		t.Errorf("open months: %+v", due)
	}

	if _, err := st.Delete(ctx, actor, users.Admin, agency.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(ctx, agency.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("deleted body found: %v", err)
	}
	mine, _ := st.Of(ctx, ed.ID)
	if len(mine) != 1 || mine[0].ID != desk.ID {
		t.Errorf("bodies of the editor: %+v", mine)
	}
}
