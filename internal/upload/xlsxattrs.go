package upload

import "bytes"

// Names and the few attribute values the workbook checks read. They run for
// every row and cell of a sheet, so they only allocate for values with entities.

// xmlNameEnd is where the name at the start of b ends: at white space or the end.
func xmlNameEnd(b []byte) int {
	for i, c := range b {
		if xmlSpace(c) {
			return i
		}
	}
	return len(b)
}

func xmlSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// xmlTrimSpace drops white space from the start of b.
func xmlTrimSpace(b []byte) []byte {
	for len(b) > 0 && xmlSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// xmlAttr returns the value of the attribute whose local name (after any
// prefix) is name, as written, or nil. When it appears more than once the
// last wins, as in excelize's attribute lookups.
func xmlAttr(attrs []byte, name string) []byte {
	// Excel writes a cell's or row's r first: when nothing after it could
	// name another attribute so, it is the one.
	if len(name) == 1 && len(attrs) > 4 && attrs[0] == ' ' && attrs[1] == name[0] && attrs[2] == '=' && attrs[3] == '"' {
		if q := bytes.IndexByte(attrs[4:], '"'); q >= 0 && bytes.IndexByte(attrs[5+q:], name[0]) < 0 {
			return attrs[4 : 4+q]
		}
	}
	var val []byte
	xmlEachAttr(attrs, func(key, v []byte) {
		if string(xmlLocal(key)) == name {
			val = v
		}
	})
	return val
}

// xmlEachAttr calls fn with the name and the value, as written, of each
// attribute, up to the first that is not well formed.
func xmlEachAttr(attrs []byte, fn func(name, value []byte)) {
	for {
		attrs = xmlTrimSpace(attrs)
		eq := bytes.IndexByte(attrs, '=')
		if eq < 0 {
			return
		}
		key := attrs[:eq]
		for len(key) > 0 && xmlSpace(key[len(key)-1]) {
			key = key[:len(key)-1]
		}
		rest := xmlTrimSpace(attrs[eq+1:])
		if len(rest) == 0 || rest[0] != '"' && rest[0] != '\'' {
			return
		}
		q := bytes.IndexByte(rest[1:], rest[0])
		if q < 0 {
			return
		}
		fn(key, rest[1:1+q])
		attrs = rest[q+2:]
	}
}

// xmlLocal drops a namespace prefix from a name.
func xmlLocal(name []byte) []byte {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// xmlUnescape resolves the predefined and numeric entities of an attribute
// value; it is only used on the few values the checks read.
func xmlUnescape(v []byte) string {
	if bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	var out []rune
	for len(v) > 0 {
		semi := bytes.IndexByte(v, ';')
		if v[0] != '&' || semi < 0 {
			out = append(out, rune(v[0]))
			v = v[1:]
			continue
		}
		ent := string(v[1:semi])
		v = v[semi+1:]
		switch ent {
		case "amp":
			out = append(out, '&')
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			out = append(out, numericEntity(ent))
		}
	}
	return string(out)
}

// numericEntity decodes "#65" or "#x41"; anything else becomes U+FFFD.
func numericEntity(ent string) rune {
	if len(ent) < 2 || ent[0] != '#' {
		return 0xFFFD
	}
	base, digits := 10, ent[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	r := 0
	for _, d := range []byte(digits) {
		v := 0
		switch {
		case d >= '0' && d <= '9':
			v = int(d - '0')
		case base == 16 && d >= 'a' && d <= 'f':
			v = int(d-'a') + 10
		case base == 16 && d >= 'A' && d <= 'F':
			v = int(d-'A') + 10
		default:
			return 0xFFFD
		}
		if r = r*base + v; r > 0x10FFFF {
			return 0xFFFD
		}
	}
	return rune(r)
}

// xlsxRowNumber reads a row's r attribute as excelize does: 0 when it is
// missing or not a number, and a number past the last row when too long.
func xlsxRowNumber(v []byte) int {
	if bytes.IndexByte(v, '&') >= 0 {
		v = []byte(xmlUnescape(v))
	}
	neg := false
	if len(v) > 0 && (v[0] == '-' || v[0] == '+') {
		neg, v = v[0] == '-', v[1:]
	}
	if len(v) == 0 {
		return 0
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0
		}
		if n = n*10 + int(c-'0'); n > 1<<40 {
			n = 1 << 40
		}
	}
	if neg {
		return -n
	}
	return n
}

// xlsxColumn reads the column of a cell reference such as "AB12" or "$AB$12";
// 0 when it has none.
func xlsxColumn(ref []byte) int {
	if bytes.IndexByte(ref, '&') >= 0 {
		ref = []byte(xmlUnescape(ref))
	}
	col := 0
	for _, c := range ref {
		switch {
		case c == '$':
			continue
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A') + 1
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a') + 1
		default:
			return col
		}
		if col > 1<<30 {
			return col
		}
	}
	return col
}
