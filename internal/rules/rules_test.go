package rules_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/rules"
	"hrx/internal/upload"
)

// latest is "now" for these tests.
var latest = month.MustParse("2026-05")

// retired is a category added to the seed list to test retirement.
var retired = reference.Category{Code: "trainee", NameEN: "Industrial trainees", NameJA: "研修", Retired: true}

func seedCSV(t testing.TB, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "migrations", "data", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

// seedLists reads the seed reference lists from migrations/data.
func seedLists(t testing.TB) rules.Lists {
	t.Helper()
	var l rules.Lists
	for i, r := range seedCSV(t, "categories.csv") {
		l.Categories = append(l.Categories, reference.Category{Code: r["code"], Skilled: r["skilled"] == "true",
			NameEN: r["name_en"], NameJA: r["name_ja"], NameHI: r["name_hi"], DescriptionEN: r["description_en"], Position: i + 1})
	}
	l.Categories = append(l.Categories, retired)
	for i, r := range seedCSV(t, "sectors.csv") {
		l.Sectors = append(l.Sectors, reference.Sector{Code: r["code"], SSWField: r["ssw_field"] == "true", NameEN: r["name_en"], NameJA: r["name_ja"], NameHI: r["name_hi"], Position: i + 1})
	}
	l.Aliases = map[string]string{}
	for i, r := range seedCSV(t, "regions.csv") {
		l.Regions = append(l.Regions, reference.Region{Code: r["code"], Country: r["country"], NameEN: r["name_en"], NameLocal: r["name_local"], Position: i + 1})
		for _, a := range strings.Fields(r["aliases"]) {
			l.Aliases[a] = r["code"]
		}
	}
	if len(l.Categories) != 11 || len(l.Sectors) != 23 || len(l.Regions) != 83 || len(l.Aliases) != 6 {
		t.Fatalf("lists: %d categories, %d sectors, %d regions, %d aliases", len(l.Categories), len(l.Sectors), len(l.Regions), len(l.Aliases))
	}
	return l
}

func newRules(t testing.TB) *rules.Rules { return rules.New(seedLists(t), latest) }

// goodRow is a canonical row with breakdowns.
var goodRow = [upload.NumColumns]string{"2025-09", "IN-JP", "engineer", "412", "it_software", "IN-KA", "JP-13", "final", "ISA Japan", ""}

// withCell is goodRow on line 7 with one cell changed.
func withCell(c upload.Column, v string) upload.Record {
	rec := upload.Record{Line: 7, Values: goodRow}
	rec.Values[c] = v
	return rec
}

// kept is a value as an Issue keeps it: at most 200 characters.
func kept(s string) string {
	if r := []rune(s); len(r) > 200 {
		return string(r[:199]) + "…"
	}
	return s
}

type cellCase struct {
	in   string
	want string // the normalised value when good
	msg  string // the exact message when bad
}

// checkColumn runs each case in column c of an otherwise good row; get picks the column's value out of the figure.
func checkColumn(t *testing.T, c upload.Column, cases []cellCase, get func(figures.Figure) string) {
	t.Helper()
	r := newRules(t)
	for _, tc := range cases {
		rec := withCell(c, tc.in)
		if c == upload.Direction { // no regions, which would have to match the direction
			rec.Values[upload.Origin], rec.Values[upload.Destination] = "", ""
		}
		f, issues := r.Row(rec)
		if tc.msg == "" {
			if len(issues) != 0 {
				t.Errorf("%s %q: unexpected issues %v", c, tc.in, issues)
			} else if got := get(f); got != tc.want {
				t.Errorf("%s %q = %q; want %q", c, tc.in, got, tc.want)
			}
			continue
		}
		want := issueText{Line: 7, Column: c.String(), Value: kept(tc.in), Message: tc.msg}
		if len(issues) != 1 || textOf(issues[0]) != want {
			t.Errorf("%s %q: issues %#v\n want %#v", c, tc.in, issues, want)
		}
		if f != (figures.Figure{}) {
			t.Errorf("%s %q: a figure as well as issues: %+v", c, tc.in, f)
		}
	}
}

func TestRuleMonth(t *testing.T) {
	checkColumn(t, upload.Month, []cellCase{
		{in: "2025-09", want: "2025-09"},
		{in: " 2025-09 ", want: "2025-09"},
		{in: "2025/09", want: "2025-09"},
		{in: "2025-9", want: "2025-09"},
		{in: "2025/9", want: "2025-09"},
		{in: "2025.09", want: "2025-09"},
		{in: "2025-09-01", want: "2025-09"},
		{in: "2025/09/01", want: "2025-09"},
		{in: "2025-09-30", want: "2025-09"},
		{in: "2025-09-01 00:00:00", want: "2025-09"},
		{in: "2025-09-01T00:00:00Z", want: "2025-09"},
		{in: "Sep 2025", want: "2025-09"},
		{in: "sep 2025", want: "2025-09"},
		{in: "SEPT 2025", want: "2025-09"},
		{in: "Sept. 2025", want: "2025-09"},
		{in: "September 2025", want: "2025-09"},
		{in: "september  2025", want: "2025-09"},
		{in: "Sep-2025", want: "2025-09"},
		{in: "May 2025", want: "2025-05"},
		{in: "2025 Sep", want: "2025-09"},
		{in: "1 Sep 2025", want: "2025-09"},
		{in: "01-Sep-2025", want: "2025-09"},
		{in: "Sep 1, 2025", want: "2025-09"},
		{in: "09/2025", want: "2025-09"},
		{in: "2025年9月", want: "2025-09"},
		{in: "2025年09月", want: "2025-09"},
		{in: "２０２５年９月", want: "2025-09"},
		{in: "2025年9月1日", want: "2025-09"},
		{in: "２０２５－０９", want: "2025-09"},
		{in: "2000-01", want: "2000-01"},
		{in: "2026-05", want: "2026-05"},
		{in: "", msg: "month is empty; write the month of the figures as YYYY-MM, for example 2025-09"},
		{in: "  ", msg: "month is empty; write the month of the figures as YYYY-MM, for example 2025-09"},
		{in: "2025-13", msg: "month 2025-13 does not exist; write YYYY-MM"},
		{in: "2025-00", msg: "month 2025-00 does not exist; write YYYY-MM"},
		{in: "2025/13", msg: "month 2025/13 does not exist; write YYYY-MM"},
		{in: "2025年13月", msg: "month 2025年13月 does not exist; write YYYY-MM"},
		{in: "2025-02-30", msg: "2025-02-30 is not a date that exists; write YYYY-MM"},
		{in: "2026-06", msg: "2026-06 is in the future; the latest month that can hold figures is 2026-05"},
		{in: "2027-01", msg: "2027-01 is in the future; the latest month that can hold figures is 2026-05"},
		{in: "Jan 2027", msg: `"Jan 2027" is in the future; the latest month that can hold figures is 2026-05`},
		{in: "1999-12", msg: "1999-12 is before 2000; HRX holds figures from 2000-01 on"},
		{in: "Sep-25", msg: "Sep-25 has a two-digit year; write the year in full, as YYYY-MM, for example 2025-09"},
		{in: "Sep 25", msg: `"Sep 25" has a two-digit year; write the year in full, as YYYY-MM, for example 2025-09`},
		{in: "09/25", msg: "09/25 has a two-digit year; write the year in full, as YYYY-MM, for example 2025-09"},
		{in: "01/09/2025", msg: "01/09/2025 could be read day-first or month-first; write YYYY-MM, for example 2025-09"},
		{in: "9/1/25", msg: "9/1/25 could be read day-first or month-first; write YYYY-MM, for example 2025-09"},
		{in: "2025.1", msg: "2025.1 is not a month; write YYYY-MM, for example 2025-09"},
		{in: "September", msg: "September is not a month; write YYYY-MM, for example 2025-09"},
		{in: "2025", msg: "2025 is not a month; write YYYY-MM, for example 2025-09"},
		{in: "45901", msg: "45901 is not a month; write YYYY-MM, for example 2025-09"},
		{in: "2025-09-", msg: "2025-09- is not a month; write YYYY-MM, for example 2025-09"},
		{in: "-2025-09", msg: "-2025-09 is not a month; write YYYY-MM, for example 2025-09"},
		{in: "2025-09/01", msg: "2025-09/01 is not a month; write YYYY-MM, for example 2025-09"},
		{in: "2025-09 10:00", msg: `"2025-09 10:00" is not a month; write YYYY-MM, for example 2025-09`},
		{in: "Sebtember 2025", msg: `"Sebtember 2025" is not a month; write YYYY-MM, for example 2025-09`},
		{in: "2025-09\x00", msg: "month contains a control character (U+0000) that cannot be stored; remove it"},
	}, func(f figures.Figure) string { return f.Month })
}

func TestRuleDirection(t *testing.T) {
	const how = "write IN-JP (India to Japan) or JP-IN (Japan to India)"
	checkColumn(t, upload.Direction, []cellCase{
		{in: "IN-JP", want: "IN-JP"},
		{in: "in-jp", want: "IN-JP"},
		{in: "In-Jp", want: "IN-JP"},
		{in: " IN_JP ", want: "IN-JP"},
		{in: "IN–JP", want: "IN-JP"},
		{in: "ＩＮ－ＪＰ", want: "IN-JP"},
		{in: "India to Japan", want: "IN-JP"},
		{in: "  india   TO japan ", want: "IN-JP"},
		{in: "インドから日本", want: "IN-JP"},
		{in: "भारत से जापान", want: "IN-JP"},
		{in: "JP-IN", want: "JP-IN"},
		{in: "jp_in", want: "JP-IN"},
		{in: "Japan to India", want: "JP-IN"},
		{in: "日本からインド", want: "JP-IN"},
		{in: "जापान से भारत", want: "JP-IN"},
		{in: "", msg: "direction is empty; " + how},
		{in: "India", msg: "India is not a direction; " + how},
		{in: "IN-IN", msg: "IN-IN is not a direction; " + how},
		{in: "India to Jpan", msg: `"India to Jpan" is not a direction; ` + how},
		{in: "IN-JP\a", msg: "direction contains a control character (U+0007) that cannot be stored; remove it"},
	}, func(f figures.Figure) string { return f.Direction })
}

func TestRuleCategory(t *testing.T) {
	checkColumn(t, upload.Category, []cellCase{
		{in: "engineer", want: "engineer"},
		{in: "ENGINEER", want: "engineer"},
		{in: " Engineer ", want: "engineer"},
		{in: "language_teacher", want: "language_teacher"},
		{in: "Language-Teacher", want: "language_teacher"},
		{in: "Engineers, IT and specialist professionals", want: "engineer"},
		{in: "engineers,  it and SPECIALIST professionals", want: "engineer"},
		{in: "Specified skilled workers", want: "ssw"},
		{in: "Specified skilled worker", want: "ssw"},
		{in: "Technical intern", want: "titp"},
		{in: "特定技能", want: "ssw"},
		{in: "技能実習・育成就労", want: "titp"},
		{in: "छात्र", want: "student"},
		{in: "शोधकर्ता और शिक्षाविद", want: "researcher"},
		{in: "Researchers & academics", want: "researcher"},
		{in: "", msg: "category is empty; write a category code such as engineer or student; see the list at /help/upload"},
		{in: "nurse", msg: "nurse is not a category; see the list at /help/upload"},
		{in: "Nursing care", msg: `"Nursing care" is not a category; see the list at /help/upload`},
		{in: "trainee", msg: "trainee (Industrial trainees) is a retired category and can no longer hold figures; use a current category, see the list at /help/upload"},
		{in: "研修", msg: "研修 (Industrial trainees) is a retired category and can no longer hold figures; use a current category, see the list at /help/upload"},
	}, func(f figures.Figure) string { return f.Category })
}

func TestRuleSector(t *testing.T) {
	checkColumn(t, upload.Sector, []cellCase{
		{in: "", want: ""},
		{in: "   ", want: ""},
		{in: "it_software", want: "it_software"},
		{in: "IT_SOFTWARE", want: "it_software"},
		{in: "IT and software", want: "it_software"},
		{in: "IT & Software", want: "it_software"},
		{in: "情報技術・ソフトウェア", want: "it_software"},
		{in: "ビルクリーニング", want: "building_cleaning"},
		{in: "ﾋﾞﾙｸﾘｰﾆﾝｸﾞ", want: "building_cleaning"},
		{in: "介護", want: "nursing_care"},
		{in: "नर्सिंग देखभाल", want: "nursing_care"},
		{in: "भवन सफ़ाई", want: "building_cleaning"},
		{in: "भवन सफ\u093cाई", want: "building_cleaning"}, // the nukta as a mark of its own
		{in: "आईटी और सॉफ़्टवेयर", want: "it_software"},
		{in: "Other", want: "other"},
		{in: "mining", msg: "mining is not a sector; see the list at /help/upload, or leave it empty"},
		{in: "engineer", msg: "engineer is not a sector; see the list at /help/upload, or leave it empty"},
	}, func(f figures.Figure) string { return f.Sector })
}

func TestRuleRegion(t *testing.T) {
	checkColumn(t, upload.Origin, []cellCase{
		{in: "", want: ""},
		{in: "IN-KA", want: "IN-KA"},
		{in: "in-ka", want: "IN-KA"},
		{in: "IN_KA", want: "IN-KA"},
		{in: "Karnataka", want: "IN-KA"},
		{in: " karnataka ", want: "IN-KA"},
		{in: "कर्नाटक", want: "IN-KA"},
		{in: "Jammu & Kashmir", want: "IN-JK"},
		{in: "Tamil  Nadu", want: "IN-TN"},
		// Retired codes are stored as the current ones.
		{in: "IN-CT", want: "IN-CG"},
		{in: "IN-OR", want: "IN-OD"},
		{in: "in-tg", want: "IN-TS"},
		{in: "IN-UT", want: "IN-UK"},
		{in: "IN-DN", want: "IN-DH"},
		{in: "IN-DD", want: "IN-DH"},
		{in: "IN-ZZ", msg: "IN-ZZ is not a region code; see the list at /help/upload"},
		{in: "IN-XX", msg: "IN-XX is not a region code; see the list at /help/upload"},
		{in: "Atlantis", msg: "Atlantis is not a region; write an ISO 3166-2 code such as IN-KA or JP-13, or the region's name; see the list at /help/upload"},
		{in: "JP-13", msg: "JP-13 (Tokyo) is in Japan, but the origin of an India-to-Japan row must be in India"},
		{in: "東京都", msg: "東京都 (JP-13) is in Japan, but the origin of an India-to-Japan row must be in India"},
	}, func(f figures.Figure) string { return f.Origin })
	checkColumn(t, upload.Destination, []cellCase{
		{in: "", want: ""},
		{in: "JP-13", want: "JP-13"},
		{in: "jp-13", want: "JP-13"},
		{in: "Tokyo", want: "JP-13"},
		{in: "東京都", want: "JP-13"},
		{in: "東京", want: "JP-13"},
		{in: "大阪", want: "JP-27"},
		{in: "北海道", want: "JP-01"},
		{in: "JP-48", msg: "JP-48 is not a region code; see the list at /help/upload"},
		{in: "IN-KA", msg: "IN-KA (Karnataka) is in India, but the destination of an India-to-Japan row must be in Japan"},
		{in: "IN-OR", msg: "IN-OR (IN-OD) is in India, but the destination of an India-to-Japan row must be in Japan"},
	}, func(f figures.Figure) string { return f.Destination })
}

func TestRuleRegionCountries(t *testing.T) {
	r := newRules(t)
	tests := []struct {
		dir, origin, dest string
		issues            []issueText
	}{
		{"IN-JP", "IN-KA", "JP-13", nil},
		{"IN-JP", "", "JP-13", nil},
		{"IN-JP", "IN-KA", "", nil},
		{"JP-IN", "JP-13", "IN-KA", nil},
		{"JP-IN", "", "IN-HR", nil},
		{"JP-IN", "", "JP-13", []issueText{
			{Line: 7, Column: "destination", Value: "JP-13", Message: "JP-13 (Tokyo) is in Japan, but the destination of a Japan-to-India row must be in India"}}},
		{"JP-IN", "IN-KA", "", []issueText{
			{Line: 7, Column: "origin", Value: "IN-KA", Message: "IN-KA (Karnataka) is in India, but the origin of a Japan-to-India row must be in Japan"}}},
		{"IN-JP", "JP-13", "IN-KA", []issueText{
			{Line: 7, Column: "origin", Value: "JP-13", Message: "JP-13 (Tokyo) is in Japan, but the origin of an India-to-Japan row must be in India; if the people moved from Japan to India, the direction is JP-IN"},
			{Line: 7, Column: "destination", Value: "IN-KA", Message: "IN-KA (Karnataka) is in India, but the destination of an India-to-Japan row must be in Japan; if the people moved from Japan to India, the direction is JP-IN"}}},
		{"IN-JP", "IN-KA", "IN-MH", []issueText{
			{Line: 7, Column: "destination", Value: "IN-MH", Message: "IN-MH (Maharashtra) is in India, but the destination of an India-to-Japan row must be in Japan"}}},
		{"IN-JP", "Atlantis", "IN-MH", []issueText{
			{Line: 7, Column: "origin", Value: "Atlantis", Message: "Atlantis is not a region; write an ISO 3166-2 code such as IN-KA or JP-13, or the region's name; see the list at /help/upload"},
			{Line: 7, Column: "destination", Value: "IN-MH", Message: "IN-MH (Maharashtra) is in India, but the destination of an India-to-Japan row must be in Japan"}}},
		// With a bad direction the countries cannot be checked; only the direction is reported.
		{"sideways", "JP-13", "IN-KA", []issueText{
			{Line: 7, Column: "direction", Value: "sideways", Message: "sideways is not a direction; write IN-JP (India to Japan) or JP-IN (Japan to India)"}}},
	}
	for _, tt := range tests {
		rec := withCell(upload.Direction, tt.dir)
		rec.Values[upload.Origin], rec.Values[upload.Destination] = tt.origin, tt.dest
		f, issues := r.Row(rec)
		if !sameIssues(issues, tt.issues) {
			t.Errorf("%s %q → %q: issues %#v\n want %#v", tt.dir, tt.origin, tt.dest, issues, tt.issues)
		}
		if len(issues) == 0 && (f.Origin != tt.origin || f.Destination != tt.dest) {
			t.Errorf("%s %q → %q: got %q → %q", tt.dir, tt.origin, tt.dest, f.Origin, f.Destination)
		}
	}
}

// issueText is an issue with its message in English, as the tests compare them.
type issueText struct {
	Line                   int
	Column, Value, Message string
}

func textOf(is upload.Issue) issueText {
	return issueText{Line: is.Line, Column: is.Column, Value: is.Value, Message: is.Msg.String()}
}

func sameIssues(a []upload.Issue, b []issueText) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if textOf(a[i]) != b[i] {
			return false
		}
	}
	return true
}

func TestRuleCount(t *testing.T) {
	const whole = " is not a count; write a whole number of people, 0 or more"
	const groups = " is not a count; check the thousands separators, for example 1,234 or 1,23,456"
	get := func(f figures.Figure) string { return itoa(f.Count) }
	checkColumn(t, upload.Count, []cellCase{
		{in: "0", want: "0"},
		{in: "412", want: "412"},
		{in: "007", want: "7"},
		{in: " 412 ", want: "412"},
		{in: "10000000", want: "10000000"},
		{in: "1,234", want: "1234"},
		{in: "12,345", want: "12345"},
		{in: "1,234,567", want: "1234567"},
		{in: "1,23,456", want: "123456"},
		{in: "12,34,567", want: "1234567"},
		{in: "1 234", want: "1234"},
		{in: "1\u00a0234", want: "1234"},
		{in: "1\u202f234\u202f567", want: "1234567"},
		{in: "1\u2009234", want: "1234"},
		{in: "１２３", want: "123"},
		{in: "１，２３４", want: "1234"},
		{in: "1234.0", want: "1234"},
		{in: "1234.00", want: "1234"},
		{in: "1,234.000", want: "1234"},
		{in: "10,000,000", want: "10000000"},
		{in: "", msg: "count is empty; write the number of people, 0 if none"},
		{in: " ", msg: "count is empty; write the number of people, 0 if none"},
		{in: "-4", msg: "-4" + whole},
		{in: "−4", msg: "−4" + whole},
		{in: "－４", msg: "－４" + whole},
		{in: "(4)", msg: "(4)" + whole},
		{in: "-0", msg: "-0" + whole},
		{in: "+4", msg: "+4" + whole},
		{in: "many", msg: "many" + whole},
		{in: "=1+1", msg: "=1+1" + whole},
		{in: "1e3", msg: "1e3" + whole},
		{in: "0x10", msg: "0x10" + whole},
		{in: ".0", msg: ".0" + whole},
		{in: "4.", msg: "4." + whole},
		{in: "12.5", msg: "12.5 is not a whole number; write the number of people without decimals"},
		{in: "1234.01", msg: "1234.01 is not a whole number; write the number of people without decimals"},
		{in: "1,2,3", msg: "1,2,3" + groups},
		{in: "12,34", msg: "12,34" + groups},
		{in: "1234,567", msg: "1234,567" + groups},
		{in: "1,234,56,789", msg: "1,234,56,789" + groups},
		{in: "1,234 567", msg: `"1,234 567"` + groups},
		{in: "1,,234", msg: "1,,234" + whole},
		{in: "1234,", msg: "1234," + whole},
		{in: "10000001", msg: "10000001 is more than 10,000,000, the most one row can hold; check the number"},
		{in: "12,000,000", msg: "12,000,000 is more than 10,000,000, the most one row can hold; check the number"},
		{in: "99999999999999999999999", msg: "99999999999999999999999 is more than 10,000,000, the most one row can hold; check the number"},
		{in: "4\x00", msg: "count contains a control character (U+0000) that cannot be stored; remove it"},
	}, get)
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestRuleStatus(t *testing.T) {
	const how = " is not a status; write final or provisional, or leave it empty for final"
	checkColumn(t, upload.Status, []cellCase{
		{in: "", want: "final"},
		{in: "  ", want: "final"},
		{in: "final", want: "final"},
		{in: "Final", want: "final"},
		{in: "PROVISIONAL", want: "provisional"},
		{in: " provisional ", want: "provisional"},
		{in: "確定", want: "final"},
		{in: "暫定", want: "provisional"},
		{in: "अंतिम", want: "final"},
		{in: "अनंतिम", want: "provisional"},
		{in: "draft", msg: "draft" + how},
		{in: "prov.", msg: "prov." + how},
	}, func(f figures.Figure) string { return f.Status })
}

func TestRuleSource(t *testing.T) {
	long := strings.Repeat("あ", 200)
	checkColumn(t, upload.Source, []cellCase{
		{in: "", want: ""},
		{in: "  ISA Japan  ", want: "ISA Japan"},
		{in: "法務省 出入国在留管理庁", want: "法務省 出入国在留管理庁"},
		{in: long, want: long},
		{in: "'=HYPERLINK(\"x\")", want: "=HYPERLINK(\"x\")"},
		{in: "'+91 report", want: "+91 report"},
		{in: "'@team", want: "@team"},
		{in: "'quoted'", want: "'quoted'"},
		{in: "=1+1", want: "=1+1"},
		{in: long + "あ", msg: "source is 201 characters long; shorten it to at most 200"},
		{in: "ISA\tJapan", msg: "source contains a tab (U+0009) that cannot be stored; remove it"},
		{in: "ISA\nJapan", msg: "source contains a line break (U+000A) that cannot be stored; remove it"},
		{in: "ISA\u0085Japan", msg: "source contains a control character (U+0085) that cannot be stored; remove it"},
	}, func(f figures.Figure) string { return f.Source })
}

func TestRuleNote(t *testing.T) {
	long := strings.Repeat("न", 1000)
	exact := []string{
		"", "  two spaces around  ", "line one\nline two\r\n\tindented", `"quoted", 'single'`,
		"<script>alert(1)</script>", "'; DROP TABLE figures; --", "=SUM(A1:A9)", "@user", "日本語のメモ 🙂",
		"a\u200bzero width", "\u202eright to left", long,
	}
	var cases []cellCase
	for _, s := range exact {
		cases = append(cases, cellCase{in: s, want: s})
	}
	cases = append(cases,
		cellCase{in: "'=SUM(A1:A9)", want: "=SUM(A1:A9)"},
		cellCase{in: "'-5 people left", want: "-5 people left"},
		cellCase{in: "'\tx", want: "\tx"},
		cellCase{in: "''=x", want: "''=x"},
		cellCase{in: " '=x", want: " '=x"},
		cellCase{in: "'=" + long[:len(long)-len("न")], want: "=" + long[:len(long)-len("न")]},
		cellCase{in: long + "न", msg: "note is 1,001 characters long; shorten it to at most 1,000"},
		cellCase{in: "bell\a", msg: "note contains a control character (U+0007) that cannot be stored; remove it (tabs and line breaks are fine)"},
		cellCase{in: "nul\x00", msg: "note contains a control character (U+0000) that cannot be stored; remove it (tabs and line breaks are fine)"},
		cellCase{in: "del\x7f", msg: "note contains a control character (U+007F) that cannot be stored; remove it (tabs and line breaks are fine)"},
	)
	checkColumn(t, upload.Note, cases, func(f figures.Figure) string { return f.Note })
}

func TestRuleIssueValueClipped(t *testing.T) {
	r := newRules(t)
	huge := strings.Repeat("x", 5000)
	_, issues := r.Row(withCell(upload.Note, huge))
	if len(issues) != 1 {
		t.Fatalf("issues %v", issues)
	}
	if n := utf8.RuneCountInString(issues[0].Value); n != 200 || !strings.HasSuffix(issues[0].Value, "…") {
		t.Errorf("value of %d characters: %q", n, issues[0].Value)
	}
	_, issues = r.Row(withCell(upload.Category, huge))
	if len(issues) != 1 || len(issues[0].Msg.String()) > 200 {
		t.Errorf("message not shortened: %v", issues)
	}
}

func TestRuleRowGood(t *testing.T) {
	r := newRules(t)
	f, issues := r.Row(upload.Record{Line: 2, Values: goodRow})
	want := figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Sector: "it_software",
		Origin: "IN-KA", Destination: "JP-13", Count: 412, Status: "final", Source: "ISA Japan"}
	if len(issues) != 0 || f != want {
		t.Fatalf("got %+v, %v; want %+v", f, issues, want)
	}
	// The same row written the long way, in Japanese and in full-width digits.
	_, issues = r.Row(upload.Record{Line: 3, Values: [upload.NumColumns]string{
		"２０２５年９月", "インドから日本", "技術・人文知識・国際業務", "４１２", "情報技術・ソフトウェア", "カルナータカ", "東京都", "確定", " ISA Japan ", ""}})
	if len(issues) != 1 || issues[0].Column != "origin" {
		t.Fatalf("katakana Karnataka should be unknown (no Japanese names for Indian states): %v", issues)
	}
	f, issues = r.Row(upload.Record{Line: 3, Values: [upload.NumColumns]string{
		"２０２５年９月", "インドから日本", "技術・人文知識・国際業務", "４１２", "情報技術・ソフトウェア", "कर्नाटक", "東京都", "確定", " ISA Japan ", ""}})
	if len(issues) != 0 || f != want {
		t.Fatalf("got %+v, %v; want %+v", f, issues, want)
	}
}

func TestRuleRowSeveralIssues(t *testing.T) {
	r := newRules(t)
	rec := upload.Record{Line: 12, Values: [upload.NumColumns]string{
		"2025-13", "India", "nurse", "-4", "mining", "IN-ZZ", "JP-99", "maybe", "ok", "bell\a"}}
	f, issues := r.Row(rec)
	want := []issueText{
		{Line: 12, Column: "month", Value: "2025-13", Message: "month 2025-13 does not exist; write YYYY-MM"},
		{Line: 12, Column: "direction", Value: "India", Message: "India is not a direction; write IN-JP (India to Japan) or JP-IN (Japan to India)"},
		{Line: 12, Column: "category", Value: "nurse", Message: "nurse is not a category; see the list at /help/upload"},
		{Line: 12, Column: "count", Value: "-4", Message: "-4 is not a count; write a whole number of people, 0 or more"},
		{Line: 12, Column: "sector", Value: "mining", Message: "mining is not a sector; see the list at /help/upload, or leave it empty"},
		{Line: 12, Column: "origin", Value: "IN-ZZ", Message: "IN-ZZ is not a region code; see the list at /help/upload"},
		{Line: 12, Column: "destination", Value: "JP-99", Message: "JP-99 is not a region code; see the list at /help/upload"},
		{Line: 12, Column: "status", Value: "maybe", Message: "maybe is not a status; write final or provisional, or leave it empty for final"},
		{Line: 12, Column: "note", Value: "bell\a", Message: "note contains a control character (U+0007) that cannot be stored; remove it (tabs and line breaks are fine)"},
	}
	if f != (figures.Figure{}) || !sameIssues(issues, want) {
		t.Fatalf("got %+v\n%#v\nwant %#v", f, issues, want)
	}
	for _, is := range issues {
		if s := is.Error(); !strings.HasPrefix(s, "line 12, column "+is.Column+": ") {
			t.Errorf("Error() = %q", s)
		}
	}
	// An empty row names every required column.
	_, issues = r.Row(upload.Record{Line: 13})
	var cols []string
	for _, is := range issues {
		cols = append(cols, is.Column)
	}
	if strings.Join(cols, ",") != "month,direction,category,count" {
		t.Errorf("empty row: %v", issues)
	}
}

// The sample file /work/shared/data/samples/2025-09-errors.csv: line 2 is good, lines 3–6 each have one mistake.
const errorsSample = `month,direction,category,count,origin
2025-09,IN-JP,student,143,
2025-13,IN-JP,student,10,
2025-09,India,ssw,4,
2025-09,IN-JP,ssw,-4,IN-KA
2025-09,IN-JP,ssw,4,IN-XX
`

func TestRuleSampleErrors(t *testing.T) {
	r := newRules(t)
	rows, err := csv.NewReader(strings.NewReader(errorsSample)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]upload.Column{}
	for i, n := range upload.Names {
		col[n] = upload.Column(i)
	}
	want := map[int][]issueText{
		3: {{Line: 3, Column: "month", Value: "2025-13", Message: "month 2025-13 does not exist; write YYYY-MM"}},
		4: {{Line: 4, Column: "direction", Value: "India", Message: "India is not a direction; write IN-JP (India to Japan) or JP-IN (Japan to India)"}},
		5: {{Line: 5, Column: "count", Value: "-4", Message: "-4 is not a count; write a whole number of people, 0 or more"}},
		6: {{Line: 6, Column: "origin", Value: "IN-XX", Message: "IN-XX is not a region code; see the list at /help/upload"}},
	}
	for i, row := range rows[1:] {
		rec := upload.Record{Line: i + 2}
		for j, v := range row {
			rec.Values[col[rows[0][j]]] = v
		}
		f, issues := r.Row(rec)
		if !sameIssues(issues, want[rec.Line]) {
			t.Errorf("line %d: %#v\n want %#v", rec.Line, issues, want[rec.Line])
		}
		if rec.Line == 2 {
			good := figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 143, Status: "final"}
			if f != good {
				t.Errorf("line 2: %+v; want %+v", f, good)
			}
		}
	}
}

func TestRuleKey(t *testing.T) {
	a := figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Origin: "IN-KA"}
	b := a
	b.Origin, b.Destination = "", "IN-KA"
	if rules.Key(a) == rules.Key(b) {
		t.Errorf("origin and destination share a key: %q", rules.Key(a))
	}
	if got := rules.Key(a); got != "2025-09\x1fIN-JP\x1fengineer\x1fit_software\x1fIN-KA\x1f" {
		t.Errorf("Key = %q", got)
	}
	c := a
	c.Count, c.Note, c.Status = 9, "other", "provisional"
	if rules.Key(a) != rules.Key(c) {
		t.Error("count, note and status are not part of the key")
	}
}

func TestRuleNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"engineer":              "engineer",
		"  Engineer  ":          "engineer",
		"IT  and\u00a0Software": "it and software",
		"ＩＴ\u3000ａｎｄ":           "it and",
		"ﾋﾞﾙｸﾘｰﾆﾝｸﾞ":            "ビルクリーニング",
		"a\tb\nc":               "a b c",
		"":                      "",
	} {
		if got := rules.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestRuleFastPathAllocations checks that a canonical row costs no allocation.
func TestRuleFastPathAllocations(t *testing.T) {
	r := newRules(t)
	rec := upload.Record{Line: 2, Values: goodRow}
	if n := testing.AllocsPerRun(100, func() { r.Row(rec) }); n != 0 {
		t.Errorf("%v allocations a canonical row", n)
	}
}

func BenchmarkRow(b *testing.B) {
	r := newRules(b)
	rec := upload.Record{Line: 2, Values: goodRow}
	rec.Values[upload.Note] = "awaiting final count"
	b.ReportAllocs()
	for b.Loop() {
		if _, issues := r.Row(rec); issues != nil {
			b.Fatal(issues)
		}
	}
}

// BenchmarkRowWritten is a good row written the long way: every value takes the slow path.
func BenchmarkRowWritten(b *testing.B) {
	r := newRules(b)
	rec := upload.Record{Line: 2, Values: [upload.NumColumns]string{
		"Sep 2025", "India to Japan", "Engineers, IT and specialist professionals", "1,234", "IT and software", "karnataka", "東京都", "Final", " ISA Japan ", ""}}
	b.ReportAllocs()
	for b.Loop() {
		if _, issues := r.Row(rec); issues != nil {
			b.Fatal(issues)
		}
	}
}

func BenchmarkRowBad(b *testing.B) {
	r := newRules(b)
	rec := upload.Record{Line: 2, Values: [upload.NumColumns]string{"2025-13", "India", "nurse", "-4", "", "IN-XX", "", "", "", ""}}
	b.ReportAllocs()
	for b.Loop() {
		r.Row(rec)
	}
}

func FuzzRow(f *testing.F) {
	l := seedLists(f)
	r := rules.New(l, latest)
	f.Add(goodRow[0], goodRow[1], goodRow[2], goodRow[3], goodRow[4], goodRow[5], goodRow[6], goodRow[7], goodRow[8], goodRow[9])
	f.Add("Sep 2025", "japan to india", "Students", "1,23,456", "", "東京都", "IN-OR", "暫定", "'=x", "'-y\r\n")
	f.Add("2025年9月", "IN_JP", "ssw", "1234.00", "介護", "IN-CT", "JP-47", "", "", "")
	f.Add("2025-13", "India", "trainee", "-4", "x", "IN-ZZ", "JP-13", "maybe", "\x00", "\x00")
	f.Add("", "", "", "", "", "", "", "", "", "")
	f.Add("01/09/2025", "IN-JP", "engineer", "(4)", "", "JP-13", "IN-KA", "final", "", "")

	cat := map[string]bool{}
	for _, c := range l.Categories {
		cat[c.Code] = !c.Retired
	}
	sec := map[string]bool{"": true}
	for _, s := range l.Sectors {
		sec[s.Code] = true
	}
	country := map[string]string{}
	for _, g := range l.Regions {
		country[g.Code] = g.Country
	}
	f.Fuzz(func(t *testing.T, m, d, c, n, s, o, dst, st, src, note string) {
		rec := upload.Record{Line: 5, Values: [upload.NumColumns]string{m, d, c, n, s, o, dst, st, src, note}}
		fig, issues := r.Row(rec)
		if len(issues) > 0 {
			if fig != (figures.Figure{}) {
				t.Fatalf("both a figure and issues: %+v %v", fig, issues)
			}
			seen := map[string]bool{}
			for _, is := range issues {
				if msg := is.Msg.String(); is.Line != 5 || msg == "" || seen[is.Column] || !utf8.ValidString(msg) || msg == is.Msg.ID {
					t.Fatalf("bad issue %#v in %v", is, issues)
				}
				seen[is.Column] = true
			}
			return
		}
		mo, err := month.Parse(fig.Month)
		from, to := "IN", "JP"
		if fig.Direction == "JP-IN" {
			from, to = "JP", "IN"
		}
		switch {
		case err != nil || mo < month.New(2000, 1) || mo > latest:
			t.Fatalf("month %q from %q", fig.Month, m)
		case fig.Direction != "IN-JP" && fig.Direction != "JP-IN":
			t.Fatalf("direction %q from %q", fig.Direction, d)
		case !cat[fig.Category]:
			t.Fatalf("category %q from %q", fig.Category, c)
		case !sec[fig.Sector]:
			t.Fatalf("sector %q from %q", fig.Sector, s)
		case fig.Origin != "" && country[fig.Origin] != from:
			t.Fatalf("origin %q from %q for %s", fig.Origin, o, fig.Direction)
		case fig.Destination != "" && country[fig.Destination] != to:
			t.Fatalf("destination %q from %q for %s", fig.Destination, dst, fig.Direction)
		case fig.Count < 0 || fig.Count > figures.MaxCount:
			t.Fatalf("count %d from %q", fig.Count, n)
		case fig.Status != "final" && fig.Status != "provisional":
			t.Fatalf("status %q from %q", fig.Status, st)
		case utf8.RuneCountInString(fig.Source) > 200 || strings.TrimSpace(fig.Source) != fig.Source && !strings.HasPrefix(src, "'"):
			t.Fatalf("source %q from %q", fig.Source, src)
		case utf8.RuneCountInString(fig.Note) > 1000 || (fig.Note != note && "'"+fig.Note != note):
			t.Fatalf("note %q from %q", fig.Note, note)
		}
		for _, v := range []string{fig.Source, fig.Note} {
			for _, ch := range v {
				if (ch < 0x20 || (ch >= 0x7f && ch <= 0x9f)) && !(v == fig.Note && (ch == '\t' || ch == '\n' || ch == '\r')) {
					t.Fatalf("control character %U kept in %q", ch, v)
				}
			}
		}
		// The normalised values read back as themselves.
		again := upload.Record{Line: 5, Values: [upload.NumColumns]string{fig.Month, fig.Direction, fig.Category, itoa(fig.Count),
			fig.Sector, fig.Origin, fig.Destination, fig.Status, "", ""}}
		fig2, issues := r.Row(again)
		fig.Source, fig.Note = "", ""
		if len(issues) != 0 || fig2 != fig {
			t.Fatalf("normalised row %v read back as %+v, %v", again.Values, fig2, issues)
		}
	})
}
