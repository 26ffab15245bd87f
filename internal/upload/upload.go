// Package upload is the file format of figures: its columns and their
// English and Japanese header names; reading CSV (any of the encodings and
// separators spreadsheets write) and XLSX (behind the workbook guards) into
// records, and the problems a file can have; writing figures as CSV and XLSX
// so that they upload back unchanged, and the empty templates people fill in.
package upload

import (
	"encoding/json"

	"hrx/internal/i18n"
)

// Record is one data row as read from a file, before any checking.
type Record struct {
	Line   int                // the line (CSV) or row (XLSX) number where the row starts, 1 = the header
	Values [NumColumns]string // the cell of each column; "" when the file has no such column or the cell is empty
}

// Issue is a problem found in a file: where, the value found, and a message
// that says what is wrong and how to fix it, written for each reader at the edge.
type Issue struct {
	Line   int      // 0 when it concerns the whole file
	Column string   // a column name, "duplicate" for a repeated key, "" for the whole row or file
	Value  string   // the value as written, at most 200 characters
	Msg    i18n.Msg // what is wrong and how to fix it
}

// Located is the message with where it applies: "line 3, column month: …".
func (i Issue) Located() i18n.Msg {
	switch {
	case i.Line == 0:
		return i.Msg
	case i.Column == "":
		return i18n.M("imports.issue.at_line", "line", i.Line, "message", i.Msg)
	}
	return i18n.M("imports.issue.at_cell", "line", i.Line, "column", i.Column, "message", i.Msg)
}

func (i Issue) Error() string { return i.Located().String() }

// Warning reports whether the issue is only a warning (a column that is not
// read), which does not keep the rest of the file from being applied.
func (i Issue) Warning() bool { return i.Msg.ID == msgUnknownColumn }

// ColumnMsg is the issue's column as a reader sees it: a column of the
// format by its name in the reader's language, a header as the file wrote it.
func (i Issue) ColumnMsg() i18n.Msg {
	if i.Column == "duplicate" {
		return i18n.M("imports.column.duplicate")
	}
	for c := Column(0); c < NumColumns; c++ {
		if i.Column == Names[c] {
			return c.Msg()
		}
	}
	return i18n.Text(i.Column)
}

// MarshalJSON writes the issue as the API and `hrx import --json` give it,
// with the message in English for programs.
func (i Issue) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Line    int    `json:"line"`
		Column  string `json:"column"`
		Value   string `json:"value"`
		Message string `json:"message"`
	}{i.Line, i.Column, i.Value, i.Msg.String()})
}

// FileError means the file as a whole cannot be read (empty, binary, wrong encoding,
// missing required column …); no row of it can be applied.
type FileError struct {
	Msg i18n.Msg
}

func (e *FileError) Error() string { return e.Msg.String() }

// newFileError is a *FileError with a catalog message.
func newFileError(id string, nameValues ...any) *FileError {
	return &FileError{Msg: i18n.M(id, nameValues...)}
}

// MaxRows is the most data rows one file may hold.
const MaxRows = 1_000_000
