package figures

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"hrx/internal/i18n"
)

// ParseCount is the one rule for a number of people, wherever it comes from:
// the month grid, an uploaded file (CSV or XLSX), the API and the command
// line. It accepts a whole number from 0 to MaxCount, written
//   - with or without grouping: international (1,234,567) or Indian
//     (12,34,567), by commas or by one kind of space (normal, no-break, thin,
//     narrow no-break or figure space), never both;
//   - in full-width digits (１２３), with spaces around it;
//   - with zeros after a decimal point (12.0, 1,234.00), as spreadsheet cells
//     hold whole numbers.
//
// It refuses, with a message that says how to write the number, anything
// else: an empty value, a sign or a negative number, decimals (12.5),
// underscores (1_000), groups in the wrong places (12,34 or 1,234 567) and
// numbers over MaxCount. The message is zero when the count is good.
func ParseCount(s string) (int64, i18n.Msg) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, i18n.M("count.empty")
	}
	v, problem := parseCount(strings.TrimSpace(width.Fold.String(t)))
	switch problem {
	case countOK:
		return v, i18n.Msg{}
	case countDecimal:
		return 0, i18n.M("count.decimal", "value", ShowValue(t))
	case countUnderscore:
		return 0, i18n.M("count.underscore", "value", ShowValue(t))
	case countGrouping:
		return 0, i18n.M("count.grouping", "value", ShowValue(t))
	case countTooBig:
		return 0, i18n.M("count.too_big", "value", ShowValue(t), "max", int64(MaxCount))
	}
	return 0, i18n.M("count.not_count", "value", ShowValue(t))
}

// ShowValue is what a person typed as a message quotes it: trimmed, cut
// short when long, and in double quotes when it holds spaces or invisible
// characters, so that "1,234 567" reads as one value.
func ShowValue(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:39]) + "…"
	}
	if s == "" || !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) || r == '"' }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// Why a value is not a count.
const (
	countOK = iota
	countNotCount
	countDecimal
	countUnderscore
	countGrouping
	countTooBig
)

// parseCount reads a trimmed, width-folded count.
func parseCount(s string) (int64, int) {
	if s == "" {
		return 0, countNotCount
	}
	first, _ := utf8.DecodeRuneInString(s)
	if first == '-' || first == '+' || first == '\u2212' || first == '\u2012' || first == '\u2013' || first == '\ufe63' ||
		(first == '(' && strings.HasSuffix(s, ")")) {
		return 0, countNotCount // a sign: "0 or more" says what to write
	}
	if strings.ContainsRune(s, '_') && strings.Trim(s, "0123456789_,. ") == "" {
		return 0, countUnderscore
	}
	intPart, frac, dot := strings.Cut(s, ".")
	if dot {
		if frac == "" || intPart == "" || strings.Trim(frac, "0123456789") != "" {
			return 0, countNotCount
		}
		if strings.Trim(frac, "0") != "" {
			return 0, countDecimal
		}
	}
	// Digits in groups, separated by commas or by one kind of space.
	var groups [12]int
	ng, digits := 0, 0
	var sepKind byte // ',' or ' '
	var v int64
	tooBig := false
	for _, r := range intPart {
		switch {
		case r >= '0' && r <= '9':
			v = v*10 + int64(r-'0')
			if v > MaxCount {
				tooBig, v = true, MaxCount+1
			}
			digits++
			continue
		case r == ',':
			if sepKind == ' ' {
				return 0, countGrouping
			}
			sepKind = ','
		case r == ' ' || r == '\u00a0' || r == '\u2007' || r == '\u2009' || r == '\u202f':
			if sepKind == ',' {
				return 0, countGrouping
			}
			sepKind = ' '
		default:
			return 0, countNotCount
		}
		if digits == 0 || ng == len(groups)-1 {
			return 0, countNotCount
		}
		groups[ng] = digits
		ng++
		digits = 0
	}
	if digits == 0 {
		return 0, countNotCount
	}
	groups[ng] = digits
	ng++
	if ng > 1 && !wellGrouped(groups[:ng]) {
		return 0, countGrouping
	}
	if tooBig {
		return 0, countTooBig
	}
	return v, countOK
}

// wellGrouped accepts the lengths of digit groups written internationally
// (1,234,567: a first group of one to three digits, then threes) or the
// Indian way (12,34,567: a first group of one or two, then twos, then three).
func wellGrouped(g []int) bool {
	last := len(g) - 1
	if g[last] != 3 || g[0] < 1 || g[0] > 3 {
		return false
	}
	international, indian := true, g[0] <= 2
	for _, n := range g[1:last] {
		international = international && n == 3
		indian = indian && n == 2
	}
	return international || indian
}
