package review

import (
	"math"
	"testing"
)

// TestChange is the arithmetic of one cell against its base: the difference,
// the per cent (only when there is something to divide by), and whether it
// changed, gained or lost its figures.
func TestChange(t *testing.T) {
	tests := []struct {
		name                 string
		c                    Change
		diff                 int64
		percent              float64
		hasPercent           bool
		same, added, removed bool
	}{
		{"up", Change{Before: 75, After: 412, HadBefore: true, HasAfter: true}, 337, 449.33, true, false, false, false},
		{"down", Change{Before: 200, After: 150, HadBefore: true, HasAfter: true}, -50, -25, true, false, false, false},
		{"unchanged", Change{Before: 90, After: 90, HadBefore: true, HasAfter: true}, 0, 0, true, true, false, false},
		{"new figure", Change{After: 40, HasAfter: true}, 40, 0, false, false, true, false},
		{"figure removed", Change{Before: 40, HadBefore: true}, -40, -100, true, false, false, true},
		{"from zero", Change{Before: 0, After: 12, HadBefore: true, HasAfter: true}, 12, 0, false, false, false, false},
		{"zero to none", Change{Before: 0, HadBefore: true}, 0, 0, false, false, false, true},
		{"nothing on either side", Change{}, 0, 0, false, true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Diff(); got != tt.diff {
				t.Errorf("Diff = %d, want %d", got, tt.diff)
			}
			p, ok := tt.c.Percent()
			if ok != tt.hasPercent || math.Abs(p-tt.percent) > 0.01 {
				t.Errorf("Percent = %.2f %v, want %.2f %v", p, ok, tt.percent, tt.hasPercent)
			}
			if tt.c.Same() != tt.same || tt.c.Added() != tt.added || tt.c.Removed() != tt.removed {
				t.Errorf("Same %v Added %v Removed %v, want %v %v %v", tt.c.Same(), tt.c.Added(), tt.c.Removed(), tt.same, tt.added, tt.removed)
			}
		})
	}
}

func TestCompareAndSum(t *testing.T) {
	a, b, c := Cell{"IN-JP", "student"}, Cell{"IN-JP", "engineer"}, Cell{"JP-IN", "business"}
	got := Compare(map[Cell]int64{a: 75, b: 10}, map[Cell]int64{a: 412, c: 5})
	want := map[Cell]Change{
		a: {Before: 75, After: 412, HadBefore: true, HasAfter: true},
		b: {Before: 10, HadBefore: true},
		c: {After: 5, HasAfter: true},
	}
	if len(got) != len(want) {
		t.Fatalf("Compare = %+v", got)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%v = %+v, want %+v", k, got[k], w)
		}
	}
	r := Review{Cells: got}
	if tot := r.Total(); tot != (Change{Before: 85, After: 417, HadBefore: true, HasAfter: true}) {
		t.Errorf("Total = %+v", tot)
	}
	if n := r.ChangedCells(); n != 3 {
		t.Errorf("ChangedCells = %d", n)
	}
	if s := Sum(); s != (Change{}) || !s.Same() {
		t.Errorf("Sum of nothing = %+v", s)
	}
}
