package charts

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The layouts hold every state and union territory of India (36) and every
// prefecture of Japan (47), each on a square of its own.
func TestTileLayouts(t *testing.T) {
	for _, c := range []struct {
		name   string
		layout map[string]TilePos
		codes  []string
	}{
		{"india", IndiaTiles, indiaCodes},
		{"japan", JapanTiles, japanCodes()},
	} {
		if len(c.layout) != len(c.codes) {
			t.Errorf("%s: %d tiles, want %d", c.name, len(c.layout), len(c.codes))
		}
		for _, code := range c.codes {
			if _, ok := c.layout[code]; !ok {
				t.Errorf("%s: %s has no tile", c.name, code)
			}
		}
		seen := map[TilePos]string{}
		for code, p := range c.layout {
			if other, ok := seen[p]; ok {
				t.Errorf("%s: %s and %s share %v", c.name, code, other, p)
			}
			seen[p] = code
			if p.Col < 0 || p.Row < 0 || p.Col > 9 || p.Row > 9 {
				t.Errorf("%s: %s at %v is off the grid", c.name, code, p)
			}
		}
	}
}

// indiaCodes are the codes of migrations/data/regions.csv for India.
var indiaCodes = strings.Fields(`IN-AN IN-AP IN-AR IN-AS IN-BR IN-CH IN-CG IN-DH IN-DL IN-GA IN-GJ IN-HR
IN-HP IN-JK IN-JH IN-KA IN-KL IN-LA IN-LD IN-MP IN-MH IN-MN IN-ML IN-MZ IN-NL IN-OD IN-PY IN-PB IN-RJ
IN-SK IN-TN IN-TS IN-TR IN-UP IN-UK IN-WB`)

func japanCodes() []string {
	var out []string
	for i := 1; i <= 47; i++ {
		out = append(out, fmt.Sprintf("JP-%02d", i))
	}
	return out
}

// Text on every shade reaches 4.5:1 (WCAG AA), and the shades get darker.
func TestTileContrast(t *testing.T) {
	prev := 2.0
	for _, fill := range append([]string{colorBackground}, TileScale...) {
		if r := contrast(fill, textOn(fill)); r < 4.5 {
			t.Errorf("text on %s: contrast %.2f, want at least 4.5", fill, r)
		}
		if l := relLuminance(fill); l >= prev {
			t.Errorf("%s is not darker than the shade before it", fill)
		} else {
			prev = l
		}
	}
}

func TestTileBins(t *testing.T) {
	for _, c := range []struct {
		max  int64
		want string
	}{
		{0, "[]"},
		{1, "[1]"},
		{3, "[1 2 3]"},
		{5, "[1 2 3 4 5]"},
		{10, "[2 4 6 8 10]"},
		{11, "[3 6 9 11]"},
		{42772, "[10000 20000 30000 40000 42772]"},
		{1000, "[200 400 600 800 1000]"},
		{1001, "[250 500 750 1000 1001]"},
	} {
		if got := fmt.Sprint(TileBins(c.max)); got != c.want {
			t.Errorf("TileBins(%d) = %s, want %s", c.max, got, c.want)
		}
	}
	// Every value from 1 to max falls in a bin.
	bins := TileBins(1001)
	if tileShade(bins, 1) != 0 || tileShade(bins, 1001) != 4 || tileShade(bins, 251) != 1 {
		t.Errorf("shades of 1, 251, 1001: %d %d %d", tileShade(bins, 1), tileShade(bins, 202), tileShade(bins, 1001))
	}
}

func sampleTiles(layout map[string]TilePos, codes []string) []Tile {
	var out []Tile
	for i, c := range codes {
		if i%4 == 3 {
			continue // some places with nobody
		}
		out = append(out, Tile{Code: c, Name: "Place " + c, Value: int64(i * i * 37)})
	}
	return append(out, Tile{Code: "XX-99", Name: "not on the grid", Value: 5})
}

func TestTileGridGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		g    TileGrid
	}{
		{"tilegrid_india", TileGrid{ID: "india", Title: "People by Indian state", Desc: "Most came from Tamil Nadu.", Layout: IndiaTiles,
			Tiles: sampleTiles(IndiaTiles, indiaCodes), NoneLabel: "none", Format: indian}},
		{"tilegrid_japan", TileGrid{ID: "japan", Title: "People by prefecture", Desc: "Most went to Okinawa.", Layout: JapanTiles,
			Tiles: sampleTiles(JapanTiles, japanCodes()), NoneLabel: "none"}},
		{"tilegrid_empty", TileGrid{ID: "empty", Title: "Nobody", Desc: "No figures.", Layout: JapanTiles, NoneLabel: "none"}},
	} {
		got := string(c.g.SVG())
		checkSVG(t, c.name, got)
		if len(got) > 16*1024 {
			t.Errorf("%s is %d bytes, want under 16 KB", c.name, len(got))
		}
		path := filepath.Join("testdata", c.name+".svg")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from %s (run go test ./internal/charts/ -update to accept)", c.name, path)
		}
	}
}

func TestHBars(t *testing.T) {
	got := string(HBars{ID: "s", Title: "By sector", Desc: "Nursing care first.", Bars: []Bar{{"Nursing care", 1200}, {"A & B", 300}, {"None", 0}}}.SVG())
	checkSVG(t, "hbars", got)
	for _, want := range []string{`width="100%"`, `A &amp; B <tspan font-weight="bold">300</tspan>`, `width="25%"`, `1,200`} {
		if !strings.Contains(got, want) {
			t.Errorf("bars lack %q:\n%s", want, got)
		}
	}
}

// checkSVG checks that a chart is well-formed, an image with a title and a
// description, and that its text is 12–16 px.
func checkSVG(t *testing.T, name, s string) {
	t.Helper()
	root := chartRoot(t, s)
	if attr(root, "role") != "img" || !strings.Contains(s, "<title id=") || !strings.Contains(s, "<desc id=") {
		t.Errorf("%s: not an image with a title and a description", name)
	}
	for _, m := range regexp.MustCompile(`font-size="([0-9.]+)"`).FindAllStringSubmatch(s, -1) {
		if m[1] < "12" || m[1] > "16" || len(m[1]) != 2 {
			t.Errorf("%s: font-size %s", name, m[1])
		}
	}
}
