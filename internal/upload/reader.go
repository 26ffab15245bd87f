package upload

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	"golang.org/x/text/width"

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

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// textEncoding is an encoding a CSV file may come in.
type textEncoding int

const (
	encUTF8 textEncoding = iota
	encUTF8BOM
	encUTF16LE
	encUTF16BE
	encShiftJIS
)

func (e textEncoding) String() string {
	return [...]string{"UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE", "Shift_JIS"}[e]
}

// msg is the encoding's name in a message: the standard's name, or words.
func (e textEncoding) msg() i18n.Msg {
	if e == encUTF8BOM {
		return i18n.M("imports.encoding.utf8_bom")
	}
	return i18n.Text(e.String())
}

// bomLen is how many bytes of byte order mark precede the text.
func (e textEncoding) bomLen() int64 {
	switch e {
	case encUTF8BOM:
		return 3
	case encUTF16LE, encUTF16BE:
		return 2
	}
	return 0
}

// decoded reads the text after the BOM as UTF-8.
func (e textEncoding) decoded(r io.Reader) io.Reader {
	switch e {
	case encUTF16LE:
		return transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder())
	case encUTF16BE:
		return transform.NewReader(r, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder())
	case encShiftJIS:
		// x/text's ShiftJIS is Microsoft's CP932, which Japanese Excel writes.
		return transform.NewReader(r, japanese.ShiftJIS.NewDecoder())
	}
	return r
}

// textProblem is the first thing in a file that keeps it from being text in an encoding.
type textProblem struct {
	kind int // one of the prob… constants
	line int
	b    byte // the control byte, for probControl
}

const (
	probNone        = iota
	probInvalid     // bytes that are not valid in the encoding
	probReplacement // U+FFFD, what decoders put in place of invalid bytes
	probNUL         // a NUL byte: binary data or UTF-16 without a BOM
	probControl     // another control character that text does not contain
)

// scanText reads UTF-8 text from src to the end, in chunks, and reports the
// first invalid sequence, replacement character or control character.
func scanText(src io.Reader) (textProblem, error) {
	buf := make([]byte, 64<<10)
	carry, line, prevCR := 0, 1, false
	for {
		n, err := io.ReadFull(src, buf[carry:])
		n += carry
		atEOF := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !atEOF {
			return textProblem{}, err
		}
		i := 0
		for i < n {
			b := buf[i]
			if b < utf8.RuneSelf {
				switch {
				case b == '\n':
					if !prevCR {
						line++
					}
				case b == '\r':
					line++
				case b == 0:
					return textProblem{kind: probNUL, line: line}, nil
				case b < 0x20 && b != '\t' && b != '\v' && b != '\f':
					return textProblem{kind: probControl, line: line, b: b}, nil
				}
				prevCR = b == '\r'
				i++
				continue
			}
			prevCR = false
			if !atEOF && !utf8.FullRune(buf[i:n]) {
				break // the rest of this character comes with the next chunk
			}
			r, size := utf8.DecodeRune(buf[i:n])
			if r == utf8.RuneError {
				if size <= 1 {
					return textProblem{kind: probInvalid, line: line}, nil
				}
				return textProblem{kind: probReplacement, line: line}, nil
			}
			i += size
		}
		if atEOF {
			return textProblem{}, nil
		}
		carry = copy(buf, buf[i:n])
	}
}

// scanAs checks the whole file as text in encoding e.
func scanAs(r io.ReadSeeker, e textEncoding) (textProblem, error) {
	if _, err := r.Seek(e.bomLen(), io.SeekStart); err != nil {
		return textProblem{}, err
	}
	return scanText(e.decoded(r))
}

// detectEncoding finds the file's encoding by its byte order mark, else by
// whether all of it is valid UTF-8, else valid Shift_JIS. It reads the whole
// file once, in chunks, before any row is read, so an encoding problem is found
// up front rather than after half the rows.
func detectEncoding(r io.ReadSeeker, head []byte) (textEncoding, error) {
	var enc textEncoding
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		enc = encUTF8BOM
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		enc = encUTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		enc = encUTF16BE
	}
	p, err := scanAs(r, enc)
	if err != nil {
		return 0, fmt.Errorf("upload: reading the file: %w", err)
	}
	if p.kind == probInvalid && enc == encUTF8 {
		q, err := scanAs(r, encShiftJIS)
		if err != nil {
			return 0, fmt.Errorf("upload: reading the file: %w", err)
		}
		switch q.kind {
		case probNone:
			return encShiftJIS, nil
		case probNUL, probControl:
			p = q
		default:
			if hasControls(head) {
				return 0, newFileError("imports.file.binary")
			}
			return 0, newFileError("imports.file.unknown_encoding", "utf8_line", p.line, "sjis_line", q.line)
		}
	}
	switch p.kind {
	case probNone:
		return enc, nil
	case probNUL:
		if bomlessUTF16(head) {
			return 0, newFileError("imports.file.utf16_no_bom")
		}
		return 0, newFileError("imports.file.nul", "line", p.line)
	case probControl:
		return 0, newFileError("imports.file.control", "byte", fmt.Sprintf("0x%02X", p.b), "line", p.line)
	case probReplacement:
		if enc == encUTF16LE || enc == encUTF16BE {
			return 0, newFileError("imports.file.bad_utf16", "encoding", enc.String(), "line", p.line)
		}
		return 0, newFileError("imports.file.replacement", "line", p.line)
	default:
		return 0, newFileError("imports.file.bad_bom", "line", p.line)
	}
}

// hasControls says whether b holds control characters that text does not.
func hasControls(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' {
			return true
		}
	}
	return false
}

// bomlessUTF16 spots ASCII text stored as UTF-16: a NUL beside every letter.
func bomlessUTF16(head []byte) bool {
	if len(head) < 8 {
		return false
	}
	var nul [2]int
	for i, b := range head {
		if b == 0 {
			nul[i%2]++
		}
	}
	half := len(head) / 2
	return nul[0] > half*8/10 && nul[1] == 0 || nul[1] > half*8/10 && nul[0] == 0
}

// crToLF turns a CR that is not followed by LF (old Mac line ends, which
// encoding/csv does not see as line ends) into LF. It also stops a file whose
// lines never end, which encoding/csv would otherwise gather into memory whole.
type crToLF struct {
	br   *bufio.Reader
	line int // lines passed, for the message
	run  int // bytes since the last line end
}

// maxLine is the longest physical line read; a row of figures is far shorter.
const maxLine = 1 << 20

func (c *crToLF) Read(p []byte) (int, error) {
	n, err := c.br.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\r')
		if j < 0 {
			break
		}
		i += j
		if i+1 < n {
			if p[i+1] != '\n' {
				p[i] = '\n'
			}
		} else if next, _ := c.br.Peek(1); len(next) == 0 || next[0] != '\n' {
			p[i] = '\n'
		}
		i++
	}
	first := bytes.IndexByte(p[:n], '\n')
	if first < 0 {
		c.run += n
	} else if c.run += first; c.run <= maxLine {
		c.line += bytes.Count(p[first:n], []byte{'\n'})
		c.run = n - bytes.LastIndexByte(p[:n], '\n') - 1
	}
	if c.run > maxLine {
		return 0, newFileError("imports.file.long_line", "line", c.line+1)
	}
	return n, err
}

// csvSource reads the rows of a delimited text file.
type csvSource struct {
	cr *csv.Reader
}

func openCSV(r io.ReadSeeker, head []byte) (*csvSource, i18n.Msg, error) {
	enc, err := detectEncoding(r, head)
	if err != nil {
		return nil, i18n.Msg{}, err
	}
	if _, err := r.Seek(enc.bomLen(), io.SeekStart); err != nil {
		return nil, i18n.Msg{}, fmt.Errorf("upload: reading the file: %w", err)
	}
	br := bufio.NewReaderSize(enc.decoded(bufio.NewReaderSize(r, 64<<10)), 64<<10)
	peek, _ := br.Peek(64 << 10)
	sep := sniffSeparator(peek)
	cr := csv.NewReader(&crToLF{br: br})
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	name := map[rune]string{',': "comma", ';': "semicolon", '\t': "tab"}[sep]
	return &csvSource{cr: cr}, i18n.M("imports.format.csv", "encoding", enc.msg(), "separator", i18n.M("imports.separator."+name)), nil
}

// sniffSeparator picks comma, semicolon or tab: whichever the first non-blank
// line holds most often outside quotes; comma when none or a tie.
func sniffSeparator(text []byte) rune {
	text = bytes.TrimPrefix(text, utf8BOM)
	var count [3]int
	seps := [3]byte{',', ';', '\t'}
	quoted, content := false, false
	for _, b := range text {
		if b == '"' {
			quoted = !quoted
		}
		if quoted {
			content = true
			continue
		}
		if b == '\n' || b == '\r' {
			if content {
				break
			}
			count = [3]int{}
			continue
		}
		if i := bytes.IndexByte(seps[:], b); i >= 0 {
			count[i]++
		} else if b != ' ' {
			content = true
		}
	}
	best := 0
	for i := range count {
		if count[i] > count[best] {
			best = i
		}
	}
	return rune(seps[best])
}

func (s *csvSource) next() ([]string, int, error) {
	rec, err := s.cr.Read()
	if err == nil {
		line, _ := s.cr.FieldPos(0)
		return rec, line, nil
	}
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		return nil, 0, io.EOF
	case errors.As(err, &pe) && (pe.Err == csv.ErrQuote || pe.Err == csv.ErrBareQuote):
		return nil, 0, &rowProblem{issue: quoteIssue(pe)}
	}
	var fe *FileError
	if errors.As(err, &fe) {
		return nil, 0, fe
	}
	return nil, 0, fmt.Errorf("upload: reading the file: %w", err)
}

// quoteIssue explains a malformed quote; the row is skipped and reading goes on.
func quoteIssue(pe *csv.ParseError) Issue {
	is := Issue{Line: pe.StartLine}
	switch {
	case pe.Err == csv.ErrBareQuote:
		is.Msg = i18n.M("imports.row.bare_quote", "line", pe.Line, "char", pe.Column)
	case pe.Line > pe.StartLine:
		is.Msg = i18n.M("imports.row.open_quote_lines", "from", pe.StartLine, "to", pe.Line, "char", pe.Column)
	default:
		is.Msg = i18n.M("imports.row.open_quote", "char", pe.Column)
	}
	return is
}

func (s *csvSource) cell(_ Column, v string) string { return v }
func (s *csvSource) close() error                   { return nil }
