package figures_test

import (
	"context"
	"errors"
	"testing"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
)

func TestEach(t *testing.T) {
	d := dbtest.New(t)
	s := figures.NewStore(d)
	ctx := context.Background()
	// Inserted out of order on purpose; Each must sort them.
	rows := []figures.Figure{
		{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 5},
		{Month: "2025-09", Direction: "JP-IN", Category: "business", Count: 7},
		{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Sector: "nursing_care", Origin: "IN-KA", Destination: "JP-13", Count: 3, Source: "MoFA", Note: "with, commas\nand a line"},
		{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Count: 10, Status: figures.Provisional},
		{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Count: 20},
		{Month: "2025-10", Direction: "IN-JP", Category: "ssw", Sector: "construction", Count: 4},
		{Month: "2025-10", Direction: "JP-IN", Category: "student", Origin: "JP-27", Count: 1},
		{Month: "2025-12", Direction: "IN-JP", Category: "ssw", Count: 9},
	}
	if err := s.Insert(ctx, audit.System("test"), rows, "test"); err != nil {
		t.Fatal(err)
	}
	collect := func(f figures.Filter) []string {
		t.Helper()
		var keys []string
		if err := s.Each(ctx, figures.Staff, f, func(g figures.Figure) error {
			keys = append(keys, g.Key())
			return nil
		}); err != nil {
			t.Fatalf("Each(%+v): %v", f, err)
		}
		return keys
	}
	eq := func(name string, got, want []string) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: got %q, want %q", name, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: got %q, want %q", name, got, want)
			}
		}
	}

	eq("all, ordered", collect(figures.Filter{}), []string{
		"2025-09/IN-JP/engineer",
		"2025-09/IN-JP/ssw",
		"2025-09/IN-JP/ssw/nursing_care/IN-KA/JP-13",
		"2025-09/JP-IN/business",
		"2025-10/IN-JP/ssw/construction",
		"2025-10/JP-IN/student/JP-27",
		"2025-11/IN-JP/student",
		"2025-12/IN-JP/ssw",
	})
	eq("month range", collect(figures.Filter{From: "2025-10", To: "2025-11"}), []string{
		"2025-10/IN-JP/ssw/construction",
		"2025-10/JP-IN/student/JP-27",
		"2025-11/IN-JP/student",
	})
	eq("from only", collect(figures.Filter{From: "2025-11"}), []string{"2025-11/IN-JP/student", "2025-12/IN-JP/ssw"})
	eq("to only", collect(figures.Filter{To: "2025-09", Direction: "JP-IN"}), []string{"2025-09/JP-IN/business"})
	eq("direction", collect(figures.Filter{Direction: "JP-IN"}), []string{"2025-09/JP-IN/business", "2025-10/JP-IN/student/JP-27"})
	eq("range and direction", collect(figures.Filter{From: "2025-10", To: "2025-12", Direction: "IN-JP"}), []string{
		"2025-10/IN-JP/ssw/construction", "2025-11/IN-JP/student", "2025-12/IN-JP/ssw",
	})
	eq("category", collect(figures.Filter{Category: "ssw"}), []string{
		"2025-09/IN-JP/ssw", "2025-09/IN-JP/ssw/nursing_care/IN-KA/JP-13", "2025-10/IN-JP/ssw/construction", "2025-12/IN-JP/ssw",
	})
	eq("sector", collect(figures.Filter{Sector: "nursing_care"}), []string{"2025-09/IN-JP/ssw/nursing_care/IN-KA/JP-13"})
	eq("origin", collect(figures.Filter{Origin: "JP-27"}), []string{"2025-10/JP-IN/student/JP-27"})
	eq("destination", collect(figures.Filter{Destination: "JP-13"}), []string{"2025-09/IN-JP/ssw/nursing_care/IN-KA/JP-13"})
	eq("nothing", collect(figures.Filter{From: "2026-01"}), nil)

	// Every field comes back as stored.
	var got figures.Figure
	if err := s.Each(ctx, figures.Staff, figures.Filter{Sector: "nursing_care"}, func(g figures.Figure) error { got = g; return nil }); err != nil {
		t.Fatal(err)
	}
	if got.ID == 0 || got.Count != 3 || got.Status != figures.Final || got.Source != "MoFA" || got.Note != "with, commas\nand a line" ||
		got.Version != 1 || got.UpdatedBy != nil || got.ImportID != nil || got.CreatedAt.IsZero() || got.UpdatedAt.IsZero() {
		t.Errorf("figure read back as %+v", got)
	}

	// fn's error stops the walk and comes back unchanged.
	stop := errors.New("stop")
	n := 0
	err := s.Each(ctx, figures.Staff, figures.Filter{}, func(figures.Figure) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("walk with a stopping fn: err %v after %d calls, want stop after 3", err, n)
	}

	// A malformed month is the caller's mistake, said as a validation error.
	for _, f := range []figures.Filter{{From: "2025-9"}, {To: "2025-13"}, {From: "2025-12", To: "2025-01"}} {
		var ve *apperr.ValidationError
		if err := s.Each(ctx, figures.Staff, f, func(figures.Figure) error { t.Fatal("fn called"); return nil }); !errors.As(err, &ve) {
			t.Errorf("Each(%+v) = %v, want a validation error", f, err)
		}
	}

	// A cancelled context ends the walk with its error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Each(cctx, figures.Staff, figures.Filter{}, func(figures.Figure) error { return nil }); err == nil {
		t.Error("Each on a cancelled context returned nil")
	}
}
