package rules_test

import (
	"strings"
	"testing"

	"hrx/internal/i18n"
	"hrx/internal/i18n/i18ntest"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/rules"
	"hrx/internal/upload"
)

// TestEveryProblemInEveryLanguage makes the problems a row can have and
// writes each in every language: none may come out as its id, or with an
// argument its catalog text asks for but the code does not give.
func TestEveryProblemInEveryLanguage(t *testing.T) {
	var msgs []i18n.Msg
	lists := rules.Lists{
		Categories: []reference.Category{{Code: "engineer", NameEN: "Engineers"}, {Code: "trainee", NameEN: "Trainees", Retired: true}},
		Sectors:    []reference.Sector{{Code: "it_software", NameEN: "IT"}},
		Regions:    []reference.Region{{Code: "IN-KA", Country: "IN", NameEN: "Karnataka"}, {Code: "JP-13", Country: "JP", NameEN: "Tokyo", NameLocal: "東京都"}},
	}
	r := rules.New(lists, month.MustParse("2026-05"))
	for _, row := range [][upload.NumColumns]string{
		{"", "", "", "", "mining", "IN-ZZ", "Atlantis", "maybe", strings.Repeat("s", 201), strings.Repeat("n", 1001)},
		{"Sep-25", "India", "nurse", "-4", "x\ty", "x\ny", "x\x01y", "final", "a\xffb", "bell\a"},
		{"01/09/2025", "IN-JP", "trainee", "12.5", "", "JP-13", "IN-KA", "", "", ""},
		{"2025-13", "JP-IN", "engineer", "1,2,3", "", "JP-13", "JP-13", "", "", ""},
		{"2025-02-30", "IN-JP", "engineer", "99999999", "", "東京都", "", "", "", ""},
		{"1999-12", "x", "x", "1_000", "", "", "", "", "", ""},
		{"2027-01", "", "", "many", "", "", "", "", "", ""},
		{"September", "", "", "", "", "", "", "", "", ""},
	} {
		_, issues := r.Row(upload.Record{Line: 9, Values: row})
		for _, is := range issues {
			msgs = append(msgs, is.Located(), is.ColumnMsg())
		}
	}
	if n := i18ntest.InEveryLanguage(t, msgs); n < 40 {
		t.Errorf("only %d different messages were made; the test no longer reaches most of them", n)
	}
}
