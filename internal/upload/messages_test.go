package upload

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"hrx/internal/i18n"
	"hrx/internal/i18n/i18ntest"
)

// TestEveryProblemInEveryLanguage makes the problems a file can have and
// writes each in every language: none may come out as its id, or with an
// argument its catalog text asks for but the code does not give.
func TestEveryProblemInEveryLanguage(t *testing.T) {
	var msgs []i18n.Msg
	add := func(err error) {
		var fe *FileError
		if errors.As(err, &fe) {
			msgs = append(msgs, fe.Msg)
		}
	}
	header := "month,direction,category,count\n"
	for _, data := range []string{
		"", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + strings.Repeat("\x00", 100), "\x89PNG\r\n\x1a\n\x00\x00", "<html><body>",
		"month,direction,count\n", "month;direction\n", "month,direction,category,count,Count\n", "month,dir\"ection,category,count\n",
		header + "2025-09,IN-JP,x,1\x00\n", header + "\x01\x02", header + "Caf\xE9\xFF\n", "\xEF\xBB\xBF" + header + "\xC3\x28\n",
		header + "Caf\uFFFD\n", "m\x00o\x00n\x00t\x00h\x00,\x00d\x00", "\xFF\xFE" + "m\x00\x00\xD8x\x00",
		header + strings.Repeat("x", maxLine+10),
	} {
		r, err := Open(bytes.NewReader([]byte(data)), "upload.csv")
		add(err)
		if r != nil {
			msgs = append(msgs, r.Format())
			r.Close()
		}
	}
	_, err := Open(bytes.NewReader([]byte("\x00\x01")), "figures.xlsx")
	add(err)
	r, err := Open(bytes.NewReader([]byte("month;direction;category;count;colour;;\n"+
		"2025-09;IN-JP;a;1;x;y;z;w\n\"bad\"quote;x\n\"open;x\n2025-09;IN-JP;a;1\n")), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := r.Next(); err != nil {
			break
		}
	}
	for _, is := range r.Issues() {
		msgs = append(msgs, is.Located(), is.ColumnMsg())
	}
	msgs = append(msgs, r.Format())
	r, _ = Open(bytes.NewReader([]byte(header+"2025-09,IN-JP,a,1\n2025-09,IN-JP,a,1\n")), "x.csv")
	r.maxRows = 1
	for {
		if _, err := r.Next(); err != nil {
			add(err)
			break
		}
	}

	for _, fault := range []error{&xmlTooLongError{max: 1 << 17}, errXMLDirective, errors.New("unexpected EOF")} {
		add(xlsxDamaged("xl/styles.xml", xlsxFault(fault)))
	}
	p := &xlsxPartCheck{name: "xl/worksheets/sheet1.xml", lim: &xlsxLimits{}, row: 3, col: 2}
	add(p.fault("pieces", 10))
	add(p.fault("chars", 10))
	p.item = kindCell
	add(p.fault("pieces", 10))
	add(p.fault("chars", 10))
	add(p.tooManyRows())
	add(p.tooMuchOutsideCells())

	for _, magic := range []string{"\xFF\xD8\xFF", "GIF8", "%PDF-", "\x1F\x8B", "7z\xBC\xAF\x27\x1C", "Rar!", "\xFF\xFE\x00\x00", "{\\rtf"} {
		msgs = append(msgs, binaryKind([]byte(magic), "x.csv"))
	}
	if n := i18ntest.InEveryLanguage(t, msgs); n < 38 {
		t.Errorf("only %d different messages were made; the test no longer reaches most of them", n)
	}
}
