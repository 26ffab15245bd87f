package upload_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"hrx/internal/figures"
	"hrx/internal/reference"
	"hrx/internal/upload"
)

const tricky = "a note, with commas, \"quotes\",\na newline, 日本語のテキスト, <b>html</b> and '; DROP TABLE figures;--"

const hyperlink = `=HYPERLINK("http://evil.example/","click")`

var sample = []figures.Figure{
	{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Count: 1234567, Status: "final", Source: "MoFA", Note: tricky},
	{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Sector: "nursing_care", Origin: "IN-KA", Destination: "JP-13", Count: 0, Status: "provisional", Source: "ISA, Tokyo", Note: hyperlink},
	{Month: "2025-10", Direction: "JP-IN", Category: "student", Count: 42, Status: "final", Source: "+91 desk", Note: "-5 from last month\tchecked"},
	{Month: "2025-10", Direction: "JP-IN", Category: "business", Count: 7, Status: "final", Source: "@embassy", Note: "  leading and trailing spaces  "},
}

// over returns the iterator the writers take, walking figs.
func over(figs []figures.Figure) func(func(figures.Figure) error) error {
	return func(yield func(figures.Figure) error) error {
		for _, f := range figs {
			if err := yield(f); err != nil {
				return err
			}
		}
		return nil
	}
}

// wantCells is what a figure's row reads back as, before the import strips the apostrophes.
func wantCells(f figures.Figure) []string {
	return []string{f.Month, f.Direction, f.Category, strconv.FormatInt(f.Count, 10), f.Sector, f.Origin, f.Destination,
		f.Status, upload.SafeCell(f.Source), upload.SafeCell(f.Note)}
}

// unprotect is the rule the import side must apply: one apostrophe goes when
// what follows is a text SafeCell guards.
func unprotect(s string) string {
	if rest, ok := strings.CutPrefix(s, "'"); ok && upload.SafeCell(rest) == s {
		return rest
	}
	return s
}

var headerEN = []string{"month", "direction", "category", "count", "sector", "origin", "destination", "status", "source", "note"}
var headerJA = []string{"月", "方向", "区分", "人数", "分野", "出身地", "就労地", "状態", "出典", "備考"}

func TestHeader(t *testing.T) {
	if got := upload.Header("en"); !slices.Equal(got, headerEN) {
		t.Errorf("Header(en) = %q", got)
	}
	if got := upload.Header(""); !slices.Equal(got, headerEN) {
		t.Errorf("Header(\"\") = %q", got)
	}
	if got := upload.Header("ja"); !slices.Equal(got, headerJA) {
		t.Errorf("Header(ja) = %q", got)
	}
	if got := upload.Header("hi"); !slices.Equal(got, headerEN) {
		t.Errorf("Header(hi) = %q", got)
	}
}

func TestSafeCell(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"=1+1", "'=1+1"},
		{"+91 desk", "'+91 desk"},
		{"-5", "'-5"}, // a text cell; counts never come here
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tindented", "'\tindented"},
		{"\rreturn", "'\rreturn"},
		{"\nline feed", "'\nline feed"},
		{"\n=1+1", "'\n=1+1"},
		{"\r\n@SUM(A1)", "'\r\n@SUM(A1)"},
		{hyperlink, "'" + hyperlink},
		{" =1+1", "' =1+1"},
		{"   +1", "'   +1"},
		{" \u00a0-1", "' \u00a0-1"}, // no-break space
		{"\u3000@x", "'\u3000@x"},   // ideographic space
		{"\v\f=1", "'\v\f=1"},       // vertical tab, form feed
		{"＝1+1", "'＝1+1"},           // full-width forms
		{"＋81 desk", "'＋81 desk"},
		{"－5", "'－5"},
		{"＠embassy", "'＠embassy"},
		{"\u3000＝HYPERLINK()", "'\u3000＝HYPERLINK()"},
		{"normal text", "normal text"},
		{"2025-09", "2025-09"},
		{"IN-JP", "IN-JP"},
		{"a=b", "a=b"},
		{"a -b", "a -b"},
		{"  leading and trailing spaces  ", "  leading and trailing spaces  "},
		{" ", " "},
		{"", ""},
		{"'hello", "'hello"},
		{"'=already", "'=already"},
		{"日本語", "日本語"},
		{"５人", "５人"}, // full-width digits are plain text
	} {
		if got := upload.SafeCell(tt.in); got != tt.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := unprotect(upload.SafeCell(tt.in)); got != tt.in && !strings.HasPrefix(tt.in, "'") {
			t.Errorf("unprotect(SafeCell(%q)) = %q, does not round-trip", tt.in, got)
		}
	}
}

// TestCountStaysANumber checks that the guard is for text only: a count,
// even a negative one, is written as a plain number.
func TestCountStaysANumber(t *testing.T) {
	figs := []figures.Figure{{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Count: -5, Status: "final", Note: "-5"}}
	var csvBuf, xlsxBuf bytes.Buffer
	if err := upload.WriteCSV(&csvBuf, over(figs)); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBuf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[1]; got[3] != "-5" || got[9] != "'-5" {
		t.Errorf("CSV count %q, note %q; want -5 and '-5", got[3], got[9])
	}
	if err := upload.WriteXLSX(&xlsxBuf, over(figs)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsxBuf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if typ, _ := f.GetCellType("Figures", "D2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("D2 type %v, want a number cell", typ)
	}
	if v, _ := f.GetCellValue("Figures", "D2"); v != "-5" {
		t.Errorf("D2 = %q, want -5", v)
	}
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := upload.WriteCSV(&buf, over(sample)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\xEF\xBB\xBF") {
		t.Fatalf("no BOM: %q", out[:min(len(out), 20)])
	}
	if !strings.HasPrefix(out, "\uFEFFmonth,direction,category,count,sector,origin,destination,status,source,note\r\n") {
		t.Errorf("header line: %q", out[:min(len(out), 100)])
	}
	for i := 0; i < len(out); i++ {
		if out[i] == '\n' && (i == 0 || out[i-1] != '\r') {
			t.Fatalf("a bare LF at byte %d: %q", i, out[max(0, i-20):i+1])
		}
	}
	if !strings.HasSuffix(out, "\r\n") {
		t.Errorf("last line does not end in CRLF")
	}
	for _, want := range []string{
		`2025-09,IN-JP,engineer,1234567,,,,final,MoFA,"a note, with commas, ""quotes"",` + "\r\n" + `a newline, 日本語のテキスト, <b>html</b> and '; DROP TABLE figures;--"` + "\r\n",
		`2025-09,IN-JP,ssw,0,nursing_care,IN-KA,JP-13,provisional,"ISA, Tokyo","'=HYPERLINK(""http://evil.example/"",""click"")"` + "\r\n",
		"2025-10,JP-IN,student,42,,,,final,'+91 desk,'-5 from last month\tchecked\r\n",
		`2025-10,JP-IN,business,7,,,,final,'@embassy,"  leading and trailing spaces  "` + "\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks the line %q\nin:\n%s", want, out)
		}
	}

	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF")))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(sample)+1 || !slices.Equal(recs[0], headerEN) {
		t.Fatalf("read back %d records, header %q", len(recs), recs[0])
	}
	for i, f := range sample {
		got := recs[i+1]
		if want := wantCells(f); !slices.Equal(got, want) {
			t.Errorf("row %d reads back as\n%q\nwant\n%q", i+1, got, want)
		}
		if unprotect(got[8]) != f.Source || unprotect(got[9]) != f.Note {
			t.Errorf("row %d: source %q, note %q do not round-trip", i+1, got[8], got[9])
		}
	}
	if recs[2][9] != "'"+hyperlink {
		t.Errorf("hyperlink note written as %q", recs[2][9])
	}
}

func TestWriteCSVLineBreaks(t *testing.T) {
	figs := []figures.Figure{
		{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Count: 1, Status: "final", Note: "from a form\r\nsecond line"},
		{Month: "2025-09", Direction: "IN-JP", Category: "hsp", Count: 1, Status: "final", Note: "\rstarts with CR"},
	}
	var buf bytes.Buffer
	if err := upload.WriteCSV(&buf, over(figs)); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[1][9]; got != "from a form\nsecond line" {
		t.Errorf("CRLF note reads back as %q", got)
	}
	if got := recs[2][9]; got != "'\nstarts with CR" { // now a line feed first, so guarded
		t.Errorf("CR note reads back as %q", got)
	}
}

func TestWriteCSVErrors(t *testing.T) {
	boom := errors.New("boom")
	err := upload.WriteCSV(io.Discard, func(yield func(figures.Figure) error) error {
		if err := yield(sample[0]); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("WriteCSV = %v, want the iterator's error", err)
	}
	// A failing writer stops the iterator.
	calls := 0
	err = upload.WriteCSV(failWriter{}, func(yield func(figures.Figure) error) error {
		for range 100_000 {
			calls++
			if err := yield(sample[0]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil || calls == 100_000 {
		t.Errorf("WriteCSV to a failing writer = %v after %d rows", err, calls)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := upload.WriteXLSX(&buf, over(sample)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Figures"}) {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows("Figures", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(sample)+1 || !slices.Equal(rows[0], headerEN) {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	for i, fig := range sample {
		got := rows[i+1]
		for len(got) < len(headerEN) {
			got = append(got, "") // GetRows drops trailing empty cells
		}
		if want := wantCells(fig); !slices.Equal(got, want) {
			t.Errorf("row %d reads back as\n%q\nwant\n%q", i+2, got, want)
		}
	}
	for row := 2; row <= len(sample)+1; row++ {
		d := "D" + strconv.Itoa(row)
		if typ, err := f.GetCellType("Figures", d); err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
			t.Errorf("%s: type %v, %v; want a number cell", d, typ, err)
		}
		for _, col := range []string{"A", "B", "C", "H", "I", "J"} {
			cell := col + strconv.Itoa(row)
			typ, err := f.GetCellType("Figures", cell)
			if err != nil || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
				t.Errorf("%s: type %v, %v; want a string cell", cell, typ, err)
			}
			if formula, err := f.GetCellFormula("Figures", cell); err != nil || formula != "" {
				t.Errorf("%s: formula %q, %v", cell, formula, err)
			}
		}
	}
	if v, _ := f.GetCellValue("Figures", "J3"); v != "'"+hyperlink {
		t.Errorf("J3 = %q", v)
	}
	if v, _ := f.GetCellValue("Figures", "D2"); v != "1234567" {
		t.Errorf("D2 = %q, want plain digits", v)
	}
	panes, err := f.GetPanes("Figures")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v, %v", panes, err)
	}
	style, _ := f.GetCellStyle("Figures", "A1")
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header style %+v, %v; want bold", s, err)
	}
}

func TestWriteXLSXCR(t *testing.T) {
	figs := []figures.Figure{{Month: "2025-09", Direction: "IN-JP", Category: "ssw", Count: 1, Status: "final", Note: "line\r\nline"}}
	var buf bytes.Buffer
	if err := upload.WriteXLSX(&buf, over(figs)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Figures", "J2"); v != "line\r\nline" {
		t.Errorf("J2 = %q", v)
	}
}

func TestTemplateCSV(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{
		{"en", "\xEF\xBB\xBFmonth,direction,category,count,sector,origin,destination,status,source,note\r\n"},
		{"ja", "\xEF\xBB\xBF月,方向,区分,人数,分野,出身地,就労地,状態,出典,備考\r\n"},
	} {
		var buf bytes.Buffer
		if err := upload.TemplateCSV(&buf, tt.lang); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tt.want {
			t.Errorf("TemplateCSV(%s) = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestTemplateXLSX(t *testing.T) {
	lists := seedLists(t)
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := upload.TemplateXLSX(&buf, lang, lists); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); !slices.Equal(got, []string{"Figures", "Codes", "Lists"}) {
				t.Fatalf("sheets %q", got)
			}
			if f.GetActiveSheetIndex() != 0 {
				t.Errorf("active sheet %d, want Figures", f.GetActiveSheetIndex())
			}
			if visible, _ := f.GetSheetVisible("Lists"); visible {
				t.Errorf("Lists sheet is visible")
			}
			rows, err := f.GetRows("Figures")
			if err != nil {
				t.Fatal(err)
			}
			want := headerEN
			if lang == "ja" {
				want = headerJA
			}
			if len(rows) != 1 || !slices.Equal(rows[0], want) {
				t.Fatalf("Figures rows %q, want just the header %q", rows, want)
			}
			panes, err := f.GetPanes("Figures")
			if err != nil || !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("header not frozen: %+v, %v", panes, err)
			}
			comments, err := f.GetComments("Figures")
			if err != nil || len(comments) != len(want) {
				t.Errorf("%d header comments, %v; want %d", len(comments), err, len(want))
			}

			dvs, err := f.GetDataValidations("Figures")
			if err != nil {
				t.Fatal(err)
			}
			lists := map[string]string{} // column → formula of its list
			types := map[string]string{}
			for _, dv := range dvs {
				col := strings.TrimRight(strings.SplitN(dv.Sqref, ":", 2)[0], "0123456789")
				if !strings.HasSuffix(dv.Sqref, ":"+col+"10000") || !strings.HasPrefix(dv.Sqref, col+"2:") {
					t.Errorf("validation on %q, want rows 2..10000", dv.Sqref)
				}
				types[col] = dv.Type
				// Excel refuses longer input titles, prompts and error messages.
				if dv.PromptTitle == nil || dv.Prompt == nil || len([]rune(*dv.PromptTitle)) > 32 || len([]rune(*dv.Prompt)) > 255 {
					t.Errorf("column %s: input hint missing or too long", col)
				}
				if dv.Error != nil && (len([]rune(*dv.Error)) > 225 || len([]rune(*dv.ErrorTitle)) > 32) {
					t.Errorf("column %s: error message too long", col)
				}
				if dv.Type == "list" {
					lists[col] = dv.Formula1
				}
			}
			wantLists := map[string]string{
				"B": "Lists!$A$2:$A$3",
				"C": "Lists!$B$2:$B$11",
				"E": "Lists!$C$2:$C$24",
				"F": "Lists!$D$2:$D$84",
				"G": "Lists!$D$2:$D$84",
				"H": "Lists!$E$2:$E$3",
			}
			for col, formula := range wantLists {
				if got := strings.TrimPrefix(lists[col], "="); got != formula {
					t.Errorf("column %s list %q, want %q", col, got, formula)
				}
			}
			if len(types) != len(want) {
				t.Errorf("validations on columns %v, want all %d", types, len(want))
			}
			if types["A"] != "textLength" || types["D"] != "whole" {
				t.Errorf("month check %q, count check %q", types["A"], types["D"])
			}

			// The lists hold the codes.
			col := func(sheet, c string) []string {
				cols, err := f.GetCols(sheet)
				if err != nil {
					t.Fatal(err)
				}
				n, _ := excelize.ColumnNameToNumber(c)
				out := cols[n-1]
				for len(out) > 0 && out[len(out)-1] == "" {
					out = out[:len(out)-1] // GetCols pads every column to the longest
				}
				return out
			}
			if got := col("Lists", "A"); !slices.Equal(got, []string{"direction", "IN-JP", "JP-IN"}) {
				t.Errorf("direction list %q", got)
			}
			if got := col("Lists", "E"); !slices.Equal(got, []string{"status", "final", "provisional"}) {
				t.Errorf("status list %q", got)
			}
			cats := col("Lists", "B")[1:]
			if len(cats) != 10 || cats[0] != "engineer" {
				t.Errorf("category list %q", cats)
			}
			regions := col("Lists", "D")[1:]
			if len(regions) != 83 || regions[0] != "IN-AN" || regions[len(regions)-1] != "JP-47" || !slices.Contains(regions, "JP-13") {
				t.Errorf("region list %d codes: %q … %q", len(regions), regions[0], regions[len(regions)-1])
			}

			// Codes names every code.
			codes, err := f.GetRows("Codes")
			if err != nil {
				t.Fatal(err)
			}
			byCode := map[string][]string{}
			for _, r := range codes[1:] {
				byCode[r[1]] = r
			}
			if n := len(codes) - 1; n != 2+10+23+83+2 {
				t.Errorf("Codes has %d rows", n)
			}
			for code, names := range map[string][]string{
				"IN-JP":        {"India to Japan", "インドから日本", "भारत से जापान"},
				"ssw":          {"Specified skilled workers", "特定技能", "निर्दिष्ट कुशल श्रमिक"},
				"nursing_care": {"Nursing care", "介護", ""},
				"IN-KA":        {"Karnataka", "", "कर्नाटक"},
				"JP-13":        {"Tokyo", "東京都", ""},
				"provisional":  {"Provisional", "速報", "अनंतिम"},
			} {
				r := byCode[code]
				for len(r) < 6 {
					r = append(r, "")
				}
				if !slices.Equal(r[2:5], names) {
					t.Errorf("Codes row for %s: %q, want names %q", code, r, names)
				}
			}
		})
	}
}

func TestTemplateXLSXEmptyLists(t *testing.T) {
	var buf bytes.Buffer
	if err := upload.TemplateXLSX(&buf, "en", upload.Lists{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dvs, _ := f.GetDataValidations("Figures")
	for _, dv := range dvs {
		if dv.Type == "list" && !strings.HasPrefix(dv.Sqref, "B") && !strings.HasPrefix(dv.Sqref, "H") {
			t.Errorf("list validation %q with no codes to offer", dv.Sqref)
		}
	}
}

// seedLists reads the reference lists the migrations seed.
func seedLists(t testing.TB) upload.Lists {
	t.Helper()
	read := func(name string) []map[string]string {
		b, err := os.ReadFile(filepath.Join("..", "..", "migrations", "data", name))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var out []map[string]string
		for _, r := range recs[1:] {
			m := map[string]string{}
			for i, h := range recs[0] {
				m[h] = r[i]
			}
			out = append(out, m)
		}
		return out
	}
	var l upload.Lists
	for i, m := range read("categories.csv") {
		l.Categories = append(l.Categories, reference.Category{Code: m["code"], Skilled: m["skilled"] == "true",
			NameEN: m["name_en"], NameJA: m["name_ja"], NameHI: m["name_hi"], DescriptionEN: m["description_en"], Position: i})
	}
	for i, m := range read("sectors.csv") {
		l.Sectors = append(l.Sectors, reference.Sector{Code: m["code"], SSWField: m["ssw_field"] == "true",
			NameEN: m["name_en"], NameJA: m["name_ja"], Position: i})
	}
	for i, m := range read("regions.csv") {
		l.Regions = append(l.Regions, reference.Region{Code: m["code"], Country: m["country"],
			NameEN: m["name_en"], NameLocal: m["name_local"], Position: i})
	}
	return l
}

// manyFigures returns n figures shaped like real ones.
func manyFigures(n int) []figures.Figure {
	cats := []string{"engineer", "hsp", "ssw", "titp", "student"}
	out := make([]figures.Figure, n)
	for i := range out {
		out[i] = figures.Figure{
			Month: "2025-" + []string{"09", "10", "11", "12"}[i%4], Direction: []string{"IN-JP", "JP-IN"}[i%2],
			Category: cats[i%len(cats)], Sector: "nursing_care", Origin: "IN-KA", Destination: "JP-13",
			Count: int64(i % 5000), Status: "final", Source: "Ministry of Foreign Affairs", Note: "checked, ok",
		}
	}
	return out
}

func BenchmarkWriteCSV(b *testing.B) {
	const n = 100_000
	figs := manyFigures(n)
	var size int64
	b.ReportAllocs()
	for b.Loop() {
		cw := &countWriter{}
		if err := upload.WriteCSV(cw, over(figs)); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(size), "bytes/file")
}

func BenchmarkWriteXLSX(b *testing.B) {
	const n = 100_000
	figs := manyFigures(n)
	var size int64
	b.ReportAllocs()
	for b.Loop() {
		cw := &countWriter{}
		if err := upload.WriteXLSX(cw, over(figs)); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(size), "bytes/file")
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
