package targets

import (
	"testing"

	"hrx/internal/i18n"
)

// TestMilestonesOutsideTheWindow: a milestone is outside the window only
// when the window itself could be read; a bad end month is one problem, not
// one more for every milestone.
func TestMilestonesOutsideTheWindow(t *testing.T) {
	known := func(string, string) bool { return true }
	en := i18n.New(i18n.EN, "")
	for _, c := range []struct {
		name, end  string
		milestones string
		want       int // problems with the milestones field
	}{
		{"inside", "2030-08", "2027-01 10000", 0},
		{"outside", "2030-08", "2031-01 10000", 1},
		{"a bad end month", "2030-13", "2027-01 10000\n2028-01 20000", 0},
	} {
		in := Input{Slug: "t", NameEN: "T", Value: "500000", Start: "2025-09", End: c.end, Directions: []string{"IN-JP"}, Milestones: c.milestones}
		_, v := in.parse(true, known)
		n := 0
		for _, f := range v.Fields {
			if f.Field == "milestones" {
				n++
				t.Logf("%s: %s", c.name, en.Tr(f.Message))
			}
		}
		if n != c.want {
			t.Errorf("%s: %d milestone problems, want %d", c.name, n, c.want)
		}
	}
}
