package comments_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/comments"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/users"
)

var ctx = context.Background()

// TestClean: the text kept, and the texts refused, with the field's message.
func TestClean(t *testing.T) {
	tests := []struct {
		in, want, refused string
	}{
		{"  Check the business visas  ", "Check the business visas", ""},
		{"line one\r\nline two\rthree", "line one\nline two\nthree", ""},
		{"bell\a and nul\x00 removed\ttab kept", "bell and nul removed\ttab kept", ""},
		{"10月の数字を確認してください", "10月の数字を確認してください", ""},
		{"", "", "Write your comment"},
		{" \n\t ", "", "Write your comment"},
		{"\x00\x01", "", "Write your comment"},
		{strings.Repeat("あ", comments.MaxLength), strings.Repeat("あ", comments.MaxLength), ""},
		{strings.Repeat("क", comments.MaxLength+1), "", "Keep your comment to 2,000 characters; it has 2,001"},
	}
	for _, tt := range tests {
		got, err := comments.Clean(tt.in)
		var ve *apperr.ValidationError
		switch {
		case tt.refused == "" && (err != nil || got != tt.want):
			t.Errorf("Clean(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		case tt.refused != "" && (!errors.As(err, &ve) || ve.For(comments.Field).String() != tt.refused):
			t.Errorf("Clean(%q): %v; want refused with %q", tt.in, err, tt.refused)
		}
	}
}

// TestThread: comments on the month and on its cells, and the words of a
// send-back, a reopening and a "nothing to report", in one thread, oldest
// first; a cell's thread holds its own comments only; each comment is in the
// audit log with a sentence.
func TestThread(t *testing.T) {
	d := dbtest.New(t)
	s := comments.NewStore(d)
	ap := approval.NewStore(d, figures.NewStore(d))
	oct := month.MustParse("2025-09")
	viewer := audit.Actor{Name: "viewer@example.gov.in"}
	approver := audit.System("ap@example.gov.in")
	add := func(who audit.Actor, role users.Role, dir, cat, text string) {
		t.Helper()
		if _, err := s.Add(ctx, who, role, comments.New{Month: oct, Direction: dir, Category: cat, Body: text}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond) // each item at its own moment, as people write them
	}
	move := func(a approval.Action, words string) {
		t.Helper()
		if _, err := ap.Do(ctx, approver, users.Admin, oct.String(), a, words); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	add(viewer, users.Viewer, "", "", "Is October complete?")
	move(approval.Submit, "")
	move(approval.Return, "Business visas look doubled")
	add(viewer, users.Viewer, "IN-JP", "student", "JASSO sent 412")
	// "Nothing to report" as official history is loaded (a single approver).
	if res, err := ap.PublishRange(ctx, approver, oct, oct, approval.RangeOptions{NothingToReport: true, SingleApprover: true, Comment: "No departures were recorded"}); err != nil || len(res.Nothing) != 1 {
		t.Fatalf("nothing to report: %+v %v", res, err)
	}
	time.Sleep(2 * time.Millisecond)
	move(approval.Reopen, "The file came late")
	add(audit.Actor{Name: "ed@example.gov.in"}, users.Editor, "", "", "Entered the late file")

	thread, err := s.Month(ctx, oct)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range thread {
		got = append(got, string(it.Kind)+" "+it.Author+" "+it.Direction+"/"+it.Category+" "+it.Text)
	}
	want := []string{
		"comment viewer@example.gov.in / Is October complete?",
		"return ap@example.gov.in / Business visas look doubled",
		"comment viewer@example.gov.in IN-JP/student JASSO sent 412",
		"nothing_to_report ap@example.gov.in / No departures were recorded",
		"reopen ap@example.gov.in / The file came late",
		"comment ed@example.gov.in / Entered the late file",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("thread:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	cell, err := s.Cell(ctx, oct, "IN-JP", "student")
	if err != nil || len(cell) != 1 || cell[0].Text != "JASSO sent 412" || !cell[0].OnCell() {
		t.Errorf("cell thread: %+v %v", cell, err)
	}
	if other, _ := s.Month(ctx, month.MustParse("2025-10")); len(other) != 0 {
		t.Errorf("October's thread: %+v", other)
	}
	counts, err := s.Counts(ctx, oct)
	if err != nil || len(counts) != 1 || counts["IN-JP/student"] != 1 {
		t.Errorf("counts: %v %v", counts, err)
	}

	var entries []audit.Entry
	d.R.Where("entity = ?", "comment").Order("id").Find(&entries)
	if len(entries) != 3 {
		t.Fatalf("%d audit entries", len(entries))
	}
	if entries[1].Action != "create" || !strings.Contains(entries[1].After, `"text":"JASSO sent 412"`) {
		t.Errorf("audit entry: %+v", entries[1])
	}
	if entries[0].EntityKey != "2025-09" || entries[1].EntityKey != "2025-09/IN-JP/student" || entries[0].Actor != "viewer@example.gov.in" {
		t.Errorf("audit entries: %+v", entries)
	}
}

// TestAddRefusals: who may comment, on what, and the text's rules.
func TestAddRefusals(t *testing.T) {
	d := dbtest.New(t)
	s := comments.NewStore(d)
	oct := month.MustParse("2025-10")
	who := audit.Actor{Name: "v@example.gov.in"}
	tests := []struct {
		name string
		role users.Role
		in   comments.New
		kind apperr.Kind
	}{
		{"no role", users.Role(""), comments.New{Month: oct, Body: "hello"}, apperr.Forbidden},
		{"unknown role", users.Role("chief"), comments.New{Month: oct, Body: "hello"}, apperr.Forbidden},
		{"unknown direction", users.Viewer, comments.New{Month: oct, Direction: "IN-XX", Category: "student", Body: "hello"}, apperr.NotFound},
		{"unknown category", users.Viewer, comments.New{Month: oct, Direction: "IN-JP", Category: "nosuch", Body: "hello"}, apperr.NotFound},
		{"half a cell", users.Viewer, comments.New{Month: oct, Direction: "IN-JP", Body: "hello"}, apperr.NotFound},
		{"empty", users.Viewer, comments.New{Month: oct, Body: "   "}, apperr.Invalid},
		{"too long", users.Admin, comments.New{Month: oct, Body: strings.Repeat("x", comments.MaxLength+1)}, apperr.Invalid},
	}
	for _, tt := range tests {
		if _, err := s.Add(ctx, who, tt.role, tt.in); apperr.KindOf(err) != tt.kind {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.kind)
		}
	}
	var n int64
	d.R.Model(&comments.Comment{}).Count(&n)
	if n != 0 {
		t.Errorf("%d comments kept after refusals", n)
	}
	c, err := s.Add(ctx, who, users.Viewer, comments.New{Month: oct, Direction: "JP-IN", Category: "business", Body: " fine "})
	if err != nil || c.ID == 0 || c.Body != "fine" || c.Author != "v@example.gov.in" || c.UserID != nil || c.CreatedAt.IsZero() {
		t.Errorf("added: %+v %v", c, err)
	}
}
