package imports

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
func xlsxTooLarge(zr *zip.Reader) string {
	const split = "Split the figures into smaller files (for example one per month), or save the sheet as CSV UTF-8, and upload that."
	if len(zr.File) > xlsxMaxParts {
		return fmt.Sprintf("The Excel workbook is made of more than %s parts, far more than a sheet of figures needs; it may be damaged. "+
			"Copy the figures into a new workbook, or save the sheet as CSV UTF-8, and upload that.", readerThousands(xlsxMaxParts))
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
			return fmt.Sprintf("The Excel workbook is too large to check safely: it is more than %d MB once unpacked (or it is damaged). %s", xlsxUnzipLimit>>20, split)
		case name == "xl/sharedstrings.xml" && size > xlsxStringsLimit:
			return fmt.Sprintf("The Excel workbook is too large to check safely: its texts take more than %d MB once unpacked. %s", xlsxStringsLimit>>20, split)
		case inMemory > xlsxInMemoryLimit:
			return fmt.Sprintf("The Excel workbook is too large to check safely: it holds more than %d MB of pictures, styles or other content besides the figures (or it is damaged). "+
				"Copy the figures into a new workbook, or save the sheet as CSV UTF-8, and upload that.", xlsxInMemoryLimit>>20)
		}
	}
	return ""
}

// openXLSX checks that a ZIP file is a workbook and opens its first sheet.
func openXLSX(r io.ReadSeeker, size int64) (src *xlsxSource, format string, err error) {
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
		return nil, "", &FileError{Message: fmt.Sprintf("The file looks like an Excel workbook (.xlsx) but is damaged (%v). Open it in Excel, save it again and upload the new file.", err)}
	}
	if msg := notWorkbook(zr); msg != "" {
		return nil, "", &FileError{Message: msg}
	}
	if msg := xlsxTooLarge(zr); msg != "" {
		return nil, "", &FileError{Message: msg}
	}
	if err := xlsxCheckParts(zr); err != nil {
		return nil, "", err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, "", fmt.Errorf("imports: reading the upload: %w", err)
	}
	opts := excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxInMemoryPart}
	if path := samePathFile(r); path != "" {
		f, err = excelize.OpenFile(path, opts) // reads the ZIP in place instead of copying it into memory
	} else {
		f, err = excelize.OpenReader(r, opts)
	}
	if err != nil {
		return nil, "", &FileError{Message: fmt.Sprintf("The Excel workbook cannot be read (%v). Open it in Excel, save it again as .xlsx and upload the new file.", err)}
	}
	src = &xlsxSource{f: f}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		src.date1904 = *props.Date1904
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, "", &FileError{Message: "The Excel workbook has no sheets."}
	}
	src.sheet = sheets[0]
	if src.rows, err = f.Rows(src.sheet); err != nil {
		return nil, "", &FileError{Message: fmt.Sprintf("The first sheet of the workbook, %q, cannot be read (%v); put the figures on the first sheet.", src.sheet, err)}
	}
	format = fmt.Sprintf("XLSX, sheet %q", src.sheet)
	if len(sheets) > 1 {
		format += fmt.Sprintf(" (the first of %d sheets; only it is read)", len(sheets))
	}
	return src, format, nil
}

// notWorkbook says what a ZIP file is when it is not an Excel workbook.
func notWorkbook(zr *zip.Reader) string {
	has := map[string]bool{}
	for _, f := range zr.File {
		has[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = true
	}
	switch {
	case has["xl/workbook.xml"]:
		return ""
	case has["xl/workbook.bin"]:
		return "This is an Excel binary workbook (.xlsb), which cannot be read. Open it in Excel and save it as an Excel Workbook (.xlsx) or CSV UTF-8."
	case has["mimetype"] && has["content.xml"]:
		return "This is an OpenDocument file (.ods), not an Excel workbook (.xlsx). Save it as an Excel Workbook (.xlsx) or CSV UTF-8 and upload that."
	case has["word/document.xml"] || has["ppt/presentation.xml"]:
		return "This is a Word or PowerPoint document, not an Excel workbook (.xlsx). Upload the figures as .xlsx or CSV UTF-8."
	}
	return "This is a ZIP archive, not an Excel workbook (.xlsx). Unpack it and upload the .xlsx or CSV file inside, or save the figures as .xlsx or CSV UTF-8."
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
		*err = &FileError{Message: fmt.Sprintf("The Excel workbook cannot be read; it may be damaged (%v). Open it in Excel, save it again and upload the new file.", p)}
	}
}

func (s *xlsxSource) next() (cells []string, line int, err error) {
	defer xlsxRecover(&err)
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			if errors.Is(err, excelize.ErrMaxRows) {
				return nil, 0, &FileError{Message: fmt.Sprintf("The file has more than %s rows; split it into smaller files.", readerThousands(MaxRows))}
			}
			return nil, 0, &FileError{Message: fmt.Sprintf("The workbook cannot be read past row %d (%v). Open it in Excel, save it again and upload the new file.", s.row, err)}
		}
		return nil, 0, io.EOF
	}
	// Every call of Next is one sheet row, also rows the file leaves out
	// because they are empty, so counting the calls gives the row number.
	s.row++
	cells, err = s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, &FileError{Message: fmt.Sprintf("The workbook cannot be read at row %d (%v). Open it in Excel, save it again and upload the new file.", s.row, err)}
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
