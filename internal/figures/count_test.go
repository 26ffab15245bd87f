package figures_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"hrx/internal/figures"
	"hrx/internal/i18n"
)

// countCase is one line of testdata/counts.json: a value as someone writes
// it, and either the count it means or the message id that refuses it. The
// web tests run the same table through the month grid and an upload.
type countCase struct {
	In      string `json:"in"`
	Count   *int64 `json:"count"`
	Refused string `json:"refused"`
}

func countCases(t *testing.T) []countCase {
	t.Helper()
	b, err := os.ReadFile("testdata/counts.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []countCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestParseCount is the one count rule, every accepted and refused form.
func TestParseCount(t *testing.T) {
	for _, tt := range countCases(t) {
		v, msg := figures.ParseCount(tt.In)
		switch {
		case tt.Count != nil && (v != *tt.Count || !msg.IsZero()):
			t.Errorf("ParseCount(%q) = %d, %q; want %d", tt.In, v, msg, *tt.Count)
		case tt.Refused != "" && (msg.ID != tt.Refused || v != 0):
			t.Errorf("ParseCount(%q) = %d, %s; want refused with %s", tt.In, v, msg.ID, tt.Refused)
		case tt.Refused != "":
			for _, l := range []i18n.Lang{i18n.EN, i18n.JA, i18n.HI} {
				if s := i18n.New(l, "").Tr(msg); strings.Contains(s, "count.") || strings.Contains(s, "{{") {
					t.Errorf("ParseCount(%q) in %s: %q", tt.In, l, s)
				}
			}
		}
	}
}

// TestParseCountWords checks the English of each refusal: it names the value
// as written and says how to write it.
func TestParseCountWords(t *testing.T) {
	for in, want := range map[string]string{
		"":          "count is empty; write the number of people, 0 if none",
		"-4":        "-4 is not a count; write a whole number of people, 0 or more",
		"many":      "many is not a count; write a whole number of people, 0 or more",
		"12.5":      "12.5 is not a whole number; write the number of people without decimals",
		"1_000":     "1_000 is not a count; write it without underscores, for example 1000 or 1,000",
		"12,34":     "12,34 is not a count; check the thousands separators, for example 1,234 or 1,23,456",
		"1,234 567": `"1,234 567" is not a count; check the thousands separators, for example 1,234 or 1,23,456`,
		"10000001":  "10000001 is more than 10,000,000, the most one row can hold; check the number",
	} {
		if _, msg := figures.ParseCount(in); msg.String() != want {
			t.Errorf("ParseCount(%q): %q, want %q", in, msg, want)
		}
	}
	_, msg := figures.ParseCount("10000001")
	if got := i18n.New(i18n.EN, "IN").Tr(msg); !strings.Contains(got, "1,00,00,000") {
		t.Errorf("the maximum for a reader in India: %q", got)
	}
}

func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"", "0", "1,234", "1,23,456", "-1", "1.5", "12.0", "１２３", "1 234", "1_000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, msg := figures.ParseCount(s)
		if msg.IsZero() && (v < 0 || v > figures.MaxCount) {
			t.Fatalf("%q gave %d, out of range", s, v)
		}
		if !msg.IsZero() && v != 0 {
			t.Fatalf("both a value and a message for %q", s)
		}
	})
}
