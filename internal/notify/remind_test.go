package notify_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hrx/internal/bodies"
	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/mail/mailtest"
	"hrx/internal/month"
	"hrx/internal/notify"
	"hrx/internal/users"
)

// The day after the due day of October 2025's figures (15 November), in
// the morning, India time.
var dayAfter = time.Date(2025, 11, 16, 10, 0, 0, 0, bodies.Zone)

// TestReminderOnceWithTwoWorkers: two job engines (as two hrx serve
// processes) share one database; when a due day has passed, each editor
// concerned is reminded once, not once per process, and a run of the same
// day again adds nothing.
func TestReminderOnceWithTwoWorkers(t *testing.T) {
	tm := newTeam(t)
	srv := mailtest.Start(t, mailtest.Options{})
	var svcs []*notify.Service
	for range 2 {
		svc := start(t, tm.d, srv.Config("", ""), notify.Options{Now: func() time.Time { return dayAfter }})
		svcs = append(svcs, svc)
	}
	// The editor of the body's cell and the administrators (the cells no body reports).
	got := byRecipient(t, srv, 2)
	p, ok := got["ed@example.gov"]
	if !ok {
		t.Fatalf("the editor was not reminded: %v", got)
	}
	for _, want := range []string{"Emigration desk, October 2025: 1 cell has no figure; it was due on 15 November 2025",
		"https://hrx.example.gov/months/2025-10", "the day after it"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("reminder lacks %q:\n%s", want, p.Text)
		}
	}
	if _, ok := got["admin@example.gov"]; !ok {
		t.Error("the administrators were not reminded of the cells no body reports")
	}
	// Both processes ran their schedules; give them time to have doubled.
	time.Sleep(2 * time.Second)
	for _, svc := range svcs {
		if n, err := svc.Remind(ctx, dayAfter); n != 0 || err != nil {
			t.Errorf("a second run of the day reminded %d, %v", n, err)
		}
	}
	time.Sleep(500 * time.Millisecond)
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("%d messages; want 2, one a person", n)
	}
}

// TestRemindersRule: who is reminded on which day: 3 days before the due
// day, the day after it, then weekly while figures are missing.
func TestRemindersRule(t *testing.T) {
	tm := newTeam(t)
	svc := start(t, tm.d, mailtest.Start(t, mailtest.Options{}).Config("", ""), notify.Options{NoPeriodic: true})
	for _, c := range []struct {
		day  time.Time
		why  string // "" for no reminder
		from month.Month
	}{
		{time.Date(2025, 11, 11, 9, 0, 0, 0, bodies.Zone), "", 0},
		{time.Date(2025, 11, 12, 9, 0, 0, 0, bodies.Zone), "soon", month.MustParse("2025-10")},
		{time.Date(2025, 11, 15, 9, 0, 0, 0, bodies.Zone), "", 0},
		{time.Date(2025, 11, 16, 9, 0, 0, 0, bodies.Zone), "overdue", month.MustParse("2025-10")},
		{time.Date(2025, 11, 17, 9, 0, 0, 0, bodies.Zone), "", 0},
		{time.Date(2025, 11, 23, 9, 0, 0, 0, bodies.Zone), "weekly", month.MustParse("2025-10")},
		{time.Date(2025, 11, 30, 9, 0, 0, 0, bodies.Zone), "weekly", month.MustParse("2025-10")},
	} {
		plan, err := svc.Reminders(ctx, c.day)
		if err != nil {
			t.Fatal(err)
		}
		var mine []notify.Item
		for _, p := range plan {
			if p.User.ID == tm.ed.ID {
				mine = p.Items
			}
		}
		switch {
		case c.why == "" && len(mine) > 0:
			t.Errorf("%s: reminded %+v", c.day.Format(time.DateOnly), mine)
		case c.why != "" && (len(mine) != 1 || mine[0].Why != c.why || mine[0].Month != c.from || mine[0].Missing != 1):
			t.Errorf("%s: %+v, want %s for %s", c.day.Format(time.DateOnly), mine, c.why, c.from)
		}
	}
}

// TestRemindBefore: HRX_REMIND_DAYS_BEFORE moves the first reminder.
func TestRemindBefore(t *testing.T) {
	tm := newTeam(t)
	svc, err := notify.New(tm.d, config.Config{RemindBefore: 5}, quiet, notify.Options{NoPeriodic: true})
	if err != nil {
		t.Fatal(err)
	}
	for day, want := range map[int]int{10: 1, 12: 0} {
		plan, err := svc.Reminders(ctx, time.Date(2025, 11, day, 9, 0, 0, 0, bodies.Zone))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range plan {
			if p.User.ID == tm.ed.ID && p.Items[0].Why == "soon" {
				n++
			}
		}
		if n != want {
			t.Errorf("%d November: %d reminders, want %d", day, n, want)
		}
	}
}

// TestReminderRunIsFast: a reminder run over 60 months × 20 bodies × 50
// people takes under 2 seconds and writes at most one reminder a person.
func TestReminderRunIsFast(t *testing.T) {
	d := newBig(t)
	svc := start(t, d, mailtest.Start(t, mailtest.Options{}).Config("", ""), notify.Options{NoPeriodic: true})
	// A day when many bodies' months are at a reminder point.
	day := time.Date(2026, 1, 16, 9, 0, 0, 0, bodies.Zone)
	t0 := time.Now()
	n, err := svc.Remind(ctx, day)
	took := time.Since(t0)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("reminder run over 60 months × 20 bodies × 50 people: %d people reminded in %s", n, took.Round(time.Millisecond))
	if took > 2*time.Second {
		t.Errorf("took %s", took)
	}
	if n == 0 || n > 50 {
		t.Errorf("%d people reminded", n)
	}
	var per []struct {
		UserID int64
		N      int
	}
	if err := d.R.Table("notifications").Select("user_id, COUNT(*) AS n").Where("kind = ?", "reminder").Group("user_id").Scan(&per).Error; err != nil {
		t.Fatal(err)
	}
	for _, p := range per {
		if p.N != 1 {
			t.Errorf("user %d has %d reminders", p.UserID, p.N)
		}
	}
	if n, _ := svc.Remind(ctx, day); n != 0 {
		t.Errorf("the same day again reminded %d", n)
	}
}

// newBig is 20 bodies (one cell each, due days 1 to 20), 50 editors (each in
// two or three bodies) and a target from 60 months back.
func newBig(t *testing.T) *db.DB {
	t.Helper()
	tm := newTeam(t)
	d := tm.d
	bs := bodies.NewStore(d)
	list, _ := bs.List(ctx)
	for _, b := range list {
		if _, err := bs.Delete(ctx, tm.admin.Actor(), users.Admin, b.ID); err != nil {
			t.Fatal(err)
		}
	}
	cells, err := bs.Cells(ctx)
	if err != nil || len(cells) < 20 {
		t.Fatalf("%d cells, %v", len(cells), err)
	}
	var eds []users.User
	for i := range 50 {
		eds = append(eds, addUser(t, d, fmt.Sprintf("editor%02d@example.gov", i), users.Editor))
	}
	for b := range 20 {
		var members []string
		for i, u := range eds {
			if i%20 == b || (i+7)%20 == b || i%8 == b%8 && i%3 == 0 {
				members = append(members, id(u))
			}
		}
		if _, err := bs.Save(ctx, tm.admin.Actor(), users.Admin, bodies.Input{NameEN: fmt.Sprintf("Body %02d", b), DueDay: fmt.Sprint(b + 1),
			Cells: []string{cells[b].Key()}, Members: members}); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.W.Exec("INSERT INTO targets (slug, name_en, value, start_month, end_month) VALUES ('t', 'T', 1000, '2021-01', '2026-12')").Error; err != nil {
		t.Fatal(err)
	}
	return d
}
