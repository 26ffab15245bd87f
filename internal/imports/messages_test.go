package imports

import (
	"testing"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/i18n/i18ntest"
	"hrx/internal/month"
	"hrx/internal/upload"
)

// TestStoredMessagesReadBack: a message stored as id and JSON arguments reads
// back as the same message, with the same types, so every reader sees it as
// they would have seen it when the file was checked.
func TestStoredMessagesReadBack(t *testing.T) {
	at := time.Date(2026, 11, 3, 10, 4, 0, 0, time.UTC)
	msgs := []i18n.Msg{
		i18n.M("imports.month.empty"),
		i18n.M("imports.header.missing", "count", 2, "missing", `"month", "count"`, "line", int64(12345), "found", `"a"`),
		i18n.M("imports.cell.tab", "column", upload.Source.Msg(), "char", "U+0009"),
		i18n.M("imports.row.month_locked", "reason", i18n.M("month.locked.published", "month", month.MustParse("2025-10"), "who", "a@example.gov.in", "when", at)),
		i18n.M("imports.region.origin_country_swapped", "value", "JP-13", "detail", "Tokyo", "country", i18n.M("imports.country.jp"),
			"row", i18n.M("imports.row_of.in_jp"), "want", i18n.M("imports.country.in"), "other", "JP-IN"),
		i18n.M("imports.format.csv", "encoding", i18n.Text("Shift_JIS"), "separator", i18n.M("imports.separator.tab")),
		i18n.M("imports.issues.more", "count", 1500),
		i18n.M("imports.busy", "list", []string{"a", "b"}, "msgs", []i18n.Msg{i18n.Text("x"), i18n.M("imports.kind.pdf")},
			"wait", 90*time.Second, "share", 12.5, "nil", nil),
	}
	for _, m := range msgs {
		id, args := encodeMsg(m)
		back := decodeMsg(id, args, "ignored")
		for _, l := range i18ntest.Locales {
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

// TestEveryRefusalInEveryLanguage makes the refusals of the store and writes
// each in every language: none may come out as its id, or with an argument
// its catalog text asks for but the code does not give.
func TestEveryRefusalInEveryLanguage(t *testing.T) {
	var msgs []i18n.Msg
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

	if n := i18ntest.InEveryLanguage(t, msgs); n < 13 {
		t.Errorf("only %d different messages were made; the test no longer reaches most of them", n)
	}
}
