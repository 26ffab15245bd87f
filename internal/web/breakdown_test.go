package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/figures"
	"hrx/internal/users"
)

// The breakdowns of the known data: 1,500 people in the targets' window
// (September and October 2025), 300 of them with a sector, an Indian state
// and a prefecture; August is before the window.
func TestBreakdownPage(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	// Not published: never shown.
	e.insert(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "ssw", Sector: "nursing_care", Origin: "IN-TN", Destination: "JP-27", Count: 999})
	b := e.browser()

	st, body := b.get("/breakdown")
	if st != http.StatusOK {
		t.Fatalf("status %d\n%s", st, body)
	}
	txt := text(body)
	mustContain(t, txt, "1,500 people moved from September 2025 to October 2025 (Both directions)",
		"Sector known for 20 % of people.", "State or union territory known for 20 % of people.", "Prefecture known for 20 % of people.",
		"IT and software Other sector it_software 300 100%", "Not known 1,200", "Karnataka IN-KA 300", "Tokyo JP-13 300")
	mustContain(t, body, `<svg xmlns="http://www.w3.org/2000/svg" class="hrx-chart hrx-tilegrid"`, `class="hrx-chart hrx-hbars"`,
		`value="2025-09"`, `value="2025-10"`)
	for _, no := range []string{"Nursing care", "Tamil Nadu", "Osaka", "999"} {
		if strings.Contains(txt, no) {
			t.Errorf("unpublished %q shown", no)
		}
	}
	// Each map is a small image.
	for _, id := range []string{"map-india", "map-japan"} {
		i := strings.Index(body, `aria-labelledby="`+id+`-title`)
		j := strings.Index(body[i:], "</svg>")
		if i < 0 || j > 16*1024 {
			t.Errorf("%s: at %d, %d bytes", id, i, j)
		}
	}

	// A direction: Japan to India has no breakdown at all.
	_, body = b.get("/breakdown?direction=JP-IN")
	mustContain(t, text(body), "800 people moved", "Sector known for 0 % of people.", "Prefecture known for 0 % of people.", "Not known 800")

	// A period.
	_, body = b.get("/breakdown?from=2025-10&to=2025-10&direction=IN-JP")
	mustContain(t, text(body), "200 people moved from October 2025 to October 2025 (India to Japan)", "Sector known for 0 % of people.")
	_, body = b.get("/breakdown?from=2025-09&to=2025-09&direction=IN-JP")
	mustContain(t, text(body), "500 people moved", "Sector known for 60 % of people.", "Karnataka IN-KA 300 100%")
	_, body = b.get("/breakdown?from=2025-08&to=2025-08")
	mustContain(t, text(body), "1,000 people moved", "Sector known for 0 % of people.")
	// A period after the figures.
	_, body = b.get("/breakdown?from=2026-01&to=2026-03")
	mustContain(t, text(body), "No people are published for this period and direction.")

	// Questions that cannot be answered: said beside their fields.
	st, body = b.get("/breakdown?from=2025-13&to=2025-10&direction=XX")
	if st != http.StatusUnprocessableEntity {
		t.Errorf("bad months: status %d", st)
	}
	mustContain(t, text(body), "There is a problem", "Enter a month as year and month, for example 2025-09", "Choose a direction from the list")
	st, body = b.get("/breakdown?from=2025-10&to=2025-09")
	if st != http.StatusUnprocessableEntity {
		t.Errorf("months in the wrong order: status %d", st)
	}
	mustContain(t, text(body), "Enter an end month that is not before the start month")

	// The dashboard links to it.
	_, body = b.get("/")
	mustContain(t, body, `href="/breakdown"`)
}

func TestBreakdownOfTarget(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	b := e.browser()
	st, body := b.get("/targets/total-exchange/breakdown")
	if st != http.StatusOK {
		t.Fatalf("status %d\n%s", st, body)
	}
	mustContain(t, text(body), "1,500 people moved", "Sector known for 20 % of people.")
	_, body = b.get("/targets/total-exchange")
	mustContain(t, body, `href="/targets/total-exchange/breakdown"`)
	st, body = b.get("/targets/skilled-workers/breakdown")
	if st != http.StatusOK {
		t.Fatalf("status %d\n%s", st, body)
	}
	mustContain(t, text(body), "600 people moved", "Sector known for 50 % of people.")
	if st, _ := b.get("/targets/no-such-target/breakdown"); st != http.StatusNotFound {
		t.Errorf("unknown target: status %d", st)
	}
}

// The page in Japanese and Hindi.
func TestBreakdownLanguages(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	for lang, wants := range map[string][]string{
		"ja": {"人の出身地と行き先", "分野が分かっているのは20%の人です。", "都道府県が分かっているのは20%の人です。", "東京都", "2025年9月"},
		"hi": {"लोग कहाँ से आते हैं और कहाँ जाते हैं", "20% लोगों का क्षेत्र ज्ञात है।", "कर्नाटक", "सितंबर 2025"},
	} {
		b := e.browser()
		b.get("/language?lang=" + lang)
		st, body := b.get("/breakdown")
		if st != http.StatusOK {
			t.Fatalf("%s: status %d", lang, st)
		}
		mustContain(t, text(body), wants...)
		mustContain(t, body, `lang="`+lang+`"`)
	}
}

// A month published after the breakdowns were read shows at once.
func TestBreakdownAfterPublication(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	b := e.browser()
	_, body := b.get("/breakdown?from=2025-09&to=2025-11")
	mustContain(t, text(body), "1,500 people moved", "Sector known for 20 % of people.")
	e.insertPublished(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "ssw", Sector: "nursing_care", Origin: "IN-TN", Destination: "JP-27", Count: 500})
	_, body = b.get("/breakdown?from=2025-09&to=2025-11")
	mustContain(t, text(body), "2,000 people moved", "Sector known for 40 % of people.", "Nursing care Specified skilled field nursing_care 500", "Tamil Nadu IN-TN 500", "Osaka JP-27 500")
}

// A month reopened keeps its published breakdowns until it is published
// again; then the revision shows.
func TestBreakdownRevisedMonth(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	b := e.browser()
	_, body := b.get("/breakdown?from=2025-10&to=2025-10")
	mustContain(t, text(body), "500 people moved", "Sector known for 0 % of people.")
	if _, err := approval.NewStore(e.db, figures.NewStore(e.db)).Do(context.Background(), audit.System("test"), users.Admin, "2025-10", approval.Reopen, "revision"); err != nil {
		t.Fatal(err)
	}
	e.insert(figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "ssw", Sector: "construction", Origin: "IN-KL", Destination: "JP-23", Count: 100})
	_, body = b.get("/breakdown?from=2025-10&to=2025-10")
	mustContain(t, text(body), "500 people moved", "Sector known for 0 % of people.")
	if strings.Contains(text(body), "Kerala") {
		t.Error("a figure not yet published is shown")
	}
	e.publish("2025-10")
	_, body = b.get("/breakdown?from=2025-10&to=2025-10")
	mustContain(t, text(body), "600 people moved", "Sector known for 17 % of people.", "Construction Specified skilled field construction 100", "Kerala IN-KL 100", "Aichi JP-23 100")
}
