package upload

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// encode encodes UTF-8 text with enc, the way another program would have written it.
func encode(t testing.TB, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding test input: %v", err)
	}
	return b
}

var (
	utf16LE = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM) // writes a BOM
	utf16BE = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
)

// readAll opens data and reads every row; err is the first error other than io.EOF.
func readAll(t testing.TB, data []byte, name string) (*Reader, []Record, error) {
	t.Helper()
	r, err := Open(bytes.NewReader(data), name)
	if err != nil {
		return nil, nil, err
	}
	t.Cleanup(func() { r.Close() })
	recs, err := readRest(r)
	return r, recs, err
}

func readRest(r *Reader) ([]Record, error) {
	var recs []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}

// recordOf builds a Record from its line and the first values in column order.
func recordOf(line int, vals ...string) Record {
	rec := Record{Line: line}
	copy(rec.Values[:], vals)
	return rec
}

// basicCSV is the data every encoding and line-ending case carries.
const basicCSV = "month,direction,category,count\n2025-09,IN-JP,student,143\n2025-09,JP-IN,business,156\n"

var basicRecs = []Record{
	recordOf(2, "2025-09", "IN-JP", "student", "143"),
	recordOf(3, "2025-09", "JP-IN", "business", "156"),
}

func TestReaderCSV(t *testing.T) {
	jaHeader := "月,方向,区分,人数,出典\r\n2025-09,IN-JP,ssw,37,インド技能開発省\r\n2025-09,JP-IN,student,27,表示テスト\r\n"
	jaRecs := []Record{
		recordOf(2, "2025-09", "IN-JP", "ssw", "37", "", "", "", "", "インド技能開発省"),
		recordOf(3, "2025-09", "JP-IN", "student", "27", "", "", "", "", "表示テスト"),
	}
	tests := []struct {
		name    string
		data    []byte
		format  string
		want    []Record
		cols    []Column
		issues  []string // substrings of the issues, in order
		issueAt []int    // their lines
	}{
		{name: "utf-8 LF", data: []byte(basicCSV), format: "CSV, UTF-8, comma-separated", want: basicRecs,
			cols: []Column{Month, Direction, Category, Count}},
		{name: "utf-8 BOM", data: append([]byte("\xEF\xBB\xBF"), basicCSV...), format: "CSV, UTF-8 with BOM, comma-separated", want: basicRecs},
		{name: "CRLF", data: []byte(strings.ReplaceAll(basicCSV, "\n", "\r\n")), want: basicRecs},
		{name: "lone CR (old Mac)", data: []byte(strings.ReplaceAll(basicCSV, "\n", "\r")), want: basicRecs},
		{name: "BOM and lone CR", data: []byte("\xEF\xBB\xBF" + strings.ReplaceAll(basicCSV, "\n", "\r")), want: basicRecs},
		{name: "mixed line ends, no final newline", data: []byte("month,direction,category,count\r2025-09,IN-JP,student,143\r\n2025-09,JP-IN,business,156"), want: basicRecs},
		{name: "semicolon", data: []byte("month;direction;category;count\n2025-09;IN-JP;student;1,143\n"), format: "CSV, UTF-8, semicolon-separated",
			want: []Record{recordOf(2, "2025-09", "IN-JP", "student", "1,143")}},
		{name: "tab", data: []byte("month\tdirection\tcategory\tcount\tnote\n2025-09\tIN-JP\tstudent\t143\ta, b; c\n"), format: "CSV, UTF-8, tab-separated",
			want: []Record{recordOf(2, "2025-09", "IN-JP", "student", "143", "", "", "", "", "", "a, b; c")}},
		{name: "semicolon in quoted header cell does not count", data: []byte("\"month;x\",direction,category,count,month\n2025-09,IN-JP,student,1,2025-10\n"),
			format: "CSV, UTF-8, comma-separated", want: []Record{recordOf(2, "2025-10", "IN-JP", "student", "1")},
			issues: []string{`unknown column "month;x" was ignored; the columns are month, direction, category, count, sector, origin, destination, status, source, note`}, issueAt: []int{1}},
		{name: "UTF-16LE with BOM", data: encode(t, utf16LE, jaHeader), format: "CSV, UTF-16LE, comma-separated", want: jaRecs,
			cols: []Column{Month, Direction, Category, Count, Source}},
		{name: "UTF-16BE with BOM", data: encode(t, utf16BE, jaHeader), format: "CSV, UTF-16BE, comma-separated", want: jaRecs},
		{name: "UTF-16LE tab-separated (Excel's Unicode text)", data: encode(t, utf16LE, strings.ReplaceAll(jaHeader, ",", "\t")),
			format: "CSV, UTF-16LE, tab-separated", want: jaRecs},
		{name: "Shift_JIS", data: encode(t, japanese.ShiftJIS, jaHeader), format: "CSV, Shift_JIS, comma-separated", want: jaRecs},
		{name: "Japanese headers in UTF-8", data: []byte(jaHeader), format: "CSV, UTF-8, comma-separated", want: jaRecs},
		{name: "header case, spaces, order, full-width letters",
			data:   []byte(" COUNT ,\tMonth,ｃａｔｅｇｏｒｙ, Direction　,Status\n143,2025-09,student,IN-JP,final\n"),
			want:   []Record{recordOf(2, "2025-09", "IN-JP", "student", "143", "", "", "", "final")},
			cols:   []Column{Count, Month, Category, Direction, Status},
			format: "CSV, UTF-8, comma-separated"},
		{name: "all ten columns",
			data: []byte("month,direction,category,count,sector,origin,destination,status,source,note\n2025-09,IN-JP,engineer,412,it_software,IN-KA,JP-13,final,ISA Japan,n\n"),
			want: []Record{recordOf(2, "2025-09", "IN-JP", "engineer", "412", "it_software", "IN-KA", "JP-13", "final", "ISA Japan", "n")}},
		{name: "quoted cells with separators, quotes and newlines",
			data: []byte("month,direction,category,count,note\n" +
				"2025-09,IN-JP,student,\"1,143\",\"said \"\"hi\"\"\"\n" +
				"2025-09,IN-JP,ssw,5,\"two\nlines\"\n" +
				"2025-09,IN-JP,titp,6,\"three\r\nlines\r\nhere\"\r\n" +
				"2025-10,JP-IN,business,7,\n"),
			want: []Record{
				recordOf(2, "2025-09", "IN-JP", "student", "1,143", "", "", "", "", "", `said "hi"`),
				recordOf(3, "2025-09", "IN-JP", "ssw", "5", "", "", "", "", "", "two\nlines"),
				recordOf(5, "2025-09", "IN-JP", "titp", "6", "", "", "", "", "", "three\nlines\nhere"),
				recordOf(8, "2025-10", "JP-IN", "business", "7"),
			}},
		{name: "empty lines and rows of empty cells are skipped, lines still count",
			data: []byte("\n\n month,direction,category,count\n\n,,,\n  , ,\t,\n2025-09,IN-JP,student,143\n\r\n2025-09,JP-IN,business,156\n,,,\n"),
			want: []Record{recordOf(7, "2025-09", "IN-JP", "student", "143"), recordOf(9, "2025-09", "JP-IN", "business", "156")}},
		{name: "short rows leave the rest empty",
			data: []byte("month,direction,category,count,note\n2025-09,IN-JP\n2025-09\n"),
			want: []Record{recordOf(2, "2025-09", "IN-JP"), recordOf(3, "2025-09")}},
		{name: "more cells than the header",
			data:   []byte("month,direction,category,count\n2025-09,IN-JP,student,143,,\n2025-09,IN-JP,ssw,4,oops,\n2025-09,IN-JP,titp,5, \n"),
			want:   []Record{recordOf(2, "2025-09", "IN-JP", "student", "143"), recordOf(3, "2025-09", "IN-JP", "ssw", "4"), recordOf(4, "2025-09", "IN-JP", "titp", "5")},
			issues: []string{"line 3 has more cells than the header has columns (4); the extra cells were ignored"}, issueAt: []int{3}},
		{name: "unknown columns are a warning each and ignored",
			data:    []byte("month,direction,Region,category,count,foo\n2025-09,IN-JP,KA,student,143,x\n"),
			want:    []Record{recordOf(2, "2025-09", "IN-JP", "student", "143")},
			cols:    []Column{Month, Direction, Category, Count},
			issues:  []string{`unknown column "Region" was ignored`, `unknown column "foo" was ignored`},
			issueAt: []int{1, 1}},
		{name: "a column without a header is ignored, said once",
			data:    []byte("month,direction,category,count,,\n2025-09,IN-JP,student,143,,\n2025-09,IN-JP,ssw,4,x,\n2025-09,IN-JP,titp,5,y,z\n"),
			want:    []Record{recordOf(2, "2025-09", "IN-JP", "student", "143"), recordOf(3, "2025-09", "IN-JP", "ssw", "4"), recordOf(4, "2025-09", "IN-JP", "titp", "5")},
			issues:  []string{"column 5 has no header", "column 6 has no header"},
			issueAt: []int{3, 4}},
		{name: "bare quote skips the row, reading goes on",
			data:    []byte("month,direction,category,count,note\n2025-09,IN-JP,student,143,5\" screen\n2025-09,JP-IN,business,156,\n"),
			want:    []Record{recordOf(3, "2025-09", "JP-IN", "business", "156")},
			issues:  []string{`a quote (") stands inside a cell that does not start with one (line 2, character 28)`},
			issueAt: []int{2}},
		{name: "extra quote after a quoted cell skips the row",
			data:    []byte("month,direction,category,count,note\n2025-09,IN-JP,student,143,\"a\"b\n2025-09,JP-IN,business,156,\n"),
			want:    []Record{recordOf(3, "2025-09", "JP-IN", "business", "156")},
			issues:  []string{"a quoted cell is not closed properly at character 29"},
			issueAt: []int{2}},
		{name: "quote never closed swallows the rest, said with the lines",
			data:    []byte("month,direction,category,count,note\n2025-09,IN-JP,student,143,\n2025-09,IN-JP,ssw,4,\"open\n2025-09,JP-IN,business,156,\n2025-10,JP-IN,business,1,\n"),
			want:    []Record{recordOf(2, "2025-09", "IN-JP", "student", "143")},
			issues:  []string{"lines 3 to 5 were read as one row"},
			issueAt: []int{3}},
		{name: "header only", data: []byte("month,direction,category,count\r\n"), want: nil},
		{name: "header only without newline", data: []byte("month,direction,category,count"), want: nil},
		{name: "named .xlsx but CSV text", data: []byte(basicCSV), format: "CSV, UTF-8, comma-separated", want: basicRecs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "upload.csv"
			if strings.Contains(tt.name, ".xlsx") {
				name = "upload.xlsx"
			}
			r, got, err := readAll(t, tt.data, name)
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if tt.format != "" && r.Format().String() != tt.format {
				t.Errorf("Format() = %q, want %q", r.Format(), tt.format)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d records %+v, want %d %+v", len(got), got, len(tt.want), tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("record %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
			if tt.cols != nil && fmt.Sprint(r.Columns()) != fmt.Sprint(tt.cols) {
				t.Errorf("Columns() = %v, want %v", r.Columns(), tt.cols)
			}
			issues := r.Issues()
			if len(issues) != len(tt.issues) {
				t.Fatalf("issues %q, want %q", issues, tt.issues)
			}
			for i, is := range issues {
				if !strings.Contains(is.Msg.String(), tt.issues[i]) || is.Line != tt.issueAt[i] {
					t.Errorf("issue %d = line %d %q, want line %d %q", i, is.Line, is.Msg.String(), tt.issueAt[i], tt.issues[i])
				}
			}
			if _, err := r.Next(); err != io.EOF {
				t.Errorf("Next after the end = %v, want io.EOF", err)
			}
		})
	}
}

func TestReaderUnknownColumnIssue(t *testing.T) {
	r, _, err := readAll(t, []byte(" month,direction,category,count, Foo Bar \n"), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	type issue struct {
		Line                   int
		Column, Value, Message string
	}
	want := issue{Line: 1, Column: "Foo Bar", Value: "Foo Bar",
		Message: `unknown column "Foo Bar" was ignored; the columns are month, direction, category, count, sector, origin, destination, status, source, note`}
	if is := r.Issues(); len(is) != 1 || (issue{is[0].Line, is[0].Column, is[0].Value, is[0].Msg.String()}) != want {
		t.Errorf("Issues() = %#v, want %#v", is, want)
	}
}

func TestReaderFileErrors(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	junk := make([]byte, 4096)
	rng.Read(junk)
	junk[100], junk[2000] = 0, 0

	var notWorkbook bytes.Buffer
	zw := zip.NewWriter(&notWorkbook)
	w, _ := zw.Create("figures/2025-09.csv")
	w.Write([]byte(basicCSV))
	zw.Close()

	var ods bytes.Buffer
	zw = zip.NewWriter(&ods)
	zw.Create("mimetype")
	zw.Create("content.xml")
	zw.Close()

	// ZIP directories that declare more than they hold: excelize would allocate it.
	bomb := func(name string, size uint64) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("xl/workbook.xml")
		w.Write([]byte("<workbook/>"))
		w, _ = zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CompressedSize64: 4, UncompressedSize64: size})
		w.Write([]byte("1234"))
		zw.Close()
		return buf.Bytes()
	}

	latin1 := []byte("month,direction,category,count,source\n2025-09,IN-JP,student,1,Caf\xE9\xFF\n")
	tests := []struct {
		name string
		data []byte
		want string // substring of the message
	}{
		{"zero bytes", nil, "The file is empty"},
		{"only whitespace", []byte(" \r\n\n\t \n"), "The file is empty"},
		{"only a BOM", []byte("\xEF\xBB\xBF"), "The file is empty"},
		{"only a BOM and newlines", []byte("\xEF\xBB\xBF\r\n\r\n"), "The file is empty"},
		{"UTF-16 BOM only", []byte("\xFF\xFE"), "The file is empty"},
		{"only empty cells", []byte(",,,\n , ,\n"), "The file is empty"},
		{"missing one required column", []byte("month,direction,count\n2025-09,IN-JP,1\n"),
			`missing the required column "category". The header (line 1) has: "month", "direction", "count"`},
		{"missing several", []byte("Monat;Richtung;Kategorie;Anzahl\n"),
			`missing the required columns "month", "direction", "category", "count". The header (line 1) has: "Monat", "Richtung", "Kategorie", "Anzahl"`},
		{"data without a header", []byte("2025-09,IN-JP,student,143\n"), `The header (line 1) has: "2025-09", "IN-JP", "student", "143"`},
		{"duplicate column", []byte("month,direction,category,count,Count\n"), `The column "count" appears twice in the header (columns 4 and 5)`},
		{"duplicate across languages", []byte("month,direction,category,count,月\n"), `The column "month" appears twice`},
		{"header with a bare quote", []byte("month,dir\"ection,category,count\n"), "The header on line 1 cannot be read"},
		{"random bytes with NULs", junk, "binary data"},
		{"NUL in text", []byte(basicCSV + "2025-09,IN-JP,x,1\x00\n"), "binary data (a NUL byte on line 4)"},
		{"control character", []byte(basicCSV + "\x01\x02\x03"), "control character 0x01 on line 4"},
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "This is a PNG image"},
		{"PDF", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), "This is a PDF document"},
		{"HTML saved as .xls", []byte("<html><body><table><tr><td>month</td></tr></table></body></html>"), "web page"},
		{"ZIP that is not a workbook", notWorkbook.Bytes(), "This is a ZIP archive, not an Excel workbook (.xlsx)"},
		{"empty ZIP", []byte("PK\x05\x06" + strings.Repeat("\x00", 18)), "This is a ZIP archive, not an Excel workbook (.xlsx)"},
		{"OpenDocument", ods.Bytes(), "OpenDocument"},
		{"declared 3 GB sheet", bomb("xl/worksheets/sheet1.xml", 3<<30), "too large"},
		{"declared 200 MB styles", bomb("xl/styles.xml", 200<<20), "too large"},
		{"damaged ZIP", []byte("PK\x03\x04 this is not really a zip file"), "damaged"},
		{"old .xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...), "save it as an Excel Workbook (.xlsx)"},
		{"neither UTF-8 nor Shift_JIS", latin1, "line 2 is not valid UTF-8, and line 2 is not valid Shift_JIS"},
		{"UTF-8 BOM then invalid bytes", []byte("\xEF\xBB\xBF" + basicCSV + "\xC3\x28\n"), "UTF-8 byte order mark, but line 4 is not valid UTF-8"},
		{"replacement character", []byte(basicCSV + "2025-09,IN-JP,student,1,Caf\uFFFD\n"), "Line 4 contains the replacement character"},
		{"UTF-16LE with a lone surrogate", append(encode(t, utf16LE, basicCSV), 0x00, 0xD8, 'x', 0), "line 4 is not valid UTF-16LE"},
		{"UTF-16LE odd length", append(encode(t, utf16LE, basicCSV), 'x'), "not valid UTF-16LE"},
		{"UTF-16 without a BOM", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), basicCSV), "UTF-16 text without a byte order mark"},
		{"UTF-32", append([]byte{0xFF, 0xFE, 0, 0}, "m\x00\x00\x00"...), "UTF-32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(bytes.NewReader(tt.data), "upload.csv")
			var fe *FileError
			if !errors.As(err, &fe) {
				if r != nil {
					recs, _ := readRest(r)
					t.Fatalf("Open gave %v and %d records %+v, want a *FileError", err, len(recs), recs)
				}
				t.Fatalf("Open gave %v, want a *FileError", err)
			}
			if !strings.Contains(fe.Msg.String(), tt.want) {
				t.Errorf("message %q\nwant it to contain %q", fe.Msg.String(), tt.want)
			}
		})
	}
}

// TestReaderLongInput checks that chunked scanning and decoding keep
// multi-byte characters and line ends whole across the chunk boundaries.
func TestReaderLongInput(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("月,方向,区分,人数,出典\r\n")
	const n = 20000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "2025-09,IN-JP,ssw,%d,インド技能開発省 %d\r", i, i) // lone CR
	}
	text := sb.String()
	for _, tc := range []struct {
		enc    encoding.Encoding
		format string
	}{
		{encoding.Nop, "CSV, UTF-8, comma-separated"},
		{japanese.ShiftJIS, "CSV, Shift_JIS, comma-separated"},
		{utf16BE, "CSV, UTF-16BE, comma-separated"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			r, recs, err := readAll(t, encode(t, tc.enc, text), "long.csv")
			if err != nil {
				t.Fatal(err)
			}
			if r.Format().String() != tc.format || len(recs) != n {
				t.Fatalf("format %q, %d records; want %q, %d", r.Format(), len(recs), tc.format, n)
			}
			for i, rec := range recs {
				if want := recordOf(i+2, "2025-09", "IN-JP", "ssw", fmt.Sprint(i), "", "", "", "", fmt.Sprintf("インド技能開発省 %d", i)); rec != want {
					t.Fatalf("record %d = %+v, want %+v", i, rec, want)
				}
			}
		})
	}
}

func TestReaderLineTooLong(t *testing.T) {
	long := strings.Repeat("x", maxLine+10)
	_, err := Open(bytes.NewReader([]byte(long)), "x.csv")
	var fe *FileError
	if !errors.As(err, &fe) || !strings.HasPrefix(fe.Msg.String(), "Line 1 is longer than 1 MB") {
		t.Errorf("Open: %v", err)
	}
	_, recs, err := readAll(t, []byte(basicCSV+"2025-09,IN-JP,student,1,"+long+"\n2025-09,IN-JP,student,1\n"), "x.csv")
	if !errors.As(err, &fe) || !strings.HasPrefix(fe.Msg.String(), "Line 4 is longer than 1 MB") || len(recs) != 2 {
		t.Errorf("%d records, %v", len(recs), err)
	}
	// Long but not too long: a quoted cell over many lines is fine.
	cell := strings.Repeat("y\n", maxLine/2)
	_, recs, err = readAll(t, []byte("month,direction,category,count,note\n2025-09,IN-JP,a,1,\""+cell+"\"\n2025-09,IN-JP,b,2,\n"), "x.csv")
	if err != nil || len(recs) != 2 || recs[1].Line != 3+maxLine/2 {
		t.Errorf("%d records, %v", len(recs), err)
	}
}

// withRowLimit opens data with a lower row limit than MaxRows.
func withRowLimit(t *testing.T, data []byte, limit int) *Reader {
	t.Helper()
	r, err := Open(bytes.NewReader(data), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	r.maxRows = limit
	return r
}

func TestReaderRowLimit(t *testing.T) {
	data := []byte("month,direction,category,count\n" + strings.Repeat("2025-09,IN-JP,student,1\n\n,,,\n", 5))
	r := withRowLimit(t, data, 3)
	recs, err := readRest(r)
	var fe *FileError
	if len(recs) != 3 || !errors.As(err, &fe) || fe.Msg.String() != "The file has more than 3 rows; split it into smaller files." {
		t.Fatalf("got %d records and %v", len(recs), err)
	}
	if _, err2 := r.Next(); err2 != err {
		t.Errorf("Next after the limit = %v, want the same error again", err2)
	}
	// Empty lines do not count toward the limit; exactly the limit is fine.
	r = withRowLimit(t, data, 5)
	if recs, err := readRest(r); len(recs) != 5 || err != nil {
		t.Fatalf("got %d records and %v, want 5 and none", len(recs), err)
	}
	if got := fmt.Sprintf("The file has more than %s rows; split it into smaller files.", thousands(MaxRows)); got != "The file has more than 1,000,000 rows; split it into smaller files." {
		t.Errorf("the real limit reads %q", got)
	}
}

func TestReaderIssueCap(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("month,direction,category,count\n")
	for i := 0; i < maxIssues+50; i++ {
		sb.WriteString("2025-09,IN-JP,student,1,extra\n")
	}
	r, recs, err := readAll(t, []byte(sb.String()), "x.csv")
	if err != nil || len(recs) != maxIssues+50 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	is := r.Issues()
	if len(is) != maxIssues+1 {
		t.Fatalf("%d issues, want %d", len(is), maxIssues+1)
	}
	if last := is[len(is)-1]; last.Line != maxIssues+2 || last.Msg.String() != "50 more problems from here on are not listed" {
		t.Errorf("last issue %+v", last)
	}
}

func TestReaderSamples(t *testing.T) {
	read := func(name string) (*Reader, []Record) {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		r, recs, err := readAll(t, data, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(r.Issues()) != 0 {
			t.Errorf("%s: issues %v", name, r.Issues())
		}
		return r, recs
	}
	ru, utf := read("2025-09.csv")
	rs, sjis := read("2025-09-shift_jis.csv")
	if ru.Format().String() != "CSV, UTF-8, comma-separated" || rs.Format().String() != "CSV, Shift_JIS, comma-separated" {
		t.Errorf("formats %q and %q", ru.Format(), rs.Format())
	}
	if len(utf) != 10 || len(sjis) != 10 {
		t.Fatalf("%d and %d records, want 10 each", len(utf), len(sjis))
	}
	wantSource := []string{"出入国在留管理庁", "出入国在留管理庁", "インド外務省", "インド外務省", "インド技能開発省",
		"日本学生支援機構", "外務省", "外務省", "外務省", "インド外務省"}
	for i := range utf {
		a, b := utf[i], sjis[i]
		if b.Values[Source] != wantSource[i] {
			t.Errorf("Shift_JIS record %d source %q, want %q", i, b.Values[Source], wantSource[i])
		}
		a.Values[Source], a.Values[Note], b.Values[Source], b.Values[Note] = "", "", "", ""
		if a != b {
			t.Errorf("record %d: UTF-8 %+v, Shift_JIS %+v", i, a, b)
		}
	}
	if sjis[3].Values[Note] != "確定値待ち" || sjis[8].Values[Note] != "Nihongo Partners" {
		t.Errorf("Shift_JIS notes %q, %q", sjis[3].Values[Note], sjis[8].Values[Note])
	}
	_, errs := read("2025-09-errors.csv")
	if len(errs) != 5 || errs[3] != recordOf(5, "2025-09", "IN-JP", "ssw", "-4", "", "IN-KA") {
		t.Errorf("errors sample: %+v", errs)
	}
}

// workbook builds an XLSX file in memory.
func workbook(t testing.TB, build func(f *excelize.File, sheet string)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Figures"); err != nil {
		t.Fatal(err)
	}
	build(f, "Figures")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func setRow(t testing.TB, f *excelize.File, sheet string, row int, vals ...any) {
	t.Helper()
	cell, _ := excelize.CoordinatesToCellName(1, row)
	if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
		t.Fatal(err)
	}
}

func TestReaderXLSX(t *testing.T) {
	data := workbook(t, func(f *excelize.File, s string) {
		setRow(t, f, s, 2, "Month", "Direction", "Category", "Count", "Note", "Extra")
		setRow(t, f, s, 3, time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), "IN-JP", "student", 143, "date cell")
		setRow(t, f, s, 4, 45901, "IN-JP", "ssw", 0, "serial as a plain number")
		f.SetCellFloat(s, "D4", 1233.9999999999998, 13, 64) // 17 digits, as Excel writes it
		setRow(t, f, s, 5, "2025-09", "JP-IN", "business", "1,234", "text cells")
		// row 6 left out entirely, row 7 all empty strings
		setRow(t, f, s, 7, "", "", "")
		setRow(t, f, s, 8, 202509, "JP-IN", "business", 12.5, 0, "", "beyond")
		f.SetCellFloat(s, "E8", 0.1+0.2, 17, 64) // 0.30000000000000004
		setRow(t, f, s, 9, "2025-10", "JP-IN", "student", 1234567)
		style, err := f.NewStyle(&excelize.Style{NumFmt: 3}) // #,##0
		if err != nil {
			t.Fatal(err)
		}
		f.SetCellStyle(s, "D9", "D9", style)
		dateStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm")})
		f.SetCellStyle(s, "A4", "A4", dateStyle)
		f.NewSheet("Other")
		f.SetCellValue("Other", "A1", "ignored")
	})
	for _, name := range []string{"upload.xlsx", "no-extension"} {
		r, recs, err := readAll(t, data, name)
		if err != nil {
			t.Fatal(err)
		}
		if want := `XLSX, sheet "Figures" (the first of 2 sheets; only it is read)`; r.Format().String() != want {
			t.Errorf("Format() = %q, want %q", r.Format(), want)
		}
		want := []Record{
			recordOf(3, "2025-09-01", "IN-JP", "student", "143", "", "", "", "", "", "date cell"),
			recordOf(4, "2025-09-01", "IN-JP", "ssw", "1234", "", "", "", "", "", "serial as a plain number"),
			recordOf(5, "2025-09", "JP-IN", "business", "1,234", "", "", "", "", "", "text cells"),
			recordOf(8, "202509", "JP-IN", "business", "12.5", "", "", "", "", "", "0.3"),
			recordOf(9, "2025-10", "JP-IN", "student", "1234567"),
		}
		if len(recs) != len(want) {
			t.Fatalf("records %+v, want %+v", recs, want)
		}
		for i := range recs {
			if recs[i] != want[i] {
				t.Errorf("record %d = %+v, want %+v", i, recs[i], want[i])
			}
		}
		is := r.Issues()
		if len(is) != 2 || is[0].Line != 2 || is[0].Column != "Extra" || is[1].Line != 8 || !strings.Contains(is[1].Msg.String(), "more cells than the header") {
			t.Errorf("issues %q", is)
		}
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	}
}

// TestReaderXLSXPlainSeeker reads a workbook through an io.ReadSeeker that is not an io.ReaderAt.
func TestReaderXLSXPlainSeeker(t *testing.T) {
	data := workbook(t, func(f *excelize.File, s string) {
		setRow(t, f, s, 1, "month", "direction", "category", "count")
		setRow(t, f, s, 2, "2025-09", "IN-JP", "ssw", 3)
	})
	r, err := Open(struct{ io.ReadSeeker }{bytes.NewReader(data)}, "x.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	recs, err := readRest(r)
	if err != nil || len(recs) != 1 || recs[0] != recordOf(2, "2025-09", "IN-JP", "ssw", "3") {
		t.Errorf("%+v, %v", recs, err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestReaderXLSXJapaneseAnd1904(t *testing.T) {
	data := workbook(t, func(f *excelize.File, s string) {
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		setRow(t, f, s, 1, "月", "方向", "区分", "人数", "出典")
		setRow(t, f, s, 2, 45901-1462, "IN-JP", "ssw", 37, "インド外務省")
	})
	_, recs, err := readAll(t, data, "ja.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if want := recordOf(2, "2025-09-01", "IN-JP", "ssw", "37", "", "", "", "", "インド外務省"); len(recs) != 1 || recs[0] != want {
		t.Errorf("records %+v, want %+v", recs, want)
	}
}

func TestReaderXLSXFileErrors(t *testing.T) {
	tests := []struct {
		name  string
		build func(f *excelize.File, s string)
		want  string
	}{
		{"empty sheet", func(f *excelize.File, s string) {}, `The file is empty: the first sheet, "Figures", has no rows`},
		{"empty cells only", func(f *excelize.File, s string) { setRow(t, f, s, 3, "", " ") }, "The file is empty"},
		{"data on the second sheet", func(f *excelize.File, s string) {
			f.NewSheet("Data")
			setRow(t, f, "Data", 1, "month", "direction", "category", "count")
		}, "The file is empty"},
		{"missing column", func(f *excelize.File, s string) { setRow(t, f, s, 1, "month", "direction", "category") }, `missing the required column "count"`},
		{"duplicate column", func(f *excelize.File, s string) {
			setRow(t, f, s, 1, "month", "direction", "category", "count", "人数")
		}, `"count" appears twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(bytes.NewReader(workbook(t, tt.build)), "x.xlsx")
			var fe *FileError
			if !errors.As(err, &fe) || !strings.Contains(fe.Msg.String(), tt.want) {
				t.Errorf("error %v, want a *FileError containing %q", err, tt.want)
			}
		})
	}
}

// TestReaderXLSXFromFile reads a workbook from a temp file, as uploads arrive,
// and stops at the row limit while streaming.
func TestReaderXLSXFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{"month", "direction", "category", "count"})
	for i := 2; i <= 3001; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, []any{"2025-09", "IN-JP", "student", i})
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	r, err := Open(file, "big.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	recs, err := readRest(r)
	if err != nil || len(recs) != 3000 || recs[2999] != recordOf(3001, "2025-09", "IN-JP", "student", "3001") {
		t.Fatalf("%d records, %v", len(recs), err)
	}

	file.Seek(0, io.SeekStart)
	r2, err := Open(file, "big.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	r2.maxRows = 100
	recs, err = readRest(r2)
	var fe *FileError
	if len(recs) != 100 || !errors.As(err, &fe) || !strings.Contains(fe.Msg.String(), "more than 100 rows") {
		t.Errorf("%d records, %v", len(recs), err)
	}
}

func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("month;direction;category;count\r2025-09;IN-JP;\"a\"\"b\";1\r"))
	f.Add([]byte("\xEF\xBB\xBFmonth,direction,category,count,x\n\"2025\n-09\",IN-JP,a\"b,1,,,\n"))
	f.Add(encode(f, utf16LE, "月\t方向\t区分\t人数\r\n2025-09\tIN-JP\tssw\t3\r\n"))
	f.Add(workbook(f, func(x *excelize.File, s string) {
		setRow(f, x, s, 1, "month", "direction", "category", "count")
		setRow(f, x, s, 2, 45901, "IN-JP", "ssw", 3.5)
	}))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Open(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Open error %T %v is not a *FileError", err, err)
			}
			return
		}
		defer r.Close()
		last := 0
		for i := 0; ; i++ {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				var fe *FileError
				if !errors.As(err, &fe) {
					t.Fatalf("Next error %T %v is neither io.EOF nor a *FileError", err, err)
				}
				break
			}
			if rec.Line <= last {
				t.Fatalf("record line %d after %d", rec.Line, last)
			}
			last = rec.Line
		}
		prev := 0
		for _, is := range r.Issues() {
			if is.Line < prev {
				t.Fatalf("issues out of line order: %v", r.Issues())
			}
			prev = is.Line
		}
	})
}

// generateCSV writes a CSV of n rows with breakdown columns, about 60 bytes a row.
func generateCSV(w io.Writer, n int) {
	cats := []string{"engineer", "ssw", "titp", "student", "researcher"}
	bw := &bytes.Buffer{}
	bw.WriteString("month,direction,category,count,sector,origin,destination,status,source,note\r\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(bw, "2025-%02d,IN-JP,%s,%d,it_software,IN-KA,JP-13,final,ISA,\r\n", i%12+1, cats[i%len(cats)], i%5000)
		if bw.Len() > 1<<16 {
			w.Write(bw.Bytes())
			bw.Reset()
		}
	}
	w.Write(bw.Bytes())
}

func BenchmarkReadCSV(b *testing.B) {
	const n = 100_000
	var buf bytes.Buffer
	generateCSV(&buf, n)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Open(bytes.NewReader(data), "bench.csv")
		if err != nil {
			b.Fatal(err)
		}
		rows := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		if rows != n {
			b.Fatalf("%d rows", rows)
		}
		r.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// TestReaderMillionRows measures reading a generated 1,000,000-row CSV from a
// temp file: time and peak heap. Run it with HRX_READER_MILLION=1.
func TestReaderMillionRows(t *testing.T) {
	if os.Getenv("HRX_READER_MILLION") == "" {
		t.Skip("set HRX_READER_MILLION=1 to measure reading a 1,000,000-row CSV")
	}
	path := filepath.Join(t.TempDir(), "million.csv")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	generateCSV(out, MaxRows)
	out.Close()
	st, _ := os.Stat(path)

	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseInuse, baseAlloc := ms.HeapInuse, ms.TotalAlloc
	var peakInuse uint64
	start := time.Now()
	r, err := Open(file, "million.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rows++; rows%50_000 == 0 {
			runtime.ReadMemStats(&ms)
			peakInuse = max(peakInuse, ms.HeapInuse)
		}
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&ms)
	status, _ := os.ReadFile("/proc/self/status")
	var hwm string
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "VmHWM") {
			hwm = strings.Join(strings.Fields(l)[1:], " ")
		}
	}
	t.Logf("%d rows, %.1f MB in %v (%.0f rows/s); heap in use: base %.1f MB, peak %.1f MB; HeapSys %.1f MB; allocated %.0f MB in total; VmHWM %s",
		rows, float64(st.Size())/1e6, elapsed.Round(time.Millisecond), float64(rows)/elapsed.Seconds(),
		float64(baseInuse)/1e6, float64(peakInuse)/1e6, float64(ms.HeapSys)/1e6, float64(ms.TotalAlloc-baseAlloc)/1e6, hwm)
	if rows != MaxRows {
		t.Errorf("%d rows", rows)
	}
	if peakInuse > 50e6 {
		t.Errorf("peak heap in use %.1f MB; reading must stream", float64(peakInuse)/1e6)
	}
}
