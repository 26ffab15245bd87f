// Package rules checks the rows of an upload: each record a file gives is read
// against the reference lists into a figure with every value in its canonical
// form, or into the problems of each bad cell. It needs no database.
package rules

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/upload"
)

// Lists are the reference lists rows are checked against.
type Lists struct {
	Categories []reference.Category
	Sectors    []reference.Sector
	Regions    []reference.Region
	Aliases    map[string]string // retired region code → current code (IN-CT → IN-CG, IN-OR → IN-OD …)
}

// MaxSource and MaxNote are the most characters (runes) a source and a note
// may have; the pages that explain the upload format say so too.
const (
	MaxSource = 200
	MaxNote   = 1000
)

// firstMonth is the earliest month that may hold figures.
var firstMonth = month.New(2000, 1)

// Rules checks rows; build once per import, safe for use by one goroutine
// (and, as it never changes after New, by several).
type Rules struct {
	lists  Lists
	cat    table // → index into lists.Categories
	sec    table // → index into lists.Sectors
	reg    table // → index into lists.Regions
	latest month.Month
	months []string // YYYY-MM of every month from firstMonth to latest
}

// New builds the rules for one import. latest is the last month that
// may hold figures (the current month); later months are an error.
func New(l Lists, latest month.Month) *Rules {
	r := &Rules{lists: l, latest: latest, cat: newTable(true), sec: newTable(true), reg: newTable(false)}
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
		r.sec.add(s.NameHI, i)
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
	if latest >= firstMonth && latest.Sub(firstMonth) < 12*200 {
		for m := firstMonth; m <= latest; m++ {
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
//   - status: empty (final), final, provisional, 確定, 暫定, 速報 (as the pages say it), अंतिम, अनंतिम.
//   - source: trimmed, at most 200 characters.
//   - note: kept exactly as written, at most 1,000 characters.
//
// A source or note that starts with an apostrophe before = + - @ TAB or CR
// (how our CSV export guards against formulas) loses that apostrophe.
// Control characters are refused everywhere, except TAB, LF and CR in notes.
func (r *Rules) Row(rec upload.Record) (figures.Figure, []upload.Issue) {
	var f figures.Figure
	var issues []upload.Issue
	v := &rec.Values
	bad := func(c upload.Column, msg i18n.Msg) {
		if !msg.IsZero() {
			issues = append(issues, upload.Issue{Line: rec.Line, Column: upload.Names[c], Value: clip(v[c], 200), Msg: msg})
		}
	}
	var msg i18n.Msg
	f.Month, msg = r.month(v[upload.Month])
	bad(upload.Month, msg)
	f.Direction, msg = direction(v[upload.Direction])
	bad(upload.Direction, msg)
	f.Category, msg = r.category(v[upload.Category])
	bad(upload.Category, msg)
	f.Count, msg = count(v[upload.Count])
	bad(upload.Count, msg)
	f.Sector, msg = r.sector(v[upload.Sector])
	bad(upload.Sector, msg)
	origin, omsg := r.region(upload.Origin, v[upload.Origin])
	dest, dmsg := r.region(upload.Destination, v[upload.Destination])
	if f.Direction != "" && (origin >= 0 || dest >= 0) {
		// An unknown region is -1 here and already has its message.
		omsg2, dmsg2 := r.countries(f.Direction, v[upload.Origin], origin, v[upload.Destination], dest)
		if omsg.IsZero() {
			omsg = omsg2
		}
		if dmsg.IsZero() {
			dmsg = dmsg2
		}
	}
	bad(upload.Origin, omsg)
	bad(upload.Destination, dmsg)
	f.Status, msg = status(v[upload.Status])
	bad(upload.Status, msg)
	f.Source, msg = source(v[upload.Source])
	bad(upload.Source, msg)
	f.Note, msg = note(v[upload.Note])
	bad(upload.Note, msg)
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
func (r *Rules) month(raw string) (string, i18n.Msg) {
	s := raw
	if len(s) == 7 && s[4] == '-' && digits(s[:4]) && digits(s[5:]) {
		y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
		mo := int(s[5]-'0')*10 + int(s[6]-'0')
		if m := month.New(y, mo); mo >= 1 && mo <= 12 && m >= firstMonth && m <= r.latest {
			return r.monthString(m), i18n.Msg{}
		}
	}
	t := strings.TrimSpace(raw)
	if t == "" {
		return "", i18n.M("imports.month.empty")
	}
	if c := control(t, false); c >= 0 {
		return "", controlMsg(upload.Month, c)
	}
	y, mo, e := parseMonth(t)
	shown := show(t)
	switch e {
	case twoDigitYear:
		return "", i18n.M("imports.month.two_digit_year", "value", shown)
	case ambiguous:
		return "", i18n.M("imports.month.ambiguous", "value", shown)
	case noSuchMonth:
		return "", i18n.M("imports.month.no_such_month", "value", shown)
	case noSuchDay:
		return "", i18n.M("imports.month.no_such_day", "value", shown)
	case notMonth:
		return "", i18n.M("imports.month.not_month", "value", shown)
	}
	// Months are written as the file must write them, YYYY-MM, and years
	// without grouping.
	m := month.New(y, mo)
	switch {
	case m < firstMonth:
		return "", i18n.M("imports.month.too_early", "value", shown, "year", strconv.Itoa(firstMonth.Year()), "first", firstMonth.String())
	case m > r.latest:
		return "", i18n.M("imports.month.future", "value", shown, "latest", r.latest.String())
	}
	return r.monthString(m), i18n.Msg{}
}

func (r *Rules) monthString(m month.Month) string {
	if i := m.Sub(firstMonth); i >= 0 && i < len(r.months) {
		return r.months[i]
	}
	return m.String()
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// directions matches the ways a direction may be written.
var directions = func() table {
	t := newTable(false)
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

var directionCodes = [2]string{reference.IndiaToJapan, reference.JapanToIndia}

// direction reads the direction column.
func direction(raw string) (string, i18n.Msg) {
	if i := directions.find(raw); i >= 0 {
		return directionCodes[i], i18n.Msg{}
	}
	t := strings.TrimSpace(raw)
	switch {
	case t == "":
		return "", i18n.M("imports.direction.empty")
	case control(t, false) >= 0:
		return "", controlMsg(upload.Direction, control(t, false))
	}
	return "", i18n.M("imports.direction.not_direction", "value", show(t))
}

// category reads the category column.
func (r *Rules) category(raw string) (string, i18n.Msg) {
	i := r.cat.find(raw)
	if i >= 0 {
		c := r.lists.Categories[i]
		if c.Retired {
			return "", i18n.M("imports.category.retired", "value", show(raw), "name", c.NameEN, "help", helpPage)
		}
		return c.Code, i18n.Msg{}
	}
	t := strings.TrimSpace(raw)
	switch {
	case t == "":
		return "", i18n.M("imports.category.empty", "help", helpPage)
	case control(t, false) >= 0:
		return "", controlMsg(upload.Category, control(t, false))
	}
	return "", i18n.M("imports.category.not_category", "value", show(t), "help", helpPage)
}

// sector reads the sector column, which may be empty.
func (r *Rules) sector(raw string) (string, i18n.Msg) {
	if raw == "" {
		return "", i18n.Msg{}
	}
	if i := r.sec.find(raw); i >= 0 {
		return r.lists.Sectors[i].Code, i18n.Msg{}
	}
	t := strings.TrimSpace(raw)
	switch {
	case t == "":
		return "", i18n.Msg{}
	case control(t, false) >= 0:
		return "", controlMsg(upload.Sector, control(t, false))
	}
	return "", i18n.M("imports.sector.not_sector", "value", show(t), "help", helpPage)
}

// region reads an origin or destination: the region's index, -1 when empty.
func (r *Rules) region(c upload.Column, raw string) (int, i18n.Msg) {
	if raw == "" {
		return -1, i18n.Msg{}
	}
	if i := r.reg.find(raw); i >= 0 {
		return i, i18n.Msg{}
	}
	t := strings.TrimSpace(raw)
	switch {
	case t == "":
		return -1, i18n.Msg{}
	case control(t, false) >= 0:
		return -1, controlMsg(c, control(t, false))
	}
	if k := matchKey(t); len(k) >= 4 && len(k) <= 6 && k[2] == '-' && letters(k[:2]) && alnum(k[3:]) {
		return -1, i18n.M("imports.region.not_code", "value", show(t), "help", helpPage)
	}
	return -1, i18n.M("imports.region.not_region", "value", show(t), "help", helpPage)
}

func letters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < 'a' || s[i] > 'z') && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// countryMsg is a country's name in a message.
func countryMsg(code string) i18n.Msg {
	switch code {
	case "IN":
		return i18n.M("imports.country.in")
	case "JP":
		return i18n.M("imports.country.jp")
	}
	return i18n.Text(code)
}

// countries checks that origin and destination (indexes, -1 for none) are
// in the countries the direction says.
func (r *Rules) countries(direction, rawOrigin string, origin int, rawDest string, dest int) (omsg, dmsg i18n.Msg) {
	from, to, row, other := "IN", "JP", i18n.M("imports.row_of.in_jp"), reference.JapanToIndia
	if direction == reference.JapanToIndia {
		from, to, row, other = "JP", "IN", i18n.M("imports.row_of.jp_in"), reference.IndiaToJapan
	}
	wrongO := origin >= 0 && r.lists.Regions[origin].Country != from
	wrongD := dest >= 0 && r.lists.Regions[dest].Country != to
	// Both the wrong way round: the direction is likely what is wrong.
	swapped := wrongO && wrongD && r.lists.Regions[origin].Country == to && r.lists.Regions[dest].Country == from
	say := func(id string, raw string, i int, want string) i18n.Msg {
		if swapped {
			id += "_swapped"
		}
		value, detail := r.wrongCountry(raw, i)
		return i18n.M(id, "value", value, "detail", detail, "country", countryMsg(r.lists.Regions[i].Country),
			"row", row, "want", countryMsg(want), "other", other)
	}
	if wrongO {
		omsg = say("imports.region.origin_country", rawOrigin, origin, from)
	}
	if wrongD {
		dmsg = say("imports.region.destination_country", rawDest, dest, to)
	}
	return omsg, dmsg
}

// wrongCountry is how the message about a region in the wrong country names
// it: "JP-13" and "Tokyo", or "東京都" and "JP-13" when written by name.
func (r *Rules) wrongCountry(raw string, i int) (value, detail string) {
	g := r.lists.Regions[i]
	if matchKey(raw) == matchKey(g.Code) {
		return g.Code, g.NameEN
	}
	return show(raw), g.Code
}

// count reads the count column.
func count(raw string) (int64, i18n.Msg) {
	if n := len(raw); n > 0 && n <= 8 {
		var v int64
		for i := 0; i < n; i++ {
			c := raw[i]
			if c < '0' || c > '9' {
				return countSlow(raw)
			}
			v = v*10 + int64(c-'0')
		}
		if v <= figures.MaxCount {
			return v, i18n.Msg{}
		}
	}
	return countSlow(raw)
}

var statuses = func() table {
	t := newTable(false)
	for i, names := range [][]string{
		{figures.Final, "確定", "確定値", "अंतिम", "अन्तिम"},
		{figures.Provisional, "暫定", "暫定値", "速報", "速報値", "अनंतिम", "अनन्तिम"},
	} {
		for _, n := range names {
			t.add(n, i)
		}
	}
	return t
}()

var statusCodes = [2]string{figures.Final, figures.Provisional}

// status reads the status column; empty is final.
func status(raw string) (string, i18n.Msg) {
	if raw == "" {
		return figures.Final, i18n.Msg{}
	}
	if i := statuses.find(raw); i >= 0 {
		return statusCodes[i], i18n.Msg{}
	}
	t := strings.TrimSpace(raw)
	switch {
	case t == "":
		return figures.Final, i18n.Msg{}
	case control(t, false) >= 0:
		return "", controlMsg(upload.Status, control(t, false))
	}
	return "", i18n.M("imports.status.not_status", "value", show(t))
}

// source reads the source column: trimmed free text.
func source(raw string) (string, i18n.Msg) {
	s := unprotect(strings.TrimSpace(raw))
	if !utf8.ValidString(s) {
		return "", invalidMsg(upload.Source)
	}
	if c := control(s, false); c >= 0 {
		return "", controlMsg(upload.Source, c)
	}
	if len(s) > MaxSource {
		if n := utf8.RuneCountInString(s); n > MaxSource {
			return "", i18n.M("imports.source.too_long", "length", n, "max", MaxSource)
		}
	}
	return s, i18n.Msg{}
}

// note reads the note column, kept exactly as written.
func note(raw string) (string, i18n.Msg) {
	s := unprotect(raw)
	if !utf8.ValidString(s) {
		return "", invalidMsg(upload.Note)
	}
	if c := control(s, true); c >= 0 {
		return "", controlMsg(upload.Note, c)
	}
	if len(s) > MaxNote {
		if n := utf8.RuneCountInString(s); n > MaxNote {
			return "", i18n.M("imports.note.too_long", "length", n, "max", MaxNote)
		}
	}
	return s, i18n.Msg{}
}
