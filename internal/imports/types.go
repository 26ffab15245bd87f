// Package imports reads monthly CSV and XLSX files of figures, checks every
// row, previews what applying them would change, and applies them whole or not at all.
package imports

import "fmt"

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

// Record is one data row as read from a file, before any checking.
type Record struct {
	Line   int                // the line (CSV) or row (XLSX) number where the row starts, 1 = the header
	Values [NumColumns]string // the cell of each column; "" when the file has no such column or the cell is empty
}

// Issue is a problem found in a file, said in words a person can act on.
type Issue struct {
	Line    int    `json:"line"`   // 0 when it concerns the whole file
	Column  string `json:"column"` // a column name, "duplicate" for a repeated key, "" for the whole row or file
	Value   string `json:"value"`
	Message string `json:"message"`
}

func (i Issue) Error() string {
	switch {
	case i.Line == 0:
		return i.Message
	case i.Column == "":
		return fmt.Sprintf("line %d: %s", i.Line, i.Message)
	}
	return fmt.Sprintf("line %d, column %s: %s", i.Line, i.Column, i.Message)
}

// FileError means the file as a whole cannot be read (empty, binary, wrong encoding,
// missing required column …); no row of it can be applied.
type FileError struct {
	Message string
}

func (e *FileError) Error() string { return e.Message }

// MaxRows is the most data rows one file may hold.
const MaxRows = 1_000_000
