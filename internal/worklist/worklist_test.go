package worklist_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/bodies"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/users"
	"hrx/internal/worklist"
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

func kinds(items []worklist.Item) []string {
	var out []string
	for _, it := range items {
		s := string(it.Kind)
		if it.Month != month.Zero {
			s += " " + it.Month.String()
		}
		out = append(out, s)
	}
	return out
}

// TestFor: a member's overdue months, a month sent back to its submitter,
// a month waiting for an approver other than its submitter, a refused
// upload; the count agrees with the list, and moves when the data does.
func TestFor(t *testing.T) {
	d := dbtest.New(t)
	admin := addUser(t, d, "admin@example.org", users.Admin)
	ed := addUser(t, d, "ed@example.org", users.Editor)
	ed2 := addUser(t, d, "ed2@example.org", users.Editor)
	ap := addUser(t, d, "ap@example.org", users.Approver)
	viewer := addUser(t, d, "viewer@example.org", users.Viewer)
	if _, err := bodies.NewStore(d).Save(ctx, admin.Actor(), users.Admin, bodies.Input{NameEN: "Desk", Cells: []string{"IN-JP/student"},
		Members: []string{strconv.FormatInt(ed.ID, 10)}}); err != nil {
		t.Fatal(err)
	}
	fs := figures.NewStore(d)
	ap1 := approval.NewStore(d, fs)
	// September filled, submitted by ed2 and sent back; October submitted by ed2.
	if err := fs.Insert(ctx, audit.System("test"), []figures.Figure{
		{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 4},
		{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 5},
	}, "test"); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		who  users.User
		m    string
		a    approval.Action
		text string
	}{{ed2, "2025-09", approval.Submit, ""}, {ap, "2025-09", approval.Return, "Check the student numbers"}, {ed2, "2025-10", approval.Submit, ""}} {
		if _, err := ap1.Do(ctx, step.who.Actor(), step.who.Role, step.m, step.a, step.text); err != nil {
			t.Fatal(err)
		}
	}
	st := worklist.NewStore(d)
	now := time.Date(2025, 12, 20, 12, 0, 0, 0, time.UTC) // November due 15 Dec: overdue
	real := time.Now()
	check := func(u users.User, at time.Time, want ...string) {
		t.Helper()
		items, err := st.For(ctx, u, at)
		if err != nil {
			t.Fatal(err)
		}
		got := kinds(items)
		if len(got) != len(want) {
			t.Fatalf("%s: %v, want %v", u.Email, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: %v, want %v", u.Email, got, want)
				break
			}
		}
		n, err := st.MonthsCount(ctx, u, at)
		r, err2 := st.RejectedCount(ctx, u, at)
		if err != nil || err2 != nil || n+r != len(items) {
			t.Errorf("%s: count %d, list %d (%v)", u.Email, n, len(items), err)
		}
	}
	// ed is a member: September is sent back to the body's members; November
	// is overdue for the desk (October is submitted, so not open).
	check(ed, now, "returned 2025-09", "overdue 2025-11")
	// ed2 submitted September, is no member: only the send-back.
	check(ed2, now, "returned 2025-09")
	// The approver reviews October.
	check(ap, now, "review 2025-10")
	check(viewer, now)
	// An upload of ed's with errors.
	if err := d.W.Exec(`INSERT INTO imports (user_id, actor, file_name, file_size, sha256, mode, state, error_count, created_at, expires_at)
		VALUES (?, ?, 'nov.csv', 10, 'x', 'merge', 'preview', 3, ?, ?)`, ed.ID, ed.Email, time.Now().UTC(), time.Now().Add(time.Hour).UTC()).Error; err != nil {
		t.Fatal(err)
	}

	// ed's upload with errors shows, from now on.
	items, _ := st.For(ctx, ed, real)
	if got := kinds(items); got[len(got)-1] != "rejected" || items[len(items)-1].FileName != "nov.csv" || items[len(items)-1].Errors != 3 {
		t.Errorf("the refused upload: %v", got)
	}
	if items[0].Comment != "Check the student numbers" || items[0].Actor != "ap@example.org" {
		t.Errorf("the send-back: %+v", items[0])
	}
	// The month's figures arrive: the count follows at once.
	before, _ := st.MonthsCount(ctx, ed, now)
	if err := fs.Insert(ctx, audit.System("test"), []figures.Figure{{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 5}}, "test"); err != nil {
		t.Fatal(err)
	}
	if after, _ := st.MonthsCount(ctx, ed, now); after != before-1 {
		t.Errorf("count %d → %d", before, after)
	}
}
