package charts

import (
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// months returns n month labels starting at Sep 2025.
func months(n int) []string {
	names := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	out := make([]string, n)
	for i := range out {
		m := 8 + i
		out[i] = fmt.Sprintf("%s %d", names[m%12], 2025+m/12)
	}
	return out
}

// indian formats with the Indian grouping (5,00,000).
func indian(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) > 3 {
		head, tail := s[:len(s)-3], s[len(s)-3:]
		var parts []string
		for len(head) > 2 {
			parts = append([]string{head[len(head)-2:]}, parts...)
			head = head[:len(head)-2]
		}
		parts = append([]string{head}, parts...)
		s = strings.Join(parts, ",") + "," + tail
	}
	if neg {
		s = "-" + s
	}
	return s
}

func sampleCumulative() Cumulative {
	labels := months(60)
	expected := make([]float64, 60)
	for i := range expected {
		// A ramp that starts slowly and reaches the target in the last month.
		f := float64(i+1) / 60
		expected[i] = math.Round(500000 * (0.6*f + 0.4*f*f))
	}
	actual := []float64{6200, 13100, 20900, 28400, 36800, 44100, 53000, 61500, 70900, 79800, 88200, 97600, 106900, 115000}
	start := len(actual) - 1
	proj := make([]float64, 60-start)
	for i := range proj {
		proj[i] = actual[start] + float64(i)*8300
	}
	return Cumulative{
		ID:              "cum",
		Title:           "People exchanged, cumulative, Sep 2025 to Aug 2030",
		Desc:            "Exchanges are slightly behind the expected path; at the current pace about 5,06,000 will be reached by Aug 2030.",
		Labels:          labels,
		Actual:          actual,
		Expected:        expected,
		ProjectionStart: start,
		Projection:      proj,
		Target:          500000,
		TargetLabel:     "Target 5,00,000",
		ActualLabel:     "Achieved",
		ExpectedLabel:   "Expected path",
		ProjectionLabel: "Projection at current pace",
		Format:          indian,
	}
}

func sampleStacked() StackedBars {
	labels := months(24)
	names := []string{"Students", "Researchers", "Engineers", "Nursing care", "Trainees", "Teachers", "Tourism", "Business", "Culture", "Other"}
	var series []Series
	for k, name := range names {
		vals := make([]int64, len(labels))
		for i := range vals {
			vals[i] = int64(400 + 120*((i*7+k*3)%5) + 60*(10-k))
		}
		series = append(series, Series{Name: name, Values: vals})
	}
	return StackedBars{
		ID:     "monthly",
		Title:  "People exchanged per month by category",
		Desc:   "Students are the largest category every month.",
		Labels: labels,
		Series: series,
		Format: indian,
	}
}

func sampleSplit() Split {
	return Split{
		ID:    "dir",
		Title: "Split by direction",
		Desc:  "Three in five exchanges are from India to Japan.",
		Parts: []Part{
			{Name: "India → Japan", Value: 69000},
			{Name: "Japan → India", Value: 41000},
			{Name: "Both ways (joint programmes)", Value: 5000},
		},
		Format: indian,
	}
}

func sampleSparkline() Sparkline {
	return Sparkline{
		ID: "spark", Title: "Monthly exchanges, last 12 months", Desc: "Rising for three months.",
		Values: []float64{7100, 7800, 8400, 7500, 8900, 7300, 8900, 8500, 9400, 8900, 9100, 9500},
	}
}

// chartCase is one named rendering.
type chartCase struct {
	name string
	id   string
	svg  string
}

func cases() []chartCase {
	huge := sampleCumulative()
	for i := range huge.Expected {
		huge.Expected[i] *= 20 // 1e7
	}
	huge.Target = 1e7
	huge.TargetLabel = ""
	single := Cumulative{ID: "one", Title: "t", Desc: "d", Labels: []string{"Sep 2025"}, Actual: []float64{10}, Expected: []float64{20}, Target: 30, TargetLabel: "Target"}
	noActual := sampleCumulative()
	noActual.Actual, noActual.Projection = nil, nil
	nan := Cumulative{ID: "nan", Labels: months(3), Actual: []float64{math.NaN(), math.Inf(1)}, Expected: []float64{math.Inf(-1), 1, 2}, Target: math.NaN()}

	zeroStacked := StackedBars{ID: "z", Labels: months(12), Series: []Series{{Name: "A", Values: make([]int64, 12)}, {Name: "B"}}}
	hugeStacked := StackedBars{ID: "h", Labels: months(2), Series: []Series{{Name: "A", Values: []int64{1e7, 2e7}}, {Name: "B", Values: []int64{math.MaxInt64 / 4, -5}}}}

	long := sampleStacked()
	long.Labels = months(60)
	for k := range long.Series[:4] {
		vals := make([]int64, 60)
		for i := range vals {
			vals[i] = int64(1000 + 37*((i*11+k*5)%17)*(k+1))
		}
		long.Series[k].Values = vals
	}
	long.Series = long.Series[:4]
	long.Series[0].Name = "学生"
	long.Series[1].Name = "शोधकर्ता"

	return []chartCase{
		{"stacked_60", "monthly", string(long.SVG())},
		{"cumulative", "cum", string(sampleCumulative().SVG())},
		{"cumulative_huge", "cum", string(huge.SVG())},
		{"cumulative_single", "one", string(single.SVG())},
		{"cumulative_no_actual", "cum", string(noActual.SVG())},
		{"cumulative_empty", "hrx-chart", string(Cumulative{}.SVG())},
		{"cumulative_nan", "nan", string(nan.SVG())},
		{"stacked", "monthly", string(sampleStacked().SVG())},
		{"stacked_zero", "z", string(zeroStacked.SVG())},
		{"stacked_empty", "e", string(StackedBars{ID: "e"}.SVG())},
		{"stacked_single", "s", string(StackedBars{ID: "s", Labels: []string{"Sep 2025"}, Series: []Series{{Name: "A", Values: []int64{5}}}}.SVG())},
		{"stacked_huge", "h", string(hugeStacked.SVG())},
		{"split", "dir", string(sampleSplit().SVG())},
		{"split_zero", "z", string(Split{ID: "z", Parts: []Part{{"A", 0}, {"B", 0}}}.SVG())},
		{"split_empty", "e", string(Split{ID: "e"}.SVG())},
		{"split_huge", "h", string(Split{ID: "h", Parts: []Part{{"A", 1e7}, {"B", math.MaxInt64}, {"C", -3}}}.SVG())},
		{"sparkline", "spark", string(sampleSparkline().SVG())},
		{"sparkline_empty", "e", string(Sparkline{ID: "e"}.SVG())},
		{"sparkline_flat", "f", string(Sparkline{ID: "f", Values: []float64{0, 0, 0}}.SVG())},
		{"sparkline_single", "o", string(Sparkline{ID: "o", Values: []float64{1e7}, Width: 200, Height: 40}.SVG())},
		{"sparkline_nan", "n", string(Sparkline{ID: "n", Values: []float64{math.NaN(), math.Inf(1), 3}}.SVG())},
	}
}

// parseSVG decodes the whole document and returns the root element.
func parseSVG(t *testing.T, s string) xml.StartElement {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	var root *xml.StartElement
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, s)
		}
		if se, ok := tok.(xml.StartElement); ok {
			seen := map[xml.Name]bool{} // browsers refuse an image with an attribute twice
			for _, a := range se.Attr {
				if seen[a.Name] {
					t.Errorf("<%s> has %s twice", se.Name.Local, a.Name.Local)
				}
				seen[a.Name] = true
			}
		}
		if se, ok := tok.(xml.StartElement); ok && root == nil {
			c := se.Copy()
			root = &c
		}
	}
	if root == nil {
		t.Fatalf("no root element")
	}
	return *root
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// chartRoot is the chart's own <svg> element: the root of a sparkline or
// image, the first svg of class hrx-chart inside a fluid chart's box.
func chartRoot(t *testing.T, s string) xml.StartElement {
	t.Helper()
	parseSVG(t, s)
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("no chart svg: %v\n%s", err, s)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "svg" && strings.HasPrefix(attr(se, "class"), "hrx-chart") {
			return se.Copy()
		}
	}
}

func TestChartsWellFormedAndAccessible(t *testing.T) {
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			root := chartRoot(t, c.svg)
			role := "img"
			if strings.HasPrefix(c.name, "stacked") {
				role = "group" // each month inside is an image of its own
			}
			want := map[string]string{
				"role":            role,
				"aria-labelledby": c.id + "-title " + c.id + "-desc",
				"width":           "100%",
				"font-family":     "system-ui, sans-serif",
			}
			for k, v := range want {
				if got := attr(root, k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			// Only the sparkline, which has no text, scales with a viewBox;
			// the charts with text are drawn to their width at a fixed height.
			if strings.HasPrefix(c.name, "sparkline") {
				if !strings.HasPrefix(attr(root, "viewBox"), "0 0 ") {
					t.Errorf("viewBox = %q", attr(root, "viewBox"))
				}
			} else if vb, h := attr(root, "viewBox"), attr(root, "height"); vb != "" || h == "" || strings.HasSuffix(h, "%") {
				t.Errorf("viewBox %q, height %q; want no viewBox and a height in pixels", vb, h)
			}
			for _, s := range []string{`<title id="` + c.id + `-title">`, `<desc id="` + c.id + `-desc">`} {
				if !strings.Contains(c.svg, s) {
					t.Errorf("missing %s", s)
				}
			}
			for _, bad := range []string{"NaN", "Inf", "<script", "javascript:", "<image", "@import", "href=", "style="} {
				if strings.Contains(c.svg, bad) {
					t.Errorf("output contains %q", bad)
				}
			}
		})
	}
}

// TestTextSizeInPixels: every text on a chart is 12 to 16 CSS pixels, and
// nothing scales it: the only viewBoxes are the sparkline's (no text) and the
// nested plots', which hold lines only.
func TestTextSizeInPixels(t *testing.T) {
	sizeRe := regexp.MustCompile(`font-size="([0-9.]+)"`)
	for _, c := range cases() {
		for _, m := range sizeRe.FindAllStringSubmatch(c.svg, -1) {
			if v, _ := strconv.ParseFloat(m[1], 64); v < 12 || v > 16 {
				t.Errorf("%s: font-size %s", c.name, m[1])
			}
		}
		for _, plot := range regexp.MustCompile(`(?s)<svg class="hrx-plot"[^>]*>(.*?)</svg>`).FindAllStringSubmatch(c.svg, -1) {
			if strings.Contains(plot[1], "<text") {
				t.Errorf("%s: text inside the stretched plot", c.name)
			}
			for _, el := range regexp.MustCompile(`<(path|line)[^>]*>`).FindAllString(plot[1], -1) {
				if !strings.Contains(el, `vector-effect="non-scaling-stroke"`) {
					t.Errorf("%s: a stretched line whose stroke scales: %s", c.name, el)
				}
			}
		}
	}
}

var coordRe = regexp.MustCompile(`\s(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height)="(-?[0-9.]+)"`)

func TestCoordinatesRoundedToOneDecimal(t *testing.T) {
	for _, c := range cases() {
		for _, m := range coordRe.FindAllStringSubmatch(c.svg, -1) {
			if i := strings.IndexByte(m[1], '.'); i >= 0 && len(m[1])-i-1 > 1 {
				t.Errorf("%s: coordinate %s has more than one decimal", c.name, m[1])
			}
		}
		d := regexp.MustCompile(`[0-9]+\.[0-9]{2,}`)
		for _, m := range regexp.MustCompile(` d="([^"]*)"`).FindAllStringSubmatch(c.svg, -1) {
			if d.MatchString(m[1]) {
				t.Errorf("%s: path %s has more than one decimal", c.name, m[1])
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := cases(), cases()
	for i := range a {
		if a[i].svg != b[i].svg {
			t.Errorf("%s: output differs between runs", a[i].name)
		}
	}
}

const hostile = `<script>alert("x")</script>&'`

func TestEscaping(t *testing.T) {
	hostileFormat := func(n int64) string { return hostile + fmt.Sprint(n) }
	cum := sampleCumulative()
	cum.ID = `x" onload="alert(1)`
	cum.Title, cum.Desc, cum.TargetLabel = hostile, hostile, hostile
	cum.ActualLabel, cum.ExpectedLabel, cum.ProjectionLabel = hostile, hostile, hostile
	cum.Labels[0] = hostile
	cum.Labels[59] = hostile
	cum.Format = hostileFormat

	st := sampleStacked()
	st.Title, st.Desc = hostile, hostile
	st.Labels[0] = hostile
	st.Series[0].Name = hostile
	st.Format = hostileFormat

	sp := sampleSplit()
	sp.Title, sp.Desc = hostile, hostile
	sp.Parts[0].Name = hostile
	sp.Format = hostileFormat

	sk := sampleSparkline()
	sk.Title, sk.Desc = hostile, hostile

	outs := map[string]string{
		"cumulative": string(cum.SVG()),
		"stacked":    string(st.SVG()),
		"split":      string(sp.SVG()),
		"sparkline":  string(sk.SVG()),
	}
	for name, out := range outs {
		parseSVG(t, out)
		if strings.Contains(out, "<script") {
			t.Errorf("%s: unescaped <script> in output", name)
		}
		if strings.Contains(out, `onload="`) {
			t.Errorf("%s: attribute injection via ID", name)
		}
		if !strings.Contains(out, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;&#39;") {
			t.Errorf("%s: hostile text not escaped as expected", name)
		}
		// The decoded title must be the original text.
		dec := xml.NewDecoder(strings.NewReader(out))
		for {
			tok, err := dec.Token()
			if err != nil {
				t.Fatalf("%s: no title found: %v", name, err)
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "title" {
				var s string
				if err := dec.DecodeElement(&s, &se); err != nil {
					t.Fatal(err)
				}
				if s != hostile {
					t.Errorf("%s: title round-trips to %q", name, s)
				}
				break
			}
		}
	}
	if got := cleanID(`x" onload="alert(1)`); got != "x--onload--alert-1-" {
		t.Errorf("cleanID = %q", got)
	}
}

func TestControlCharactersDropped(t *testing.T) {
	out := string(Sparkline{ID: "c", Title: "a\x00b\x1bc\xffd", Desc: "line\nbreak"}.SVG())
	parseSVG(t, out)
	if !strings.Contains(out, ">abcd</title>") || !strings.Contains(out, ">line break</desc>") {
		t.Errorf("control characters not cleaned: %s", out)
	}
}

func TestNiceScale(t *testing.T) {
	tests := []struct{ max, top, step float64 }{
		{0, 1, 1},
		{-5, 1, 1},
		{3, 3, 1},
		{7, 7, 1},
		{8, 8, 2},
		{30, 30, 5},
		{500000, 500000, 100000},
		{506000, 600000, 100000},
		{1e7, 1e7, 2e6},
		{1.2e7, 1.2e7, 2e6},
		{1.3e7, 1.4e7, 2e6},
		{61, 70, 10},
		{math.NaN(), 1, 1},
		{math.Inf(1), 1, 1},
	}
	for _, tt := range tests {
		top, step := niceScale(tt.max)
		if top != tt.top || step != tt.step {
			t.Errorf("niceScale(%v) = %v, %v; want %v, %v", tt.max, top, step, tt.top, tt.step)
		}
	}
	// Huge values stay convertible to int64.
	top, step := niceScale(1e30)
	if top > 1e19 || step <= 0 {
		t.Errorf("niceScale(1e30) = %v, %v", top, step)
	}
}

func TestXTicks(t *testing.T) {
	l := months(60)
	got := xTicks(l, 60, 520.0/59, 12)
	want := []int{0, 12, 24, 36, 48, 59}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("xTicks(60) = %v, want %v", got, want)
	}
	if got := xTicks(l[:1], 1, 500, 12); fmt.Sprint(got) != "[0]" {
		t.Errorf("xTicks(1) = %v", got)
	}
	if got := xTicks(nil, 0, 1, 12); got != nil {
		t.Errorf("xTicks(0) = %v", got)
	}
	got = xTicks(l[:6], 6, 100, 12)
	if fmt.Sprint(got) != "[0 1 2 3 4 5]" {
		t.Errorf("xTicks(6) = %v", got)
	}
	// The last label never crowds the one before it.
	for n := 2; n <= 60; n++ {
		sp := 520.0 / float64(n-1)
		idx := xTicks(l[:n], n, sp, 12)
		if idx[0] != 0 {
			t.Errorf("n=%d: first tick %d", n, idx[0])
		}
		for i := 1; i < len(idx); i++ {
			if float64(idx[i]-idx[i-1])*sp < textWidth("Sep 2025", 12)+12 {
				t.Errorf("n=%d: ticks %v overlap", n, idx)
			}
		}
	}
}

func TestPercentTenths(t *testing.T) {
	got := percentTenths([]float64{1, 1, 1})
	if fmt.Sprint(got) != "[334 333 333]" {
		t.Errorf("percentTenths thirds = %v", got)
	}
	if got := percentTenths([]float64{0, 0}); fmt.Sprint(got) != "[0 0]" {
		t.Errorf("zero total = %v", got)
	}
	got = percentTenths([]float64{69000, 41000, 5000})
	sum := 0
	for _, v := range got {
		sum += v
	}
	if sum != 1000 || fmt.Sprint(got) != "[600 357 43]" {
		t.Errorf("percentTenths = %v (sum %d)", got, sum)
	}
}

func TestDefaultFormat(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 500000: "500,000", -1234567: "-1,234,567"} {
		if got := DefaultFormat(n); got != want {
			t.Errorf("DefaultFormat(%d) = %q, want %q", n, got, want)
		}
	}
	if got := indian(500000); got != "5,00,000" {
		t.Errorf("indian = %q", got)
	}
}

// luminance is the WCAG relative luminance of #rrggbb.
func luminance(hex string) float64 {
	var r, g, b int
	fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b)
	lin := func(c int) float64 {
		v := float64(c) / 255
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrastOnWhite(hex string) float64 { return 1.05 / (luminance(hex) + 0.05) }

func TestColourContrast(t *testing.T) {
	for _, c := range append([]string{colorActual, colorExpected, colorProjection, colorTarget, colorAxis}, Palette...) {
		if r := contrastOnWhite(c); r < 3 {
			t.Errorf("%s has contrast %.2f:1 on white, want >= 3", c, r)
		}
	}
	// Colours also used for text (labels on the chart) need 4.5:1.
	for _, c := range []string{colorText, colorMuted, colorActual, colorProjection, colorTarget} {
		if r := contrastOnWhite(c); r < 4.5 {
			t.Errorf("text colour %s has contrast %.2f:1 on white, want >= 4.5", c, r)
		}
	}
	// White percent labels inside split segments sit on the series colour.
	for _, c := range Palette {
		if r := contrastOnWhite(c); r < 4.5 {
			t.Errorf("white text on %s has contrast %.2f:1, want >= 4.5", c, r)
		}
	}
	if len(PatternNames) != len(patternMarks) || len(Palette) != len(PatternNames) {
		t.Errorf("palette/pattern tables out of step")
	}
}

func TestStyleConventions(t *testing.T) {
	cum := string(sampleCumulative().SVG())
	for _, s := range []string{
		`class="hrx-actual"`, `class="hrx-expected"`, `class="hrx-projection"`, `class="hrx-target"`,
		`stroke-dasharray="6 4"`, `stroke-dasharray="0.5 5"`, "Target 5,00,000", "5,00,000", "1,15,000",
		"Sep 2025", "Aug 2030",
	} {
		if !strings.Contains(cum, s) {
			t.Errorf("cumulative lacks %q", s)
		}
	}
	st := string(sampleStacked().SVG())
	for k := range 10 {
		for _, s := range []string{fmt.Sprintf(`id="monthly-pat-%d"`, k), fmt.Sprintf(`fill="url(#monthly-pat-%d) %s"`, k, Palette[k])} {
			if !strings.Contains(st, s) {
				t.Errorf("stacked lacks %q", s)
			}
		}
	}
	sp := string(sampleSplit().SVG())
	for _, s := range []string{"69,000", "60.0%", "35.7%", "4.3%", "India → Japan"} {
		if !strings.Contains(sp, s) {
			t.Errorf("split lacks %q", s)
		}
	}
}

func TestGolden(t *testing.T) {
	golden := map[string]bool{"cumulative": true, "cumulative_empty": true, "cumulative_huge": true, "stacked": true, "stacked_60": true, "stacked_zero": true, "split": true, "split_zero": true, "sparkline": true, "sparkline_empty": true}
	for _, c := range cases() {
		if !golden[c.name] {
			continue
		}
		path := filepath.Join("testdata", c.name+".svg")
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(c.svg), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create)", err)
		}
		if string(want) != c.svg {
			t.Errorf("%s differs from %s (run go test ./internal/charts/ -update to accept)", c.name, path)
		}
	}
}
