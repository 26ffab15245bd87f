package upload_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/rules"
	"hrx/internal/upload"
)

// TestRoundTrip reads a file of every export format back with the reader and
// the row rules: every row must come back unchanged, notes and all.
func TestRoundTrip(t *testing.T) {
	l := seedLists(t)
	check := rules.New(rules.Lists{Categories: l.Categories, Sectors: l.Sectors, Regions: l.Regions}, month.New(2030, 1))
	figs := append(append([]figures.Figure{}, sample...),
		figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "titp", Count: 10_000_000, Status: "final", Source: "=cmd|' /C calc'!A0", Note: "\tTAB first"},
		figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "hsp", Count: 3, Status: "final", Note: "'hello, already quoted"},
		figures.Figure{Month: "2025-11", Direction: "JP-IN", Category: "researcher", Origin: "JP-27", Destination: "IN-MH", Count: 1, Status: "provisional", Note: "multi\nline\nnote"},
		// Each of these would be a formula without the guard, and must read back as written.
		figures.Figure{Month: "2025-12", Direction: "IN-JP", Category: "titp", Count: 1, Status: "final", Note: "\nline feed first"},
		figures.Figure{Month: "2025-12", Direction: "IN-JP", Category: "hsp", Count: 2, Status: "final", Note: " =1+1"},
		figures.Figure{Month: "2025-12", Direction: "JP-IN", Category: "researcher", Count: 3, Status: "final", Note: "＝SUM(A1:A9)"},
		figures.Figure{Month: "2025-12", Direction: "JP-IN", Category: "student", Count: 4, Status: "final", Note: "\u3000＠import"},
	)
	if got := upload.Formats(); len(got) != 2 || got[0] != upload.CSV || got[1] != upload.XLSX {
		t.Errorf("formats %v", got)
	}
	for _, format := range upload.Formats() {
		name := "x." + string(format)
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := format.Write(&buf, over(figs)); err != nil {
				t.Fatal(err)
			}
			rd, err := upload.Open(bytes.NewReader(buf.Bytes()), name)
			if err != nil {
				t.Fatal(err)
			}
			defer rd.Close()
			for i := 0; ; i++ {
				rec, err := rd.Next()
				if errors.Is(err, io.EOF) {
					if i != len(figs) {
						t.Errorf("read %d rows, want %d", i, len(figs))
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got, issues := check.Row(rec)
				if len(issues) > 0 {
					t.Errorf("row %d: %v", i+2, issues)
					continue
				}
				if want := figs[i]; got != want {
					t.Errorf("row %d reads back as\n%+v\nwant\n%+v", i+2, got, want)
				}
			}
			if is := rd.Issues(); len(is) > 0 {
				t.Errorf("reader issues: %v", is)
			}
		})
	}
}

// TestTemplatesImport checks that the import reader accepts every template as
// a file with the right columns and no rows.
func TestTemplatesImport(t *testing.T) {
	l := seedLists(t)
	for _, lang := range []string{"en", "ja"} {
		for _, name := range []string{"t.csv", "t.xlsx"} {
			var buf bytes.Buffer
			var err error
			if name == "t.csv" {
				err = upload.TemplateCSV(&buf, lang)
			} else {
				err = upload.TemplateXLSX(&buf, lang, l)
			}
			if err != nil {
				t.Fatal(err)
			}
			rd, err := upload.Open(bytes.NewReader(buf.Bytes()), name)
			if err != nil {
				t.Errorf("%s %s: %v", lang, name, err)
				continue
			}
			if cols := rd.Columns(); len(cols) != int(upload.NumColumns) {
				t.Errorf("%s %s: columns %v", lang, name, cols)
			}
			if _, err := rd.Next(); !errors.Is(err, io.EOF) {
				t.Errorf("%s %s: Next = %v, want io.EOF", lang, name, err)
			}
			if is := rd.Issues(); len(is) > 0 {
				t.Errorf("%s %s: issues %v", lang, name, is)
			}
			rd.Close()
		}
	}
}

func TestParseFormat(t *testing.T) {
	for name, want := range map[string]upload.Format{"csv": upload.CSV, "xlsx": upload.XLSX, "CSV": "", "ods": "", "": "", ".csv": ""} {
		if got, ok := upload.ParseFormat(name); got != want || ok != (want != "") {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	if upload.CSV.ContentType() != "text/csv; charset=utf-8" || upload.XLSX.ContentType() != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("content types %q, %q", upload.CSV.ContentType(), upload.XLSX.ContentType())
	}
}
