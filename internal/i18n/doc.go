// Package i18n writes HRX's words, numbers, months and times in the reader's
// language and convention.
//
// Every sentence a person reads is a Msg: a stable catalog id and named
// arguments, built with M("month.locked.published", "month", m, "who", email,
// "when", t). Domain code returns Msgs (or apperr errors carrying them), never
// finished English sentences; the edge (a page, an e-mail, the command line)
// translates them for its reader with Locale.Tr, and templates write
// {{.M "id" "name" value}}. Argument values keep their types and are formatted
// by Tr: whole numbers with the reader's grouping (5,00,000 or 500,000),
// month.Month in full, time.Time in the reader's zone (IST for en-IN and hi,
// JST for ja, UTC for en) with the zone named, time.Duration in words, a
// nested Msg translated, lists joined in the reader's style. Strings are
// shown as they are: codes, names, addresses, a person's own words (Text).
//
// The catalogs are data files, locales/AREA.LANG.json for en, ja and hi:
// nested JSON objects whose keys join with dots into the id, arguments
// written {{.name}}, and plural forms ({"one": …, "other": …}) for messages
// with a "count". A test fails when an id is missing in a language or a
// translation takes other arguments.
package i18n
