package upload

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"hrx/internal/i18n"
)

// xlsxSource streams the rows of a workbook's first sheet.
type xlsxSource struct {
	f        *excelize.File
	rows     *excelize.Rows
	sheet    string
	row      int // sheet row number of the current row
	date1904 bool
}

// Workbook limits, checked on the sizes the ZIP directory declares before
// excelize sees the file (archive/zip refuses to read past a declared size, so
// they are true bounds). excelize unzips worksheets and the shared strings
// larger than xlsxInMemoryPart to temporary files and every other part into
// memory, allocating what the directory declares up front; so a few crafted
// bytes could ask for gigabytes. 200,000 rows of ten columns, as Excel writes
// them, are about 85 MB unzipped, so the limit admits some 450,000 rows; a
// larger file is better sent as CSV. What the parts hold is checked next, by
// xlsxCheckParts.
const (
	xlsxInMemoryPart  = 8 << 20
	xlsxInMemoryLimit = 100 << 20
	xlsxUnzipLimit    = 200 << 20
	xlsxStringsLimit  = 100 << 20 // the shared strings part
	xlsxMaxParts      = 10_000    // a workbook of figures has a dozen
)

// xlsxTooLarge checks the sizes and the number of parts a workbook's ZIP directory declares.
func xlsxTooLarge(zr *zip.Reader) i18n.Msg {
	if len(zr.File) > xlsxMaxParts {
		return i18n.M("imports.xlsx.too_many_parts", "max", xlsxMaxParts)
	}
	var total, inMemory uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		total += size
		name := xlsxPartName(f.Name)
		toTemp := size > xlsxInMemoryPart && (strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml")
		if !toTemp {
			inMemory += size
		}
		switch {
		case size > xlsxUnzipLimit || total > xlsxUnzipLimit:
			return i18n.M("imports.xlsx.too_large_unpacked", "mb", xlsxUnzipLimit>>20)
		case name == "xl/sharedstrings.xml" && size > xlsxStringsLimit:
			return i18n.M("imports.xlsx.too_large_texts", "mb", xlsxStringsLimit>>20)
		case inMemory > xlsxInMemoryLimit:
			return i18n.M("imports.xlsx.too_large_other", "mb", xlsxInMemoryLimit>>20)
		}
	}
	return i18n.Msg{}
}

// openXLSX checks that a ZIP file is a workbook and opens its first sheet.
func openXLSX(r io.ReadSeeker, size int64) (src *xlsxSource, format i18n.Msg, err error) {
	var f *excelize.File
	defer func() {
		if err != nil && f != nil {
			f.Close() // removes its temporary files
		}
	}()
	defer xlsxRecover(&err)
	ra, ok := r.(io.ReaderAt)
	if !ok {
		ra = seekReaderAt{r}
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, format, newFileError("imports.xlsx.damaged_zip", "detail", err.Error())
	}
	if msg := notWorkbook(zr); !msg.IsZero() {
		return nil, format, &FileError{Msg: msg}
	}
	if msg := xlsxTooLarge(zr); !msg.IsZero() {
		return nil, format, &FileError{Msg: msg}
	}
	if err := xlsxCheckParts(zr); err != nil {
		return nil, format, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, format, fmt.Errorf("upload: reading the file: %w", err)
	}
	opts := excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxInMemoryPart}
	if path := samePathFile(r); path != "" {
		f, err = excelize.OpenFile(path, opts) // reads the ZIP in place instead of copying it into memory
	} else {
		f, err = excelize.OpenReader(r, opts)
	}
	if err != nil {
		return nil, format, newFileError("imports.xlsx.unreadable", "detail", err.Error())
	}
	src = &xlsxSource{f: f}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		src.date1904 = *props.Date1904
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, format, newFileError("imports.xlsx.no_sheets")
	}
	src.sheet = sheets[0]
	if src.rows, err = f.Rows(src.sheet); err != nil {
		return nil, format, newFileError("imports.xlsx.sheet_unreadable", "sheet", src.sheet, "detail", err.Error())
	}
	format = i18n.M("imports.format.xlsx", "sheet", src.sheet)
	if len(sheets) > 1 {
		format = i18n.M("imports.format.xlsx_first", "sheet", src.sheet, "sheets", len(sheets))
	}
	return src, format, nil
}

// notWorkbook says what a ZIP file is when it is not an Excel workbook.
func notWorkbook(zr *zip.Reader) i18n.Msg {
	has := map[string]bool{}
	for _, f := range zr.File {
		has[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = true
	}
	switch {
	case has["xl/workbook.xml"]:
		return i18n.Msg{}
	case has["xl/workbook.bin"]:
		return i18n.M("imports.xlsx.xlsb")
	case has["mimetype"] && has["content.xml"]:
		return i18n.M("imports.xlsx.ods")
	case has["word/document.xml"] || has["ppt/presentation.xml"]:
		return i18n.M("imports.xlsx.office")
	}
	return i18n.M("imports.xlsx.zip")
}

// samePathFile returns the path of r when it is an *os.File still reachable by
// its name, so excelize can read the ZIP from disk instead of from a copy in memory.
func samePathFile(r io.ReadSeeker) string {
	f, ok := r.(*os.File)
	if !ok {
		return ""
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return ""
	}
	st2, err := os.Stat(f.Name())
	if err != nil || !os.SameFile(st, st2) {
		return ""
	}
	return f.Name()
}

// seekReaderAt gives archive/zip the io.ReaderAt it needs over a plain io.ReadSeeker.
type seekReaderAt struct{ r io.ReadSeeker }

func (s seekReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if _, err := s.r.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(s.r, p)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return n, err
}

// xlsxRecover turns a panic inside excelize, a large parser of untrusted
// input, into a *FileError instead of a crash.
func xlsxRecover(err *error) {
	if p := recover(); p != nil {
		*err = newFileError("imports.xlsx.crashed", "detail", fmt.Sprint(p))
	}
}

func (s *xlsxSource) next() (cells []string, line int, err error) {
	defer xlsxRecover(&err)
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			if errors.Is(err, excelize.ErrMaxRows) {
				return nil, 0, newFileError("imports.file.too_many_rows", "max", MaxRows)
			}
			return nil, 0, newFileError("imports.xlsx.unreadable_after", "row", s.row, "detail", err.Error())
		}
		return nil, 0, io.EOF
	}
	// Every call of Next is one sheet row, also rows the file leaves out
	// because they are empty, so counting the calls gives the row number.
	s.row++
	cells, err = s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, newFileError("imports.xlsx.unreadable_at", "row", s.row, "detail", err.Error())
	}
	return cells, s.row, nil
}

// cell turns a raw cell value into the text the checks expect. Cells are read
// raw, not as displayed: a number format could show 12.6 as "13" or hide a
// value, and nothing may be changed silently. So numbers come out in plain
// notation without float artifacts (1233.9999999999998 → 1234), and a number
// in the month column that is a date serial (45901) becomes "2025-09-01".
func (s *xlsxSource) cell(c Column, v string) string {
	f, ok := xlsxNumber(v)
	if !ok {
		if c == Month && len(v) > 10 && v[10] == 'T' && v[4] == '-' && v[7] == '-' {
			return v[:10] // an ISO 8601 date cell (t="d")
		}
		return v
	}
	switch c {
	case Month:
		if d, ok := xlsxSerialDate(f, s.date1904); ok {
			return d
		}
	case Count:
		return strconv.FormatFloat(xlsxRound15(f), 'f', -1, 64)
	}
	if len(strings.TrimLeft(strings.TrimLeft(v, "-"), "0.")) > 15 {
		return strconv.FormatFloat(xlsxRound15(f), 'f', -1, 64)
	}
	return v
}

// xlsxNumber parses a cell that is a plain decimal number as Excel stores one.
func xlsxNumber(v string) (float64, bool) {
	if v == "" || strings.IndexFunc(v, func(r rune) bool { return !strings.ContainsRune("0123456789.eE+-", r) }) >= 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil && !math.IsInf(f, 0)
}

// xlsxRound15 rounds to Excel's 15 significant digits, which removes the binary
// float artifacts that the file's 17 digits carry.
func xlsxRound15(f float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	return r
}

// xlsxSerialDate turns an Excel date serial into YYYY-MM-DD, for dates from 1980
// up to 2199 only: outside that a number in the month column is not a date
// someone entered (202509 would be the year 2454) and is left for the checks
// to report as it is.
func xlsxSerialDate(f float64, date1904 bool) (string, bool) {
	t, err := excelize.ExcelDateToTime(math.Floor(f), date1904)
	if err != nil || t.Year() < 1980 || t.Year() >= 2200 {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

func (s *xlsxSource) close() error {
	err := s.rows.Close()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}
