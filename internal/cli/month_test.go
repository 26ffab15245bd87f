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
	code, out, errOut := run(t, dsn, "", false, "month", "publish", "2025-08..2025-11", "--comment", "official history")
	if code != 0 {
		t.Fatalf("publish: %d %q %q", code, out, errOut)
	}
	for _, want := range []string{"published (2): 2025-09, 2025-11", "skipped, no figures (2): 2025-08, 2025-10"} {
		if !strings.Contains(out, want) {
			t.Errorf("publish output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, dsn, "", false, "month", "publish", "2025-09..2025-09")
	if code != 0 || !strings.Contains(out, "already published, left as they were (1): 2025-09") {
		t.Errorf("publishing again: %d %q", code, out)
	}
	// Reopening needs a reason and one month.
	if code, _, errOut := run(t, dsn, "", false, "month", "reopen", "2025-09"); code == 0 || !strings.Contains(errOut, "--reason") {
		t.Errorf("reopen without a reason: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, dsn, "", false, "month", "reopen", "2025-10", "--reason", "x"); code == 0 || !strings.Contains(errOut, "October 2025: It is already open") {
		t.Errorf("reopening an open month: %d %q", code, errOut)
	}
	if code, out, errOut := run(t, dsn, "", false, "month", "reopen", "2025-09", "--reason", "MEA revised September"); code != 0 || !strings.Contains(out, "September 2025 is open for revision") {
		t.Fatalf("reopen: %d %q %q", code, out, errOut)
	}
	st, err := approval.NewStore(d, figures.NewStore(d)).State(ctx, month.MustParse("2025-09"))
	if err != nil || st.State != approval.Open || st.Comment != "MEA revised September" || st.Actor != "hrx month reopen" {
		t.Fatalf("state after reopen: %+v %v", st, err)
	}
	// A file for a published month is refused whole, naming the month, who published it and when.
	file := filepath.Join(t.TempDir(), "november.csv")
	if err := os.WriteFile(file, []byte("month,direction,category,count\n2025-11,IN-JP,student,31\n2025-10,IN-JP,student,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, dsn, "", false, "import", file)
	if code != 1 || !strings.Contains(out, "November 2025 was published by hrx month publish on ") || !strings.Contains(out, "ask an approver to reopen it") {
		t.Errorf("import into a published month: %d %q", code, out)
	}
	if rows, _, _ := figures.NewStore(d).Aggregate(ctx, figures.Staff, figures.Filter{From: "2025-10", To: "2025-11"}, []string{"month"}); len(rows) != 1 || rows[0].Count != 30 {
		t.Errorf("the refused import changed figures: %+v", rows)
	}
	// --as must name an approver or admin.
	if _, err := users.NewStore(d).Create(ctx, audit.System("test"), users.NewUser{Email: "ed@example.gov.in", Role: users.Editor, Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, dsn, "", false, "month", "publish", "2025-09", "--as", "ed@example.gov.in"); code == 0 || !strings.Contains(errOut, "needs the approver role") {
		t.Errorf("publish as an editor: %d %q", code, errOut)
	}
	for _, bad := range []string{"2025-13", "2025-11..2025-09", "September"} {
		if code, _, _ := run(t, dsn, "", false, "month", "publish", bad); code == 0 {
			t.Errorf("publish %q was accepted", bad)
		}
	}
	// A month whose figures fail a check is named, left as it was, and the exit status is 1.
	if err := d.W.Exec("UPDATE month_totals SET total = 1 WHERE month = '2025-09'").Error; err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, dsn, "", false, "month", "publish", "2025-09..2025-11")
	if code != 1 || !strings.Contains(out, "September 2025 cannot be published: the total of IN-JP/student does not match its rows") || !strings.Contains(out, "already published, left as they were (1): 2025-11") {
		t.Errorf("publish with a failing month: %d %q", code, out)
	}
	// Every publication and the reopening are in the audit log.
	entries, err := audit.NewStore(d).List(ctx, audit.Filter{Entity: "month"})
	if err != nil || len(entries) != 3 {
		t.Fatalf("audit: %d entries, %v", len(entries), err)
	}
	if entries[0].Action != "reopen" || entries[0].Reason != "MEA revised September" || entries[1].Reason != "official history" {
		t.Errorf("audit: %+v", entries)
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
	if code, _, errOut := run(t, dsn, "", false, "month", "publish", "2025-09"); code != 0 {
		t.Fatal(errOut)
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
