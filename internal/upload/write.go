package upload

// Writing figures in the upload format, as CSV or XLSX, so that an exported
// file uploads back with every row unchanged.

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"hrx/internal/figures"
)

// BOM is the UTF-8 byte order mark that makes Excel read a CSV file as UTF-8.
const BOM = "\uFEFF"

// SheetName is the worksheet that holds the figures, in exports and templates.
const SheetName = "Figures"

// MaxXLSXRows is the most figures one worksheet holds (Excel's 1,048,576 rows less the header).
const MaxXLSXRows = excelize.TotalRows - 1

// record fills rec (of NumColumns cells, in the order of Names)
// with a figure's cells as text; the count is plain digits. With lf, every line
// break (CRLF or a lone CR) becomes LF first: a CSV reader turns a CRLF inside a
// quoted cell into LF anyway, and encoding/csv's writer would drop a lone CR.
func record(rec []string, f figures.Figure, lf bool) {
	text := func(s string) string {
		if lf && strings.IndexByte(s, '\r') >= 0 {
			s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
		}
		return SafeCell(s)
	}
	rec[Month] = text(f.Month)
	rec[Direction] = text(f.Direction)
	rec[Category] = text(f.Category)
	rec[Count] = strconv.FormatInt(f.Count, 10)
	rec[Sector] = text(f.Sector)
	rec[Origin] = text(f.Origin)
	rec[Destination] = text(f.Destination)
	rec[Status] = text(f.Status)
	rec[Source] = text(f.Source)
	rec[Note] = text(f.Note)
}

// newCSV starts a CSV file on w: the BOM, then a comma-separated writer with CRLF line ends.
func newCSV(w io.Writer) (*bufio.Writer, *csv.Writer, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(BOM); err != nil {
		return nil, nil, err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	return bw, cw, nil
}

func finishCSV(bw *bufio.Writer, cw *csv.Writer) error {
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteCSV writes figures in the upload format: UTF-8 with a BOM, the English
// header row, comma-separated, CRLF line ends, columns in the order of
// Names, counts as plain digits and every text cell passed through
// SafeCell. each is called once and must call yield for every figure in turn
// (a closure over figures.Store.Each, for example); an error from yield (a
// failed write) must stop it and be returned. Line breaks inside a cell are
// written as CRLF (encoding/csv's UseCRLF) and read back as LF, so a note's CR
// line ends, which no CSV reader keeps, come back as LF; XLSX keeps them.
func WriteCSV(w io.Writer, each func(yield func(figures.Figure) error) error) error {
	bw, cw, err := newCSV(w)
	if err != nil {
		return err
	}
	if err := cw.Write(Header("en")); err != nil {
		return err
	}
	rec := make([]string, NumColumns)
	if err := each(func(f figures.Figure) error {
		record(rec, f, true)
		return cw.Write(rec)
	}); err != nil {
		return err
	}
	return finishCSV(bw, cw)
}

// TemplateCSV writes an empty upload template: the BOM and the header row
// (Japanese names for lang "ja", English otherwise), nothing else.
func TemplateCSV(w io.Writer, lang string) error {
	bw, cw, err := newCSV(w)
	if err != nil {
		return err
	}
	if err := cw.Write(Header(lang)); err != nil {
		return err
	}
	return finishCSV(bw, cw)
}

// exportWidths are the column widths of an exported worksheet, in characters,
// wide enough for the codes each column holds; note and source get more room.
var exportWidths = [NumColumns]float64{
	Month:       10,
	Direction:   10,
	Category:    18,
	Count:       10,
	Sector:      24,
	Origin:      12,
	Destination: 13,
	Status:      12,
	Source:      28,
	Note:        60,
}

// styles are the cell styles the workbooks share.
type styles struct {
	header, text, count int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#DDEBF7"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "#7F7F7F", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
		NumFmt:    49, // text
	}); err != nil {
		return s, err
	}
	if s.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@": what is typed stays text
		return s, err
	}
	if s.count, err = f.NewStyle(&excelize.Style{NumFmt: 1}); err != nil { // "0": plain digits
		return s, err
	}
	return s, nil
}

// newWorkbook returns a workbook whose only sheet is "Figures".
func newWorkbook() (*excelize.File, styles, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName(f.GetSheetName(0), SheetName); err != nil {
		f.Close()
		return nil, styles{}, err
	}
	st, err := newStyles(f)
	if err != nil {
		f.Close()
		return nil, styles{}, err
	}
	return f, st, nil
}

var freezeHeader = &excelize.Panes{
	Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
}

// WriteXLSX writes the same rows as WriteCSV as a workbook: sheet "Figures"
// with a bold, frozen header row, the count as a number cell and every other
// cell as a text (inline string) cell, passed through SafeCell so both formats
// read back the same. Rows are streamed (excelize's StreamWriter spills to a
// temporary file), so memory stays flat however many figures there are; more
// than MaxXLSXRows figures is an error.
func WriteXLSX(w io.Writer, each func(yield func(figures.Figure) error) error) error {
	f, st, err := newWorkbook()
	if err != nil {
		return err
	}
	defer f.Close()
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return err
	}
	for i, wd := range exportWidths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
		style := st.text
		if Column(i) == Count {
			style = st.count
		}
		if err := sw.SetColStyle(i+1, i+1, style); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(freezeHeader); err != nil {
		return err
	}
	row := make([]any, NumColumns)
	for i, h := range Header("en") {
		row[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", row, excelize.RowOpts{StyleID: st.header}); err != nil {
		return err
	}
	rec := make([]string, NumColumns)
	n := 1
	if err := each(func(fig figures.Figure) error {
		if n > MaxXLSXRows {
			return fmt.Errorf("more than %d figures do not fit in one worksheet; export fewer months or use CSV", MaxXLSXRows)
		}
		n++
		record(rec, fig, false)
		for i, v := range rec {
			row[i] = v
			if v == "" {
				row[i] = nil // no cell at all; reads back as ""
			}
		}
		row[Count] = fig.Count
		return sw.SetRow("A"+strconv.Itoa(n), row)
	}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return writeWorkbook(f, w)
}

// writeWorkbook zips f straight onto w. (File.Write would first build the
// whole zip in a bytes.Buffer, tens of megabytes for a million rows.) The
// buffer WriteToBuffer returns stays empty: every byte went to the zip writer
// on w. Its only other use, marking entries over 4 GiB as zip64 in place,
// archive/zip does by itself.
func writeWorkbook(f *excelize.File, w io.Writer) error {
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(out, flate.BestSpeed)
		})
		return zw
	})
	_, err := f.WriteToBuffer()
	return err
}
