package upload

import "testing"

func TestXMLAttr(t *testing.T) {
	tests := []struct {
		attrs, name string
		want        string
		found       bool
	}{
		{` r="A1" t="s"`, "r", "A1", true},
		{` r="A1" t="str"`, "r", "A1", true},              // a later 'r' byte: the slow path
		{` r="A1" x:r="XFD1"`, "r", "XFD1", true},         // the last wins, whatever its prefix
		{` t="s"  r = 'B2' `, "r", "B2", true},            // spaces and single quotes
		{` s="1"`, "r", "", false},                        // absent
		{` r="A1" broken r="B1"`, "r", "A1", true},        // stops at what is not well formed
		{` x="r=&quot;Z9&quot;" r="C3"`, "r", "C3", true}, // an = inside a value
		{` Id="rId1" Target="worksheets/sheet1.xml"`, "Target", "worksheets/sheet1.xml", true},
	}
	for _, tt := range tests {
		v := xmlAttr([]byte(tt.attrs), tt.name)
		if string(v) != tt.want || (v != nil) != tt.found {
			t.Errorf("xmlAttr(%q, %q) = %q, want %q", tt.attrs, tt.name, v, tt.want)
		}
	}
}

func TestXLSXCellNumbers(t *testing.T) {
	for ref, want := range map[string]int{"A1": 1, "$B$2": 2, "z9": 26, "AA1": 27, "XFD1048576": 16_384, "XFE1": 16_385, "1": 0, "": 0, "&#65;1": 1} {
		if got := xlsxColumn([]byte(ref)); got != want {
			t.Errorf("xlsxColumn(%q) = %d, want %d", ref, got, want)
		}
	}
	for v, want := range map[string]int{"7": 7, "+7": 7, "-3": -3, "": 0, "x": 0, "1e3": 0, "&#49;2": 12, "99999999999999999999": 1 << 40} {
		if got := xlsxRowNumber([]byte(v)); got != want {
			t.Errorf("xlsxRowNumber(%q) = %d, want %d", v, got, want)
		}
	}
	for v, want := range map[string]string{"a&amp;b": "a&b", "&lt;&gt;&quot;&apos;": `<>"'`, "&#x41;&#66;": "AB", "&bogus;": "\uFFFD", "a&b": "a&b"} {
		if got := xmlUnescape([]byte(v)); got != want {
			t.Errorf("xmlUnescape(%q) = %q, want %q", v, got, want)
		}
	}
}
