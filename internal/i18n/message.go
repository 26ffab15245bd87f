package i18n

import (
	"fmt"
	"strings"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"

	"hrx/internal/month"
)

// Msg is a sentence for a person, not yet in any language: a stable catalog id
// and its named arguments. Domain code returns Msgs; the edge (a page, an
// e-mail, the command line) translates them for its reader with Locale.Tr.
type Msg struct {
	ID   string
	Args []Arg
	text string // a Text message: shown as it is
}

// Arg is one named argument of a message. Its value is formatted for the
// reader: numbers with their grouping, months and times in their words and
// zone, durations as "3 minutes", and a Msg translated in turn.
type Arg struct {
	Name  string
	Value any
}

// M builds a message from its id and name, value pairs:
// M("month.locked.published", "month", m, "who", email, "when", t).
func M(id string, nameValues ...any) Msg {
	m := Msg{ID: id}
	for i := 0; i+1 < len(nameValues); i += 2 {
		name, _ := nameValues[i].(string)
		m.Args = append(m.Args, Arg{name, nameValues[i+1]})
	}
	return m
}

// Text is a message made of words that are not the product's own, such as a
// person's comment or a code, shown in every language as they are.
func Text(s string) Msg { return Msg{text: s} }

// IsZero reports whether m holds nothing.
func (m Msg) IsZero() bool { return m.ID == "" && m.text == "" }

// Arg returns the value of the named argument, nil when there is none.
func (m Msg) Arg(name string) any {
	for _, a := range m.Args {
		if a.Name == name {
			return a.Value
		}
	}
	return nil
}

// String is the message in English, for logs and tests.
func (m Msg) String() string { return New(EN, "").Tr(m) }

// Tr writes a message in the reader's language. An id missing from the
// catalogs shows as the id itself, which a test catches before a reader can.
func (l Locale) Tr(m Msg) string {
	if m.ID == "" {
		return m.text
	}
	data := make(map[string]any, len(m.Args))
	var count any
	for _, a := range m.Args {
		data[a.Name] = l.arg(a.Value)
		if a.Name == "count" {
			count = a.Value
		}
	}
	s, err := goi18n.NewLocalizer(catalogs.bundle, string(l.Lang), string(EN)).Localize(&goi18n.LocalizeConfig{
		MessageID: m.ID, TemplateData: data, PluralCount: count,
	})
	if err != nil && s == "" {
		return m.ID
	}
	return s
}

// arg formats one argument for the reader.
func (l Locale) arg(v any) string {
	switch x := v.(type) {
	case Msg:
		return l.Tr(x)
	case month.Month:
		return l.Month(x)
	case int:
		return l.N(int64(x))
	case int64:
		return l.N(x)
	case float64:
		return l.F(x, 1)
	case time.Time:
		return l.Time(x)
	case *time.Time:
		if x == nil {
			return ""
		}
		return l.Time(*x)
	case time.Duration:
		return l.Duration(x)
	case []Msg:
		parts := make([]string, len(x))
		for i, m := range x {
			parts[i] = l.Tr(m)
		}
		return l.List(parts)
	case []string:
		return l.List(x)
	case fmt.Stringer:
		return x.String()
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// List joins items the way the reader's language lists them: "a, b and c",
// "a、b、c", "a, b और c".
func (l Locale) List(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	switch l.Lang {
	case JA:
		return strings.Join(items, "、")
	case HI:
		return strings.Join(items[:len(items)-1], ", ") + " और " + items[len(items)-1]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// Zone is where the reader's clock is: India Standard Time for en-IN and hi,
// Japan Standard Time for ja, UTC otherwise. Neither country has summer time,
// so fixed zones are exact.
func (l Locale) Zone() *time.Location {
	if l.zone != nil {
		return l.zone
	}
	switch {
	case l.Lang == JA:
		return jst
	case l.Lang == HI || l.Code() == "en-IN":
		return ist
	}
	return time.UTC
}

var (
	ist = time.FixedZone("IST", 5*3600+1800)
	jst = time.FixedZone("JST", 9*3600)
)

// InZone returns the locale with the reader's own time zone, from their settings.
func (l Locale) InZone(z *time.Location) Locale { l.zone = z; return l }

// Zones are the time zones a person may choose to read times in, by name.
// Fixed zones: neither India nor Japan has summer time, and so no time zone
// database is needed on the server.
var Zones = []string{"Asia/Kolkata", "Asia/Tokyo", "UTC"}

// ZoneNamed returns one of Zones by name; ok is false for any other name.
func ZoneNamed(name string) (*time.Location, bool) {
	switch name {
	case "Asia/Kolkata":
		return ist, true
	case "Asia/Tokyo":
		return jst, true
	case "UTC":
		return time.UTC, true
	}
	return nil, false
}

// Time writes a moment in the reader's zone, naming the zone:
// "3 Nov 2026 15:34 IST", "2026年11月3日 15:34 JST", "3 नवंबर 2026 15:34 IST".
func (l Locale) Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(l.Zone())
	zone, _ := t.Zone()
	switch l.Lang {
	case JA:
		return fmt.Sprintf("%d年%d月%d日 %s %s", t.Year(), t.Month(), t.Day(), t.Format("15:04"), zone)
	case HI:
		return fmt.Sprintf("%d %s %d %s %s", t.Day(), monthsHI[t.Month()-1], t.Year(), t.Format("15:04"), zone)
	}
	return fmt.Sprintf("%d %s %d %s %s", t.Day(), monthsEN[t.Month()-1][:3], t.Year(), t.Format("15:04"), zone)
}

// Duration writes a wait in the reader's words, rounded up: "1 second",
// "40 seconds", "15 minutes".
func (l Locale) Duration(d time.Duration) string {
	if d < time.Minute {
		return l.Tr(M("time.seconds", "count", max(1, int((d+time.Second-1)/time.Second))))
	}
	return l.Tr(M("time.minutes", "count", int((d+time.Minute-1)/time.Minute)))
}
