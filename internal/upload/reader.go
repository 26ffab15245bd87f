package upload

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"hrx/internal/i18n"
)

// Reader streams the data rows of an upload, CSV or XLSX, so that a file of a
// million rows never has to sit in memory.
type Reader struct {
	src    rowSource
	format i18n.Msg

	header     []Column // file column index → Column, or colUnknown or colNoHeader
	cols       []Column // recognised columns in file order
	headerLine int

	issues       []Issue
	moreIssues   int // issues not kept once maxIssues was reached
	moreWarnings int // how many of those were warnings
	moreLine     int // the line of the first of them
	noHeaderSeen map[int]bool

	rows    int
	maxRows int // MaxRows; tests lower it
	err     error
}

// Columns of the file that are not read: a header no column has, or no header at all.
const (
	colUnknown  Column = -1
	colNoHeader Column = -2
)

// rowSource is one file format's stream of raw rows.
type rowSource interface {
	// next returns the cells of the next row and the line (or sheet row) it starts on.
	// The cells are only valid until the next call. A *rowProblem means the row was
	// unreadable but the rows after it can still be read.
	next() (cells []string, line int, err error)
	// cell turns a cell as read into the text the rest of the import sees.
	cell(c Column, v string) string
	close() error
}

// rowProblem is a row that could not be parsed; reading goes on after it.
type rowProblem struct{ issue Issue }

func (p *rowProblem) Error() string { return p.issue.Error() }

// maxIssues caps the issues a Reader keeps, so a file that is wrong on
// every one of a million lines cannot fill the memory with messages.
const maxIssues = 1000

// Open starts reading a file; name is only a hint (".xlsx"/".csv"), the content
// decides. r must be seekable (a temp file or bytes.Reader); Open reads it from
// the start and Close does not close it. Problems with the whole file found at
// the start (empty, binary, encoding, header) are a *FileError.
func Open(r io.ReadSeeker, name string) (*Reader, error) {
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("upload: reading the file: %w", err)
	}
	if size == 0 {
		return nil, newFileError("imports.file.empty")
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("upload: reading the file: %w", err)
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("upload: reading the file: %w", err)
	}
	head = head[:n]

	var src rowSource
	var format i18n.Msg
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		src, format, err = openXLSX(r, size)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return nil, newFileError("imports.file.xls")
	default:
		if msg := binaryKind(head, name); !msg.IsZero() {
			return nil, &FileError{Msg: msg}
		}
		src, format, err = openCSV(r, head)
	}
	if err != nil {
		return nil, err
	}
	rd := &Reader{src: src, format: format, maxRows: MaxRows}
	if err := rd.readHeader(); err != nil {
		src.close()
		return nil, err
	}
	return rd, nil
}

// binaryKind names well-known non-text files by their first bytes, so the
// message can say what the file is rather than only that it is not text.
func binaryKind(head []byte, name string) i18n.Msg {
	kinds := []struct{ magic, what string }{
		{"\x89PNG\r\n\x1a\n", "png"},
		{"\xFF\xD8\xFF", "jpeg"},
		{"GIF8", "gif"},
		{"%PDF-", "pdf"},
		{"\x1F\x8B", "gzip"},
		{"7z\xBC\xAF\x27\x1C", "7z"},
		{"Rar!", "rar"},
		{"\xFF\xFE\x00\x00", "utf32"},
		{"\x00\x00\xFE\xFF", "utf32"},
	}
	for _, k := range kinds {
		if bytes.HasPrefix(head, []byte(k.magic)) {
			return i18n.M("imports.file.binary_kind", "kind", i18n.M("imports.kind."+k.what))
		}
	}
	t := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n"))
	for _, p := range []string{"<!doctype html", "<html", "<?xml", "{\\rtf"} {
		if bytes.HasPrefix(t, []byte(p)) {
			return i18n.M("imports.file.markup")
		}
	}
	if strings.HasSuffix(strings.ToLower(name), ".xlsx") && bytes.IndexByte(head, 0) >= 0 {
		return i18n.M("imports.file.fake_xlsx")
	}
	return i18n.Msg{}
}

// readHeader takes the first non-empty row as the header and maps its cells to columns.
func (r *Reader) readHeader() error {
	var cells []string
	for {
		c, line, err := r.src.next()
		var p *rowProblem
		switch {
		case err == io.EOF:
			if x, ok := r.src.(*xlsxSource); ok {
				return newFileError("imports.file.empty_sheet", "sheet", x.sheet)
			}
			return newFileError("imports.file.empty")
		case errors.As(err, &p):
			return newFileError("imports.header.unreadable", "line", p.issue.Line, "problem", p.issue.Msg)
		case err != nil:
			return err
		}
		if !blankRow(c) {
			cells, r.headerLine = c, line
			break
		}
	}

	var seenAt [NumColumns]int // 1-based file column where each column was found
	var found []string
	r.header = make([]Column, len(cells))
	for i, cell := range cells {
		r.header[i] = colNoHeader
		written := strings.TrimSpace(strings.TrimPrefix(cell, "\uFEFF"))
		if written == "" {
			continue
		}
		found = append(found, strconv.Quote(clip(written)))
		c, ok := lookupColumn(written)
		if !ok {
			r.header[i] = colUnknown
			r.addIssue(Issue{Line: r.headerLine, Column: written, Value: written,
				Msg: i18n.M(msgUnknownColumn, "name", clip(written), "columns", strings.Join(Names[:], ", "))})
			continue
		}
		if seenAt[c] != 0 {
			return newFileError("imports.header.duplicate_column", "name", Names[c], "first", seenAt[c], "second", i+1)
		}
		seenAt[c] = i + 1
		r.header[i] = c
		r.cols = append(r.cols, c)
	}
	var missing []string
	for _, c := range Required {
		if seenAt[c] == 0 {
			missing = append(missing, fmt.Sprintf("%q", Names[c]))
		}
	}
	if len(missing) > 0 {
		if len(found) > 20 {
			found = append(found[:20], "…")
		}
		return newFileError("imports.header.missing", "count", len(missing), "missing", strings.Join(missing, ", "),
			"line", r.headerLine, "found", strings.Join(found, ", "))
	}
	return nil
}

// Next returns the next data row, io.EOF at the end, or a *FileError when the
// file turns out unreadable part-way (after which Next keeps returning it).
// Completely empty rows are skipped.
func (r *Reader) Next() (Record, error) {
	if r.err != nil {
		return Record{}, r.err
	}
	for {
		cells, line, err := r.src.next()
		if err != nil {
			var p *rowProblem
			if errors.As(err, &p) {
				r.addIssue(p.issue)
				continue
			}
			r.err = err
			return Record{}, err
		}
		if blankRow(cells) {
			continue
		}
		r.rows++
		if r.rows > r.maxRows {
			r.err = newFileError("imports.file.too_many_rows", "max", r.maxRows)
			return Record{}, r.err
		}
		rec := Record{Line: line}
		var extra []string
		for i, v := range cells {
			if i < len(r.header) {
				if c := r.header[i]; c >= 0 {
					rec.Values[c] = r.src.cell(c, v)
				} else if c == colNoHeader && strings.TrimSpace(v) != "" {
					r.noHeaderValue(i, line)
				}
			} else if strings.TrimSpace(v) != "" && len(extra) <= 5 {
				extra = append(extra, strconv.Quote(clip(v)))
				if len(extra) == 6 {
					extra[5] = "…"
				}
			}
		}
		if len(extra) > 0 {
			r.addIssue(Issue{Line: line, Value: strings.Join(extra, ", "),
				Msg: i18n.M("imports.row.extra_cells", "line", line, "columns", len(r.header))})
		}
		return rec, nil
	}
}

// noHeaderValue reports, once per column, values in a column whose header cell
// is empty: they are ignored, and nothing is ignored without saying so.
func (r *Reader) noHeaderValue(i, line int) {
	if r.noHeaderSeen[i] {
		return
	}
	if r.noHeaderSeen == nil {
		r.noHeaderSeen = map[int]bool{}
	}
	r.noHeaderSeen[i] = true
	r.addIssue(Issue{Line: line, Msg: i18n.M("imports.row.no_header", "column", i+1)})
}

// msgUnknownColumn is the one problem of a file that is only a warning: the
// column is ignored, and the rest of the file can still be applied.
const msgUnknownColumn = "imports.header.unknown_column"

func (r *Reader) addIssue(is Issue) {
	if len(r.issues) >= maxIssues {
		if r.moreIssues == 0 {
			r.moreLine = is.Line
		}
		r.moreIssues++
		if is.Warning() {
			r.moreWarnings++
		}
		return
	}
	r.issues = append(r.issues, is)
}

// Issues returns warnings and row-level problems found so far, in line order:
// unknown columns (on the header line, Column = the header as written), rows
// with malformed quotes (skipped), cells beyond the header or under an empty
// header (ignored). After the first 1,000 one last issue counts the rest.
func (r *Reader) Issues() []Issue {
	if r.moreIssues == 0 {
		return r.issues
	}
	return append(r.issues[:len(r.issues):len(r.issues)], Issue{Line: r.moreLine,
		Msg: i18n.M("imports.issues.more", "count", r.moreIssues)})
}

// TakeIssues returns the issues kept since the last call, and how many
// errors and warnings were not kept, and forgets them all. A caller that
// takes them after every row counts every issue; only a header with more
// than maxIssues unknown columns goes past the cap.
func (r *Reader) TakeIssues() (kept []Issue, moreErrors, moreWarnings int) {
	kept, moreErrors, moreWarnings = r.issues, r.moreIssues-r.moreWarnings, r.moreWarnings
	r.issues, r.moreIssues, r.moreWarnings = nil, 0, 0
	return kept, moreErrors, moreWarnings
}

// Format says what was detected, for the import summary, e.g.
// "CSV, UTF-8 with BOM, comma-separated" or `XLSX, sheet "Sheet1"`.
func (r *Reader) Format() i18n.Msg { return r.format }

// Columns lists the recognised columns present in the file, in file order.
func (r *Reader) Columns() []Column { return r.cols }

// Close releases what reading needed (the workbook's temporary files); it does
// not close the io.ReadSeeker given to Open.
func (r *Reader) Close() error {
	if r.src == nil {
		return nil
	}
	err := r.src.close()
	r.src = nil
	if r.err == nil {
		r.err = errors.New("upload: Reader is closed")
	}
	return err
}

// clip shortens text quoted in a message to 40 characters.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:39]) + "…"
}

// blankRow says whether every cell is empty or spaces.
func blankRow(cells []string) bool {
	for _, c := range cells {
		if c != "" && strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// thousands writes n as 1,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}
