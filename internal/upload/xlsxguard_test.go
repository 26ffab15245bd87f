package upload

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// xlsxPart is a part of a workbook built by a test. A part with declare set
// is stored with that size in the ZIP directory and only four bytes of data,
// as a crafted file can.
type xlsxPart struct {
	name    string
	body    func(w io.Writer)
	declare uint64
}

func xlsxBody(s string) func(io.Writer) { return func(w io.Writer) { io.WriteString(w, s) } }

// xlsxRepeat writes head, n copies of unit and tail without holding them in memory.
func xlsxRepeat(head, unit string, n int, tail string) func(io.Writer) {
	return func(w io.Writer) {
		io.WriteString(w, head)
		chunk := strings.Repeat(unit, max(1, 64<<10/len(unit)))
		per := len(chunk) / len(unit)
		for ; n >= per; n -= per {
			io.WriteString(w, chunk)
		}
		io.WriteString(w, strings.Repeat(unit, n))
		io.WriteString(w, tail)
	}
}

const (
	xlsxTestNS   = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	xlsxTestDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"
	// xlsxTestHeader is the header row and one row of figures, as Excel writes them.
	xlsxTestHeader = `<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>` +
		`<row r="2" spans="1:4"><c r="A2" t="inlineStr"><is><t>2025-09</t></is></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>5</v></c><c r="D2"><v>143</v></c></row>`
	xlsxTestSheetHead = xlsxTestDecl + `<worksheet ` + xlsxTestNS + `><dimension ref="A1:D2"/><sheetData>` + xlsxTestHeader
	xlsxTestSheetTail = `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`
	xlsxTestSSTHead   = xlsxTestDecl + `<sst ` + xlsxTestNS + ` count="6" uniqueCount="6"><si><t>month</t></si><si><t>direction</t></si><si><t>category</t></si><si><t>count</t></si><si><t>IN-JP</t></si><si><t>student</t></si>`
)

// xlsxTestBase is a small workbook like Excel's: one sheet with a header and
// a row of figures, shared strings and styles. Parts given to xlsxBuild
// replace these by name or are added.
func xlsxTestBase() []xlsxPart {
	return []xlsxPart{
		{name: "[Content_Types].xml", body: xlsxBody(xlsxTestDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)},
		{name: "_rels/.rels", body: xlsxBody(xlsxTestDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{name: "xl/workbook.xml", body: xlsxBody(xlsxTestDecl + `<workbook ` + xlsxTestNS + `><workbookPr/><sheets><sheet name="Figures" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{name: "xl/_rels/workbook.xml.rels", body: xlsxBody(xlsxTestDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)},
		{name: "xl/styles.xml", body: xlsxBody(xlsxTestDecl + `<styleSheet ` + xlsxTestNS + `><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs></styleSheet>`)},
		{name: "xl/sharedStrings.xml", body: xlsxBody(xlsxTestSSTHead + `</sst>`)},
		{name: "xl/worksheets/sheet1.xml", body: xlsxBody(xlsxTestSheetHead + xlsxTestSheetTail)},
	}
}

// xlsxSheet is a sheet part holding the test header, then rows.
func xlsxSheet(rows string) xlsxPart {
	return xlsxPart{name: "xl/worksheets/sheet1.xml", body: xlsxBody(xlsxTestSheetHead + rows + xlsxTestSheetTail)}
}

// xlsxSheetRepeat is a sheet holding the test header, then n copies of unit between head and tail.
func xlsxSheetRepeat(head, unit string, n int, tail string) xlsxPart {
	return xlsxPart{name: "xl/worksheets/sheet1.xml", body: xlsxRepeat(xlsxTestSheetHead+head, unit, n, tail+xlsxTestSheetTail)}
}

// xlsxStrings is a shared strings part holding the test's strings, then n copies of unit.
func xlsxStrings(unit string, n int) xlsxPart {
	return xlsxPart{name: "xl/sharedStrings.xml", body: xlsxRepeat(xlsxTestSSTHead, unit, n, `</sst>`)}
}

// xlsxBuild zips the test base with parts replacing or added to it.
func xlsxBuild(t testing.TB, parts ...xlsxPart) []byte {
	t.Helper()
	all := xlsxTestBase()
	for _, p := range parts {
		replaced := false
		for i := range all {
			if all[i].name == p.name {
				all[i], replaced = p, true
			}
		}
		if !replaced {
			all = append(all, p)
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range all {
		var w io.Writer
		var err error
		if p.declare > 0 {
			w, err = zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Store, CompressedSize64: 4, UncompressedSize64: p.declare})
			io.WriteString(w, "1234")
		} else if w, err = zw.Create(p.name); err == nil {
			p.body(w)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// xlsxRefusal opens data and returns the message of the *FileError it must give.
func xlsxRefusal(t testing.TB, data []byte) string {
	t.Helper()
	r, err := Open(bytes.NewReader(data), "upload.xlsx")
	if err == nil {
		r.Close()
		t.Fatal("the workbook was accepted")
	}
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("error %T %v, want a *FileError", err, err)
	}
	return fe.Msg.String()
}

func TestXLSXBaseIsRead(t *testing.T) {
	_, recs, err := readAll(t, xlsxBuild(t), "base.xlsx")
	if err != nil || len(recs) != 1 || recs[0] != recordOf(2, "2025-09", "IN-JP", "student", "143") {
		t.Fatalf("%v %+v", err, recs)
	}
}

// TestXLSXBombs refuses workbooks that would make excelize use gigabytes or
// minutes, each with a message that says what to do.
func TestXLSXBombs(t *testing.T) {
	long := strings.Repeat("x", 32_768)
	cells := func(n int, unit string) xlsxPart { return xlsxSheetRepeat(`<row r="3">`, unit, n, `</row>`) }
	tests := []struct {
		name  string
		parts []xlsxPart
		want  string
	}{
		{"shared strings declared as 500 MB", []xlsxPart{{name: "xl/sharedStrings.xml", declare: 500 << 20}}, "more than 200 MB once unpacked"},
		{"shared strings declared as 150 MB", []xlsxPart{{name: "xl/sharedStrings.xml", declare: 150 << 20}}, "its texts take more than 100 MB"},
		{"a sheet declared as 1 GB", []xlsxPart{{name: "xl/worksheets/sheet1.xml", declare: 1 << 30}}, "more than 200 MB once unpacked"},
		{"10,001 parts", xlsxManyParts(10_001), "more than 10,000 parts"},
		{"a million and one empty shared strings", []xlsxPart{xlsxStrings(`<si><t/></si>`, 1_000_000)}, "more than 1,000,000 different texts"},
		{"a shared string of 32,768 characters", []xlsxPart{xlsxStrings(`<si><t>`+long+`</t></si>`, 1)}, "shares between cells holds more than 32,767 characters"},
		{"a shared string of two runs of 20,000", []xlsxPart{xlsxStrings(`<si><r><t>`+long[:20_000]+`</t></r><r><t>`+long[:20_000]+`</t></r></si>`, 1)}, "more than 32,767 characters"},
		{"a shared string of 20,000 runs", []xlsxPart{xlsxStrings(`<si>`+strings.Repeat(`<r><t/></r>`, 20_000)+`</si>`, 1)}, "more than 32,768 differently formatted pieces"},
		{"an inline cell of 32,768 characters", []xlsxPart{xlsxSheet(`<row r="3"><c r="B3" t="inlineStr"><is><t>` + long + `</t></is></c></row>`)}, "Cell B3 of the sheet holds more than 32,767 characters"},
		{"a value of 32,768 digits", []xlsxPart{xlsxSheet(`<row r="3"><c r="A3"><v>` + strings.Repeat("9", 32_768) + `</v></c></row>`)}, "Cell A3 of the sheet holds more than"},
		{"a value cut up by comments", []xlsxPart{xlsxSheet(`<row r="3"><c r="A3"><v>` + strings.Repeat(long[:1000]+"<!---->", 33) + `</v></c></row>`)}, "Cell A3 of the sheet holds more than"},
		{"a value in CDATA", []xlsxPart{xlsxSheet(`<row r="3"><c r="A3" t="str"><v><![CDATA[` + long + `]]></v></c></row>`)}, "Cell A3 of the sheet holds more than"},
		{"entities count", []xlsxPart{xlsxSheet(`<row r="3"><c r="A3" t="str"><v>` + strings.Repeat("&#x1F600;", 16_384) + `</v></c></row>`)}, "Cell A3 of the sheet holds more than"},
		{"a text of 1 MB between rows", []xlsxPart{xlsxSheetRepeat(`<row r="3"/>`, "x", 1<<20+1, `<row r="4"/>`)}, "a text of more than 1,048,576 characters outside any cell"},
		{"a row of 16,385 empty cells", []xlsxPart{cells(16_385, `<c/>`)}, "Row 3 of the sheet has more than 16,384 cells"},
		{"a cell past column XFD", []xlsxPart{xlsxSheet(`<row r="3"><c r="XFE3"><v>1</v></c></row>`)}, "Row 3 of the sheet has more than 16,384 cells"},
		{"a row of 2,000,000 cells", []xlsxPart{cells(2_000_000, `<c><v>1</v></c>`)}, "Row 3 of the sheet has more than 16,384 cells"},
		{"1,048,577 rows", []xlsxPart{xlsxSheetRepeat("", `<row/>`, 1_048_575, "")}, "more than 1,048,576 rows"},
		{"row number 1,048,577", []xlsxPart{xlsxSheet(`<row r="1048577"><c><v>1</v></c></row>`)}, "more than 1,048,576 rows"},
		{"a value at XFD on 1,900 rows", []xlsxPart{xlsxSheetRepeat("", `<row><c r="XFD1"><v>1</v></c></row>`, 1_900, "")}, "reaches column XFD"},
		{"300,001 styles", []xlsxPart{{name: "xl/styles.xml", body: xlsxRepeat(`<styleSheet `+xlsxTestNS+`><cellXfs>`, `<xf/>`, 300_001, `</cellXfs></styleSheet>`)}}, "too many formulas, styles or other settings besides the figures (in its part xl/styles.xml)"},
		{"300,001 formulas in the calculation chain", []xlsxPart{{name: "xl/calcChain.xml", body: xlsxRepeat(`<calcChain `+xlsxTestNS+`>`, `<c r="A1" i="1"/>`, 300_001, `</calcChain>`)}}, "(in its part xl/calcChain.xml)"},
		{"a workbook part under another name", xlsxRenamedBook(xlsxRepeat(`<workbook `+xlsxTestNS+`><sheets><sheet name="Figures" sheetId="1" r:id="rId1"/></sheets><definedNames>`, `<definedName name="x">A1</definedName>`, 300_001, `</definedNames></workbook>`)), "(in its part data/book.xml)"},
		{"a sheet under another name", xlsxRenamedSheet(`/data/s.xml`, "data/s.xml", xlsxRepeat(xlsxTestSheetHead+`<row r="3">`, `<c/>`, 16_385, `</row>`+xlsxTestSheetTail)), "Row 3 of the sheet has more than 16,384 cells"},
		{"rows hidden from a naive scan by a comment", []xlsxPart{xlsxSheetRepeat(`<!-- </sheetData> --><row r="3" x='a>b'>`, `<c/>`, 16_385, `</row>`)}, "Row 3 of the sheet has more than 16,384 cells"},
		{"elements nested 65 deep", []xlsxPart{xlsxSheet(`<row r="3"><c r="A3"><is>` + strings.Repeat("<r>", 62) + strings.Repeat("</r>", 62) + `</is></c></row>`)}, "elements nested more than 64 deep"},
		{"a tag of 200 KB", []xlsxPart{xlsxSheet(`<row r="3" x="` + strings.Repeat("y", 200<<10) + `"/>`)}, "a tag longer than 131,072 bytes"},
		{"a comment of 200 KB", []xlsxPart{xlsxSheet(`<!--` + strings.Repeat("y", 200<<10) + `-->`)}, "a tag longer than 131,072 bytes"},
		{"a document type declaration", []xlsxPart{{name: "xl/styles.xml", body: xlsxBody(`<!DOCTYPE x [<!ENTITY a "aaaa">]><styleSheet/>`)}}, "a document type declaration"},
		{"a sheet in UTF-16", []xlsxPart{{name: "xl/worksheets/sheet1.xml", body: xlsxBody(`<?xml version="1.0" encoding="UTF-16"?>` + "\x00<\x00w\x00o\x00r\x00k")}}, `written in the text encoding "UTF-16"`},
		{"a second declaration switching encoding", []xlsxPart{xlsxSheet(`<?xml version="1.0" encoding='iso-2022-jp'?>`)}, `text encoding "iso-2022-jp"`},
		{"damaged compressed data", []xlsxPart{{name: "xl/worksheets/sheet1.xml", declare: 4 << 20}}, "is damaged or was not saved by Excel: its part xl/worksheets/sheet1.xml has an error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := xlsxRefusal(t, xlsxBuild(t, tt.parts...))
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q\nwant it to contain %q", msg, tt.want)
			}
			if !strings.Contains(msg, "CSV UTF-8") {
				t.Errorf("message %q does not say the file can be saved as CSV UTF-8", msg)
			}
		})
	}
}

func xlsxManyParts(n int) []xlsxPart {
	parts := make([]xlsxPart, n)
	for i := range parts {
		parts[i] = xlsxPart{name: fmt.Sprintf("xl/media/p%d.bin", i), body: xlsxBody("")}
	}
	return parts
}

// xlsxRenamedBook moves the workbook to data/book.xml, as the package's relationships may.
func xlsxRenamedBook(body func(io.Writer)) []xlsxPart {
	return []xlsxPart{
		{name: "_rels/.rels", body: xlsxBody(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/data/book.xml"/></Relationships>`)},
		{name: "data/book.xml", body: body},
		{name: "data/_rels/book.xml.rels", body: xlsxBody(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="../xl/worksheets/sheet1.xml"/></Relationships>`)},
	}
}

// xlsxRenamedSheet points the workbook's first sheet at another part.
func xlsxRenamedSheet(target, name string, body func(io.Writer)) []xlsxPart {
	return []xlsxPart{
		{name: "xl/_rels/workbook.xml.rels", body: xlsxBody(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="` + target + `"/></Relationships>`)},
		{name: name, body: body},
	}
}

// TestXLSXBombsRefusedCheaply shows that refusing a bomb costs about the same
// whatever its size: the checks stop at the first count over a limit, and
// keep nothing of what they read. Without them excelize would take seconds
// and hundreds of megabytes on each of these.
func TestXLSXBombsRefusedCheaply(t *testing.T) {
	bombs := []struct {
		name string
		part xlsxPart
	}{
		{"50 MB of empty shared strings", xlsxStrings(`<si><t/></si>`, 50<<20/12)},
		{"a cell of 50 MB", xlsxSheetRepeat(`<row r="3"><c r="A3" t="inlineStr"><is><t>`, "x", 50<<20, `</t></is></c></row>`)},
		{"a row of 4,000,000 empty cells", xlsxSheetRepeat(`<row r="3">`, `<c/>`, 4_000_000, `</row>`)},
		{"a value at column XFD on each of 200,000 rows", xlsxSheetRepeat("", `<row><c r="XFD1"><v>1</v></c></row>`, 200_000, "")},
	}
	for _, b := range bombs {
		t.Run(b.name, func(t *testing.T) {
			data := xlsxBuild(t, b.part)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			xlsxRefusal(t, data)
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d KB zipped: refused in %v after allocating %d KB", len(data)>>10, took, alloc>>10)
			if alloc > 2<<20 {
				t.Errorf("refusing it allocated %d KB, want under 2 MB", alloc>>10)
			}
			if took > raceSlowdown*time.Second {
				t.Errorf("refusing it took %v, want well under a second", took)
			}
		})
	}
}
