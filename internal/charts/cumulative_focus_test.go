package charts

import (
	"strings"
	"testing"
)

// TestCumulativeFocus: on the page, each month with an achieved value is a
// focusable image titled with its month, achieved and expected values, and
// its value shows on hover and focus; the standalone image has none.
func TestCumulativeFocus(t *testing.T) {
	c := Cumulative{ID: "f", Title: "t", Desc: "d", Labels: []string{"Sep 2025", "Oct 2025", "Nov 2025"},
		Actual: []float64{400, 600}, Expected: []float64{300, 650, 900}, Target: 1000,
		ActualLabel: "Achieved", ExpectedLabel: "Expected path"}
	svg := string(c.SVG())
	if got := strings.Count(svg, `class="hrx-col" tabindex="0"`); got != 2 {
		t.Errorf("%d focusable months, want 2", got)
	}
	for _, want := range []string{"<title>Sep 2025 — Achieved: 400; Expected path: 300</title>",
		"<title>Oct 2025 — Achieved: 600; Expected path: 650</title>", `class="hrx-col-value"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("no %q", want)
		}
	}
	if img := string(c.Image(466)); strings.Contains(img, "tabindex") {
		t.Error("the standalone image has focusable months")
	}
}
