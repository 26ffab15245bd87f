package upload

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// xmlScanner walks an XML part of a workbook byte by byte in a fixed buffer,
// telling a handler about tags, text and processing instructions. It exists so
// that a hostile part can be measured before excelize parses it with
// encoding/xml, which keeps a whole text, tag or comment in memory however long
// it is. The scanner never holds more than one tag: anything longer than its
// buffer is an error, not a reason to grow.
//
// It does not check that the XML is well formed (encoding/xml does that later
// and stops at the first fault); it only has to see at least as much as
// encoding/xml would. So it knows quoted attribute values, comments, CDATA
// sections and processing instructions, which could otherwise hide a '<' or '>'.
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int // unread bytes are buf[pos:end]
	eof      bool
	inText   bool // a run of text has been reported without its end
	inEntity bool // text is inside an entity such as &amp; (possibly across reads)
	entLen   int
}

// xmlHandler receives what an xmlScanner finds. The byte slices are only valid
// during the call. A non-nil error stops the scan and is returned by run.
type xmlHandler interface {
	start(name, attrs []byte, selfClosing bool) error
	end(name []byte) error
	// text reports a piece of a text run of n characters (UTF-16 units, as
	// Excel counts them); last ends the run.
	text(n int, last bool) error
	procInst(target, content []byte) error
}

// xmlMaxTag is the longest tag, comment or processing instruction the
// scanner accepts: its buffer size. Excel's longest tags are a few kilobytes.
const xmlMaxTag = 128 << 10

// errXMLDirective and xmlTooLongError are faults of the part itself.
var errXMLDirective = errors.New("a document type declaration")

// xmlTooLongError is a tag, comment or processing instruction that does not fit the buffer.
type xmlTooLongError struct{ max int }

func (e *xmlTooLongError) Error() string {
	return fmt.Sprintf("a tag longer than %s bytes", thousands(e.max))
}

func newXMLScanner(buf []byte) *xmlScanner { return &xmlScanner{buf: buf} }

// reset starts on a new part, keeping the buffer.
func (s *xmlScanner) reset(r io.Reader) {
	*s = xmlScanner{r: r, buf: s.buf}
}

// run scans to the end of the part or the first error. A part that ends in
// the middle of markup is not an error here: encoding/xml stops there too.
func (s *xmlScanner) run(h xmlHandler) error {
	for {
		if s.pos == s.end {
			if err := s.fill(); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
		}
		if s.buf[s.pos] != '<' {
			b := s.buf[s.pos:s.end]
			i := bytes.IndexByte(b, '<')
			last := i >= 0
			if !last {
				i = len(b)
			}
			s.pos += i
			s.inText = !last
			if err := h.text(s.units(b[:i]), last); err != nil {
				return err
			}
			continue
		}
		if s.inText {
			// The run ended where a read did.
			s.inText = false
			if err := h.text(0, true); err != nil {
				return err
			}
		}
		s.inEntity = false
		err := s.markup(h)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// fill moves the unread bytes to the front of the buffer and reads more.
// It returns an *xmlTooLongError when the buffer is full of one unfinished construct.
func (s *xmlScanner) fill() error {
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.eof {
		return io.EOF
	}
	if s.end == len(s.buf) {
		return &xmlTooLongError{len(s.buf)}
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			if n > 0 {
				return nil
			}
			return io.EOF
		}
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
	}
}

// ensure reads until at least n unread bytes are buffered or the part ends.
func (s *xmlScanner) ensure(n int) []byte {
	for s.end-s.pos < n {
		if s.fill() != nil {
			break
		}
	}
	return s.buf[s.pos:s.end]
}

// find returns the offset from pos of the first pat at or after offset from,
// reading more as needed.
func (s *xmlScanner) find(from int, pat string) (int, error) {
	for {
		if i := xmlIndex(s.buf[s.pos+from:s.end], pat); i >= 0 {
			return from + i, nil
		}
		from = max(from, s.end-s.pos-len(pat)+1)
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
}

// xmlIndex is bytes.Index for a short pattern, without converting it to bytes.
func xmlIndex(b []byte, pat string) int {
	for i := 0; ; i++ {
		j := bytes.IndexByte(b[i:], pat[0])
		if j < 0 {
			return -1
		}
		i += j
		if len(b)-i < len(pat) {
			return -1
		}
		if string(b[i:i+len(pat)]) == pat {
			return i
		}
	}
}

// xmlHasPrefix is bytes.HasPrefix for a constant prefix.
func xmlHasPrefix(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

// tagEnd returns the offset from pos of the '>' that ends a start tag,
// skipping quoted attribute values.
func (s *xmlScanner) tagEnd() (int, error) {
	var quote byte
	i := 1
	for {
		b := s.buf[s.pos:s.end]
		for i < len(b) {
			if quote != 0 {
				j := bytes.IndexByte(b[i:], quote)
				if j < 0 {
					i = len(b)
					break
				}
				i += j + 1
				quote = 0
				continue
			}
			c := b[i]
			i++
			if c == '>' {
				return i - 1, nil
			}
			if c == '"' || c == '\'' {
				quote = c
			}
		}
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
}

// markup handles what starts at the '<' at pos.
func (s *xmlScanner) markup(h xmlHandler) error {
	b := s.ensure(2)
	if len(b) < 2 {
		return io.EOF
	}
	switch b[1] {
	case '/':
		i, err := s.find(2, ">")
		if err != nil {
			return err
		}
		name := s.buf[s.pos+2 : s.pos+i]
		s.pos += i + 1
		return h.end(name)
	case '?':
		i, err := s.find(2, "?>")
		if err != nil {
			return err
		}
		pi := s.buf[s.pos+2 : s.pos+i]
		s.pos += i + 2
		n := xmlNameEnd(pi)
		return h.procInst(pi[:n], pi[n:])
	case '!':
		b = s.ensure(9)
		switch {
		case xmlHasPrefix(b, "<![CDATA["):
			s.pos += 9
			return s.cdata(h)
		case xmlHasPrefix(b, "<!--"):
			i, err := s.find(4, "-->")
			s.pos += i + 3
			return err
		}
		// Excel never writes a DOCTYPE; encoding/xml would read one whole.
		return errXMLDirective
	}
	i, err := s.tagEnd()
	if err != nil {
		return err
	}
	tag := s.buf[s.pos+1 : s.pos+i]
	s.pos += i + 1
	selfClosing := len(tag) > 0 && tag[len(tag)-1] == '/'
	if selfClosing {
		tag = tag[:len(tag)-1]
	}
	n := xmlNameEnd(tag)
	return h.start(tag[:n], tag[n:], selfClosing)
}

// cdata reports a CDATA section's content as one text run.
func (s *xmlScanner) cdata(h xmlHandler) error {
	for {
		b := s.buf[s.pos:s.end]
		if i := xmlIndex(b, "]]>"); i >= 0 {
			s.pos += i + 3
			return h.text(rawUnits(b[:i]), true)
		}
		keep := min(2, len(b)) // the start of a "]]>" cut by the read
		s.pos += len(b) - keep
		if err := h.text(rawUnits(b[:len(b)-keep]), false); err != nil {
			return err
		}
		if err := s.fill(); err != nil {
			return err
		}
	}
}

// units counts the characters of a piece of text as Excel does (UTF-16
// units). An entity counts as two, the most it can stand for, so that the
// count never falls below what encoding/xml will decode.
func (s *xmlScanner) units(b []byte) int {
	n := 0
	for _, c := range b {
		if s.inEntity {
			s.entLen++
			if c == ';' || s.entLen > 12 {
				s.inEntity = false
			}
			continue
		}
		if c == '&' {
			s.inEntity, s.entLen = true, 0
			n += 2
			continue
		}
		n += utf16Units(c)
	}
	return n
}

// rawUnits counts the characters of text without entities (CDATA).
func rawUnits(b []byte) int {
	n := 0
	for _, c := range b {
		n += utf16Units(c)
	}
	return n
}

// utf16Units is how many UTF-16 units the UTF-8 sequence that c starts
// encodes: none for a continuation byte, two for a four-byte sequence.
func utf16Units(c byte) int {
	switch {
	case c < 0x80 || c >= 0xC0 && c < 0xF0:
		return 1
	case c >= 0xF0:
		return 2
	}
	return 0
}
