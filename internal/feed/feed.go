// Package feed writes the public Atom feed (RFC 4287): one entry for each
// publication of a month, a revision (a month reopened and published again)
// being an entry of its own, each with the totals of every public target as
// of that month, so that journalists and partner sites can follow the
// programme in a feed reader.
//
// The publications come from the audit log (action "publish" on entity
// "month"); the totals from the public report. Everything here but
// Publications is pure: the caller passes the base URL and the locale.
package feed

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hrx/internal/audit"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/progress"
	"hrx/internal/report"
)

// MaxEntries is how many publications the feed lists, newest first.
const MaxEntries = 50

// ContentType is the feed's media type.
const ContentType = "application/atom+xml; charset=utf-8"

// Publication is one publication of a month, as the audit log recorded it.
type Publication struct {
	AuditID         int64 // the audit entry: the entry's stable id is built from it
	At              time.Time
	Month           month.Month
	Number          int  // 1 for the first publication; more for a revision
	NothingToReport bool // published as "nothing to report"
}

// Revision reports whether the month had been published before.
func (p Publication) Revision() bool { return p.Number > 1 }

// Publications reads the newest publications from the audit log.
func Publications(ctx context.Context, log *audit.Store) ([]Publication, error) {
	entries, err := log.List(ctx, audit.Filter{Entity: "month", Action: "publish", Limit: MaxEntries})
	if err != nil {
		return nil, err
	}
	return FromAudit(entries), nil
}

// FromAudit reads publications from the audit log's publish entries,
// skipping any whose month cannot be read.
func FromAudit(entries []audit.Entry) []Publication {
	var out []Publication
	for _, e := range entries {
		if e.Action != "publish" || e.Entity != "month" {
			continue
		}
		m, err := month.Parse(e.EntityKey)
		if err != nil {
			continue
		}
		var after struct {
			Publication     int  `json:"publication"`
			NothingToReport bool `json:"nothing_to_report"`
		}
		_ = json.Unmarshal([]byte(e.After), &after) // an older entry without them is a first publication
		out = append(out, Publication{AuditID: e.ID, At: e.At.UTC(), Month: m, Number: max(after.Publication, 1), NothingToReport: after.NothingToReport})
	}
	return out
}

// Options are what the feed is written for.
type Options struct {
	BaseURL string      // the site's configured address, e.g. https://hrx.example.gov.in
	Locale  i18n.Locale // a feed is in one language
}

// epoch is the feed's updated time while nothing is published: the day the
// Action Plan was adopted, fixed, so that an empty feed's answer is the same
// on every request.
var epoch = time.Date(2025, 8, 29, 0, 0, 0, 0, time.UTC)

// Build writes the feed of the publications (newest first) with the totals
// of the public report's published targets.
func Build(o Options, pubs []Publication, rep *report.Report) []byte {
	l := o.Locale
	base := strings.TrimRight(o.BaseURL, "/")
	lang := langQuery(l)
	host := hostOf(base)
	f := atomFeed{
		Lang:     l.Code(),
		ID:       "tag:" + host + ",2025:hrx/feed" + langSuffix(l),
		Title:    text{Type: "text", Body: l.Tr(i18n.M("feed.title"))},
		Subtitle: &text{Type: "text", Body: l.Tr(i18n.M("feed.subtitle"))},
		Updated:  stamp(epoch),
		Author:   &person{Name: l.Tr(i18n.M("layout.brand")), URI: base + "/"},
		Links: []link{
			{Rel: "self", Type: "application/atom+xml", Href: base + "/feed.atom" + lang},
			{Rel: "alternate", Type: "text/html", Href: base + "/" + lang},
		},
		Generator: &generator{URI: base + "/", Body: "HRX"},
	}
	if len(pubs) > 0 {
		f.Updated = stamp(pubs[0].At)
	}
	var targets []report.TargetProgress
	if rep != nil {
		targets = rep.Published()
	}
	for _, p := range pubs {
		f.Entries = append(f.Entries, entry(l, base, host, lang, p, targets))
	}
	out, _ := xml.MarshalIndent(f, "", "  ") // only strings and structs: it cannot fail
	return append([]byte(xml.Header), append(out, '\n')...)
}

func entry(l i18n.Locale, base, host, lang string, p Publication, targets []report.TargetProgress) atomEntry {
	title := i18n.M("feed.entry.published", "month", p.Month)
	switch {
	case p.NothingToReport && p.Revision():
		title = i18n.M("feed.entry.revised_nothing", "month", p.Month)
	case p.NothingToReport:
		title = i18n.M("feed.entry.nothing", "month", p.Month)
	case p.Revision():
		title = i18n.M("feed.entry.revised", "month", p.Month)
	}
	return atomEntry{
		ID:        "tag:" + host + "," + p.At.Format(time.DateOnly) + ":hrx/publication/" + strconv.FormatInt(p.AuditID, 10) + langSuffix(l),
		Title:     text{Type: "text", Body: l.Tr(title)},
		Updated:   stamp(p.At),
		Published: stamp(p.At),
		Links: []link{
			{Rel: "alternate", Type: "text/html", Href: base + "/" + lang},
			// The month's published figures, for whoever wants the rows behind the totals.
			{Rel: "related", Type: "text/csv", Href: base + "/export/figures.csv?from=" + p.Month.String() + "&to=" + p.Month.String()},
		},
		Content: text{Type: "text", Body: Content(l, p, targets)},
	}
}

// Content is an entry's text: what was published, then each public target's
// totals as of the month, one line each.
func Content(l i18n.Locale, p Publication, targets []report.TargetProgress) string {
	var lines []string
	switch {
	case p.NothingToReport:
		lines = append(lines, l.Tr(i18n.M("feed.content.nothing", "month", p.Month)))
	case p.Revision():
		lines = append(lines, l.Tr(i18n.M("feed.content.revised", "month", p.Month, "number", p.Number)))
	default:
		lines = append(lines, l.Tr(i18n.M("feed.content.published", "month", p.Month)))
	}
	lines = append(lines, l.Tr(i18n.M("feed.content.totals", "month", p.Month)))
	for _, tp := range targets {
		if p.Month < tp.Target.Start {
			lines = append(lines, l.Tr(i18n.M("feed.content.not_begun", "name", tp.Target.Name(l.Lang), "start", tp.Target.Start)))
			continue
		}
		r := Through(tp, p.Month)
		lines = append(lines, l.Tr(i18n.M("feed.content.target", "name", tp.Target.Name(l.Lang),
			"progress", i18n.M("status.of_people", "achieved", r.Achieved, "target", tp.Target.Value, "percent", r.Percent))))
	}
	return strings.Join(lines, "\n")
}

// Through is a target's progress counting the published figures up to and
// including month m only: what its totals were once m was published, as the
// figures stand now (a later revision of an earlier month shows here too).
func Through(tp report.TargetProgress, m month.Month) progress.Result {
	var pts []progress.Point
	for i, x := range tp.Months {
		if x <= m && i < len(tp.Monthly) && tp.Monthly[i] != 0 {
			pts = append(pts, progress.Point{Month: x, Count: tp.Monthly[i]})
		}
	}
	return progress.Compute(tp.Target.Plan(), pts)
}

// langQuery is "?lang=ja" for a feed not in plain English.
func langQuery(l i18n.Locale) string {
	if l.Code() == "en" {
		return ""
	}
	return "?lang=" + url.QueryEscape(l.Code())
}

// langSuffix tells the ids of one language's feed from another's: a feed
// reader that follows two sees two feeds.
func langSuffix(l i18n.Locale) string {
	if l.Code() == "en" {
		return ""
	}
	return "/" + l.Code()
}

// hostOf is the tag URI's authority: the base URL's host name, without a port.
func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Hostname() == "" {
		return "localhost"
	}
	return strings.ToLower(u.Hostname())
}

// stamp writes a time as RFC 3339 in UTC, as Atom's date constructs want.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// The Atom document (RFC 4287), as encoding/xml writes it.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID        string      `xml:"id"`
	Title     text        `xml:"title"`
	Subtitle  *text       `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Author    *person     `xml:"author,omitempty"`
	Links     []link      `xml:"link"`
	Generator *generator  `xml:"generator,omitempty"`
	Entries   []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID        string `xml:"id"`
	Title     text   `xml:"title"`
	Updated   string `xml:"updated"`
	Published string `xml:"published,omitempty"`
	Links     []link `xml:"link"`
	Content   text   `xml:"content"`
}

type text struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type person struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type link struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type generator struct {
	URI  string `xml:"uri,attr,omitempty"`
	Body string `xml:",chardata"`
}
