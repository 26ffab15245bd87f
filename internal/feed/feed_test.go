package feed

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hrx/internal/audit"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/report"
	"hrx/internal/targets"
)

func skilled() targets.Target {
	return targets.Target{Slug: "skilled-workers", NameEN: "Skilled personnel from India to Japan", NameJA: "インドから日本への高度・専門人材", NameHI: "भारत से जापान कुशल कार्मिक",
		Value: 50000, Start: month.MustParse("2025-09"), End: month.MustParse("2030-08"),
		Filter: targets.Filter{Directions: targets.Codes{"IN-JP"}, SkilledOnly: true}, Published: true}
}

func later() targets.Target {
	t := skilled()
	t.Slug, t.NameEN, t.Start = "later", "A later target", month.MustParse("2026-01")
	return t
}

var cats = []reference.Category{{Code: "engineer", Skilled: true, NameEN: "Engineers"}}

func testReport() *report.Report {
	totals := []figures.Total{
		{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Total: 600},
		{Month: "2025-10", Direction: "IN-JP", Category: "engineer", Total: 650},
	}
	return &report.Report{Targets: []report.TargetProgress{report.Compute(skilled(), cats, totals), report.Compute(later(), cats, totals)}}
}

var at = time.Date(2025, 11, 5, 9, 30, 0, 0, time.UTC)

func testPublications() []Publication {
	return FromAudit([]audit.Entry{
		{ID: 41, At: at.Add(48 * time.Hour), Action: "publish", Entity: "month", EntityKey: "2025-10", After: `{"publication":2,"state":"published"}`},
		{ID: 40, At: at.Add(time.Hour), Action: "reopen", Entity: "month", EntityKey: "2025-10", After: `{"state":"open"}`},
		{ID: 30, At: at, Action: "publish", Entity: "month", EntityKey: "2025-10", After: `{"publication":1,"state":"published"}`},
		{ID: 20, At: at.Add(-24 * time.Hour), Action: "publish", Entity: "month", EntityKey: "2025-09", After: `{"publication":1,"state":"published"}`},
		{ID: 10, At: at.Add(-48 * time.Hour), Action: "publish", Entity: "month", EntityKey: "2025-08", After: `{"publication":1,"nothing_to_report":true,"state":"published"}`},
		{ID: 5, At: at, Action: "publish", Entity: "month", EntityKey: "not a month"},
	})
}

func TestFromAudit(t *testing.T) {
	pubs := testPublications()
	if len(pubs) != 4 {
		t.Fatalf("%d publications: %+v", len(pubs), pubs)
	}
	if !pubs[0].Revision() || pubs[0].Number != 2 || pubs[1].Revision() || !pubs[3].NothingToReport {
		t.Errorf("%+v", pubs)
	}
}

func TestThrough(t *testing.T) {
	tp := testReport().Targets[0]
	for m, want := range map[string]int64{"2025-08": 0, "2025-09": 600, "2025-10": 1250, "2026-03": 1250} {
		if got := Through(tp, month.MustParse(m)); got.Achieved != want {
			t.Errorf("through %s: %d, want %d", m, got.Achieved, want)
		}
	}
	if got := Through(tp, month.MustParse("2025-10")).Percent; got != 2.5 {
		t.Errorf("percent %v", got)
	}
}

func TestBuild(t *testing.T) {
	en := Build(Options{BaseURL: "https://hrx.example.gov.in:8443/", Locale: i18n.New(i18n.EN, "")}, testPublications(), testReport())
	if errs := Validate(en); len(errs) > 0 {
		t.Fatalf("invalid feed: %v\n%s", errs, en)
	}
	s := string(en)
	if strings.Contains(s, "no value") {
		t.Errorf("a message lacks an argument:\n%s", s)
	}
	for _, want := range []string{
		`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">`,
		`<id>tag:hrx.example.gov.in,2025:hrx/feed</id>`,
		`<link rel="self" type="application/atom+xml" href="https://hrx.example.gov.in:8443/feed.atom">`,
		`<updated>2025-11-07T09:30:00Z</updated>`,
		`<id>tag:hrx.example.gov.in,2025-11-07:hrx/publication/41</id>`,
		`October 2025 revised and published again`,
		`<title type="text">October 2025 published</title>`,
		`August 2025 published: nothing to report`,
		"Skilled personnel from India to Japan: 1,250 of 50,000 people (2.5%)",
		"Skilled personnel from India to Japan: 600 of 50,000 people (1.2%)",
		"A later target: counting starts in January 2026",
		`<link rel="related" type="text/csv" href="https://hrx.example.gov.in:8443/export/figures.csv?from=2025-10&amp;to=2025-10">`,
		"October 2025 was reopened, revised and published again (publication 2)",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("feed lacks %q\n%s", want, s)
		}
	}

	hi := Build(Options{BaseURL: "https://hrx.example.gov.in", Locale: i18n.New(i18n.HI, "")}, testPublications(), testReport())
	if errs := Validate(hi); len(errs) > 0 {
		t.Fatalf("invalid Hindi feed: %v", errs)
	}
	for _, want := range []string{`xml:lang="hi"`, "feed.atom?lang=hi", "hrx/publication/41/hi", "अक्टूबर 2025 प्रकाशित", "भारत से जापान कुशल कार्मिक: 1,250 / 50,000 लोग"} {
		if !strings.Contains(string(hi), want) {
			t.Errorf("Hindi feed lacks %q", want)
		}
	}
	ja := Build(Options{BaseURL: "https://hrx.example.gov.in", Locale: i18n.New(i18n.JA, "")}, testPublications(), testReport())
	if errs := Validate(ja); len(errs) > 0 || !strings.Contains(string(ja), "2025年10月分を公表") {
		t.Errorf("Japanese feed: %v\n%s", errs, ja)
	}

	empty := Build(Options{BaseURL: "http://localhost:8080", Locale: i18n.New(i18n.EN, "")}, nil, nil)
	if errs := Validate(empty); len(errs) > 0 || !strings.Contains(string(empty), "<updated>2025-08-29T00:00:00Z</updated>") {
		t.Errorf("empty feed: %v\n%s", errs, empty)
	}
	if !strings.Contains(string(empty), "tag:localhost,2025:hrx/feed") {
		t.Errorf("empty feed's id:\n%s", empty)
	}
}

// TestValidateRefuses: each rule of RFC 4287 that Validate checks, broken once.
func TestValidateRefuses(t *testing.T) {
	good := string(Build(Options{BaseURL: "https://hrx.example.gov.in", Locale: i18n.New(i18n.EN, "")}, testPublications(), testReport()))
	cases := map[string]string{
		"not XML":            strings.Replace(good, "</feed>", "", 1),
		"not Atom":           strings.Replace(good, `xmlns="http://www.w3.org/2005/Atom"`, `xmlns="http://example.org/"`, 1),
		"no feed id":         strings.Replace(good, "<id>tag:hrx.example.gov.in,2025:hrx/feed</id>", "", 1),
		"relative id":        strings.Replace(good, "<id>tag:hrx.example.gov.in,2025:hrx/feed</id>", "<id>feed</id>", 1),
		"two titles":         strings.Replace(good, "<updated>", `<title>again</title><updated>`, 1),
		"bad date":           strings.Replace(good, "2025-11-07T09:30:00Z", "7 Nov 2025 09:30 GMT", 1),
		"lower-case t":       strings.Replace(good, "2025-11-07T09:30:00Z", "2025-11-07t09:30:00Z", 1),
		"no author":          regexpReplace(good, `(?s)<author>.*?</author>`, ""),
		"two alternates":     strings.Replace(good, `<link rel="alternate"`, `<link rel="alternate" type="text/html" href="/x"></link><link rel="alternate"`, 1),
		"no self":            strings.Replace(good, `rel="self"`, `rel="related"`, 1),
		"entry without date": strings.Replace(good, "<updated>2025-11-07T09:30:00Z</updated>\n    <published>", "<published>", 1),
		"text type":          strings.Replace(good, `<title type="text">`, `<title type="markdown">`, 1),
	}
	for name, doc := range cases {
		if doc == good {
			t.Fatalf("%s: the case changed nothing", name)
		}
		if errs := Validate([]byte(doc)); len(errs) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestAtomSchema validates the feed with xmllint against a RELAX NG schema
// of Atom (testdata/atom.rng, written from RFC 4287's appendix B), when
// xmllint is installed (apt-get install libxml2-utils).
func TestAtomSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed")
	}
	dir := t.TempDir()
	for _, l := range []i18n.Locale{i18n.New(i18n.EN, ""), i18n.New(i18n.JA, ""), i18n.New(i18n.HI, "")} {
		for name, doc := range map[string][]byte{
			"full":  Build(Options{BaseURL: "https://hrx.example.gov.in", Locale: l}, testPublications(), testReport()),
			"empty": Build(Options{BaseURL: "https://hrx.example.gov.in", Locale: l}, nil, nil),
		} {
			path := filepath.Join(dir, name+"-"+l.Code()+".atom")
			if err := os.WriteFile(path, doc, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(xmllint, "--noout", "--relaxng", "testdata/atom.rng", path).CombinedOutput()
			if err != nil {
				t.Errorf("%s %s: %v\n%s", name, l.Code(), err, out)
			}
		}
	}
	// The schema refuses what it should.
	bad := strings.Replace(string(Build(Options{BaseURL: "https://hrx.example.gov.in", Locale: i18n.New(i18n.EN, "")}, testPublications(), testReport())), "<updated>2025-11-07T09:30:00Z</updated>", "", 1)
	path := filepath.Join(dir, "bad.atom")
	os.WriteFile(path, []byte(bad), 0o644)
	if out, err := exec.Command(xmllint, "--noout", "--relaxng", "testdata/atom.rng", path).CombinedOutput(); err == nil {
		t.Errorf("the schema accepted a feed without atom:updated\n%s", out)
	}
}

func regexpReplace(s, expr, with string) string {
	return regexp.MustCompile(expr).ReplaceAllString(s, with)
}
