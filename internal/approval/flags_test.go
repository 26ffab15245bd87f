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
	"hrx/internal/users"
)

// confirmations counts the confirmations kept for month m.
func confirmations(t *testing.T, d *db.DB, m string) int64 {
	t.Helper()
	var n int64
	if err := d.R.Model(&approval.FlagConfirmation{}).Where("month = ?", m).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFlagsNeedReasons: a month whose figures are far from their recent level
// is published only once each flag is confirmed with a reason, for the value
// the figure has; the reasons go to the audit log under the cell's key (its
// history); a figure changed after it was confirmed needs confirming again,
// one left as it was does not. Nothing is kept from a refused publication.
func TestFlagsNeedReasons(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	s := approval.NewStore(d, figures.NewStore(d))
	ed, ap := people(t, d)
	// Six months of history before the plan (which does not hold them up),
	// then September: students five times their median, the total 550 after 150.
	for m := month.MustParse("2025-03"); m <= month.MustParse("2025-08"); m++ {
		seed(t, d, figures.Figure{Month: m.String(), Direction: "IN-JP", Category: "student", Count: 100},
			figures.Figure{Month: m.String(), Direction: "IN-JP", Category: "engineer", Count: 50})
	}
	seed(t, d, figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 500},
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Count: 50})
	if _, err := s.Do(ctx, ed, users.Editor, "2025-09", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	student := approval.ReasonField("2025-09/IN-JP/student")
	if student != "reason-2025-09-IN-JP-student" || approval.ReasonField("2025-09/total") != "reason-2025-09-total" {
		t.Errorf("reason field %q", student)
	}

	// Without reasons: refused, naming each flag; nothing changes.
	_, err := s.Do(ctx, ap, users.Approver, "2025-09", approval.Publish, "")
	if apperr.KindOf(err) != apperr.Conflict || !approval.FlagsUnconfirmed(err) ||
		err.Error() != "September 2025 cannot be published until each of its 2 figures far from their recent level is confirmed with a reason: India to Japan, student (500) and the month's total (550)" {
		t.Fatalf("publishing without reasons: %v", err)
	}
	// CheckPublish says nothing of the flags: they are confirmed in the act.
	if err := s.CheckPublish(ctx, ap, users.Approver, month.MustParse("2025-09"), approval.Publish); err != nil {
		t.Errorf("CheckPublish: %v", err)
	}
	flags, err := s.Flags(ctx, month.MustParse("2025-09"))
	if err != nil || len(flags) != 2 || flags[0].Key() != "2025-09/IN-JP/student" || flags[0].Value != 500 || flags[1].Key() != "2025-09/total" ||
		flags[0].Confirmed != nil || flags[1].Confirmed != nil {
		t.Fatalf("flags: %+v %v", flags, err)
	}
	// An empty reason is an error on its field; the other reason is not kept either.
	_, err = s.PublishConfirming(ctx, ap, users.Approver, "2025-09", "", []approval.Confirmation{
		{Key: "2025-09/IN-JP/student", Value: 500, Reason: "  "}, {Key: "2025-09/total", Value: 550, Reason: "JASSO intake"}})
	var ve *apperr.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != student ||
		ve.For(student).String() != "Say in a few words why this figure is right as it is; the reason is kept in the audit log and in the cell's history" {
		t.Fatalf("an empty reason: %v", err)
	}
	// A reason written for another value (the figure changed since) does not confirm it.
	_, err = s.PublishConfirming(ctx, ap, users.Approver, "2025-09", "", []approval.Confirmation{
		{Key: "2025-09/IN-JP/student", Value: 500, Reason: "JASSO intake"}, {Key: "2025-09/total", Value: 549, Reason: "JASSO intake"}})
	if !approval.FlagsUnconfirmed(err) || !strings.Contains(err.Error(), "the month's total (now 550; it was 549 when the reason was written)") {
		t.Fatalf("a reason for another value: %v", err)
	}
	if n := confirmations(t, d, "2025-09"); n != 0 {
		t.Fatalf("a refused publication kept %d confirmations", n)
	}
	if st, _ := s.State(ctx, month.MustParse("2025-09")); st.State != approval.Submitted || publicTotal(t, d, "2025-09") != 0 {
		t.Fatalf("a refused publication changed the month: %+v", st)
	}

	// With a reason for each: published, each reason kept and in the audit log.
	st, err := s.PublishConfirming(ctx, ap, users.Approver, "2025-09", "", []approval.Confirmation{
		{Key: "2025-09/IN-JP/student", Value: 500, Reason: "JASSO: the autumn intake"}, {Key: "2025-09/total", Value: 550, Reason: "the autumn intake"}})
	if err != nil || st.State != approval.Published || publicTotal(t, d, "2025-09") != 550 {
		t.Fatalf("publishing with reasons: %+v %v", st, err)
	}
	if n := confirmations(t, d, "2025-09"); n != 2 {
		t.Errorf("%d confirmations kept", n)
	}
	history, err := audit.NewStore(d).Cell(ctx, "2025-09", "2025-09/IN-JP/student")
	if err != nil || len(history) == 0 || history[0].Entity != "flag" || history[0].Action != "confirm" || history[0].Reason != "JASSO: the autumn intake" ||
		history[0].Actor != ap.Name || !strings.Contains(history[0].After, `"total":500`) {
		t.Fatalf("the cell's history: %+v %v", history, err)
	}
	flags, _ = s.Flags(ctx, month.MustParse("2025-09"))
	if len(flags) != 2 || flags[0].Confirmed == nil || flags[0].Confirmed.Reason != "JASSO: the autumn intake" || flags[0].Confirmed.Actor != ap.Name {
		t.Fatalf("flags after publishing: %+v", flags)
	}

	// Reopened and revised: engineers 50 → 80 moves the total, which needs a
	// reason again; the students, unchanged, keep theirs.
	if _, err := s.Do(ctx, ap, users.Approver, "2025-09", approval.Reopen, "engineers were missing"); err != nil {
		t.Fatal(err)
	}
	fs := figures.NewStore(d)
	g, _ := fs.Grid(ctx, "2025-09")
	v := int64(80)
	if _, err := fs.SaveGrid(ctx, ed, "2025-09", []figures.CellInput{{Direction: "IN-JP", Category: "engineer", Value: &v, Version: g.Cell("IN-JP", "engineer").Version()}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Do(ctx, ed, users.Editor, "2025-09", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	_, err = s.Do(ctx, ap, users.Approver, "2025-09", approval.Publish, "")
	if !approval.FlagsUnconfirmed(err) || err.Error() != "September 2025 cannot be published until its figure far from its recent level is confirmed with a reason: the month's total (580)" {
		t.Fatalf("publishing the revision: %v", err)
	}
	if publicTotal(t, d, "2025-09") != 550 {
		t.Error("the refused revision reached the public")
	}
	if _, err := s.PublishConfirming(ctx, ap, users.Approver, "2025-09", "", []approval.Confirmation{{Key: "2025-09/total", Value: 580, Reason: "engineers added"}}); err != nil {
		t.Fatal(err)
	}
	if publicTotal(t, d, "2025-09") != 580 || confirmations(t, d, "2025-09") != 3 {
		t.Errorf("after the revision: public %d, %d confirmations", publicTotal(t, d, "2025-09"), confirmations(t, d, "2025-09"))
	}
	entries, _ := audit.NewStore(d).List(ctx, audit.Filter{Entity: "flag", Month: "2025-09"})
	if len(entries) != 3 || audit.Describe(entries[0], audit.Names{}).String() != "Confirmed the total of September 2025 as it is: 580, far from the month before" {
		t.Errorf("audit: %+v", entries)
	}
}

// TestPublishRangeConfirmsFlags: loading official history stops at a month
// with an unconfirmed flag, naming it, unless ConfirmFlags gives the reason,
// which each flag is confirmed with.
func TestPublishRangeConfirmsFlags(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	s := approval.NewStore(d, figures.NewStore(d))
	seed(t, d, figures.Figure{Month: "2025-09", Direction: "JP-IN", Category: "business", Count: 100},
		figures.Figure{Month: "2025-10", Direction: "JP-IN", Category: "business", Count: 400})
	res, err := s.PublishRange(ctx, audit.System("hrx month publish"), month.MustParse("2025-09"), month.MustParse("2025-10"), approval.RangeOptions{SingleApprover: true})
	if err != nil || strings.Join(res.Published, ",") != "2025-09" || res.StoppedAt != month.MustParse("2025-10") || !approval.FlagsUnconfirmed(res.Stopped) ||
		!strings.Contains(res.Stopped.Error(), "Japan to India, business (400) and the month's total (400)") {
		t.Fatalf("without ConfirmFlags: %+v %v", res, err)
	}
	res, err = s.PublishRange(ctx, audit.System("hrx month publish"), month.MustParse("2025-10"), month.MustParse("2025-10"),
		approval.RangeOptions{SingleApprover: true, ConfirmFlags: " MEA file checked "})
	if err != nil || res.Stopped != nil || strings.Join(res.Published, ",") != "2025-10" {
		t.Fatalf("with ConfirmFlags: %+v %v", res, err)
	}
	flags, _ := s.Flags(ctx, month.MustParse("2025-10"))
	if len(flags) != 2 || flags[0].Confirmed == nil || flags[0].Confirmed.Reason != "MEA file checked" || flags[1].Confirmed == nil {
		t.Errorf("flags: %+v", flags)
	}
}
