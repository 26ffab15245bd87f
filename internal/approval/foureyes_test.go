package approval_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/settings"
	"hrx/internal/users"
)

// setCell saves one cell of the month grid as actor.
func setCell(t *testing.T, d *db.DB, actor audit.Actor, m string, n int64) {
	t.Helper()
	fs := figures.NewStore(d)
	g, err := fs.Grid(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.SaveGrid(context.Background(), actor, m, []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &n, Version: g.Cell("IN-JP", "student").Version()}}); err != nil {
		t.Fatal(err)
	}
}

// TestFourEyes: whoever submitted a month, or changed its figures since its
// last publication (through the grid or a bulk load), does not publish it;
// the refusal names who else can, and the rule can be turned off.
func TestFourEyes(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	s := approval.NewStore(d, figures.NewStore(d))
	ed, ap := people(t, d)
	ap2 := addUser(t, d, "second@example.gov.in", users.Approver)
	admin := addUser(t, d, "admin@example.gov.in", users.Admin)
	off := addUser(t, d, "gone@example.gov.in", users.Approver)
	if _, err := users.NewStore(d).Update(ctx, audit.System("test"), off.UserID, users.Approver, true); err != nil {
		t.Fatal(err)
	}
	refused := func(err error, wants ...string) {
		t.Helper()
		if apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("got %v, want a four-eyes refusal", err)
		}
		for _, w := range wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("refusal %q lacks %q", err, w)
			}
		}
		if strings.Contains(err.Error(), "gone@example.gov.in") {
			t.Errorf("a disabled approver is offered: %q", err)
		}
	}
	publish := func(who audit.Actor, m string) error {
		_, err := s.PublishConfirming(ctx, who, users.Approver, m, "", checked(t, s, m))
		return err
	}

	// The approver changed a figure in the grid and the editor submitted: not the approver.
	setCell(t, d, ap, "2025-09", 40)
	if _, err := s.Do(ctx, ed, users.Editor, "2025-09", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	refused(publish(ap, "2025-09"), "September 2025: you changed its figures since it was last published, so under the four-eyes rule someone else must publish it.",
		"admin@example.gov.in and second@example.gov.in can publish it.")
	// CheckPublish says the same before anyone acts.
	refused(s.CheckPublish(ctx, ap, users.Approver, month.MustParse("2025-09"), approval.Publish), "you changed its figures")
	if st, _ := s.State(ctx, month.MustParse("2025-09")); st.State != approval.Submitted {
		t.Fatalf("a refused publication moved the month: %s", st.State)
	}
	if err := publish(ap2, "2025-09"); err != nil {
		t.Fatalf("a second approver: %v", err)
	}

	// Who submitted it: not them. Who changed it before its last publication: no longer counts.
	if _, err := s.Do(ctx, ap2, users.Approver, "2025-09", approval.Reopen, "JASSO revised September"); err != nil {
		t.Fatal(err)
	}
	setCell(t, d, ed, "2025-09", 41)
	if _, err := s.Do(ctx, ap2, users.Approver, "2025-09", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	refused(publish(ap2, "2025-09"), "you submitted it for review, so", "admin@example.gov.in and ap@example.gov.in can publish it.")
	if err := publish(ap, "2025-09"); err != nil {
		t.Fatalf("the approver who changed it before its last publication: %v", err)
	}

	// Both, through a bulk load (its cells are in the audit log with who loaded them).
	if err := figures.NewStore(d).Insert(ctx, admin, []figures.Figure{{Month: "2025-10", Direction: "JP-IN", Category: "business", Count: 5}}, "MEA file"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Do(ctx, admin, users.Admin, "2025-10", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	refused(publish(admin, "2025-10"), "you submitted it for review and changed its figures since it was last published")

	// The only other approver is disabled or involved: an administrator must add one.
	for _, a := range []audit.Actor{ap, ap2} {
		if _, err := users.NewStore(d).Update(ctx, audit.System("test"), a.UserID, users.Approver, true); err != nil {
			t.Fatal(err)
		}
	}
	refused(publish(admin, "2025-10"), "No other approver exists; an administrator must add one.")

	// The command line without --as cannot show it is someone else; --single-approver is recorded.
	res, err := s.PublishRange(ctx, audit.System("hrx month publish"), month.MustParse("2025-10"), month.MustParse("2025-10"), approval.RangeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	refused(res.Stopped, "October 2025 cannot be published as hrx month publish while the four-eyes rule is on", "--single-approver")
	res, err = s.PublishRange(ctx, audit.System("hrx month publish"), month.MustParse("2025-10"), month.MustParse("2025-10"), approval.RangeOptions{SingleApprover: true, Comment: "official history", ConfirmFlags: "official history"})
	if err != nil || strings.Join(res.Published, ",") != "2025-10" {
		t.Fatalf("single approver: %+v %v", res, err)
	}
	entries, _ := audit.NewStore(d).List(ctx, audit.Filter{Entity: "month", Month: "2025-10"})
	if len(entries) == 0 || entries[0].Action != "publish" || !strings.Contains(entries[0].After, `"single_approver":true`) ||
		audit.Describe(entries[0], audit.Names{}).String() != "Published October 2025 as a single approver, setting the four-eyes rule aside (was: submitted)" {
		t.Errorf("the publication's audit entry: %+v", entries)
	}

	// With the rule off, one person may do both; nothing says single approver.
	if err := settings.NewStore(d).Set(ctx, audit.System("test"), map[string]string{"four_eyes": "off"}); err != nil {
		t.Fatal(err)
	}
	setCell(t, d, admin, "2025-11", 3)
	if _, err := s.Do(ctx, admin, users.Admin, "2025-11", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	if err := publish(admin, "2025-11"); err != nil {
		t.Fatalf("four-eyes off: %v", err)
	}
	entries, _ = audit.NewStore(d).List(ctx, audit.Filter{Entity: "month", Month: "2025-11"})
	if strings.Contains(entries[0].After, "single_approver") {
		t.Errorf("with the rule off the entry says %s", entries[0].After)
	}
}

// TestNothingToReport: an empty month is published only by saying so, with a
// reason; the public sees no figures for it; reopened and given figures, it is
// published with them and no longer marked.
func TestNothingToReport(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	s := approval.NewStore(d, figures.NewStore(d))
	ed, ap := people(t, d)
	var ve *apperr.ValidationError
	if _, err := s.Do(ctx, ap, users.Approver, "2025-09", approval.NothingToReport, " "); !errors.As(err, &ve) || !strings.Contains(ve.Error(), "Say why there are no figures to report") {
		t.Fatalf("without a reason: %v", err)
	}
	if _, err := s.Do(ctx, ed, users.Editor, "2025-09", approval.NothingToReport, "none"); apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("an editor: %v", err)
	}
	st, err := s.Do(ctx, ap, users.Approver, "2025-09", approval.NothingToReport, "No departures were recorded in September")
	if err != nil {
		t.Fatal(err)
	}
	if st.State != approval.Published || !st.NothingToReport || st.NothingReason != "No departures were recorded in September" || st.PublishedBy != ap.Name || st.Publications != 1 {
		t.Fatalf("published as nothing to report: %+v", st)
	}
	entries, _ := audit.NewStore(d).List(ctx, audit.Filter{Entity: "month", Month: "2025-09"})
	if got := audit.Describe(entries[0], audit.Names{}).String(); got != "Published September 2025 as “nothing to report” (was: open)" || entries[0].Reason != st.NothingReason {
		t.Errorf("audit: %q %q", got, entries[0].Reason)
	}
	// A month with figures is published with them.
	seed(t, d, figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 5})
	if _, err := s.Do(ctx, ap, users.Approver, "2025-10", approval.NothingToReport, "none"); apperr.KindOf(err) != apperr.Conflict ||
		err.Error() != "October 2025 has 1 figure; publish it with its figures instead of as “nothing to report”" {
		t.Fatalf("nothing to report with figures: %v", err)
	}
	// Reopened, the public still sees nothing reported; given figures and published, the mark goes.
	if _, err := s.Do(ctx, ap, users.Approver, "2025-09", approval.Reopen, "the late file came"); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.State(ctx, month.MustParse("2025-09")); !st.NothingToReport || !st.Public() {
		t.Errorf("reopened: %+v", st)
	}
	setCell(t, d, ed, "2025-09", 12)
	if _, err := s.Do(ctx, ed, users.Editor, "2025-09", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	st, err = s.Do(ctx, ap, users.Approver, "2025-09", approval.Publish, "")
	if err != nil || st.NothingToReport || st.NothingReason != "" || st.Publications != 2 {
		t.Fatalf("published with figures: %+v %v", st, err)
	}
	if got := publicTotal(t, d, "2025-09"); got != 12 {
		t.Errorf("public total %d", got)
	}
	// The command line: --nothing-to-report needs the reason, and publishes empty months as such.
	seed(t, d, figures.Figure{Month: "2025-12", Direction: "IN-JP", Category: "student", Count: 5})
	if _, err := s.PublishRange(ctx, ap, month.MustParse("2025-10"), month.MustParse("2025-12"), approval.RangeOptions{NothingToReport: true}); !errors.As(err, &ve) {
		t.Fatalf("--nothing-to-report without a reason: %v", err)
	}
	res, err := s.PublishRange(ctx, ap, month.MustParse("2025-10"), month.MustParse("2025-12"), approval.RangeOptions{NothingToReport: true, Comment: "No file from MEA", SingleApprover: true})
	if err != nil || strings.Join(res.Published, ",") != "2025-10,2025-12" || strings.Join(res.Nothing, ",") != "2025-11" || res.Stopped != nil {
		t.Fatalf("range: %+v %v", res, err)
	}
	if st, _ := s.State(ctx, month.MustParse("2025-11")); !st.NothingToReport || st.NothingReason != "No file from MEA" {
		t.Errorf("2025-11: %+v", st)
	}
}
