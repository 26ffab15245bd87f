package rules

// Reading single cell values: months, counts, free text, and matching names
// against reference lists.

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/upload"
)

// helpPage is the page that lists every code an upload may use.
const helpPage = "/help/upload"

// Normalize folds a value for matching against names: surrounding whitespace
// removed, full-width letters and digits made ASCII (half-width katakana made
// full-width), composed (NFC), lower case, and every run of inner whitespace
// (including non-breaking and ideographic spaces) made one ASCII space.
// A value that is already folded is returned as it is, without allocating.
func Normalize(s string) string {
	if folded(s) {
		return s
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			s = norm.NFC.String(width.Fold.String(s))
			break
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// folded reports whether s is printable ASCII without upper case letters
// or surrounding or doubled spaces, so that Normalize would not change it.
func folded(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x20 || c >= 0x7f || ('A' <= c && c <= 'Z'):
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' '):
			return false
		}
	}
	return true
}

// matchKey is the key names are matched on: Normalize, then every underscore,
// hyphen and dash made '-', so that IN_JP, in-jp and IN–JP are one key.
func matchKey(s string) string {
	s = Normalize(s)
	if strings.IndexFunc(s, isDash) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isDash(r) {
			return '-'
		}
		return r
	}, s)
}

func isDash(r rune) bool {
	switch r {
	case '_', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\ufe63':
		return true
	}
	return false
}

// table matches values against one reference list.
type table struct {
	exact  map[string]int // values as written: codes in lower and upper case, names as listed
	folded map[string]int // matchKey of every code and name
	plural bool           // also try the key with a trailing "s" added or removed
}

func newTable(plural bool) table {
	return table{exact: map[string]int{}, folded: map[string]int{}, plural: plural}
}

// add makes s find entry i, unless s already finds another entry.
func (t *table) add(s string, i int) {
	if s == "" {
		return
	}
	for _, e := range []string{s, strings.ToLower(s), strings.ToUpper(s)} {
		if _, ok := t.exact[e]; !ok {
			t.exact[e] = i
		}
	}
	if k := matchKey(s); k != "" {
		if _, ok := t.folded[k]; !ok {
			t.folded[k] = i
		}
	}
}

// find returns the entry s names, -1 when none.
func (t *table) find(s string) int {
	if i, ok := t.exact[s]; ok {
		return i
	}
	k := matchKey(s)
	if i, ok := t.folded[k]; ok {
		return i
	}
	if strings.Contains(k, "&") {
		k = matchKey(strings.ReplaceAll(k, "&", " and "))
		if i, ok := t.folded[k]; ok {
			return i
		}
	}
	if t.plural && k != "" {
		if i, ok := t.folded[k+"s"]; ok {
			return i
		}
		if i, ok := t.folded[strings.TrimSuffix(k, "s")]; ok {
			return i
		}
	}
	return -1
}

// control returns the first control character in s (C0, DEL or C1), or -1.
// allowBreaks lets TAB, LF and CR through.
func control(s string, allowBreaks bool) rune {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			if !allowBreaks {
				return rune(c)
			}
		case c < 0x20 || c == 0x7f:
			return rune(c)
		case c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f:
			return rune(s[i+1]) // U+0080–U+009F are encoded C2 80 – C2 9F
		}
	}
	return -1
}

func controlMsg(c upload.Column, r rune) i18n.Msg {
	char := fmt.Sprintf("U+%04X", r)
	switch {
	case c == upload.Note:
		return i18n.M("imports.cell.control_note", "char", char)
	case r == '\t':
		return i18n.M("imports.cell.tab", "column", c.Msg(), "char", char)
	case r == '\n' || r == '\r':
		return i18n.M("imports.cell.line_break", "column", c.Msg(), "char", char)
	}
	return i18n.M("imports.cell.control", "column", c.Msg(), "char", char)
}

// invalidMsg is said of a cell that is not UTF-8, which the reader
// should never let through.
func invalidMsg(c upload.Column) i18n.Msg {
	return i18n.M("imports.cell.not_text", "column", c.Msg())
}

// show is a value as a message quotes it: trimmed, shortened when long,
// and in double quotes when it has spaces or invisible characters.
func show(s string) string {
	s = strings.TrimSpace(s)
	s = clip(s, 40)
	if s == "" || !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) || r == '"' }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// clip shortens s to at most n characters, ending in "…" when cut.
func clip(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for range n - 1 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}

// unprotect removes the apostrophe our exports put before a cell that a
// spreadsheet would otherwise read as a formula.
func unprotect(s string) string {
	if rest, ok := strings.CutPrefix(s, "'"); ok && upload.FormulaLike(rest) {
		return rest
	}
	return s
}

// Months.

// monthErr says why a value is not a month.
type monthErr int

const (
	monthOK      monthErr = iota
	notMonth              // not a month in any accepted form
	twoDigitYear          // Sep-25, 09/25
	ambiguous             // 01/09/2025: day and month order unknown
	noSuchMonth           // 2025-13
	noSuchDay             // 2025-02-30
)

var monthNames = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
	"oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// token is one token of a written month: a run of digits or of letters.
type token struct {
	s    string
	kind byte // 'Y' four digits, 'n' one or two digits, 'x' other digits, 'M' month name, 'y' 年, 'm' 月, 'd' 日, 'w' other word
	sep  byte // the separator before it: 0 none, ' ', or the first of - / . ,
}

// parseMonth reads a month written in any accepted form (see Rules.Row)
// and returns its year and month number.
func parseMonth(raw string) (y, m int, e monthErr) {
	s := Normalize(raw)
	timed := false // a time of day follows the date
	// A date-time from a spreadsheet: "2025-09-01 00:00:00", "2025-09-01T00:00:00Z".
	if c := strings.IndexByte(s, ':'); c > 0 {
		t := strings.LastIndexAny(s[:c], " t")
		if t < 0 || strings.Trim(s[t+1:], "0123456789:.z") != "" {
			return 0, 0, notMonth
		}
		s = s[:t]
		timed = true
	}
	var toks [8]token
	n := 0
	var sep byte
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == ' ' || r == '-' || r == '/' || r == '.' || r == ',':
			if sep == 0 || sep == ' ' {
				sep = byte(r)
			}
			i += size
			continue
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if n == len(toks) {
				return 0, 0, notMonth
			}
			k := byte('x')
			switch j - i {
			case 1, 2:
				k = 'n'
			case 4:
				k = 'Y'
			}
			toks[n] = token{s: s[i:j], kind: k, sep: sep}
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r) || r == '年' || r == '月' || r == '日' {
					if j == i {
						j += size
					}
					break
				}
				j += size
			}
			if n == len(toks) {
				return 0, 0, notMonth
			}
			w := s[i:j]
			k := byte('w')
			switch w {
			case "年":
				k = 'y'
			case "月":
				k = 'm'
			case "日":
				k = 'd'
			default:
				if _, ok := monthNames[w]; ok {
					k = 'M'
				}
			}
			toks[n] = token{s: w, kind: k, sep: sep}
			i = j
		default:
			return 0, 0, notMonth
		}
		n++
		sep = 0
	}
	if sep != 0 && sep != '.' { // a trailing separator, other than "Sept." style
		return 0, 0, notMonth
	}
	t := toks[:n]
	if n == 0 || t[0].sep != 0 {
		return 0, 0, notMonth
	}
	var sig [8]byte
	for i := range t {
		sig[i] = t[i].kind
	}
	num := func(i int) int { v, _ := strconv.Atoi(t[i].s); return v }
	name := func(i int) int { return monthNames[t[i].s] }
	// A month number after a separator: - or /, or . before two digits
	// (2025.1 is how a spreadsheet writes the number 2025.10).
	numSep := func(i int) bool {
		b := t[i].sep
		return b == '-' || b == '/' || (b == '.' && len(t[i].s) == 2)
	}
	day, hasDay := 0, false
	switch string(sig[:n]) {
	case "Yn": // 2025-09, 2025/9
		if !numSep(1) {
			return 0, 0, notMonth
		}
		y, m = num(0), num(1)
	case "Ynn": // 2025-09-01, 2025/09/01
		if !numSep(1) || t[2].sep != t[1].sep {
			return 0, 0, notMonth
		}
		y, m, day, hasDay = num(0), num(1), num(2), true
	case "Yynm", "Yynmnd": // 2025年9月, 2025年9月1日
		for _, k := range t {
			if k.sep != 0 && k.sep != ' ' {
				return 0, 0, notMonth
			}
		}
		y, m = num(0), num(2)
		if n == 6 {
			day, hasDay = num(4), true
		}
	case "MY": // Sep 2025, September 2025, Sep-2025
		y, m = num(1), name(0)
	case "YM": // 2025 Sep
		y, m = num(0), name(1)
	case "MnY": // Sep 1, 2025
		y, m, day, hasDay = num(2), name(0), num(1), true
	case "nMY": // 1 Sep 2025, 01-Sep-2025
		y, m, day, hasDay = num(2), name(1), num(0), true
	case "nY": // 09/2025
		if !(t[1].sep == '-' || t[1].sep == '/' || (t[1].sep == '.' && len(t[0].s) == 2)) {
			return 0, 0, notMonth
		}
		y, m = num(1), num(0)
	case "Mn", "nn", "nMn":
		if len(t[n-1].s) == 2 {
			return 0, 0, twoDigitYear
		}
		return 0, 0, notMonth
	case "nnY", "nnn":
		return 0, 0, ambiguous
	default:
		return 0, 0, notMonth
	}
	if timed && !hasDay {
		return 0, 0, notMonth
	}
	if m < 1 || m > 12 {
		return y, m, noSuchMonth
	}
	if hasDay && (day < 1 || day > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()) {
		return y, m, noSuchDay
	}
	return y, m, monthOK
}

// Counts.

// countSlow reads a count that is not plain ASCII digits by the one
// count rule that the month grid, the API and the command line share.
func countSlow(raw string) (int64, i18n.Msg) {
	if t := strings.TrimSpace(raw); t != "" {
		if r := control(t, false); r >= 0 {
			return 0, controlMsg(upload.Count, r)
		}
	}
	return figures.ParseCount(raw)
}
