package upload

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/reference"
)

// The other sheets of the template workbook.
const (
	CodesSheet = "Codes" // every code with its names, for people to look up
	ListsSheet = "Lists" // the bare codes the drop-down lists draw on (hidden)
)

// TemplateRows is the last row of the template whose cells offer drop-down lists and checks.
const TemplateRows = 10000

// Lists are the reference lists a template offers, each in display order.
type Lists struct {
	Categories []reference.Category
	Sectors    []reference.Sector
	Regions    []reference.Region
}

// hint is what a column of the template wants, said in one language.
type hint struct {
	title string // at most 32 characters (Excel's limit for an input title)
	text  string // at most 255 characters
}

var hintsEN = [NumColumns]hint{
	Month:       {"Month (required)", "The month the people moved, as YYYY-MM, for example 2025-09."},
	Direction:   {"Direction (required)", "IN-JP (India to Japan) or JP-IN (Japan to India)."},
	Category:    {"Category (required)", "A category code from the list; the Codes sheet gives their names."},
	Count:       {"Count (required)", "The number of people: a whole number, 0 or more."},
	Sector:      {"Sector (optional)", "A sector code from the list; leave empty when the figure is not broken down by sector."},
	Origin:      {"Origin (optional)", "The region people came from, as an ISO 3166-2 code such as IN-KA (Karnataka) or JP-13 (Tokyo); leave empty when not known."},
	Destination: {"Destination (optional)", "The region people went to, as an ISO 3166-2 code such as JP-13 (Tokyo) or IN-KA (Karnataka); leave empty when not known."},
	Status:      {"Status (optional)", "final or provisional; empty means final."},
	Source:      {"Source (optional)", "Who reported the figure, in free text."},
	Note:        {"Note (optional)", "Any remark about the figure, in free text."},
}

var hintsJA = [NumColumns]hint{
	Month:       {"月（必須）", "移動した月を YYYY-MM の形で（例：2025-09）。"},
	Direction:   {"方向（必須）", "IN-JP（インドから日本）または JP-IN（日本からインド）。"},
	Category:    {"区分（必須）", "一覧から区分コードを選んでください。名称は「Codes」シートにあります。"},
	Count:       {"人数（必須）", "人数を 0 以上の整数で。"},
	Sector:      {"分野（任意）", "一覧から分野コードを選んでください。分野別でない場合は空欄。"},
	Origin:      {"出身地（任意）", "出発した地域を ISO 3166-2 コードで（例：IN-KA カルナータカ州、JP-13 東京都）。不明な場合は空欄。"},
	Destination: {"就労地（任意）", "移動先の地域を ISO 3166-2 コードで（例：JP-13 東京都、IN-KA カルナータカ州）。不明な場合は空欄。"},
	Status:      {"状態（任意）", "final（確定）または provisional（速報）。空欄は final。"},
	Source:      {"出典（任意）", "数値の報告元（自由記述）。"},
	Note:        {"備考（任意）", "数値についての補足（自由記述）。"},
}

// words are the template's other texts in one language.
type words struct {
	codesHeader               [6]string // list, code, English, Japanese, Hindi, details
	direction, category       string
	sector, region, status    string
	skilled, sswField, retire string
	india, japan              string
	monthError, countError    string
	listError                 string
	errorTitle                string
}

var wordsEN = words{
	codesHeader: [6]string{"list", "code", "English", "Japanese", "Hindi", "details"},
	direction:   "direction", category: "category", sector: "sector", region: "origin / destination", status: "status",
	skilled: "counts toward the skilled-personnel target", sswField: "Specified Skilled Worker field",
	retire: "retired: not for new figures",
	india:  "India", japan: "Japan",
	monthError: "Write the month as YYYY-MM, for example 2025-09.",
	countError: "Enter a whole number of people, from 0 to 10,000,000.",
	listError:  "Choose a code from the list; the Codes sheet gives their names.",
	errorTitle: "Not accepted",
}

var wordsJA = words{
	codesHeader: [6]string{"一覧", "コード", "英語", "日本語", "ヒンディー語", "説明"},
	direction:   "方向", category: "区分", sector: "分野", region: "出身地・就労地", status: "状態",
	skilled: "熟練人材の目標に数える", sswField: "特定技能の分野",
	retire: "廃止：新しい数値には使えません",
	india:  "インド", japan: "日本",
	monthError: "月は YYYY-MM の形で入力してください（例：2025-09）。",
	countError: "人数は 0 から 10,000,000 までの整数で入力してください。",
	listError:  "一覧からコードを選んでください。名称は「Codes」シートにあります。",
	errorTitle: "入力できません",
}

// statusNames are the figure statuses with their names in English, Japanese and Hindi.
var statusNames = [][4]string{
	{figures.Final, "Final", "確定", "अंतिम"},
	{figures.Provisional, "Provisional", "速報", "अनंतिम"},
}

// TemplateXLSX writes an upload template workbook:
//
//   - "Figures": the header row (Japanese names for lang "ja"), bold and frozen,
//     with a comment on each header cell saying what goes in the column; the
//     columns formatted as text (the count as a number); and, on rows
//     2..TemplateRows, an input hint on every column, drop-down lists of the
//     codes for direction, category, sector, origin, destination and status,
//     a YYYY-MM length check on the month and a whole-number check on the count.
//   - "Codes": every code with its English, Japanese and Hindi names where
//     known, for looking up.
//   - "Lists" (hidden): the bare codes the drop-down lists draw on.
//
// Retired categories are left out of the drop-down list but listed in "Codes".
func TemplateXLSX(w io.Writer, lang string, l Lists) error {
	hints, wd := hintsEN, wordsEN
	if isJapanese(lang) {
		hints, wd = hintsJA, wordsJA
	}
	f, st, err := newWorkbook()
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.NewSheet(CodesSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(ListsSheet); err != nil {
		return err
	}
	ranges, err := writeLists(f, st, l)
	if err != nil {
		return err
	}
	if err := writeCodes(f, st, l, wd); err != nil {
		return err
	}
	if err := writeFiguresSheet(f, st, Header(lang), hints, wd, ranges); err != nil {
		return err
	}
	if err := f.SetSheetVisible(ListsSheet, false); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return writeWorkbook(f, w)
}

// writeLists fills the Lists sheet, one list a column under a header, and
// returns the range of each list's codes by the Figures column that uses it.
func writeLists(f *excelize.File, st styles, l Lists) (map[Column]string, error) {
	var directions, categories, sectors, regions, statuses []string
	for _, d := range reference.Directions {
		directions = append(directions, d.Code)
	}
	for _, c := range l.Categories {
		if !c.Retired {
			categories = append(categories, c.Code)
		}
	}
	for _, s := range l.Sectors {
		sectors = append(sectors, s.Code)
	}
	for _, r := range sortedRegions(l.Regions) {
		regions = append(regions, r.Code)
	}
	for _, s := range statusNames {
		statuses = append(statuses, s[0])
	}
	cols := []struct {
		name  string
		codes []string
		use   []Column
	}{
		{"direction", directions, []Column{Direction}},
		{"category", categories, []Column{Category}},
		{"sector", sectors, []Column{Sector}},
		{"region", regions, []Column{Origin, Destination}},
		{"status", statuses, []Column{Status}},
	}
	ranges := map[Column]string{}
	for i, c := range cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellStyle(ListsSheet, col+"1", col+"1", st.header); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(ListsSheet, col+"1", c.name); err != nil {
			return nil, err
		}
		for j, code := range c.codes {
			if err := f.SetCellStr(ListsSheet, fmt.Sprintf("%s%d", col, j+2), code); err != nil {
				return nil, err
			}
		}
		if err := f.SetColWidth(ListsSheet, col, col, float64(maxWidth(append(c.codes, c.name))+2)); err != nil {
			return nil, err
		}
		if len(c.codes) == 0 {
			continue // no list to offer; the column is left free
		}
		ref := fmt.Sprintf("%s!$%s$2:$%s$%d", ListsSheet, col, col, len(c.codes)+1)
		for _, u := range c.use {
			ranges[u] = ref
		}
	}
	return ranges, nil
}

// sortedRegions puts India's regions before Japan's, keeping each country's order.
func sortedRegions(rs []reference.Region) []reference.Region {
	out := make([]reference.Region, 0, len(rs))
	for _, country := range []string{"IN", "JP"} {
		for _, r := range rs {
			if r.Country == country {
				out = append(out, r)
			}
		}
	}
	for _, r := range rs {
		if r.Country != "IN" && r.Country != "JP" {
			out = append(out, r)
		}
	}
	return out
}

// writeCodes fills the Codes sheet: a filterable table of every code and its names.
func writeCodes(f *excelize.File, st styles, l Lists, wd words) error {
	ja, hi := i18n.New(i18n.JA, ""), i18n.New(i18n.HI, "")
	rows := [][6]string{wd.codesHeader}
	for _, d := range reference.Directions {
		name := reference.DirectionMsg(d.Code)
		rows = append(rows, [6]string{wd.direction, d.Code, d.NameEN, ja.Tr(name), hi.Tr(name), ""})
	}
	for _, c := range l.Categories {
		var details []string
		if c.Retired {
			details = append(details, wd.retire)
		}
		if c.Skilled {
			details = append(details, wd.skilled)
		}
		if c.DescriptionEN != "" {
			details = append(details, c.DescriptionEN)
		}
		rows = append(rows, [6]string{wd.category, c.Code, c.NameEN, c.NameJA, c.NameHI, strings.Join(details, "; ")})
	}
	for _, s := range l.Sectors {
		details := ""
		if s.SSWField {
			details = wd.sswField
		}
		rows = append(rows, [6]string{wd.sector, s.Code, s.NameEN, s.NameJA, s.NameHI, details})
	}
	for _, r := range sortedRegions(l.Regions) {
		row := [6]string{wd.region, r.Code, r.NameEN, "", "", r.Country}
		switch r.Country {
		case "IN":
			row[4], row[5] = r.NameLocal, wd.india
		case "JP":
			row[3], row[5] = r.NameLocal, wd.japan
		}
		rows = append(rows, row)
	}
	for _, s := range statusNames {
		rows = append(rows, [6]string{wd.status, s[0], s[1], s[2], s[3], ""})
	}

	var widths [6]int
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
			widths[j] = max(widths[j], displayWidth(v))
		}
		if err := f.SetSheetRow(CodesSheet, fmt.Sprintf("A%d", i+1), &cells); err != nil {
			return err
		}
	}
	for j, w := range widths {
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(CodesSheet, col, col, float64(min(w, 80)+2)); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(CodesSheet, "A1", "F1", st.header); err != nil {
		return err
	}
	if err := f.SetPanes(CodesSheet, freezeHeader); err != nil {
		return err
	}
	return f.AutoFilter(CodesSheet, fmt.Sprintf("A1:F%d", len(rows)), nil)
}

// writeFiguresSheet writes the Figures sheet of the template: header, comments, formats, checks.
func writeFiguresSheet(f *excelize.File, st styles, header []string, hints [NumColumns]hint, wd words, ranges map[Column]string) error {
	for i, h := range header {
		c := Column(i)
		col, _ := excelize.ColumnNumberToName(i + 1)
		cell := col + "1"
		style := st.text
		if c == Count {
			style = st.count
		}
		if err := f.SetColStyle(SheetName, col, style); err != nil {
			return err
		}
		if err := f.SetColWidth(SheetName, col, col, max(exportWidths[i], float64(displayWidth(h)+4))); err != nil {
			return err
		}
		if err := f.SetCellStr(SheetName, cell, h); err != nil {
			return err
		}
		if err := f.AddComment(SheetName, excelize.Comment{
			Cell: cell, Author: "HRX", Width: 260, Height: 90,
			Paragraph: []excelize.RichTextRun{
				{Text: hints[i].title + "\n", Font: &excelize.Font{Bold: true, Color: "#000000"}},
				{Text: hints[i].text},
			},
		}); err != nil {
			return err
		}

		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, TemplateRows)
		dv.SetInput(hints[i].title, hints[i].text)
		switch {
		case c == Month:
			if err := dv.SetRange(7, 7, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorEqual); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, wd.errorTitle, wd.monthError)
		case c == Count:
			if err := dv.SetRange(0, figures.MaxCount, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, wd.errorTitle, wd.countError)
		case ranges[c] != "":
			dv.SetSqrefDropList(ranges[c])
			dv.SetError(excelize.DataValidationErrorStyleStop, wd.errorTitle, wd.listError)
		default:
			dv.Type = "none" // the input hint only
		}
		if err := f.AddDataValidation(SheetName, dv); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	if err := f.SetCellStyle(SheetName, "A1", last+"1", st.header); err != nil {
		return err
	}
	if err := f.SetRowHeight(SheetName, 1, 20); err != nil {
		return err
	}
	return f.SetPanes(SheetName, freezeHeader)
}

// displayWidth is roughly how many character widths s takes in a spreadsheet
// column: two for each wide (CJK) character, one for the rest.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func maxWidth(ss []string) int {
	n := 0
	for _, s := range ss {
		n = max(n, displayWidth(s))
	}
	return n
}
