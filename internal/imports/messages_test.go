package imports

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
)

var messageLocales = []i18n.Locale{i18n.New(i18n.EN, ""), i18n.New(i18n.EN, "IN"), i18n.New(i18n.JA, ""), i18n.New(i18n.HI, "")}

// TestStoredMessagesReadBack: a message stored as id and JSON arguments reads
// back as the same message, with the same types, so every reader sees it as
// they would have seen it when the file was checked.
func TestStoredMessagesReadBack(t *testing.T) {
	at := time.Date(2026, 11, 3, 10, 4, 0, 0, time.UTC)
	msgs := []i18n.Msg{
		i18n.M("imports.month.empty"),
		i18n.M("imports.header.missing", "count", 2, "missing", `"month", "count"`, "line", int64(12345), "found", `"a"`),
		i18n.M("imports.cell.tab", "column", columnMsg(Source), "char", "U+0009"),
		i18n.M("imports.row.month_locked", "reason", i18n.M("month.locked.published", "month", month.MustParse("2025-10"), "who", "a@example.gov.in", "when", at)),
		i18n.M("imports.region.origin_country_swapped", "value", "JP-13", "detail", "Tokyo", "country", ruleCountry("JP"),
			"row", i18n.M("imports.row_of.in_jp"), "want", ruleCountry("IN"), "other", "JP-IN"),
		i18n.M("imports.format.csv", "encoding", i18n.Text("Shift_JIS"), "separator", i18n.M("imports.separator.tab")),
		i18n.M("imports.issues.more", "count", 1500),
		i18n.M("imports.busy", "list", []string{"a", "b"}, "msgs", []i18n.Msg{i18n.Text("x"), i18n.M("imports.kind.pdf")},
			"wait", 90*time.Second, "share", 12.5, "nil", nil),
	}
	for _, m := range msgs {
		id, args := encodeMsg(m)
		back := decodeMsg(id, args, "ignored")
		for _, l := range messageLocales {
			if got, want := l.Tr(back), l.Tr(m); got != want {
				t.Errorf("%s in %s: read back as %q, want %q", m.ID, l.Code(), got, want)
			}
		}
		for i, a := range back.Args {
			if a.Name != m.Args[i].Name {
				t.Errorf("%s: argument %d is %q, want %q", m.ID, i, a.Name, m.Args[i].Name)
			}
		}
	}
	// Rows stored before messages had ids keep their English text.
	if got := decodeMsg("", "", "the old words").String(); got != "the old words" {
		t.Errorf("an old row reads %q", got)
	}
	if got := decodeMsg("imports.file.empty", "not json", "The file is empty.").String(); got != "The file is empty." {
		t.Errorf("damaged arguments read %q", got)
	}
}

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
		header + strings.Repeat("x", readerMaxLine+10),
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

	lists := Lists{
		Categories: []reference.Category{{Code: "engineer", NameEN: "Engineers"}, {Code: "trainee", NameEN: "Trainees", Retired: true}},
		Sectors:    []reference.Sector{{Code: "it_software", NameEN: "IT"}},
		Regions:    []reference.Region{{Code: "IN-KA", Country: "IN", NameEN: "Karnataka"}, {Code: "JP-13", Country: "JP", NameEN: "Tokyo", NameLocal: "東京都"}},
	}
	rules := NewRules(lists, month.MustParse("2026-05"))
	for _, row := range [][NumColumns]string{
		{"", "", "", "", "mining", "IN-ZZ", "Atlantis", "maybe", strings.Repeat("s", 201), strings.Repeat("n", 1001)},
		{"Sep-25", "India", "nurse", "-4", "x\ty", "x\ny", "x\x01y", "final", "a\xffb", "bell\a"},
		{"01/09/2025", "IN-JP", "trainee", "12.5", "", "JP-13", "IN-KA", "", "", ""},
		{"2025-13", "JP-IN", "engineer", "1,2,3", "", "JP-13", "JP-13", "", "", ""},
		{"2025-02-30", "IN-JP", "engineer", "99999999", "", "東京都", "", "", "", ""},
		{"1999-12", "x", "x", "1_000", "", "", "", "", "", ""},
		{"2027-01", "", "", "many", "", "", "", "", "", ""},
		{"September", "", "", "", "", "", "", "", "", ""},
	} {
		_, issues := rules.Row(Record{Line: 9, Values: row})
		for _, is := range issues {
			msgs = append(msgs, is.Located(), is.ColumnMsg())
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

	s := &Store{now: time.Now}
	later := time.Now().Add(time.Hour)
	for _, im := range []Import{{State: Applied}, {State: Reverted}, {State: Expired}, {State: Preview, ExpiresAt: later, ErrorCount: 1},
		{State: Preview, ExpiresAt: later, ErrorCount: 3}, {State: Preview, ExpiresAt: later}} {
		if err := s.notApplicable(im); err != nil {
			msgs = append(msgs, apperr.MsgOf(err))
		}
		msgs = append(msgs, im.StateMsg())
	}
	msgs = append(msgs, apperr.MsgOf(revertConflict(1, []string{"2025-09/IN-JP/student"})), apperr.MsgOf(revertConflict(25, []string{"a", "b"})),
		i18n.M("imports.revert.not_applied", "state", Import{State: Preview}.StateMsg()),
		i18n.M("imports.issues.more_errors", "count", int64(1), "kept", IssuesKept), i18n.M("imports.issues.more_warnings", "count", int64(500), "kept", IssuesKept),
		Import{Mode: Merge}.ModeMsg(), Import{Mode: Replace}.ModeMsg(), apperr.MsgOf(errImportsBusy()))

	for _, magic := range []string{"\xFF\xD8\xFF", "GIF8", "%PDF-", "\x1F\x8B", "7z\xBC\xAF\x27\x1C", "Rar!", "\xFF\xFE\x00\x00", "{\\rtf"} {
		msgs = append(msgs, readerBinaryKind([]byte(magic), "x.csv"))
	}
	ids := map[string]bool{}
	var count func(m i18n.Msg)
	count = func(m i18n.Msg) {
		ids[m.ID] = true
		for _, a := range m.Args {
			if n, ok := a.Value.(i18n.Msg); ok {
				count(n)
			}
		}
	}
	for _, m := range msgs {
		if m.ID == "" {
			continue // a header as the file wrote it, or none
		}
		count(m)
		for _, l := range messageLocales {
			got := l.Tr(m)
			if got == "" || strings.Contains(got, "<no value>") || strings.Contains(got, "imports.") || strings.Contains(got, "%!") {
				t.Errorf("%s in %s: %q", m.ID, l.Code(), got)
			}
		}
	}
	if len(ids) < 90 {
		t.Errorf("only %d different messages were made; the test no longer reaches most of them", len(ids))
	}
}
