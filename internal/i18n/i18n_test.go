package i18n

import (
	"testing"

	"hrx/internal/month"
)

func TestNumbers(t *testing.T) {
	tests := []struct {
		locale string
		n      int64
		want   string
	}{
		{"en", 500000, "500,000"},
		{"ja", 500000, "500,000"},
		{"en-IN", 500000, "5,00,000"},
		{"hi", 500000, "5,00,000"},
		{"hi", 12345678, "1,23,45,678"},
		{"en", 0, "0"},
		{"en", -1234, "-1,234"},
	}
	for _, tt := range tests {
		l, ok := Parse(tt.locale)
		if !ok {
			t.Fatalf("Parse(%q) failed", tt.locale)
		}
		if got := l.N(tt.n); got != tt.want {
			t.Errorf("%s: N(%d) = %q, want %q", tt.locale, tt.n, got, tt.want)
		}
	}
}

func TestMonths(t *testing.T) {
	m := month.MustParse("2025-09")
	for lang, want := range map[Lang]string{EN: "September 2025", JA: "2025年9月", HI: "सितंबर 2025"} {
		if got := New(lang, "").Month(m); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}

func TestAcceptLanguage(t *testing.T) {
	tests := map[string]string{
		"":                       "en",
		"ja-JP,ja;q=0.9":         "ja",
		"hi-IN":                  "hi",
		"en-IN,en;q=0.8":         "en-IN",
		"fr-FR":                  "en",
		"de, ja;q=0.5":           "ja",
		"en-US,en;q=0.9,hi;q=.1": "en",
	}
	for header, want := range tests {
		if got := FromAcceptLanguage(header).Code(); got != want {
			t.Errorf("%q: got %q, want %q", header, got, want)
		}
	}
}
