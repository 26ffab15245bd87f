package i18n

import (
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"hrx/internal/month"
)

var argRe = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

// flatten reads a catalog file into id → every text of the message (its
// plural forms, or the one text).
func flatten(t *testing.T, prefix string, v any, out map[string][]string) {
	switch x := v.(type) {
	case string:
		out[prefix] = append(out[prefix], x)
	case map[string]any:
		plural := true
		for k := range x {
			if !slices.Contains([]string{"zero", "one", "two", "few", "many", "other", "description"}, k) {
				plural = false
			}
		}
		for k, sub := range x {
			if plural {
				if k != "description" {
					flatten(t, prefix, sub, out)
				}
				continue
			}
			id := k
			if prefix != "" {
				id = prefix + "." + k
			}
			flatten(t, id, sub, out)
		}
	default:
		t.Errorf("%s: unexpected %T", prefix, v)
	}
}

func argsOf(texts []string) []string {
	var names []string
	for _, s := range texts {
		for _, m := range argRe.FindAllStringSubmatch(s, -1) {
			if !slices.Contains(names, m[1]) {
				names = append(names, m[1])
			}
		}
	}
	slices.Sort(names)
	return names
}

// TestCatalogsAreComplete: every message id exists in every language, with
// the same named arguments, and every area has a file in every language.
func TestCatalogsAreComplete(t *testing.T) {
	byLang := map[Lang]map[string][]string{}
	areas := map[string][]Lang{}
	names, _ := fs.Glob(localeFiles, "locales/*.json")
	for _, name := range names {
		parts := strings.Split(strings.TrimSuffix(path.Base(name), ".json"), ".")
		lang := Lang(parts[1])
		areas[parts[0]] = append(areas[parts[0]], lang)
		b, _ := fs.ReadFile(localeFiles, name)
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if byLang[lang] == nil {
			byLang[lang] = map[string][]string{}
		}
		flatten(t, "", v, byLang[lang])
	}
	for area, langs := range areas {
		for _, l := range Langs {
			if !slices.Contains(langs, l) {
				t.Errorf("locales/%s.%s.json is missing", area, l)
			}
		}
	}
	for id, en := range byLang[EN] {
		for _, l := range Langs[1:] {
			tr, ok := byLang[l][id]
			if !ok {
				t.Errorf("%s: no %s translation", id, l)
				continue
			}
			if a, b := argsOf(en), argsOf(tr); !slices.Equal(a, b) {
				t.Errorf("%s: English takes %v, %s takes %v", id, a, l, b)
			}
		}
	}
	for _, l := range Langs[1:] {
		for id := range byLang[l] {
			if _, ok := byLang[EN][id]; !ok {
				t.Errorf("%s: in %s but not in English", id, l)
			}
		}
	}
}

func TestTrFormatsArgumentsForTheReader(t *testing.T) {
	at := time.Date(2026, 11, 3, 10, 4, 0, 0, time.UTC)
	_ = month.MustParse("2025-10")
	for _, c := range []struct {
		l    Locale
		m    Msg
		want string
	}{
		{New(EN, ""), M("time.seconds", "count", 1), "1 second"},
		{New(EN, ""), M("time.minutes", "count", 15), "15 minutes"},
		{New(JA, ""), M("time.minutes", "count", 15), "15分"},
		{New(HI, ""), M("time.seconds", "count", 40), "40 सेकंड"},
		{New(EN, ""), Text("as it is"), "as it is"},
		{New(JA, ""), M("no.such.id"), "no.such.id"},
	} {
		if got := c.l.Tr(c.m); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.l.Code(), c.m.ID, got, c.want)
		}
	}
	for _, c := range []struct {
		l    Locale
		want string
	}{
		{New(EN, ""), "3 Nov 2026 10:04 UTC"},
		{New(EN, "IN"), "3 Nov 2026 15:34 IST"},
		{New(HI, ""), "3 नवंबर 2026 15:34 IST"},
		{New(JA, ""), "2026年11月3日 19:04 JST"},
		{New(JA, "").InZone(time.UTC), "2026年11月3日 10:04 UTC"},
	} {
		if got := c.l.Time(at); got != c.want {
			t.Errorf("%s: Time = %q, want %q", c.l.Code(), got, c.want)
		}
	}
	if got := New(EN, "").Duration(90 * time.Second); got != "2 minutes" {
		t.Errorf("Duration(90s) = %q", got)
	}
	if got := New(JA, "").List([]string{"a", "b", "c"}); got != "a、b、c" {
		t.Errorf("List = %q", got)
	}
}
