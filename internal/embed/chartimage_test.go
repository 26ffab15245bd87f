package embed

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hrx/internal/i18n"
	"hrx/internal/report"
)

// TestChartFile draws every downloadable chart of a target with figures and
// of one without, in every language: a well-formed standalone SVG under
// 16 KB with its title, the source line and the as-of month inside, and a
// PNG of ChartWidth × ChartHeight with something drawn.
func TestChartFile(t *testing.T) {
	cases := map[string]report.TargetProgress{"fixture": fixture(), "empty": emptyFixture()}
	for name, tp := range cases {
		for _, code := range []string{"en", "ja", "hi"} {
			l, _ := i18n.Parse(code)
			for _, chart := range report.ChartNames {
				svg, ok, err := ChartFile(tp, l, chart, "svg")
				if err != nil || !ok {
					t.Fatalf("%s %s %s: %v %v", name, code, chart, ok, err)
				}
				if len(svg) >= 16<<10 {
					t.Errorf("%s %s %s: SVG of %d bytes", name, code, chart, len(svg))
				}
				var doc struct {
					XMLName xml.Name
					Width   string `xml:"width,attr"`
				}
				if err := xml.Unmarshal(svg, &doc); err != nil || doc.XMLName.Space != "http://www.w3.org/2000/svg" || doc.Width != "800" {
					t.Errorf("%s %s %s: %+v %v", name, code, chart, doc, err)
				}
				s := string(svg)
				for _, want := range []string{xmlText(tp.ChartTitle(l, chart)), xmlText(l.Tr(i18n.M("downloads.source")))} {
					if !strings.Contains(s, want) {
						t.Errorf("%s %s %s: no %q in the SVG", name, code, chart, want)
					}
				}
				if name == "fixture" && !strings.Contains(s, xmlText(l.Tr(tp.AsOf()))) {
					t.Errorf("%s %s %s: no as-of month in the SVG", name, code, chart)
				}
				b, _, err := ChartFile(tp, l, chart, "png")
				if err != nil {
					t.Fatal(err)
				}
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("%s %s %s: not a PNG: %v", name, code, chart, err)
				}
				if got := img.Bounds(); got != image.Rect(0, 0, ChartWidth, ChartHeight) {
					t.Errorf("%s %s %s: %v", name, code, chart, got)
				}
				if inked(img) < 0.01 {
					t.Errorf("%s %s %s: almost nothing drawn", name, code, chart)
				}
				if dir := os.Getenv("HRX_PICTURES"); dir != "" { // to look at them
					os.WriteFile(filepath.Join(dir, name+"-"+code+"-"+chart+".png"), b, 0o644)
					os.WriteFile(filepath.Join(dir, name+"-"+code+"-"+chart+".svg"), svg, 0o644)
				}
			}
		}
	}
	if _, ok, _ := ChartFile(fixture(), i18n.New(i18n.EN, ""), "pie", "svg"); ok {
		t.Error("an unknown chart was drawn")
	}
}

func xmlText(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), "&#39;", "&#x27;")
}

// BenchmarkChartPNG measures drawing and encoding one chart's PNG (the
// server does it once per target, chart, language and data version).
func BenchmarkChartPNG(b *testing.B) {
	tp := fixture()
	l := i18n.New(i18n.EN, "")
	for _, chart := range report.ChartNames {
		b.Run(chart, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := ChartFile(tp, l, chart, "png"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
