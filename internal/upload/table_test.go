package upload

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestTableFormulaSafe: a table's text cells that a spreadsheet would read
// as a formula are written with an apostrophe first, in CSV and XLSX, and
// its numbers as numbers.
func TestTableFormulaSafe(t *testing.T) {
	tab := Table{Sheet: "monthly", Header: []string{"Month", "=HYPERLINK(\"x\")", "Total"}, Numeric: []bool{false, true, true},
		Rows: [][]string{{"@SUM(A1)", "12", ""}, {"2025-09", "3", "15"}}}
	var buf bytes.Buffer
	if err := WriteTableCSV(&buf, tab); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte(BOM)) {
		t.Error("no BOM")
	}
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes()[len(BOM):])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][1] != `'=HYPERLINK("x")` || rows[1][0] != "'@SUM(A1)" || rows[1][1] != "12" || rows[1][2] != "" {
		t.Errorf("CSV %q", rows)
	}
	buf.Reset()
	if err := WriteTableXLSX(&buf, tab); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"B1": `'=HYPERLINK("x")`, "A2": "'@SUM(A1)", "B2": "12", "C3": "15"} {
		if got, _ := f.GetCellValue("monthly", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
		if f, _ := f.GetCellFormula("monthly", cell); f != "" {
			t.Errorf("%s has a formula %q", cell, f)
		}
	}
	if typ, _ := f.GetCellType("monthly", "B2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B2 is %v", typ)
	}
}
