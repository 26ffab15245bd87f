package upload

import (
	"fmt"
	"strings"

	"golang.org/x/text/width"

	"hrx/internal/i18n"
)

// Column is a column of the upload format, an index into Record.Values.
type Column int

// The columns of the upload format, in the order the template writes them.
const (
	Month Column = iota
	Direction
	Category
	Count
	Sector
	Origin
	Destination
	Status
	Source
	Note
	NumColumns
)

// Names are the columns' English header names, the ones PRODUCT.md fixes.
var Names = [NumColumns]string{"month", "direction", "category", "count", "sector", "origin", "destination", "status", "source", "note"}

// JapaneseNames are the headers of the Japanese template.
var JapaneseNames = [NumColumns]string{"月", "方向", "区分", "人数", "分野", "出身地", "就労地", "状態", "出典", "備考"}

// Required are the columns a file must have.
var Required = []Column{Month, Direction, Category, Count}

// String is the column's English header name.
func (c Column) String() string {
	if c < 0 || c >= NumColumns {
		return fmt.Sprintf("column %d", int(c))
	}
	return Names[c]
}

// Msg is a column's name as a message says it: the English header in
// English, the Japanese template's header in Japanese.
func (c Column) Msg() i18n.Msg {
	if c < 0 || c >= NumColumns {
		return i18n.Text(c.String())
	}
	return i18n.M("imports.column." + Names[c])
}

// Header returns the header row: English names, or the Japanese ones for lang
// "ja" (or any "ja-…" tag).
func Header(lang string) []string {
	names := Names
	if isJapanese(lang) {
		names = JapaneseNames
	}
	return names[:]
}

func isJapanese(lang string) bool {
	l := strings.ToLower(strings.TrimSpace(lang))
	return l == "ja" || strings.HasPrefix(l, "ja-") || strings.HasPrefix(l, "ja_")
}

// lookupColumn finds the column a header names: case, surrounding spaces and
// full-width letters do not matter, and the Japanese template's names count too.
func lookupColumn(h string) (Column, bool) {
	key := strings.ToLower(strings.TrimSpace(width.Fold.String(h)))
	for c := Column(0); c < NumColumns; c++ {
		if key == Names[c] || key == JapaneseNames[c] {
			return c, true
		}
	}
	return -1, false
}
