package i18n

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"hrx/internal/month"
)

// Lang is a language HRX speaks.
type Lang string

// The languages HRX speaks.
const (
	EN Lang = "en"
	JA Lang = "ja"
	HI Lang = "hi"
)

// Langs lists the languages in the order the language menu shows them.
var Langs = []Lang{EN, JA, HI}

var matcher = language.NewMatcher([]language.Tag{language.English, language.Japanese, language.Hindi, language.MustParse("en-IN")})

// Locale is a language plus the number convention that goes with it.
type Locale struct {
	Lang    Lang
	tag     language.Tag // the tag numbers are formatted with
	printer *message.Printer
	zone    *time.Location // the reader's own setting; nil: the language's usual zone
}

// New returns the locale for a language; region picks the number convention
// ("IN" gives 5,00,000 for English too).
func New(lang Lang, region string) Locale {
	tag := language.English
	switch lang {
	case JA:
		tag = language.Japanese
	case HI:
		tag = language.Hindi
	default:
		lang = EN
		if strings.EqualFold(region, "IN") {
			tag = language.MustParse("en-IN")
		}
	}
	return Locale{Lang: lang, tag: tag, printer: message.NewPrinter(tag)}
}

// Parse reads a language code such as "ja" or "en-IN"; ok is false when HRX does not speak it.
func Parse(s string) (Locale, bool) {
	t, err := language.Parse(strings.TrimSpace(s))
	if err != nil {
		return Locale{}, false
	}
	base, _ := t.Base()
	region, _ := t.Region()
	switch Lang(base.String()) {
	case EN, JA, HI:
		return New(Lang(base.String()), region.String()), true
	}
	return Locale{}, false
}

// FromAcceptLanguage picks the best locale for an Accept-Language header (English when none fits).
func FromAcceptLanguage(header string) Locale {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return New(EN, "")
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return New(EN, "")
	}
	switch idx {
	case 1:
		return New(JA, "")
	case 2:
		return New(HI, "")
	case 3:
		return New(EN, "IN")
	}
	region, _ := tags[0].Region()
	return New(EN, region.String())
}

// Code is the locale as a language tag, e.g. "en-IN", for cookies and links.
func (l Locale) Code() string { return l.tag.String() }

// N formats a whole number with the locale's grouping: 500,000 or 5,00,000.
func (l Locale) N(n int64) string { return l.printer.Sprint(number.Decimal(n)) }

// F formats a number with at most the given decimals.
func (l Locale) F(f float64, decimals int) string {
	return l.printer.Sprint(number.Decimal(f, number.MaxFractionDigits(decimals), number.MinFractionDigits(0)))
}

// Percent formats a percentage with one decimal, e.g. "12.5%".
func (l Locale) Percent(p float64) string { return l.F(p, 1) + "%" }

var monthsHI = [12]string{"जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"}
var monthsEN = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// Month writes a month in full: "September 2025", "2025年9月", "सितंबर 2025".
func (l Locale) Month(m month.Month) string {
	if m == month.Zero {
		return "—"
	}
	switch l.Lang {
	case JA:
		return fmt.Sprintf("%d年%d月", m.Year(), m.Num())
	case HI:
		return monthsHI[m.Num()-1] + " " + fmt.Sprint(m.Year())
	}
	return monthsEN[m.Num()-1] + " " + fmt.Sprint(m.Year())
}

// MonthShort writes a month briefly for chart axes: "Sep 2025", "2025年9月".
func (l Locale) MonthShort(m month.Month) string {
	if l.Lang == EN {
		return monthsEN[m.Num()-1][:3] + " " + fmt.Sprint(m.Year())
	}
	return l.Month(m)
}
