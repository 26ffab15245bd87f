package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/users"
)

func TestMonthPublishAndReopen(t *testing.T) {
	dsn := dbtest.DSN(t)
	if code, out, errOut := run(t, dsn, "", false, "migrate"); code != 0 {
		t.Fatal(out, errOut)
	}
	d := open(t, dsn)
	ctx := context.Background()
	if err := figures.NewStore(d).Insert(ctx, audit.System("test"), []figures.Figure{
		{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 10},
		{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 30},
	}, "history"); err != nil {
		t.Fatal(err)
	}
	// The four-eyes rule is on in a new installation: without --as the
	// command line cannot show someone else publishes, unless told
	// --single-approver.
	code, out, _ := run(t, dsn, "", false, "month", "publish", "2025-08..2025-11", "--comment", "official history")
	if code != 1 || !strings.Contains(out, "stopped at September 2025; the months after it were not tried:\n  September 2025 cannot be published as hrx month publish while the four-eyes rule is on") ||
		!strings.Contains(out, "--single-approver") {
		t.Fatalf("publish without --single-approver: %d %q", code, out)
	}
	// In month order, stopping at the first month it cannot publish: October has no figures.
	code, out, _ = run(t, dsn, "", false, "month", "publish", "2025-08..2025-11", "--comment", "official history", "--single-approver")
	for _, want := range []string{"published (1): 2025-09", "skipped, no figures and outside every target's window (1): 2025-08",
		"stopped at October 2025; the months after it were not tried:\n  October 2025 has no figures to publish; enter or upload them, or, if there is nothing to report for it, publish it as “nothing to report”, giving the reason"} {
		if !strings.Contains(out, want) {
			t.Errorf("publish output lacks %q:\n%s", want, out)
		}
	}
	if code != 1 || strings.Contains(out, "2025-11") {
		t.Errorf("publish past an empty month: %d %q", code, out)
	}
	// --nothing-to-report needs the reason, then publishes the empty month as such.
	if code, _, errOut := run(t, dsn, "", false, "month", "publish", "2025-10..2025-11", "--nothing-to-report", "--single-approver"); code != 1 || !strings.Contains(errOut, "Say why there are no figures to report") {
		t.Errorf("--nothing-to-report without --comment: %d %q", code, errOut)
	}
	// November's total is far from October's: the range stops there, naming
	// the flag and how to confirm it.
	code, out, errOut := run(t, dsn, "", false, "month", "publish", "2025-09..2025-11", "--nothing-to-report", "--single-approver", "--comment", "No file from MEA for October")
	if code != 1 || !strings.Contains(out, "published as nothing to report (1): 2025-10") || !strings.Contains(out, "already published, left as they were (1): 2025-09") ||
		!strings.Contains(out, "stopped at November 2025; the months after it were not tried:\n  November 2025 cannot be published until its figure far from its recent level is confirmed with a reason: the month's total (30)\n") ||
		!strings.Contains(out, "pass --confirm-flags with the reason") {
		t.Fatalf("publish with --nothing-to-report: %d %q %q", code, out, errOut)
	}
	// --confirm-flags confirms each flag with the reason, recorded for each.
	code, out, errOut = run(t, dsn, "", false, "month", "publish", "2025-09..2025-11", "--single-approver", "--comment", "official history", "--confirm-flags", "MEA confirmed the November intake")
	if code != 0 || !strings.Contains(out, "published (1): 2025-11") || !strings.Contains(out, "already published, left as they were (2): 2025-09, 2025-10") {
		t.Fatalf("publish with --confirm-flags: %d %q %q", code, out, errOut)
	}
	flags, err := audit.NewStore(d).List(ctx, audit.Filter{Entity: "flag", Month: "2025-11"})
	if err != nil || len(flags) != 1 || flags[0].EntityKey != "2025-11/total" || flags[0].Reason != "MEA confirmed the November intake" ||
		audit.Describe(flags[0], audit.Names{}).String() != "Confirmed the total of November 2025 as it is: 30, far from the month before" {
		t.Fatalf("the confirmation in the audit log: %+v %v", flags, err)
	}
	st, err := approval.NewStore(d, figures.NewStore(d)).State(ctx, month.MustParse("2025-10"))
	if err != nil || !st.NothingToReport || st.NothingReason != "No file from MEA for October" || st.PublishedBy != "hrx month publish" {
		t.Fatalf("October: %+v %v", st, err)
	}
	code, out, _ = run(t, dsn, "", false, "month", "publish", "2025-09..2025-09")
	if code != 0 || !strings.Contains(out, "already published, left as they were (1): 2025-09") {
		t.Errorf("publishing again: %d %q", code, out)
	}
	// Reopening needs a reason and one month.
	if code, _, errOut := run(t, dsn, "", false, "month", "reopen", "2025-09"); code == 0 || !strings.Contains(errOut, "--reason") {
		t.Errorf("reopen without a reason: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, dsn, "", false, "month", "reopen", "2025-08", "--reason", "x"); code == 0 || !strings.Contains(errOut, "August 2025: It is already open") {
		t.Errorf("reopening an open month: %d %q", code, errOut)
	}
	if code, out, errOut := run(t, dsn, "", false, "month", "reopen", "2025-09", "--reason", "MEA revised September"); code != 0 || !strings.Contains(out, "September 2025 is open for revision") {
		t.Fatalf("reopen: %d %q %q", code, out, errOut)
	}
	st, err = approval.NewStore(d, figures.NewStore(d)).State(ctx, month.MustParse("2025-09"))
	if err != nil || st.State != approval.Open || st.Comment != "MEA revised September" || st.Actor != "hrx month reopen" {
		t.Fatalf("state after reopen: %+v %v", st, err)
	}
	// A file for a published month is refused whole, naming the month, who published it and when.
	file := filepath.Join(t.TempDir(), "november.csv")
	if err := os.WriteFile(file, []byte("month,direction,category,count\n2025-11,IN-JP,student,31\n2025-08,IN-JP,student,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, dsn, "", false, "import", file)
	if code != 1 || !strings.Contains(out, "November 2025 was published by hrx month publish on ") || !strings.Contains(out, "ask an approver to reopen it") {
		t.Errorf("import into a published month: %d %q", code, out)
	}
	if rows, _, _ := figures.NewStore(d).Aggregate(ctx, figures.Staff, figures.Filter{From: "2025-08", To: "2025-11"}, []string{"month"}); len(rows) != 2 || rows[1].Count != 30 {
		t.Errorf("the refused import changed figures: %+v", rows)
	}
	// --as must name an approver or admin.
	us := users.NewStore(d)
	for email, role := range map[string]users.Role{"ed@example.gov.in": users.Editor, "ap@example.gov.in": users.Approver, "ap2@example.gov.in": users.Approver} {
		if _, err := us.Create(ctx, audit.System("test"), users.NewUser{Email: email, Role: role, Password: "correct horse battery"}); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, errOut := run(t, dsn, "", false, "month", "publish", "2025-09", "--as", "ed@example.gov.in"); code == 0 || !strings.Contains(errOut, "needs the approver role") {
		t.Errorf("publish as an editor: %d %q", code, errOut)
	}
	for _, bad := range []string{"2025-13", "2025-11..2025-09", "September"} {
		if code, _, _ := run(t, dsn, "", false, "month", "publish", bad); code == 0 {
			t.Errorf("publish %q was accepted", bad)
		}
	}
	// --as obeys the four-eyes rule: who imported December's figures does not publish them.
	december := filepath.Join(t.TempDir(), "december.csv")
	if err := os.WriteFile(december, []byte("month,direction,category,count\n2025-12,IN-JP,student,12\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run(t, dsn, "", false, "import", "--as", "ap@example.gov.in", december); code != 0 {
		t.Fatalf("import december: %d %q", code, out)
	}
	code, out, _ = run(t, dsn, "", false, "month", "publish", "2025-12", "--as", "ap@example.gov.in")
	if code != 1 || !strings.Contains(out, "December 2025: you changed its figures since it was last published, so under the four-eyes rule someone else must publish it. ap2@example.gov.in can publish it.") {
		t.Errorf("publish as who imported: %d %q", code, out)
	}
	if code, out, _ := run(t, dsn, "", false, "month", "publish", "2025-12", "--as", "ap2@example.gov.in"); code != 0 || !strings.Contains(out, "published (1): 2025-12") {
		t.Errorf("publish as another approver: %d %q", code, out)
	}
	// A month whose figures fail a check is named, left as it was, and the exit status is 1.
	if err := d.W.Exec("UPDATE month_totals SET total = 1 WHERE month = '2025-09'").Error; err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, dsn, "", false, "month", "publish", "2025-09..2025-11", "--single-approver")
	if code != 1 || !strings.Contains(out, "stopped at September 2025") || !strings.Contains(out, "September 2025 cannot be published: the total of IN-JP/student does not match its rows") {
		t.Errorf("publish with a failing month: %d %q", code, out)
	}
	// Every publication and the reopening are in the audit log, the single
	// approver's and the nothing to report said so.
	entries, err := audit.NewStore(d).List(ctx, audit.Filter{Entity: "month"})
	if err != nil || len(entries) != 5 {
		t.Fatalf("audit: %d entries, %v", len(entries), err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Actor+": "+audit.Describe(e, audit.Names{}).String()+" / "+e.Reason)
	}
	want := []string{
		"ap2@example.gov.in: Published December 2025 (was: open) / ",
		"hrx month reopen: Reopened September 2025 for revision (was: published) / MEA revised September",
		"hrx month publish: Published November 2025 as a single approver, setting the four-eyes rule aside (was: open) / official history",
		"hrx month publish: Published October 2025 as “nothing to report”, as a single approver, setting the four-eyes rule aside (was: open) / No file from MEA for October",
		"hrx month publish: Published September 2025 as a single approver, setting the four-eyes rule aside (was: open) / official history",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestExportPublished(t *testing.T) {
	dsn := dbtest.DSN(t)
	if code, out, errOut := run(t, dsn, "", false, "migrate"); code != 0 {
		t.Fatal(out, errOut)
	}
	d := open(t, dsn)
	if err := figures.NewStore(d).Insert(context.Background(), audit.System("test"), []figures.Figure{
		{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 10},
		{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 30},
	}, "history"); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, dsn, "", false, "month", "publish", "2025-09", "--single-approver"); code != 0 {
		t.Fatal(out, errOut)
	}
	_, all, _ := run(t, dsn, "", false, "export")
	_, public, _ := run(t, dsn, "", false, "export", "--published")
	if !strings.Contains(all, "2025-10,IN-JP,student,30") || strings.Count(all, "\n") != 3 {
		t.Errorf("export:\n%s", all)
	}
	if !strings.Contains(public, "2025-09,IN-JP,student,10") || strings.Contains(public, "2025-10") {
		t.Errorf("export --published:\n%s", public)
	}
}
