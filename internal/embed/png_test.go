package embed

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hrx/internal/i18n"
	"hrx/internal/report"
	"hrx/internal/targets"
)

// TestPicture draws the shared-link picture of every kind of target in
// every language: a PNG of 1200 × 630 under 60 KB, with something drawn.
func TestPicture(t *testing.T) {
	long := fixture()
	long.Target.NameEN = strings.Repeat("A very long name of a target that goes on ", 6)
	achieved := report.Compute(targets.Target{Slug: "small", NameEN: "Small", Value: 100, Start: skilledTarget().Start, End: skilledTarget().End,
		Filter: skilledTarget().Filter, Published: true}, categories, totals())
	cases := map[string]report.TargetProgress{"fixture": fixture(), "empty": emptyFixture(), "long": long, "achieved": achieved}
	for name, tp := range cases {
		for _, code := range []string{"en", "en-IN", "ja", "hi"} {
			l, _ := i18n.Parse(code)
			b, err := Picture(tp, l)
			if err != nil {
				t.Fatalf("%s %s: %v", name, code, err)
			}
			if len(b) > 60<<10 {
				t.Errorf("%s %s: %d bytes, more than 60 KB", name, code, len(b))
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s %s: not a PNG: %v", name, code, err)
			}
			if got := img.Bounds(); got != image.Rect(0, 0, PictureWidth, PictureHeight) {
				t.Errorf("%s %s: %v", name, code, got)
			}
			if inked(img) < 0.02 {
				t.Errorf("%s %s: almost nothing drawn", name, code)
			}
			if dir := os.Getenv("HRX_PICTURES"); dir != "" { // to look at them
				os.WriteFile(filepath.Join(dir, name+"-"+code+".png"), b, 0o644)
			}
		}
	}
}

// TestPictureWords: the picture's words are the reader's where the font
// writes them, else English, with the numbers in the reader's convention.
func TestPictureWords(t *testing.T) {
	p := newPNGPainter(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	for s, want := range map[string]bool{"As of October 2026": true, "9,592 · 19.2%": true, "India–Japan": true, "2026年10月時点": false, "अक्टूबर": false} {
		if got := p.canWrite(s); got != want {
			t.Errorf("canWrite(%q) = %v", s, got)
		}
	}
	hi, _ := i18n.Parse("hi")
	if got := englishFor(hi).N(500000); got != "5,00,000" {
		t.Errorf("Hindi's English numbers: %s", got)
	}
	ja, _ := i18n.Parse("ja")
	if got := englishFor(ja).Tr(fixture().AsOf()); got != "As of October 2026" {
		t.Errorf("Japanese picture's month: %s", got)
	}
}

// inked is the share of pixels that are not the background.
func inked(img image.Image) float64 {
	bg := hex(light.Bg)
	n, b := 0, img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) != bg.R || uint8(g>>8) != bg.G || uint8(bl>>8) != bg.B {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy()/4)
}

// BenchmarkPicture measures drawing and encoding one picture (the server
// does it once per target, language and data version).
func BenchmarkPicture(b *testing.B) {
	tp := fixture()
	l := i18n.New(i18n.EN, "")
	for b.Loop() {
		if _, err := Picture(tp, l); err != nil {
			b.Fatal(err)
		}
	}
}
