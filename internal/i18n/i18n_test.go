package i18n

import (
	"fmt"
	"strings"
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

func TestTranslateFallsBack(t *testing.T) {
	ja := New(JA, "")
	if got := ja.T("On track"); got != "順調" {
		t.Errorf("got %q", got)
	}
	if got := ja.T("Saved %d figures", 3); got != "Saved 3 figures" {
		t.Errorf("got %q", got)
	}
}

// TestCatalogsKeepTheirArguments checks that every translation formats the same
// arguments as its English message, so no figure is lost or garbled in translation.
func TestCatalogsKeepTheirArguments(t *testing.T) {
	for lang, cat := range catalogs.legacy {
		for key, tr := range cat {
			var args []any
			for i := 0; i+1 < len(key); i++ {
				if key[i] != '%' {
					continue
				}
				switch c := key[i+1]; {
				case c == '%', c == ' ', c == '.', c == ')':
					// "%%" or a per cent sign in prose, not a verb
				case c == 'd':
					args = append(args, 9000+len(args))
				default:
					args = append(args, fmt.Sprintf("‹%d›", len(args)))
				}
				i++
			}
			got := New(lang, "").T(key, args...)
			for _, a := range args {
				if !strings.Contains(got, fmt.Sprint(a)) {
					t.Errorf("%s %q: %q loses argument %s", lang, key, tr, a)
				}
			}
			if strings.Contains(got, "%!") {
				t.Errorf("%s %q: bad format %q", lang, key, got)
			}
		}
	}
}
