package embed

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"hrx/internal/i18n"
	"hrx/internal/report"
)

// The picture a shared link shows (Open Graph and Twitter cards ask for 1200 × 630).
const (
	PictureWidth  = 1200
	PictureHeight = 630
)

// Picture draws a target's progress as the PNG picture a link to its page
// shows when shared: the site, the target's name, the people counted of the
// target and the per cent, a progress bar, the status and the as-of month:
// the card widget's numbers and words (the same view), on the light theme.
//
// The fonts are the Go fonts, inside the binary, so the picture looks the
// same wherever HRX runs; they write Latin script only. A word the font
// cannot write in the reader's language (every Japanese and Hindi word, and
// a target's Japanese or Hindi name) is written in English instead, with the
// numbers in the reader's convention (5,00,000 for Hindi). The page's own
// tags and the picture's alt text stay in the page's language.
func Picture(tp report.TargetProgress, l i18n.Locale) ([]byte, error) {
	v := newView(tp, Options{Locale: l}, "")
	img := image.NewRGBA(image.Rect(0, 0, PictureWidth, PictureHeight))
	draw.Draw(img, img.Bounds(), image.NewUniform(hex(light.Bg)), image.Point{}, draw.Src)
	p := newPNGPainter(img)
	v.share(p)
	var buf bytes.Buffer
	if err := png.Encode(&buf, paletted(img)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sharePad is the picture's margin.
const sharePad = 72

// share lays out the shared-link picture.
func (v view) share(p *pngPainter) {
	const inner = PictureWidth - 2*sharePad
	en := englishFor(v.l)
	say := func(m i18n.Msg) string {
		if s := v.l.Tr(m); p.canWrite(s) {
			return s
		}
		return en.Tr(m)
	}
	name := v.name
	if !p.canWrite(name) {
		name = v.tp.Target.NameEN
	}

	// A band in the brand's colour, then the site.
	p.rect(0, 0, PictureWidth, 14, light.Fill)
	p.text(sharePad, 96, 34, "700", "", "a", "HRX")
	x := sharePad + p.width("HRX", 34, "700") + 18
	p.text(x, 96, 30, "", "", "m", p.fit(say(i18n.M("layout.brand")), 30, "", sharePad+inner-x))

	lines := p.wrap(name, 56, "700", inner, 2)
	y := 196.0
	for i, line := range lines {
		if i > 0 {
			y += 66
		}
		p.text(sharePad, y, 56, "700", "", "t", line)
	}

	if v.empty {
		y += 130
		p.text(sharePad, y, 64, "700", "", "t", p.fit(say(report.NoFiguresYet()), 64, "700", inner))
		y += 80
		p.text(sharePad, y, 38, "", "", "m", p.fit(say(v.tp.TargetBy()), 38, "", inner))
		p.text(sharePad, 574, 34, "", "", "m", p.fit(say(v.tp.FirstMonth()), 34, "", inner))
		return
	}

	// The number that matters, then what it is of, on its line when it fits.
	y += 184
	p.text(sharePad, y, 150, "700", "", "t", v.achieved)
	of := say(v.tp.OfTarget()) + " · " + v.percent
	if ax := sharePad + p.width(v.achieved, 150, "700") + 28; ax+p.width(of, 44, "") <= sharePad+inner {
		p.text(ax, y, 44, "", "", "m", of)
	} else {
		y += 56
		p.text(sharePad, y, 44, "", "", "m", p.fit(of, 44, "", inner))
	}
	p.bar(v, sharePad, y+40, inner, 32)

	// The status (its shape when the font has it) and the month.
	status := v.statusLine()
	if !p.canWrite(status) {
		status = say(report.StatusWord(v.r.Status))
	}
	asOf := say(v.tp.AsOf())
	aw := p.width(asOf, 36, "")
	p.text(PictureWidth-sharePad, 574, 36, "", "end", "m", asOf)
	p.text(sharePad, 574, 36, "700", "", v.statusClass, p.fit(status, 36, "700", inner-aw-32))
}

// englishFor is English with l's number convention: the picture's words
// where its font cannot write l's.
func englishFor(l i18n.Locale) i18n.Locale {
	if l.Lang == i18n.HI || strings.EqualFold(l.Code(), "en-IN") {
		return i18n.New(i18n.EN, "IN")
	}
	return i18n.New(i18n.EN, "")
}

// pictureFonts are the Go fonts, parsed once; read-only after.
var pictureFonts = sync.OnceValues(func() ([2]*sfnt.Font, error) {
	r, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return [2]*sfnt.Font{}, err
	}
	b, err := opentype.Parse(gobold.TTF)
	return [2]*sfnt.Font{r, b}, err
})

// pngPainter draws text and bars into a picture; its faces are its own
// (a face is not safe for use by two pictures at once).
type pngPainter struct {
	img   *image.RGBA
	fonts [2]*sfnt.Font
	faces map[faceKey]font.Face
	buf   sfnt.Buffer
}

type faceKey struct {
	size float64
	bold bool
}

func newPNGPainter(img *image.RGBA) *pngPainter {
	f, err := pictureFonts()
	if err != nil {
		panic(err) // the fonts are part of the binary; a test draws with them
	}
	return &pngPainter{img: img, fonts: f, faces: map[faceKey]font.Face{}}
}

func (p *pngPainter) face(size float64, weight string) font.Face {
	k := faceKey{size, weight != ""}
	if f, ok := p.faces[k]; ok {
		return f
	}
	src := p.fonts[0]
	if k.bold {
		src = p.fonts[1]
	}
	f, err := opentype.NewFace(src, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic(err) // only for a size of zero or less, which no caller asks for
	}
	p.faces[k] = f
	return f
}

// canWrite reports whether the font has a glyph for every letter of s.
func (p *pngPainter) canWrite(s string) bool {
	for _, r := range s {
		if r == ' ' {
			continue
		}
		if g, err := p.fonts[0].GlyphIndex(&p.buf, r); err != nil || g == 0 {
			return false
		}
	}
	return true
}

// width is how wide s is drawn, in pixels.
func (p *pngPainter) width(s string, size float64, weight string) float64 {
	return float64(font.MeasureString(p.face(size, weight), s)) / 64
}

// fit shortens s with an ellipsis so that it is at most width wide.
func (p *pngPainter) fit(s string, size float64, weight string, width float64) string {
	if p.width(s, size, weight) <= width {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && p.width(string(rs)+"…", size, weight) > width {
		rs = rs[:len(rs)-1]
	}
	return strings.TrimRight(string(rs), " ") + "…"
}

// wrap breaks s at spaces into at most n lines no wider than width; what
// still does not fit ends the last line with an ellipsis.
func (p *pngPainter) wrap(s string, size float64, weight string, width float64, n int) []string {
	var lines []string
	words := strings.Fields(s)
	for len(words) > 0 && len(lines) < n-1 {
		k := 1
		for k < len(words) && p.width(strings.Join(words[:k+1], " "), size, weight) <= width {
			k++
		}
		if k == len(words) {
			break
		}
		lines = append(lines, p.fit(strings.Join(words[:k], " "), size, weight, width))
		words = words[k:]
	}
	if len(words) > 0 {
		lines = append(lines, p.fit(strings.Join(words, " "), size, weight, width))
	}
	return lines
}

// text writes one line with its baseline at y; class "t" is the text
// colour, "m" the muted one, "a" the brand's, "s-…" a status colour.
func (p *pngPainter) text(x, y, size float64, weight, anchor, class, s string) {
	f := p.face(size, weight)
	switch anchor {
	case "end":
		x -= p.width(s, size, weight)
	case "middle":
		x -= p.width(s, size, weight) / 2
	}
	d := font.Drawer{Dst: p.img, Src: image.NewUniform(hex(classColour(class))), Face: f,
		Dot: fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}}
	d.DrawString(s)
}

func classColour(class string) string {
	switch {
	case class == "m":
		return light.Muted
	case class == "a":
		return light.Fill
	case strings.HasPrefix(class, "s-"):
		for st, c := range light.Status {
			if "s-"+string(st) == class {
				return c
			}
		}
	}
	return light.Text
}

// bar draws a progress bar with round ends, as the widgets draw it.
func (p *pngPainter) bar(v view, x, y, w, h float64) {
	p.round(x, y, w, h, light.Track)
	if f := v.barFraction() * w; f > 0 {
		p.round(x, y, max(f, h), h, light.Fill)
	}
}

// rect fills a rectangle.
func (p *pngPainter) rect(x, y, w, h float64, colour string) {
	r := image.Rect(int(x), int(y), int(x+w), int(y+h))
	draw.Draw(p.img, r, image.NewUniform(hex(colour)), image.Point{}, draw.Over)
}

// round fills a rectangle whose short ends are half circles.
func (p *pngPainter) round(x, y, w, h float64, colour string) {
	x0, y0 := int(x), int(y)
	ox, oy := float32(x-float64(x0)), float32(y-float64(y0))
	z := vector.NewRasterizer(int(w+2), int(h+2))
	r := float32(h / 2)
	const k = 0.5523 // a quarter circle as a cubic curve
	W, H := float32(w), float32(h)
	z.MoveTo(ox+r, oy)
	z.LineTo(ox+W-r, oy)
	z.CubeTo(ox+W-r+k*r, oy, ox+W, oy+r-k*r, ox+W, oy+r)
	z.CubeTo(ox+W, oy+r+k*r, ox+W-r+k*r, oy+H, ox+W-r, oy+H)
	z.LineTo(ox+r, oy+H)
	z.CubeTo(ox+r-k*r, oy+H, ox, oy+r+k*r, ox, oy+r)
	z.CubeTo(ox, oy+r-k*r, ox+r-k*r, oy, ox+r, oy)
	z.ClosePath()
	z.Draw(p.img, image.Rect(x0, y0, x0+int(w+2), y0+int(h+2)), image.NewUniform(hex(colour)), image.Point{})
}

// paletted turns the picture into one of at most 256 colours: the
// palette's colours and their anti-aliased edges over the background. An
// 8-bit picture is a quarter of the pixels' bytes and packs far smaller,
// which keeps the file under 60 KB, the size link previews fetch quickly.
func paletted(img *image.RGBA) *image.Paletted {
	bg := hex(light.Bg)
	pal := color.Palette{bg}
	seen := map[string]bool{light.Bg: true}
	inks := []string{light.Text, light.Muted, light.Fill, light.Track}
	for _, st := range statusOrder {
		inks = append(inks, light.Status[st])
	}
	for _, ink := range inks {
		if seen[ink] {
			continue
		}
		seen[ink] = true
		c := hex(ink)
		for k := 1; k <= 16; k++ { // k/16 of the ink over the background
			mix := func(a, b uint8) uint8 { return uint8((int(a)*k + int(b)*(16-k) + 8) / 16) }
			pal = append(pal, color.RGBA{mix(c.R, bg.R), mix(c.G, bg.G), mix(c.B, bg.B), 0xff})
		}
	}
	out := image.NewPaletted(img.Bounds(), pal)
	index := map[uint32]uint8{}
	last, lastN := uint32(1<<31), uint8(0) // most pixels are the same as the one before
	for i := 0; i < len(img.Pix); i += 4 {
		key := uint32(img.Pix[i])<<16 | uint32(img.Pix[i+1])<<8 | uint32(img.Pix[i+2])
		if key != last {
			n, ok := index[key]
			if !ok {
				n = uint8(pal.Index(color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 0xff}))
				index[key] = n
			}
			last, lastN = key, n
		}
		out.Pix[i/4] = lastN
	}
	return out
}

// hex reads a "#rrggbb" colour of the palettes.
func hex(s string) color.RGBA {
	n, _ := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	return color.RGBA{R: uint8(n >> 16), G: uint8(n >> 8), B: uint8(n), A: 0xff}
}
