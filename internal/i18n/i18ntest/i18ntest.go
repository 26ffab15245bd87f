// Package i18ntest checks, in tests, that messages read well in every
// language: the shared helper of the packages whose errors are messages.
package i18ntest

import (
	"strings"
	"testing"

	"hrx/internal/i18n"
)

// Locales are the readers a message is written for: English, Indian
// English, Japanese and Hindi.
var Locales = []i18n.Locale{i18n.New(i18n.EN, ""), i18n.New(i18n.EN, "IN"), i18n.New(i18n.JA, ""), i18n.New(i18n.HI, "")}

// InEveryLanguage writes each message in every language and fails on one
// that comes out empty, as a message id, or without an argument its text
// asks for. It returns how many different messages (nested ones too) there
// were, for the caller to check that it still reaches most of them.
func InEveryLanguage(t testing.TB, msgs []i18n.Msg) int {
	t.Helper()
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
		for _, l := range Locales {
			got := l.Tr(m)
			if got == "" || strings.Contains(got, "<no value>") || strings.Contains(got, "imports.") || strings.Contains(got, "%!") {
				t.Errorf("%s in %s: %q", m.ID, l.Code(), got)
			}
		}
	}
	return len(ids)
}
