package imports

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/reference"
)

// Lists are the reference lists rows are checked against.
type Lists struct {
	Categories []reference.Category
	Sectors    []reference.Sector
	Regions    []reference.Region
	Aliases    map[string]string // retired region code → current code (IN-CT → IN-CG, IN-OR → IN-OD …)
}

// Limits of the free-text columns, in characters (runes).
const (
	ruleMaxSource = 200
	ruleMaxNote   = 1000
)

// ruleFirstMonth is the earliest month that may hold figures.
var ruleFirstMonth = month.New(2000, 1)

// Rules checks rows; build once per import, safe for use by one goroutine
// (and, as it never changes after NewRules, by several).
type Rules struct {
	lists  Lists
	cat    ruleTable // → index into lists.Categories
	sec    ruleTable // → index into lists.Sectors
	reg    ruleTable // → index into lists.Regions
	latest month.Month
	months []string // YYYY-MM of every month from ruleFirstMonth to latest
}

// NewRules builds the rules for one import. latest is the last month that
// may hold figures (the current month); later months are an error.
func NewRules(l Lists, latest month.Month) *Rules {
	r := &Rules{lists: l, latest: latest, cat: ruleNewTable(true), sec: ruleNewTable(true), reg: ruleNewTable(false)}
	// Codes first, so that a name can never take a code's place.
	for i, c := range l.Categories {
		r.cat.add(c.Code, i)
	}
	for i, c := range l.Categories {
		r.cat.add(c.NameEN, i)
		r.cat.add(c.NameJA, i)
		r.cat.add(c.NameHI, i)
	}
	for i, s := range l.Sectors {
		r.sec.add(s.Code, i)
	}
	for i, s := range l.Sectors {
		r.sec.add(s.NameEN, i)
		r.sec.add(s.NameJA, i)
	}
	codes := make(map[string]int, len(l.Regions))
	for i, g := range l.Regions {
		r.reg.add(g.Code, i)
		codes[g.Code] = i
	}
	for alias, code := range l.Aliases {
		if i, ok := codes[code]; ok {
			r.reg.add(alias, i)
		}
	}
	for i, g := range l.Regions {
		r.reg.add(g.NameEN, i)
		r.reg.add(g.NameLocal, i)
	}
	for i, g := range l.Regions {
		// 東京都 → 東京, 大阪府 → 大阪, 愛知県 → 愛知 (北海道 stays whole).
		for _, suffix := range []string{"都", "府", "県"} {
			if base, ok := strings.CutSuffix(g.NameLocal, suffix); ok && utf8.RuneCountInString(base) >= 2 {
				r.reg.add(base, i)
			}
		}
	}
	if latest >= ruleFirstMonth && latest.Sub(ruleFirstMonth) < 12*200 {
		for m := ruleFirstMonth; m <= latest; m++ {
			r.months = append(r.months, m.String())
		}
	}
	return r
}

// Row checks one record. It returns the figure with every value in its
// canonical form (month YYYY-MM, direction IN-JP or JP-IN, category, sector
// and region codes, status final or provisional), or, when anything is
// wrong, a zero Figure and one Issue for each bad cell: every cell is checked.
//
// Accepted forms:
//   - month: 2025-09, 2025/09, 2025-9, 2025.09, a full date (2025-09-01,
//     2025/09/01, 1 Sep 2025, with or without a midnight time), Sep 2025,
//     Sept 2025, September 2025, Sep-2025, 2025 Sep, 09/2025, 2025年9月
//     (also with full-width digits). Two-digit years and day/month orders
//     such as 01/09/2025 are refused as ambiguous. From 2000-01 to latest.
//   - direction: IN-JP or JP-IN in any case, with _ or a dash, India to
//     Japan / Japan to India, インドから日本 / 日本からインド, भारत से जापान / जापान से भारत.
//   - category (required), sector (optional): the code or any name in the
//     list, in any case and width, singular or plural; a retired category is refused.
//   - origin, destination (optional): an ISO 3166-2 code, a retired code
//     (stored as the current one), or the English or local name; for IN-JP
//     the origin must be in India and the destination in Japan, for JP-IN the reverse.
//   - count: a whole number from 0 to 10,000,000, grouped (1,234 · 1,23,456 ·
//     1 234) or not, in any width; 1234.00 is 1234; empty is an error, not 0.
//   - status: empty (final), final, provisional, 確定, 暫定, अंतिम, अनंतिम.
//   - source: trimmed, at most 200 characters.
//   - note: kept exactly as written, at most 1,000 characters.
//
// A source or note that starts with an apostrophe before = + - @ TAB or CR
// (how our CSV export guards against formulas) loses that apostrophe.
// Control characters are refused everywhere, except TAB, LF and CR in notes.
func (r *Rules) Row(rec Record) (figures.Figure, []Issue) {
	var f figures.Figure
	var issues []Issue
	v := &rec.Values
	bad := func(c Column, msg string) {
		issues = append(issues, Issue{Line: rec.Line, Column: Names[c], Value: ruleClip(v[c], 200), Message: msg})
	}
	var msg string
	if f.Month, msg = r.month(v[Month]); msg != "" {
		bad(Month, msg)
	}
	if f.Direction, msg = ruleDirection(v[Direction]); msg != "" {
		bad(Direction, msg)
	}
	if f.Category, msg = r.category(v[Category]); msg != "" {
		bad(Category, msg)
	}
	if f.Count, msg = ruleCount(v[Count]); msg != "" {
		bad(Count, msg)
	}
	if f.Sector, msg = r.sector(v[Sector]); msg != "" {
		bad(Sector, msg)
	}
	origin, omsg := r.region(Origin, v[Origin])
	dest, dmsg := r.region(Destination, v[Destination])
	if f.Direction != "" && (origin >= 0 || dest >= 0) {
		// An unknown region is -1 here and already has its message.
		omsg2, dmsg2 := r.countries(f.Direction, v[Origin], origin, v[Destination], dest)
		omsg, dmsg = omsg+omsg2, dmsg+dmsg2
	}
	if omsg != "" {
		bad(Origin, omsg)
	}
	if dmsg != "" {
		bad(Destination, dmsg)
	}
	if f.Status, msg = ruleStatus(v[Status]); msg != "" {
		bad(Status, msg)
	}
	if f.Source, msg = ruleSource(v[Source]); msg != "" {
		bad(Source, msg)
	}
	if f.Note, msg = ruleNote(v[Note]); msg != "" {
		bad(Note, msg)
	}
	if len(issues) > 0 {
		return figures.Figure{}, issues
	}
	if origin >= 0 {
		f.Origin = r.lists.Regions[origin].Code
	}
	if dest >= 0 {
		f.Destination = r.lists.Regions[dest].Code
	}
	return f, nil
}

// Key is a figure's identity within an import: month, direction, category,
// sector, origin and destination joined by a unit separator, which no code holds.
func Key(f figures.Figure) string {
	const sep = "\x1f"
	return f.Month + sep + f.Direction + sep + f.Category + sep + f.Sector + sep + f.Origin + sep + f.Destination
}

// month reads the month column.
func (r *Rules) month(raw string) (string, string) {
	s := raw
	if len(s) == 7 && s[4] == '-' && ruleDigits(s[:4]) && ruleDigits(s[5:]) {
		y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
		mo := int(s[5]-'0')*10 + int(s[6]-'0')
		if m := month.New(y, mo); mo >= 1 && mo <= 12 && m >= ruleFirstMonth && m <= r.latest {
			return r.monthString(m), ""
		}
	}
	t := strings.TrimSpace(raw)
	if t == "" {
		return "", "month is empty; write the month of the figures as YYYY-MM, for example 2025-09"
	}
	if c := ruleControl(t, false); c >= 0 {
		return "", ruleControlMessage(Month, c)
	}
	y, mo, e := ruleParseMonth(t)
	shown := func() string { return ruleShow(t) }
	switch e {
	case ruleTwoDigitYear:
		return "", shown() + " has a two-digit year; write the year in full, as YYYY-MM, for example 2025-09"
	case ruleAmbiguous:
		return "", shown() + " could be read day-first or month-first; write YYYY-MM, for example 2025-09"
	case ruleNoSuchMonth:
		return "", "month " + shown() + " does not exist; write YYYY-MM"
	case ruleNoSuchDay:
		return "", shown() + " is not a date that exists; write YYYY-MM"
	case ruleNotMonth:
		return "", shown() + " is not a month; write YYYY-MM, for example 2025-09"
	}
	m := month.New(y, mo)
	switch {
	case m < ruleFirstMonth:
		return "", shown() + " is before 2000; HRX holds figures from 2000-01 on"
	case m > r.latest:
		return "", fmt.Sprintf("%s is in the future; the latest month that can hold figures is %s", shown(), r.latest)
	}
	return r.monthString(m), ""
}

func (r *Rules) monthString(m month.Month) string {
	if i := m.Sub(ruleFirstMonth); i >= 0 && i < len(r.months) {
		return r.months[i]
	}
	return m.String()
}

func ruleDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ruleDirections matches the ways a direction may be written.
var ruleDirections = func() ruleTable {
	t := ruleNewTable(false)
	for i, names := range [][]string{
		{reference.IndiaToJapan, "INJP", "IN JP", "IN>JP", "IN->JP", "IN→JP", "India to Japan", "India → Japan", "India→Japan", "India->Japan",
			"インドから日本", "インドから日本へ", "インド→日本", "भारत से जापान"},
		{reference.JapanToIndia, "JPIN", "JP IN", "JP>IN", "JP->IN", "JP→IN", "Japan to India", "Japan → India", "Japan→India", "Japan->India",
			"日本からインド", "日本からインドへ", "日本→インド", "जापान से भारत"},
	} {
		for _, n := range names {
			t.add(n, i)
		}
	}
	return t
}()

var ruleDirectionCodes = [2]string{reference.IndiaToJapan, reference.JapanToIndia}

// ruleDirection reads the direction column.
func ruleDirection(raw string) (string, string) {
	if i := ruleDirections.find(raw); i >= 0 {
		return ruleDirectionCodes[i], ""
	}
	t := strings.TrimSpace(raw)
	const how = "write IN-JP (India to Japan) or JP-IN (Japan to India)"
	switch {
	case t == "":
		return "", "direction is empty; " + how
	case ruleControl(t, false) >= 0:
		return "", ruleControlMessage(Direction, ruleControl(t, false))
	}
	return "", ruleShow(t) + " is not a direction; " + how
}

// category reads the category column.
func (r *Rules) category(raw string) (string, string) {
	i := r.cat.find(raw)
	if i >= 0 {
		c := r.lists.Categories[i]
		if c.Retired {
			return "", fmt.Sprintf("%s (%s) is a retired category and can no longer hold figures; use a current category, see the list at %s", ruleShow(raw), c.NameEN, ruleHelp)
		}
		return c.Code, ""
	}
	t := strings.TrimSpace(raw)
	switch {
	case t == "":
		return "", "category is empty; write a category code such as engineer or student; see the list at " + ruleHelp
	case ruleControl(t, false) >= 0:
		return "", ruleControlMessage(Category, ruleControl(t, false))
	}
	return "", ruleShow(t) + " is not a category; see the list at " + ruleHelp
}

// sector reads the sector column, which may be empty.
func (r *Rules) sector(raw string) (string, string) {
	if raw == "" {
		return "", ""
	}
	if i := r.sec.find(raw); i >= 0 {
		return r.lists.Sectors[i].Code, ""
	}
	t := strings.TrimSpace(raw)
	switch {
	case t == "":
		return "", ""
	case ruleControl(t, false) >= 0:
		return "", ruleControlMessage(Sector, ruleControl(t, false))
	}
	return "", ruleShow(t) + " is not a sector; see the list at " + ruleHelp + ", or leave it empty"
}

// region reads an origin or destination: the region's index, -1 when empty.
func (r *Rules) region(c Column, raw string) (int, string) {
	if raw == "" {
		return -1, ""
	}
	if i := r.reg.find(raw); i >= 0 {
		return i, ""
	}
	t := strings.TrimSpace(raw)
	switch {
	case t == "":
		return -1, ""
	case ruleControl(t, false) >= 0:
		return -1, ruleControlMessage(c, ruleControl(t, false))
	}
	if k := ruleKey(t); len(k) >= 4 && len(k) <= 6 && k[2] == '-' && ruleLetters(k[:2]) && ruleAlnum(k[3:]) {
		return -1, ruleShow(t) + " is not a region code; see the list at " + ruleHelp
	}
	return -1, ruleShow(t) + " is not a region; write an ISO 3166-2 code such as IN-KA or JP-13, or the region's name; see the list at " + ruleHelp
}

func ruleLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func ruleAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < 'a' || s[i] > 'z') && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

var ruleCountryNames = map[string]string{"IN": "India", "JP": "Japan"}

// countries checks that origin and destination (indexes, -1 for none) are
// in the countries the direction says.
func (r *Rules) countries(direction, rawOrigin string, origin int, rawDest string, dest int) (omsg, dmsg string) {
	from, to, row := "IN", "JP", "an India-to-Japan row"
	if direction == reference.JapanToIndia {
		from, to, row = "JP", "IN", "a Japan-to-India row"
	}
	wrongO := origin >= 0 && r.lists.Regions[origin].Country != from
	wrongD := dest >= 0 && r.lists.Regions[dest].Country != to
	hint := ""
	if wrongO && wrongD && r.lists.Regions[origin].Country == to && r.lists.Regions[dest].Country == from {
		other := reference.JapanToIndia
		if direction == reference.JapanToIndia {
			other = reference.IndiaToJapan
		}
		hint = fmt.Sprintf("; if the people moved from %s to %s, the direction is %s", ruleCountryNames[to], ruleCountryNames[from], other)
	}
	if wrongO {
		omsg = r.wrongCountry(rawOrigin, origin) + ", but the origin of " + row + " must be in " + ruleCountryNames[from] + hint
	}
	if wrongD {
		dmsg = r.wrongCountry(rawDest, dest) + ", but the destination of " + row + " must be in " + ruleCountryNames[to] + hint
	}
	return omsg, dmsg
}

// wrongCountry starts the message about a region in the wrong country:
// "JP-13 (Tokyo) is in Japan", or "東京都 (JP-13) is in Japan" when written by name.
func (r *Rules) wrongCountry(raw string, i int) string {
	g := r.lists.Regions[i]
	country := ruleCountryNames[g.Country]
	if country == "" {
		country = g.Country
	}
	if ruleKey(raw) == ruleKey(g.Code) {
		return fmt.Sprintf("%s (%s) is in %s", g.Code, g.NameEN, country)
	}
	return fmt.Sprintf("%s (%s) is in %s", ruleShow(raw), g.Code, country)
}

// ruleCount reads the count column.
func ruleCount(raw string) (int64, string) {
	if n := len(raw); n > 0 && n <= 8 {
		var v int64
		for i := 0; i < n; i++ {
			c := raw[i]
			if c < '0' || c > '9' {
				return ruleCountSlow(raw)
			}
			v = v*10 + int64(c-'0')
		}
		if v <= figures.MaxCount {
			return v, ""
		}
	}
	return ruleCountSlow(raw)
}

var ruleStatuses = func() ruleTable {
	t := ruleNewTable(false)
	for i, names := range [][]string{
		{figures.Final, "確定", "確定値", "अंतिम", "अन्तिम"},
		{figures.Provisional, "暫定", "暫定値", "अनंतिम", "अनन्तिम"},
	} {
		for _, n := range names {
			t.add(n, i)
		}
	}
	return t
}()

var ruleStatusCodes = [2]string{figures.Final, figures.Provisional}

// ruleStatus reads the status column; empty is final.
func ruleStatus(raw string) (string, string) {
	if raw == "" {
		return figures.Final, ""
	}
	if i := ruleStatuses.find(raw); i >= 0 {
		return ruleStatusCodes[i], ""
	}
	t := strings.TrimSpace(raw)
	switch {
	case t == "":
		return figures.Final, ""
	case ruleControl(t, false) >= 0:
		return "", ruleControlMessage(Status, ruleControl(t, false))
	}
	return "", ruleShow(t) + " is not a status; write final or provisional, or leave it empty for final"
}

// ruleSource reads the source column: trimmed free text.
func ruleSource(raw string) (string, string) {
	s := ruleUnprotect(strings.TrimSpace(raw))
	if !utf8.ValidString(s) {
		return "", ruleInvalidMessage(Source)
	}
	if c := ruleControl(s, false); c >= 0 {
		return "", ruleControlMessage(Source, c)
	}
	if len(s) > ruleMaxSource {
		if n := utf8.RuneCountInString(s); n > ruleMaxSource {
			return "", fmt.Sprintf("source is %d characters long; shorten it to at most %d", n, ruleMaxSource)
		}
	}
	return s, ""
}

// ruleNote reads the note column, kept exactly as written.
func ruleNote(raw string) (string, string) {
	s := ruleUnprotect(raw)
	if !utf8.ValidString(s) {
		return "", ruleInvalidMessage(Note)
	}
	if c := ruleControl(s, true); c >= 0 {
		return "", ruleControlMessage(Note, c)
	}
	if len(s) > ruleMaxNote {
		if n := utf8.RuneCountInString(s); n > ruleMaxNote {
			return "", fmt.Sprintf("note is %d characters long; shorten it to at most 1,000", n)
		}
	}
	return s, ""
}
