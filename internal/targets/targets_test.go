package targets_test

import (
	"context"
	"reflect"
	"testing"

	"hrx/internal/audit"
	"hrx/internal/db/dbtest"
	"hrx/internal/month"
	"hrx/internal/targets"
)

func TestParseCodes(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want targets.Codes
	}{
		{"", nil},
		{" , ,", nil},
		{"IN-JP", targets.Codes{"IN-JP"}},
		{"student,researcher", targets.Codes{"student", "researcher"}},
		{" student , ,researcher ", targets.Codes{"student", "researcher"}},
	} {
		if got := targets.ParseCodes(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseCodes(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestFilterCounts(t *testing.T) {
	all := targets.Filter{}
	skilledIN := targets.Filter{Directions: targets.Codes{"IN-JP"}, SkilledOnly: true}
	students := targets.Filter{Categories: targets.Codes{"student", "researcher"}}
	for _, tt := range []struct {
		f                   targets.Filter
		direction, category string
		skilled, want       bool
	}{
		{all, "IN-JP", "student", false, true},
		{all, "JP-IN", "engineer", true, true},
		{skilledIN, "IN-JP", "engineer", true, true},
		{skilledIN, "IN-JP", "student", false, false},
		{skilledIN, "JP-IN", "engineer", true, false},
		{students, "JP-IN", "researcher", false, true},
		{students, "IN-JP", "engineer", true, false},
	} {
		if got := tt.f.Counts(tt.direction, tt.category, tt.skilled); got != tt.want {
			t.Errorf("%+v.Counts(%s, %s, %v) = %v", tt.f, tt.direction, tt.category, tt.skilled, got)
		}
	}
	if !all.IncludesDirection("JP-IN") || skilledIN.IncludesDirection("JP-IN") || !skilledIN.IncludesDirection("IN-JP") {
		t.Error("IncludesDirection")
	}
}

// TestStoreRoundTrip: a target is read back with its months and filter typed,
// and the columns keep the text they always held.
func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	s := targets.NewStore(d)
	known := func(kind, code string) bool { return true }
	in := targets.Input{Slug: "students", NameEN: "Students", Value: "1,000", Start: "2025-09", End: "2026-08",
		Directions: []string{"JP-IN"}, Categories: []string{"student", "researcher"}, Milestones: "2026-02 400\n2025-12 100"}
	if _, err := s.Save(ctx, audit.System("test"), in, true, known); err != nil {
		t.Fatal(err)
	}
	got, err := s.BySlug(ctx, "students")
	if err != nil {
		t.Fatal(err)
	}
	wantFilter := targets.Filter{Directions: targets.Codes{"JP-IN"}, Categories: targets.Codes{"student", "researcher"}}
	if got.Start != month.New(2025, 9) || got.End != month.New(2026, 8) || !reflect.DeepEqual(got.Filter, wantFilter) || len(got.Milestones) != 2 {
		t.Fatalf("read back: %+v", got)
	}
	var raw struct{ StartMonth, EndMonth, Directions, Categories string }
	if err := d.R.Raw("SELECT start_month, end_month, directions, categories FROM targets WHERE slug = ?", "students").Scan(&raw).Error; err != nil {
		t.Fatal(err)
	}
	if raw.StartMonth != "2025-09" || raw.EndMonth != "2026-08" || raw.Directions != "JP-IN" || raw.Categories != "student,researcher" {
		t.Errorf("columns: %+v", raw)
	}
	var ms []string
	if err := d.R.Raw("SELECT month FROM target_milestones WHERE target_id = ? ORDER BY month", got.ID).Scan(&ms).Error; err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ms, []string{"2025-12", "2026-02"}) {
		t.Errorf("milestone months: %q", ms)
	}
	list, err := s.List(ctx, true)
	if err != nil || len(list) != 3 {
		t.Fatalf("List: %d targets, %v", len(list), err)
	}
	// The seeded targets: both directions and all categories are written as none.
	if f := list[0].Filter; f.Directions != nil || f.Categories != nil || f.SkilledOnly {
		t.Errorf("%s: %+v", list[0].Slug, f)
	}
	if f := list[1].Filter; !reflect.DeepEqual(f.Directions, targets.Codes{"IN-JP"}) || !f.SkilledOnly {
		t.Errorf("%s: %+v", list[1].Slug, f)
	}
	if p := list[2].Plan(); p.Start != month.New(2025, 9) || len(p.Milestones) != 2 || p.Milestones[0].Month != month.New(2025, 12) {
		t.Errorf("Plan: %+v", p)
	}
}
