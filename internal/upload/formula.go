package upload

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// FormulaLike reports whether a spreadsheet could take a text cell for a
// formula (or a DDE command): it starts with a tab or a line break, or with
// = + - @, in their full-width forms too, after any white space. Exports put an
// apostrophe before such a cell, and uploads take it off again: this one rule
// serves both, so that an export uploads back unchanged.
func FormulaLike(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '\t', '\r', '\n':
		return true
	}
	switch r, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(s, unicode.IsSpace)); r {
	case '=', '+', '-', '@', '＝', '＋', '－', '＠':
		return true
	}
	return false
}

// SafeCell protects spreadsheet users from formula injection: a text that a
// spreadsheet might read as a formula (FormulaLike: =, +, -, @, their
// full-width forms, after any white space, or a tab or line break first) gets a
// leading apostrophe, which the import side strips again (exactly one), so the
// text round-trips. Only text goes through here: counts are written as numbers.
func SafeCell(s string) string {
	if FormulaLike(s) {
		return "'" + s
	}
	return s
}
