// Package embed renders the live progress widgets that other websites embed:
// a small HTML document for an iframe (with the Content-Security-Policy that
// goes with it) and a self-contained SVG image.
//
// Everything here is pure: the caller passes a target's progress, the
// widget's look and the site's base URL, and gets bytes back. No HTTP, no
// database, no clock.
//
// The widgets follow the lessons the PRODUCT file lists for embeds: the host
// page decides the colour scheme (theme "auto" follows prefers-color-scheme,
// and color-scheme is declared so a dark host never shows a white box), the
// HTML page tells its parent its height so the iframe sizes itself but works
// without that script, and nothing is loaded from anywhere: one inline style
// and one inline script, allowed by hash.
package embed

import (
	"crypto/sha256"
	"encoding/base64"
	"html"
	"math"
	"net/url"
	"slices"
	"strings"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/progress"
	"hrx/internal/report"
)

// Options are a widget's look.
type Options struct {
	Style, Theme string
	Locale       i18n.Locale
}

// Widget styles and themes; their strings are the stable query values.
const (
	StyleBar   = "bar"   // StyleBar is one line: name, progress bar, numbers, status.
	StyleCard  = "card"  // StyleCard is the headline number, status, sparkline and the monthly need.
	StyleChart = "chart" // StyleChart is the cumulative chart with a one-line summary.
	// StyleBreakdown is the target's people by sector, Indian state and
	// Japanese prefecture (BreakdownPage, BreakdownSVG).
	StyleBreakdown = "breakdown"

	ThemeLight = "light" // ThemeLight is dark text on a light surface.
	ThemeDark  = "dark"  // ThemeDark is light text on a dark surface.
	ThemeAuto  = "auto"  // ThemeAuto follows the reader's prefers-color-scheme.
)

// Styles and Themes list the allowed values in the order messages and menus
// show them; ProgressStyles are the styles of a target's progress (HTMLPage, SVG).
var (
	ProgressStyles = []string{StyleBar, StyleCard, StyleChart}
	Styles         = []string{StyleBar, StyleCard, StyleChart, StyleBreakdown}
	Themes         = []string{ThemeLight, ThemeDark, ThemeAuto}
)

// ParseOptions reads the style, theme and lang query values. Empty values
// give the defaults (card, auto, en); values are case-insensitive. An unknown
// value is an invalid-input error (apperr) whose message names the parameter
// and lists the allowed values, e.g. `style: "pie" is not a widget style; use
// bar, card, chart or breakdown`.
func ParseOptions(style, theme, lang string) (Options, error) {
	o := Options{Style: StyleCard, Theme: ThemeAuto, Locale: i18n.New(i18n.EN, "")}
	if s := strings.ToLower(strings.TrimSpace(style)); s != "" {
		if !oneOf(s, Styles) {
			return Options{}, apperr.New(apperr.Invalid, "widget.option.style", "value", style)
		}
		o.Style = s
	}
	if s := strings.ToLower(strings.TrimSpace(theme)); s != "" {
		if !oneOf(s, Themes) {
			return Options{}, apperr.New(apperr.Invalid, "widget.option.theme", "value", theme)
		}
		o.Theme = s
	}
	if strings.TrimSpace(lang) != "" {
		l, ok := i18n.Parse(lang)
		if !ok {
			return Options{}, apperr.New(apperr.Invalid, "widget.option.lang", "value", lang)
		}
		o.Locale = l
	}
	return o, nil
}

func oneOf(s string, allowed []string) bool {
	for _, a := range allowed {
		if s == a {
			return true
		}
	}
	return false
}

// norm fills in defaults for zero or unknown fields, so that Options built by
// hand (rather than by ParseOptions) still render.
func (o Options) norm() Options {
	if !oneOf(o.Style, Styles) {
		o.Style = StyleCard
	}
	if !oneOf(o.Theme, Themes) {
		o.Theme = ThemeAuto
	}
	if o.Locale.Lang == "" {
		o.Locale = i18n.New(i18n.EN, "")
	}
	return o
}

// Key is a stable string for caching, e.g. "card/auto/en-IN".
func (o Options) Key() string {
	o = o.norm()
	return o.Style + "/" + o.Theme + "/" + o.Locale.Code()
}

// Page is a rendered widget page and the Content-Security-Policy that goes with it.
type Page struct {
	HTML []byte
	CSP  string
}

// cspSource is the hash source expression for an inline element's exact contents.
func cspSource(content string) string {
	sum := sha256.Sum256([]byte(content))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// view is everything a widget shows, worked out once for both renderers.
type view struct {
	o        Options
	l        i18n.Locale
	name     string
	nameLang string // the name's language when it differs from the page's ("" otherwise)
	r        progress.Result
	tp       report.TargetProgress
	empty    bool // no figures yet

	achieved, value, percent string
	statusText, statusIcon   string
	statusClass              string
	asOf, asOfShort          string
	link                     string
	sentence                 string // the whole widget in one sentence (aria-label, alt text)
}

func newView(tp report.TargetProgress, o Options, baseURL string) view {
	o = o.norm()
	l := o.Locale
	r := tp.Result
	v := view{o: o, l: l, r: r, tp: tp, name: tp.Target.Name(l.Lang)}
	if l.Lang != i18n.EN && v.name == tp.Target.NameEN {
		v.nameLang = "en"
	}
	v.empty = tp.Empty()
	v.achieved, v.value, v.percent = l.N(r.Achieved), l.N(tp.Target.Value), l.Percent(r.Percent)
	st := r.Status
	if !slices.Contains(report.Statuses, st) {
		st = progress.NotStarted
	}
	v.statusText, v.statusIcon, v.statusClass = l.Tr(report.StatusWord(st)), report.StatusShape(st), "s-"+string(st)
	if r.AsOf != month.Zero {
		v.asOf, v.asOfShort = l.Month(r.AsOf), l.MonthShort(r.AsOf)
	}
	v.link = strings.TrimRight(strings.TrimSpace(baseURL), "/") + "/targets/" + url.PathEscape(tp.Target.Slug)
	if code := l.Code(); code != "en" {
		v.link += "?lang=" + url.QueryEscape(code)
	}
	v.sentence = v.sentenceWith(v.name)
	return v
}

// sentenceWith is the whole widget in one sentence, about the target called name.
func (v view) sentenceWith(name string) string { return v.l.Tr(v.tp.Summary(name)) }

// clip shortens s with an ellipsis so that it takes at most n bytes once escaped.
func clip(s string, n int) string {
	if len(esc(s)) <= n {
		return s
	}
	rs := []rune(s)
	if len(rs) > n {
		rs = rs[:n]
	}
	for len(rs) > 0 && len(esc(string(rs)+"…")) > n {
		rs = rs[:len(rs)-1]
	}
	return strings.TrimRight(string(rs), " ") + "…"
}

// ofPeople is "9,592 of 50,000 people (19.2%)".
func (v view) ofPeople() string { return v.l.Tr(v.tp.Headline()) }

// barFraction is the filled share of a progress bar, 0..1.
func (v view) barFraction() float64 {
	p := v.r.Percent / 100
	switch {
	case math.IsNaN(p) || p < 0:
		return 0
	case p > 1:
		return 1
	}
	return p
}

// esc makes a string safe as HTML or XML text or attribute content. Invalid
// UTF-8 and characters XML does not allow are dropped.
func esc(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20, r >= 0x7f && r < 0xa0, r == 0xfffe, r == 0xffff:
			return -1
		}
		return r
	}, s)
	return html.EscapeString(s)
}

// markup writes a message as markup: its words escaped, and the argument
// named arg (when given) replaced by html, markup of the caller's own.
func markup(l i18n.Locale, m i18n.Msg, arg, html string) string {
	if arg == "" {
		return esc(l.Tr(m))
	}
	const mark = "\x00"
	m.Args = slices.Clone(m.Args)
	for i := range m.Args {
		if m.Args[i].Name == arg {
			m.Args[i].Value = mark
		}
	}
	parts := strings.Split(l.Tr(m), mark)
	for i := range parts {
		parts[i] = esc(parts[i])
	}
	return strings.Join(parts, html)
}

// textWidth estimates the rendered width of s at a font size (in px),
// generously, so that text fitted with it does not overflow.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r == ' ' || r == ',' || r == '.' || r == '(' || r == ')':
			w += 0.33
		case r < 0x0900:
			w += 0.62
		case r < 0x1100: // Indic scripts
			w += 0.75
		default: // CJK, symbols and others
			w += 1.0
		}
	}
	return w * size
}

// fit shortens s with an ellipsis so that it is at most width wide.
func fit(s string, size, width float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	rs := []rune(s)
	if most := int(width/(0.33*size)) + 1; len(rs) > most { // no character is narrower
		rs = rs[:most]
	}
	for len(rs) > 0 && textWidth(string(rs)+"…", size) > width {
		rs = rs[:len(rs)-1]
	}
	return strings.TrimRight(string(rs), " ") + "…"
}
