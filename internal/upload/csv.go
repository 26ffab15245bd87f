package upload

// Reading CSV: the encoding, the separator and the line ends, found from the
// file itself.

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"hrx/internal/i18n"
)

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
