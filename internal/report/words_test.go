package report

import (
	"strings"
	"testing"
	"time"

	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/progress"
)

// TestStatusWords: every status has a word, a phrase and a shape in every
// language, and an unknown status reads as not started.
func TestStatusWords(t *testing.T) {
	for _, st := range Statuses {
		if StatusShape(st) == "" {
			t.Errorf("%s: no shape", st)
		}
		for _, lang := range i18n.Langs {
			l := i18n.New(lang, "")
			for _, m := range []i18n.Msg{StatusWord(st), StatusPhrase(st)} {
				if s := l.Tr(m); s == "" || s == m.ID {
					t.Errorf("%s %s: %q", lang, m.ID, s)
				}
			}
		}
	}
	if StatusWord("sideways").ID != StatusWord(progress.NotStarted).ID || StatusShape("sideways") != "○" {
		t.Error("an unknown status does not read as not started")
	}
}

// TestSentences pins the shared sentences, in each language, for the
// demonstration's skilled target on 27 November 2026.
func TestSentences(t *testing.T) {
	tp := Compute(seeded[1], categories(), demoTotals(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)))
	empty := Compute(seeded[1], categories(), nil)
	need, ok := tp.Need()
	if !ok {
		t.Fatal("the skilled target needs no one")
	}
	for _, c := range []struct {
		lang i18n.Lang
		m    i18n.Msg
		want string
	}{
		{i18n.EN, tp.Headline(), "9,592 of 50,000 people (19.2%)"},
		{i18n.EN, tp.OfTarget(), "of 50,000 people"},
		{i18n.EN, tp.AsOf(), "As of October 2026"},
		{i18n.EN, need, "879 people a month still needed"},
		{i18n.EN, tp.Sentence("Skilled"), "By the end of October 2026, 9,592 people had moved: 19.2% of the target, 2,075 behind the expected 11,667."},
		{i18n.EN, tp.Summary("Skilled"), "Skilled: 9,592 of 50,000 people (19.2%), off track, as of October 2026"},
		{i18n.EN, empty.Summary("Skilled"), "Skilled: target 50,000 people from September 2025 to August 2030; no figures published yet"},
		{i18n.EN, empty.TargetWindow(), "Target: 50,000 people, September 2025 to August 2030"},
		{i18n.EN, empty.FirstMonth(), "First month counted: September 2025"},
		{i18n.EN, NoFiguresYet(), "No figures published yet"},
		{i18n.JA, empty.FirstMonth(), "最初の対象月：2025年9月"},
		{i18n.JA, empty.Summary("高度人材"), "高度人材：2025年9月から2030年8月までに50,000人が目標。公表された数値はまだありません"},
		{i18n.HI, empty.FirstMonth(), "गिनती सितंबर 2025 से"},
		{i18n.HI, empty.TargetWindow(), "लक्ष्य: सितंबर 2025 से अगस्त 2030 तक 50,000 लोग"},
		{i18n.EN, empty.Sentence("Skilled"), "Skilled: no figures have been recorded in the target window yet."},
		{i18n.EN, empty.TargetBy(), "Target: 50,000 people by August 2030"},
		{i18n.JA, tp.Headline(), "9,592人／50,000人（19.2%）"},
		{i18n.JA, tp.Summary("高度人材"), "高度人材：9,592人／50,000人（19.2%）、遅れ、2026年10月時点"},
		{i18n.HI, tp.Headline(), "9,592 / 50,000 लोग (19.2%)"},
		{i18n.HI, tp.Sentence("कुशल"), "अक्टूबर 2026 के अंत तक 9,592 लोग जा चुके थे: लक्ष्य का 19.2%, अपेक्षित 11,667 से 2,075 कम।"},
	} {
		if got := i18n.New(c.lang, "").Tr(c.m); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.lang, c.m.ID, got, c.want)
		}
	}
	achieved := tp
	achieved.Result.Status = progress.Achieved
	if _, ok := achieved.Need(); ok {
		t.Error("an achieved target still needs people")
	}
	if !empty.Empty() || tp.Empty() {
		t.Error("Empty is wrong")
	}
	if _, ok := empty.Need(); ok {
		t.Error("a target without figures says how many people a month are needed")
	}
}

// TestCharts: the charts' words are the reader's, and the descriptions say
// the one thing to take away.
func TestCharts(t *testing.T) {
	tp := Compute(seeded[1], categories(), demoTotals(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)))
	en, ja := i18n.New(i18n.EN, ""), i18n.New(i18n.JA, "")

	c := tp.CumulativeChart(en, "cum", nil)
	if c.Title != "Skilled: people counted so far against the target" || c.TargetLabel != "Target 50,000" ||
		c.ActualLabel != "Achieved" || c.ExpectedLabel != "Expected path" || c.ProjectionLabel != "Projection at the current rate" ||
		c.Desc != en.Tr(tp.Sentence("Skilled")) || len(c.Labels) != 60 || c.Labels[0] != "Sep 2025" || len(c.Actual) != 14 {
		t.Errorf("cumulative: %+v", c)
	}
	if c := tp.CumulativeChart(ja, "cum", nil); c.Labels[0] != "2025年9月" || c.ExpectedLabel != "想定ペース" {
		t.Errorf("cumulative in Japanese: %q, %q", c.Labels[0], c.ExpectedLabel)
	}

	bars := tp.BarsChart(en, "bars", map[month.Month]bool{})
	if !strings.Contains(bars.Desc, "is the largest category, with") || bars.MarkedLabel != "Not published yet" {
		t.Errorf("bars: %q, %q", bars.Desc, bars.MarkedLabel)
	}
	split := tp.SplitChart(en, "split")
	if split.Title != "Skilled: people by direction" || split.Desc != "100% of the 9,592 people counted moved India to Japan." {
		t.Errorf("split: %q, %q", split.Title, split.Desc)
	}
	if none := Compute(seeded[1], categories(), []figures.Total{}).SplitChart(en, "split"); none.Desc != "No people have been counted in the window yet." {
		t.Errorf("split without figures: %q", none.Desc)
	}

	spark, ok := tp.Sparkline(en, "spark", 12)
	if !ok || len(spark.Values) != 12 || spark.Title != "People counted each month, the last 12 months" || spark.Desc != "794 people in October 2026" {
		t.Errorf("sparkline: %+v", spark)
	}
	if one, _ := tp.Sparkline(en, "spark", 1); one.Title != "People counted in the last month" {
		t.Errorf("sparkline of one month: %q", one.Title)
	}
	if _, ok := Compute(seeded[1], categories(), nil).Sparkline(en, "spark", 12); ok {
		t.Error("a sparkline without figures")
	}
}
