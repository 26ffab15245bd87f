package charts

import (
	"strings"
	"testing"
)

// TestStackedBarsEmptyMonths: a month with no figures reported has no bar,
// not even a zero one, but a ring on the axis titled with the label, and the
// legend says what the ring means; the other months are drawn as before.
func TestStackedBarsEmptyMonths(t *testing.T) {
	c := StackedBars{ID: "e", Title: "People each month", Desc: "…", Labels: []string{"Sep 2025", "Oct 2025", "Nov 2025"},
		Series: []Series{{Name: "Students", Values: []int64{5, 0, 7}}, {Name: "Engineers", Values: []int64{1, 9, 2}}},
		Empty:  []bool{false, true, false}, EmptyLabel: "No figures reported"}
	svg := string(c.SVG())
	parseSVG(t, svg)
	if n := strings.Count(svg, `<circle cx=`); n != 1 {
		t.Errorf("%d rings on the axis, want 1", n)
	}
	if !strings.Contains(svg, `<title>Oct 2025 · No figures reported</title></circle>`) || !strings.Contains(svg, `<span>No figures reported</span>`) {
		t.Errorf("the ring or its legend is missing:\n%s", svg)
	}
	// Bars: the first and third month of each series, nothing for October
	// even though Engineers carry a value there.
	plain := c
	plain.Empty = nil
	plainSVG := string(plain.SVG())
	if got, want := strings.Count(svg, `class="hrx-bar `), strings.Count(plainSVG, `class="hrx-bar `)-1; got != want {
		t.Errorf("%d bars, want %d (October's Engineers left out)", got, want)
	}
	if strings.Contains(plainSVG, "hrx-nothing") {
		t.Error("a chart with no empty month has a ring")
	}
}
