package approval

import (
	"reflect"
	"testing"

	"hrx/internal/i18n"
)

// TestFindingsProblems: one refusal per cell out of step, one per kind of
// wrong figure, naming at most MaxNamed figures and then "…".
func TestFindingsProblems(t *testing.T) {
	f := Findings{
		Rows:          9,
		Totals:        []string{"IN-JP/student", "JP-IN/ssw"},
		UnknownSector: []string{"a", "b", "c", "d", "e", "f"},
		UnknownRegion: []string{"a", "b", "c", "d", "e"},
		WrongCountry:  []string{"x"},
	}
	want := []i18n.Msg{
		i18n.M("approval.check.total", "cell", "IN-JP/student"),
		i18n.M("approval.check.total", "cell", "JP-IN/ssw"),
		i18n.M("approval.check.sector", "rows", "a, b, c, d, e, …"),
		i18n.M("approval.check.region", "rows", "a, b, c, d, e"),
		i18n.M("approval.check.country", "rows", "x"),
	}
	if got := f.problems(); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got %v\nwant %v", got, want)
	}
	if got := (Findings{Rows: 3}).problems(); len(got) != 0 {
		t.Errorf("a month with nothing wrong: %v", got)
	}
	if f.UnknownSector[5] != "f" {
		t.Errorf("naming the first five changed the findings: %v", f.UnknownSector)
	}
}
