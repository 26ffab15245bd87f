package approval_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/users"
)

var (
	editor   = audit.Actor{Name: "ed@example.gov.in"}
	approver = audit.Actor{Name: "ap@example.gov.in"}
	// history loads official history from the command line's path.
	history = approval.RangeOptions{SingleApprover: true, ConfirmFlags: "official history"}
)

// checked are reasons for every flag month m has now, as a publisher who
// checked each figure gives them.
func checked(t *testing.T, s *approval.Store, m string) []approval.Confirmation {
	t.Helper()
	flags, err := s.Flags(context.Background(), month.MustParse(m))
	if err != nil {
		t.Fatal(err)
	}
	var out []approval.Confirmation
	for _, f := range flags {
		out = append(out, approval.Confirmation{Key: f.Key(), Value: f.Value, Reason: "checked with the source"})
	}
	return out
}

// people creates an editor and an approver and returns them as actors, so
// that the four-eyes rule (on in a new installation) sees two people.
func people(t *testing.T, d *db.DB) (ed, ap audit.Actor) {
	t.Helper()
	return addUser(t, d, editor.Name, users.Editor), addUser(t, d, approver.Name, users.Approver)
}

func addUser(t *testing.T, d *db.DB, email string, role users.Role) audit.Actor {
	t.Helper()
	u, err := users.NewStore(d).Create(context.Background(), audit.System("test"), users.NewUser{Email: email, Role: role, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

func seed(t *testing.T, d *db.DB, rows ...figures.Figure) {
	t.Helper()
	if err := figures.NewStore(d).Insert(context.Background(), audit.System("test"), rows, "test"); err != nil {
		t.Fatal(err)
	}
}

// publicTotal is what the public sees of a month.
func publicTotal(t *testing.T, d *db.DB, m string) int64 {
	t.Helper()
	rows, total, err := figures.NewStore(d).Aggregate(context.Background(), figures.Public, figures.Filter{From: m, To: m}, nil)
	if err != nil || len(rows) != 1 {
		t.Fatal(rows, err)
	}
	return total
}

func TestPublishSnapshotAndRevision(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	s := approval.NewStore(d, figures.NewStore(d))
	fs := figures.NewStore(d)
	editor, approver := people(t, d)
	seed(t, d,
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 1},
		figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 100},
		figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Origin: "IN-KA", Destination: "JP-13", Count: 40},
	)
	if got := publicTotal(t, d, "2025-10"); got != 0 {
		t.Fatalf("an open month is public: %d", got)
	}
	// Publication goes in month order: September first.
	if res, err := s.PublishRange(ctx, audit.System("test"), month.MustParse("2025-09"), month.MustParse("2025-09"), history); err != nil || len(res.Published) != 1 {
		t.Fatalf("publishing September: %+v %v", res, err)
	}
	if _, err := s.Do(ctx, editor, users.Editor, "2025-10", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	// Submitted: locked for editors, still not public.
	grid, _ := fs.Grid(ctx, "2025-10")
	v := int64(1)
	_, err := fs.SaveGrid(ctx, editor, "2025-10", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &v, Version: grid.Cell("IN-JP", "student").Version()}})
	if apperr.KindOf(err) != apperr.Locked || !strings.Contains(err.Error(), "October 2025 was submitted for review by ed@example.gov.in on ") {
		t.Fatalf("save in a submitted month: %v", err)
	}
	if got := publicTotal(t, d, "2025-10"); got != 0 {
		t.Fatalf("a submitted month is public: %d", got)
	}
	st, err := s.PublishConfirming(ctx, approver, users.Approver, "2025-10", "", checked(t, s, "2025-10"))
	if err != nil {
		t.Fatal(err)
	}
	if st.State != approval.Published || st.Publications != 1 || st.Revised() || st.PublishedBy != approver.Name {
		t.Fatalf("after publishing: %+v", st)
	}
	if got := publicTotal(t, d, "2025-10"); got != 140 {
		t.Fatalf("published month: public total %d, want 140", got)
	}
	var published []figures.Figure
	if err := fs.Each(ctx, figures.Public, figures.Filter{From: "2025-10"}, func(f figures.Figure) error { published = append(published, f); return nil }); err != nil || len(published) != 2 {
		t.Fatalf("published rows: %v %v", published, err)
	}
	_, err = fs.SaveGrid(ctx, editor, "2025-10", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &v, Version: grid.Cell("IN-JP", "student").Version()}})
	if apperr.KindOf(err) != apperr.Locked || !strings.Contains(err.Error(), "October 2025 was published by ap@example.gov.in on ") || !strings.Contains(err.Error(), "ask an approver to reopen it") {
		t.Fatalf("save in a published month: %v", err)
	}

	// Reopen needs a reason; then the revision does not show until published again.
	var ve *apperr.ValidationError
	if _, err := s.Do(ctx, approver, users.Approver, "2025-10", approval.Reopen, "  "); !errors.As(err, &ve) || ve.For("comment").IsZero() {
		t.Fatalf("reopen without a reason: %v", err)
	}
	if _, err := s.Do(ctx, approver, users.Approver, "2025-10", approval.Reopen, "JASSO corrected October"); err != nil {
		t.Fatal(err)
	}
	grid, _ = fs.Grid(ctx, "2025-10")
	lower := int64(60)
	if _, err := fs.SaveGrid(ctx, editor, "2025-10", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &lower, Version: grid.Cell("IN-JP", "student").Version()}}); err != nil {
		t.Fatal(err)
	}
	if got := publicTotal(t, d, "2025-10"); got != 140 {
		t.Fatalf("during the revision the public sees %d, want the published 140", got)
	}
	staff, _, _ := fs.Aggregate(ctx, figures.Staff, figures.Filter{From: "2025-10", To: "2025-10"}, nil)
	if staff[0].Count != 100 {
		t.Fatalf("staff see %d, want 100", staff[0].Count)
	}
	if _, err := s.Do(ctx, editor, users.Editor, "2025-10", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	st, err = s.PublishConfirming(ctx, approver, users.Approver, "2025-10", "", checked(t, s, "2025-10"))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Revised() || st.Publications != 2 {
		t.Fatalf("republished: %+v", st)
	}
	if got := publicTotal(t, d, "2025-10"); got != 100 {
		t.Fatalf("republished: public total %d, want 100", got)
	}

	// Every move is in the audit log, with its state before and after and the reason.
	entries, err := audit.NewStore(d).List(ctx, audit.Filter{Entity: "month", Month: "2025-10"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		got = append(got, e.Action+" "+e.Actor+" "+e.Before+" → "+e.After+" "+e.Reason)
	}
	want := []string{
		`submit ed@example.gov.in {"state":"open"} → {"state":"submitted"} `,
		`publish ap@example.gov.in {"state":"submitted"} → {"publication":1,"state":"published"} `,
		`reopen ap@example.gov.in {"state":"published"} → {"state":"open"} JASSO corrected October`,
		`submit ed@example.gov.in {"state":"open"} → {"state":"submitted"} `,
		`publish ap@example.gov.in {"state":"submitted"} → {"publication":2,"state":"published"} `,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReturnNeedsComment(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	s := approval.NewStore(d, figures.NewStore(d))
	editor, approver := people(t, d)
	seed(t, d, figures.Figure{Month: "2025-09", Direction: "JP-IN", Category: "business", Count: 5})
	if _, err := s.Do(ctx, editor, users.Editor, "2025-09", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	var ve *apperr.ValidationError
	if _, err := s.Do(ctx, approver, users.Approver, "2025-09", approval.Return, ""); !errors.As(err, &ve) {
		t.Fatalf("return without a comment: %v", err)
	}
	st, err := s.Do(ctx, approver, users.Approver, "2025-09", approval.Return, "Business visas look doubled; check the source")
	if err != nil || st.State != approval.Open || st.Action != "return" || st.Comment == "" || st.EverPublished() {
		t.Fatalf("returned: %+v %v", st, err)
	}
	// An editor may not publish, whatever the state; the refusal says so and changes nothing.
	if _, err := s.Do(ctx, editor, users.Editor, "2025-09", approval.Publish, ""); apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("editor publishing: %v", err)
	}
	if st, _ := s.State(ctx, month.MustParse("2025-09")); st.State != approval.Open {
		t.Fatalf("state after a refusal: %s", st.State)
	}
}

func TestPublishChecks(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	s := approval.NewStore(d, figures.NewStore(d))
	editor, approver := people(t, d)
	// Nothing to publish.
	if _, err := s.Do(ctx, editor, users.Editor, "2025-08", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Do(ctx, approver, users.Approver, "2025-08", approval.Publish, ""); apperr.KindOf(err) != apperr.Conflict || !strings.Contains(err.Error(), "August 2025 has no figures to publish") {
		t.Fatalf("publishing an empty month: %v", err)
	}
	// Figures written around the application (here by SQL) that break the rules.
	seed(t, d, figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 5},
		figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 7},
		figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 9})
	if err := d.W.Exec(`UPDATE figures SET origin = 'JP-13' WHERE month = '2025-09'`).Error; err != nil {
		t.Fatal(err)
	}
	if err := d.W.Exec(`UPDATE month_totals SET total = 6 WHERE month = '2025-10'`).Error; err != nil {
		t.Fatal(err)
	}
	// A range stops at the first month it cannot publish, names it and why,
	// and leaves it and the months after it as they were; empty months before
	// the targets' windows are skipped.
	publishRange := func(from, to string) approval.RangeResult {
		t.Helper()
		res, err := s.PublishRange(ctx, audit.System("hrx month publish"), month.MustParse(from), month.MustParse(to), approval.RangeOptions{Comment: "official history", SingleApprover: true, ConfirmFlags: "official history"})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := publishRange("2025-07", "2025-11")
	if len(res.Published) != 0 || strings.Join(res.Skipped, ",") != "2025-07,2025-08" || res.StoppedAt != month.MustParse("2025-09") ||
		fmt.Sprint(res.Stopped) != "September 2025 cannot be published: rows have an origin or destination in the wrong country for their direction (2025-09/IN-JP/student/JP-13)" {
		t.Fatalf("range: %+v", res)
	}
	if err := d.W.Exec(`UPDATE figures SET origin = '' WHERE month = '2025-09'`).Error; err != nil {
		t.Fatal(err)
	}
	res = publishRange("2025-09", "2025-11")
	if strings.Join(res.Published, ",") != "2025-09" || res.StoppedAt != month.MustParse("2025-10") ||
		fmt.Sprint(res.Stopped) != "October 2025 cannot be published: the total of IN-JP/student does not match its rows; save the month again to recount it" {
		t.Fatalf("second range: %+v", res)
	}
	for _, m := range []string{"2025-10", "2025-11"} {
		if st, _ := s.State(ctx, month.MustParse(m)); st.State != approval.Open {
			t.Errorf("%s was changed by a stopped range: %s", m, st.State)
		}
	}
	if err := figures.RefreshTotals(d.W, []string{"2025-10"}); err != nil {
		t.Fatal(err)
	}
	res = publishRange("2025-09", "2025-11")
	if strings.Join(res.Published, ",") != "2025-10,2025-11" || strings.Join(res.Already, ",") != "2025-09" || res.Stopped != nil {
		t.Fatalf("third range: %+v", res)
	}
	if got := publicTotal(t, d, "2025-11"); got != 9 {
		t.Errorf("2025-11 public total %d", got)
	}
	// Again: the published month is listed as such and left alone.
	res = publishRange("2025-11", "2025-11")
	if strings.Join(res.Already, ",") != "2025-11" || len(res.Published) != 0 {
		t.Fatalf("fourth range: %+v", res)
	}
}

// TestPublishRacesASave: a save and a publication of the same month at the
// same moment end one way or the other, never with a published month whose
// figures differ from its snapshot.
func TestPublishRacesASave(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	s := approval.NewStore(d, figures.NewStore(d))
	fs := figures.NewStore(d)
	for i := 0; i < 15; i++ {
		m := month.New(2025, 1).Add(i).String()
		seed(t, d, figures.Figure{Month: m, Direction: "IN-JP", Category: "student", Count: 1})
		if _, err := s.Do(ctx, editor, users.Editor, m, approval.Submit, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Do(ctx, approver, users.Approver, m, approval.Return, "again"); err != nil {
			t.Fatal(err)
		}
		g, _ := fs.Grid(ctx, m)
		done := make(chan error, 2)
		go func() {
			v := int64(2)
			_, err := fs.SaveGrid(ctx, editor, m, []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &v, Version: g.Cell("IN-JP", "student").Version()}})
			if apperr.KindOf(err) == apperr.Locked {
				err = nil
			}
			done <- err
		}()
		go func() {
			res, err := s.PublishRange(ctx, approver, month.MustParse(m), month.MustParse(m), history)
			if err == nil && res.Stopped != nil {
				err = res.Stopped
			}
			done <- err
		}()
		for range 2 {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		live, _, _ := fs.Aggregate(ctx, figures.Staff, figures.Filter{From: m, To: m}, nil)
		public, _, _ := fs.Aggregate(ctx, figures.Public, figures.Filter{From: m, To: m}, nil)
		if live[0].Count != public[0].Count {
			t.Fatalf("%s: published %d, figures now %d", m, public[0].Count, live[0].Count)
		}
	}
}
