package upload

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// xlsxTinyLimits are small enough for a fuzzer to reach every one.
func xlsxTinyLimits() xlsxLimits {
	return xlsxLimits{strings: 8, cellChars: 40, cellText: 100, textRun: 60, cellParts: 12, columns: 6, rows: 12, cells: 40,
		span: 50, whole: 400, wholeText: 200, depth: 8, tag: 256}
}

// xlsxScanOne checks one part as a sheet, shared strings and a part decoded whole at once.
func xlsxScanOne(data []byte, lim xlsxLimits, wrap func(io.Reader) io.Reader) error {
	return newXLSXGuard(lim).scanPart("part.xml", wrap(bytes.NewReader(data)), roleWhole|roleSheet|roleStrings, xlsxHooks{})
}

func xlsxSameError(a, b error) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Error() == b.Error()
}

// FuzzXLSXScan checks the pre-scan against what it stands in for. Whatever
// the bytes, the outcome must not depend on how the reads are cut; and when
// the scan lets a sheet through, encoding/xml and excelize, reading it as the
// import does, must stay within every limit.
func FuzzXLSXScan(f *testing.F) {
	for _, s := range []string{
		xlsxTestSheetHead + xlsxTestSheetTail,
		xlsxTestSheetHead + `<row r="3"><c r="F3"><v>1</v></c><c r="A3"><f>SUM(A1:A2)</f></c></row>` + xlsxTestSheetTail,
		xlsxTestSheetHead + `<row><c t="inlineStr"><is><r><t>ab</t></r><rPh><t>x</t></rPh></is></c></row>` + xlsxTestSheetTail,
		xlsxTestSheetHead + `<!-- </sheetData> --><row r='4' x="a>b"><c r="$B$4"><v><![CDATA[<c/>]]>&amp;&#x1F600;</v></c></row>` + xlsxTestSheetTail,
		xlsxTestSheetHead + `</sheetData><row><c><v>1</v></c><c r="XFD9"><v>1</v></c></row>` + xlsxTestSheetTail,
		xlsxTestSSTHead + `<si><t xml:space="preserve"> a </t></si></sst>`,
		`<?xml version="1.0" encoding="utf-8"?><a><b><c/></b></a>`,
		`<?xml version="1.0" encoding="shift_jis"?><a/>`,
		`<!DOCTYPE a><a/>`,
		"<a>\r\n<b a='1'\tb=\"2\"/>\n</a>",
	} {
		f.Add([]byte(s))
	}
	lim := xlsxTinyLimits()
	f.Fuzz(func(t *testing.T, data []byte) {
		whole := xlsxScanOne(data, lim, func(r io.Reader) io.Reader { return r })
		oneByte := xlsxScanOne(data, lim, iotest.OneByteReader)
		if !xlsxSameError(whole, oneByte) {
			t.Fatalf("read at once: %v\nread a byte at a time: %v", whole, oneByte)
		}
		if whole != nil {
			var fe *FileError
			if !errors.As(whole, &fe) {
				t.Fatalf("error %T %v is not a *FileError", whole, whole)
			}
			return
		}
		xlsxTokensWithin(t, data, lim)
		xlsxRowsWithin(t, data, lim)
	})
}

// xlsxTokensWithin reads data with encoding/xml, as excelize does, up to its
// first error, and fails on anything over the limits.
func xlsxTokensWithin(t *testing.T, data []byte, lim xlsxLimits) {
	d := xml.NewDecoder(bytes.NewReader(data))
	depth, elems := 0, 0
	texts := make([]int, lim.depth+1)
	for {
		tok, err := d.Token()
		if err != nil {
			return
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			elems++
			if depth > lim.depth || elems > lim.whole {
				t.Fatalf("encoding/xml reached depth %d and %d elements", depth, elems)
			}
			texts[depth] = 0
			n := 0
			for _, a := range tok.Attr {
				n += len(a.Name.Local) + len(a.Value)
			}
			if n > lim.tag {
				t.Fatalf("encoding/xml read %d bytes of attributes", n)
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			n := len(utf16.Encode([]rune(string(tok))))
			texts[depth] += n
			if n > max(lim.textRun, lim.cellText) || texts[depth] > lim.wholeText {
				t.Fatalf("encoding/xml read a text of %d characters, %d in its element", n, texts[depth])
			}
		case xml.Comment:
			if len(tok) > lim.tag {
				t.Fatalf("encoding/xml read a comment of %d bytes", len(tok))
			}
		case xml.ProcInst:
			if len(tok.Inst) > lim.tag {
				t.Fatalf("encoding/xml read a processing instruction of %d bytes", len(tok.Inst))
			}
		case xml.Directive:
			t.Fatalf("encoding/xml read a directive %q", tok)
		}
	}
}

// xlsxRowsWithin reads data as the first sheet of a workbook, as the import
// does, and fails when excelize fills in more cells or rows than the limits let through.
func xlsxRowsWithin(t *testing.T, sheet []byte, lim xlsxLimits) {
	data := xlsxBuild(t, xlsxPart{name: "xl/worksheets/sheet1.xml", body: xlsxBody(string(sheet))})
	defer func() { recover() }() // a panic inside excelize is xlsxRecover's business, not this test's
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxInMemoryPart})
	if err != nil {
		return
	}
	defer f.Close()
	rows, err := f.Rows("Figures")
	if err != nil {
		return
	}
	defer rows.Close()
	next, span := 0, 0
	for rows.Next() {
		// excelize steps through every row number up to the last: at most
		// one per row element and one per number up to the last allowed.
		if next++; next > 2*lim.rows {
			t.Fatalf("excelize went through %d rows", next)
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return
		}
		if span += len(cells); span > lim.span {
			t.Fatalf("excelize filled in %d cells", span)
		}
		for _, c := range cells {
			if n := len(utf16.Encode([]rune(c))); n > lim.cellChars {
				t.Fatalf("excelize read a cell of %d characters", n)
			}
		}
	}
}

// TestXMLScannerReads checks the scanner across buffer refills: the same
// outcome whether the part arrives at once, a byte at a time or in halves,
// for parts that pass and parts that are refused.
func TestXMLScannerReads(t *testing.T) {
	long := strings.Repeat("é&amp;", 7)
	parts := []struct {
		xml string
		ok  bool
	}{
		{xlsxTestSheetHead + `<row r="3"><c r="B3" t="inlineStr"><is><t>` + long + `</t></is></c></row>` + xlsxTestSheetTail, true},
		{xlsxTestSheetHead + `<row r="3"><c r="B3" t="str"><v><![CDATA[` + long + long + `]]></v></c></row>` + xlsxTestSheetTail, false},
		{xlsxTestSheetHead + `<!--` + strings.Repeat("-", 300) + `-->` + xlsxTestSheetTail, false},
		{xlsxTestSheetHead + strings.Repeat(`<row><c><v>1</v></c></row>`, 13) + xlsxTestSheetTail, false},
		{`<a>` + strings.Repeat("<b>", 9) + `</a>`, false},
	}
	lim := xlsxTinyLimits()
	for i, p := range parts {
		want := xlsxScanOne([]byte(p.xml), lim, func(r io.Reader) io.Reader { return r })
		if (want == nil) != p.ok {
			t.Errorf("part %d: %v", i, want)
		}
		for name, wrap := range map[string]func(io.Reader) io.Reader{"one byte": iotest.OneByteReader, "half": iotest.HalfReader, "data and EOF": iotest.DataErrReader} {
			if got := xlsxScanOne([]byte(p.xml), lim, wrap); !xlsxSameError(got, want) {
				t.Errorf("part %d read %s: %v, want %v", i, name, got, want)
			}
		}
	}
}

// TestXLSXLimitsAreExact takes each limit at and one past its value: the
// first passes and the second is refused.
func TestXLSXLimitsAreExact(t *testing.T) {
	row := func(cells string) string {
		return xlsxTestSheetHead + `<row r="3">` + cells + `</row>` + xlsxTestSheetTail
	}
	tests := []struct {
		name     string
		lim      func(*xlsxLimits)
		at, past string
		role     xlsxRole
	}{
		{"a text outside cells", func(l *xlsxLimits) { l.textRun = 10 },
			row(`<c/>`) + `0123456789`, row(`<c/>`) + `0123456789A`, roleSheet},
		{"cell characters", func(l *xlsxLimits) { l.cellChars = 10 },
			row(`<c><v>1234567890</v></c>`), row(`<c><v>12345678901</v></c>`), roleSheet},
		{"cell text with phonetic guides", func(l *xlsxLimits) { l.cellChars, l.cellText = 7, 13 },
			row(`<c t="inlineStr"><is><t>abcdefg</t><rPh><t>hij</t></rPh><rPh><t>klm</t></rPh></is></c>`),
			row(`<c t="inlineStr"><is><t>abcdefg</t><rPh><t>hij</t></rPh><rPh><t>klmn</t></rPh></is></c>`), roleSheet},
		{"cells in a row", func(l *xlsxLimits) { l.columns = 5 },
			row(strings.Repeat(`<c/>`, 5)), row(strings.Repeat(`<c/>`, 6)), roleSheet},
		{"last column", func(l *xlsxLimits) { l.columns = 5 },
			row(`<c r="E3"/>`), row(`<c r="F3"/>`), roleSheet},
		{"rows", func(l *xlsxLimits) { l.rows = 4 },
			row(``) + `<row/>`, row(``) + `<row/><row/>`, roleSheet},
		{"row number", func(l *xlsxLimits) { l.rows = 9 },
			xlsxTestSheetHead + `<row r="9"/>`, xlsxTestSheetHead + `<row r="10"/>`, roleSheet},
		{"cells", func(l *xlsxLimits) { l.cells = 10 },
			row(`<c/><c/>`), row(`<c/><c/><c/>`), roleSheet},
		{"span", func(l *xlsxLimits) { l.span = 12 },
			row(`<c r="D3"><v>1</v></c>`), row(`<c r="E3"><v>1</v></c>`), roleSheet},
		{"span of cells going backwards", func(l *xlsxLimits) { l.span = 12 },
			row(`<c r="C3"><v>1</v></c><c r="A3"><v>1</v></c>`), row(`<c r="C3"><v>1</v></c><c r="A3"><v>1</v></c><c r="A3"><f>1</f></c>`), roleSheet},
		{"shared strings", func(l *xlsxLimits) { l.strings = 7 },
			xlsxTestSSTHead + `<si/></sst>`, xlsxTestSSTHead + `<si/><si/></sst>`, roleStrings},
		{"pieces of a string", func(l *xlsxLimits) { l.cellParts = 4 },
			xlsxTestSSTHead + `<si><r><t/></r><r><t/></r></si>`, xlsxTestSSTHead + `<si><r><t/></r><r><t/></r><r/></si>`, roleStrings},
		{"elements decoded whole", func(l *xlsxLimits) { l.whole = 3 },
			`<a><b/><c/></a>`, `<a><b/><c/><d/></a>`, roleWhole},
		{"text of an element decoded whole", func(l *xlsxLimits) { l.wholeText = 6 },
			`<a>abc<!---->def</a>`, `<a>abc<!---->defg</a>`, roleWhole},
		{"depth", func(l *xlsxLimits) { l.depth = 3 },
			`<a><b><c></c></b></a>`, `<a><b><c><d></d></c></b></a>`, roleWhole},
		{"tag", func(l *xlsxLimits) { l.tag = 64 },
			`<a b="` + strings.Repeat("x", 55) + `"/>`, `<a b="` + strings.Repeat("x", 56) + `"/>`, roleWhole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := xlsxStandardLimits()
			tt.lim(&lim)
			if err := newXLSXGuard(lim).scanPart("part.xml", strings.NewReader(tt.at), tt.role, xlsxHooks{}); err != nil {
				t.Errorf("at the limit: %v", err)
			}
			if err := newXLSXGuard(lim).scanPart("part.xml", strings.NewReader(tt.past), tt.role, xlsxHooks{}); err == nil {
				t.Error("past the limit: accepted")
			}
		})
	}
}

// TestXLSXOrdinaryWorkbooksPass runs the checks on workbooks as Excel and
// excelize write them, with what a real file of figures may hold.
func TestXLSXOrdinaryWorkbooksPass(t *testing.T) {
	made := workbook(t, func(f *excelize.File, s string) {
		setRow(t, f, s, 1, "month", "direction", "category", "count", "note")
		setRow(t, f, s, 2, "2025-09", "IN-JP", "student", 143, strings.Repeat("長", 32_767))
		f.SetCellRichText(s, "E3", []excelize.RichTextRun{{Text: "bold ", Font: &excelize.Font{Bold: true}}, {Text: "plain"}})
		f.SetCellFormula(s, "D4", "SUM(D2:D3)")
		f.MergeCell(s, "F1", "G2")
		f.AddComment(s, excelize.Comment{Cell: "A1", Author: "clerk", Text: "figures of September"})
		style, _ := f.NewStyle(&excelize.Style{NumFmt: 14, Font: &excelize.Font{Color: "FF0000"}})
		f.SetCellStyle(s, "A1", "J200", style)
		f.NewSheet("Notes")
		f.SetCellValue("Notes", "A1", "see the first sheet")
	})
	pretty := xlsxTestDecl + "<worksheet " + xlsxTestNS + ">\n  <sheetData>\n" + strings.Repeat("    <row>\n      <c t=\"inlineStr\">\n        <is><t>x</t><rPh sb=\"0\" eb=\"1\"><t>エックス</t></rPh></is>\n      </c>\n    </row>\n", 100) +
		"  </sheetData>\n  <!-- written by hand -->\n</worksheet>\n"
	full := xlsxTestSheetHead + `<row r="3">` + strings.Repeat(`<c s="1"/>`, 16_383) + `<c r="XFD3"><v>1</v></c></row>` + xlsxTestSheetTail
	// A thumbnail and macros are binary parts that excelize never parses.
	binary := make([]byte, 300<<10)
	rand.New(rand.NewSource(1)).Read(binary)
	withBinary := xlsxBuild(t,
		xlsxPart{name: "_rels/.rels", body: xlsxBody(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>`)},
		xlsxPart{name: "xl/_rels/workbook.xml.rels", body: xlsxBody(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>`)},
		xlsxPart{name: "docProps/thumbnail.jpeg", body: xlsxBody("\xFF\xD8\xFF\xE0" + string(binary))},
		xlsxPart{name: "xl/vbaProject.bin", body: xlsxBody("\xD0\xCF\x11\xE0" + string(binary))})
	for name, data := range map[string][]byte{
		"with binary parts":  withBinary,
		"made by excelize":   made,
		"pretty-printed":     xlsxBuild(t, xlsxPart{name: "xl/worksheets/sheet1.xml", body: xlsxBody(pretty)}),
		"a row to XFD":       xlsxBuild(t, xlsxPart{name: "xl/worksheets/sheet1.xml", body: xlsxBody(full)}),
		"200,000 rows":       xlsxLegitWorkbook(t, 200_000),
		"XML declared utf-8": xlsxBuild(t, xlsxSheet(`<?xml version="1.0" encoding='utf-8'?>`)),
	} {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		if err := xlsxCheckParts(zr); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, recs, err := readAll(t, made, "made.xlsx"); err != nil || len(recs) != 2 {
		t.Errorf("made by excelize: %v, %d records", err, len(recs))
	}
}

// xlsxLegitWorkbook writes n rows of ten columns as Excel does: text in
// shared strings, a unique note on every row.
func xlsxLegitWorkbook(t testing.TB, n int) []byte {
	t.Helper()
	fixed := []string{"month", "direction", "category", "count", "sector", "origin", "destination", "status", "source", "note",
		"2025-09", "IN-JP", "student", "it_software", "IN-KA", "JP-13", "final", "Ministry of External Affairs"}
	sheet := func(w io.Writer) {
		io.WriteString(w, xlsxTestDecl+`<worksheet `+xlsxTestNS+`><dimension ref="A1:J`+strconv.Itoa(n+1)+`"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>`)
		io.WriteString(w, `<row r="1" spans="1:10">`)
		for c := 0; c < 10; c++ {
			fmt.Fprintf(w, `<c r="%c1" t="s"><v>%d</v></c>`, 'A'+c, c)
		}
		io.WriteString(w, `</row>`)
		for r := 2; r <= n+1; r++ {
			fmt.Fprintf(w, `<row r="%d" spans="1:10"><c r="A%d" t="s"><v>10</v></c><c r="B%d" t="s"><v>11</v></c><c r="C%d" t="s"><v>12</v></c><c r="D%d"><v>%d</v></c>`+
				`<c r="E%d" t="s"><v>13</v></c><c r="F%d" t="s"><v>14</v></c><c r="G%d" t="s"><v>15</v></c><c r="H%d" t="s"><v>16</v></c><c r="I%d" t="s"><v>17</v></c><c r="J%d" t="s"><v>%d</v></c></row>`,
				r, r, r, r, r, r%500+1, r, r, r, r, r, r, len(fixed)+r-2)
		}
		io.WriteString(w, xlsxTestSheetTail)
	}
	strs := func(w io.Writer) {
		fmt.Fprintf(w, xlsxTestDecl+`<sst `+xlsxTestNS+` count="%d" uniqueCount="%d">`, 10*(n+1), len(fixed)+n)
		for _, s := range fixed {
			fmt.Fprintf(w, `<si><t>%s</t></si>`, s)
		}
		for r := 2; r <= n+1; r++ {
			fmt.Fprintf(w, `<si><t>checked by the regional office, row %d</t></si>`, r)
		}
		io.WriteString(w, `</sst>`)
	}
	return xlsxBuild(t, xlsxPart{name: "xl/worksheets/sheet1.xml", body: sheet}, xlsxPart{name: "xl/sharedStrings.xml", body: strs})
}

// BenchmarkXLSXCheckParts measures the checks on an ordinary workbook of
// 200,000 rows; the bytes per second are of the unzipped parts.
func BenchmarkXLSXCheckParts(b *testing.B) {
	data := xlsxLegitWorkbook(b, 200_000)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, f := range zr.File {
		size += int64(f.UncompressedSize64)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := xlsxCheckParts(zr); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkXLSXUnzipOnly is the floor under BenchmarkXLSXCheckParts: only inflating the same parts.
func BenchmarkXLSXUnzipOnly(b *testing.B) {
	data := xlsxLegitWorkbook(b, 200_000)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, rc)
			rc.Close()
		}
	}
}
