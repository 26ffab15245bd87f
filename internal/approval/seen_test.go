package approval_test

import (
	"context"
	"strings"
	"testing"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/users"
)

// TestSubmitRefusedWhenFiguresChanged: a submission carries the version of
// the figures the person's page showed; when someone saved after that, it is
// refused with who saved and when, and nothing moves. Submitting the version
// now shown goes through.
func TestSubmitRefusedWhenFiguresChanged(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	fs := figures.NewStore(d)
	s := approval.NewStore(d, fs)
	ed, _ := people(t, d)
	other := addUser(t, d, "other@example.gov.in", users.Editor)
	seed(t, d, figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 75})
	g, err := fs.Grid(ctx, "2025-10")
	if err != nil {
		t.Fatal(err)
	}
	seen := g.Version
	if seen == "" {
		t.Fatal("the grid has no version")
	}
	n := int64(412)
	if _, err := fs.SaveGrid(ctx, other, "2025-10", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &n, Version: g.Cell("IN-JP", "student").Version()}}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Submit(ctx, ed, users.Editor, "2025-10", "", seen)
	if apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("submit after someone saved: %v, want a conflict", err)
	}
	got := i18n.New(i18n.EN, "").Tr(apperr.MsgOf(err))
	for _, want := range []string{"other@example.gov.in saved figures of October 2025 on", "after you opened it, so nothing was submitted", "submit again"} {
		if !strings.Contains(got, want) {
			t.Errorf("refusal %q does not say %q", got, want)
		}
	}
	if st, _ := s.State(ctx, month.MustParse("2025-10")); st.State != approval.Open {
		t.Errorf("state after the refusal: %s", st.State)
	}
	// The person's own save in another window is told as theirs.
	g, _ = fs.Grid(ctx, "2025-10")
	seen2 := g.Version
	n = 413
	if _, err := fs.SaveGrid(ctx, ed, "2025-10", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &n, Version: g.Cell("IN-JP", "student").Version()}}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Submit(ctx, ed, users.Editor, "2025-10", "", seen2)
	if got := i18n.New(i18n.EN, "").Tr(apperr.MsgOf(err)); !strings.HasPrefix(got, "You saved figures of October 2025 on") {
		t.Errorf("refusal after one's own save elsewhere: %q", got)
	}
	// The version the page now shows: submitted.
	g, _ = fs.Grid(ctx, "2025-10")
	st, err := s.Submit(ctx, ed, users.Editor, "2025-10", "", g.Version)
	if err != nil || st.State != approval.Submitted {
		t.Fatalf("submit with the current version: %+v %v", st, err)
	}
	// The state machine and the roles come first, as in Do.
	if _, err := s.Submit(ctx, ed, users.Editor, "2025-10", "", g.Version); apperr.KindOf(err) != apperr.Conflict || !strings.Contains(apperr.MsgOf(err).String(), "already submitted") {
		t.Errorf("submitting twice: %v", err)
	}
	if _, err := s.Submit(ctx, ed, users.Viewer, "2025-11", "", ""); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("a viewer submits: %v", err)
	}
	// No version: not checked (a caller that showed no figures).
	if _, err := s.Submit(ctx, ed, users.Editor, "2025-11", "", ""); err != nil {
		t.Errorf("submit without a version: %v", err)
	}
}
