package upload

import (
	"io"

	"hrx/internal/figures"
)

// Format is a file format figures are exported in, named by its file name
// extension. A new format is a writer, a constant here with its case in
// ContentType and Write, and a route.
type Format string

// The export formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Formats lists every export format; the first is the default.
func Formats() []Format { return []Format{CSV, XLSX} }

// ParseFormat returns the format a name stands for: its extension, in lower
// case, without the dot.
func ParseFormat(name string) (Format, bool) {
	for _, f := range Formats() {
		if string(f) == name {
			return f, true
		}
	}
	return "", false
}

// ContentType is the media type a response in the format is sent with.
func (f Format) ContentType() string {
	switch f {
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// Write writes figures in the format: each must call yield for every figure
// in turn, as WriteCSV and WriteXLSX say.
func (f Format) Write(w io.Writer, each func(yield func(figures.Figure) error) error) error {
	switch f {
	case XLSX:
		return WriteXLSX(w, each)
	}
	return WriteCSV(w, each)
}
