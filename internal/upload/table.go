package upload

import (
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Table is a small table of numbers with a header, such as the numbers
// behind one chart: Numeric marks the columns that hold whole numbers (as
// digits, or empty for no value); every other cell is text.
type Table struct {
	Sheet   string // the worksheet's name in XLSX
	Header  []string
	Numeric []bool
	Rows    [][]string
}

func (t Table) numeric(i int) bool { return i < len(t.Numeric) && t.Numeric[i] }

// WriteTableCSV writes t as the exports are written: UTF-8 with a BOM,
// comma-separated, CRLF line ends, every text cell through SafeCell.
func WriteTableCSV(w io.Writer, t Table) error {
	bw, cw, err := newCSV(w)
	if err != nil {
		return err
	}
	rec := make([]string, len(t.Header))
	for i, h := range t.Header {
		rec[i] = SafeCell(h)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, r := range t.Rows {
		rec = rec[:0]
		for i, v := range r {
			if !t.numeric(i) {
				v = SafeCell(v)
			}
			rec = append(rec, v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return finishCSV(bw, cw)
}

// WriteTableXLSX writes t as a workbook of one sheet with a bold, frozen
// header row, numbers as number cells and text as text cells through SafeCell.
func WriteTableXLSX(w io.Writer, t Table) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.Sheet
	if sheet == "" {
		sheet = "Data"
	}
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i := range t.Header {
		style := st.text
		if t.numeric(i) {
			style = st.count
		}
		if err := sw.SetColWidth(i+1, i+1, 18); err != nil {
			return err
		}
		if err := sw.SetColStyle(i+1, i+1, style); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(freezeHeader); err != nil {
		return err
	}
	row := make([]any, len(t.Header))
	for i, h := range t.Header {
		row[i] = excelize.Cell{StyleID: st.header, Value: SafeCell(h)}
	}
	if err := sw.SetRow("A1", row, excelize.RowOpts{StyleID: st.header}); err != nil {
		return err
	}
	for n, r := range t.Rows {
		row = make([]any, len(r))
		for i, v := range r {
			switch {
			case v == "":
				row[i] = nil
			case t.numeric(i):
				if x, err := strconv.ParseInt(v, 10, 64); err == nil {
					row[i] = x
				} else {
					row[i] = SafeCell(v)
				}
			default:
				row[i] = SafeCell(v)
			}
		}
		if err := sw.SetRow("A"+strconv.Itoa(n+2), row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return writeWorkbook(f, w)
}
