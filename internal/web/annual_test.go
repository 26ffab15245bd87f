package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/users"
)

func TestAnnualReport(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	b := e.browser()

	st, body := b.get("/reports")
	if st != http.StatusOK {
		t.Fatalf("/reports: %d", st)
	}
	// 2025-08 is in the year ending in 2025; September and October 2025 in 2026's, so far.
	mustContain(t, text(body), "2025–26 (September 2025 – August 2026), so far: up to October 2025", "2024–25 (September 2024 – August 2025)")
	mustContain(t, body, `href="/reports/2026"`, `href="/reports/2025"`)

	st, body = b.get("/reports/2026")
	if st != http.StatusOK {
		t.Fatalf("/reports/2026: %d", st)
	}
	tx := text(body)
	mustContain(t, tx,
		"Annual review 2025–26",
		// 300+100+100+500 in September, 200+300 in October; 1,000 in August 2025, not in the same months.
		"So far in 2025–26, up to October 2025, 1,500 people moved.",
		"Skilled personnel from India to Japan: 600 people so far this year against 1,667 expected on its path by October 2025.",
		"September 2025 500 500 1,000 0",
		"October 2025 200 300 500 0",
		"The year 700 800 1,500 0",
		"Figures confirmed with a reason",
		"No month of the year was revised after its publication.",
	)
	mustContain(t, body, `<a href="/reports"`, `href="/static/`, "annual")
	// The second request comes from the page cache, identical.
	if _, again := b.get("/reports/2026"); again != body {
		t.Error("the cached report differs from the first")
	}

	// A revision: October reopened and published again, with its reason.
	ctx := context.Background()
	ap := approval.NewStore(e.db, figures.NewStore(e.db))
	actor := audit.System("test")
	if _, err := ap.Do(ctx, actor, users.Admin, "2025-10", approval.Reopen, "the student agency corrected October"); err != nil {
		t.Fatal(err)
	}
	_, body = b.get("/reports/2026")
	mustContain(t, text(body), "No month of the year was revised") // reopened, not yet published again
	if _, err := ap.PublishRange(ctx, actor, month.MustParse("2025-10"), month.MustParse("2025-10"), approval.RangeOptions{SingleApprover: true, ConfirmFlags: "test data"}); err != nil {
		t.Fatal(err)
	}
	_, body = b.get("/reports/2026")
	mustContain(t, text(body), "the student agency corrected October", "1 month was published again after a revision.")

	// In Japanese and Hindi, numbers and months in the reader's convention.
	_, body = b.get("/reports/2026?lang=ja")
	mustContain(t, text(body), "年次レビュー 2025–26年度", "2025年10月までに1,500人が移動しました")
	_, body = b.get("/reports/2026?lang=hi")
	mustContain(t, text(body), "वार्षिक समीक्षा 2025–26", "1,500 लोग गए")

	for _, p := range []string{"/reports/2031?lang=en", "/reports/2024?lang=en", "/reports/twenty?lang=en"} {
		if st, body := b.get(p); st != http.StatusNotFound || !strings.Contains(text(body), "There is no annual report for") {
			t.Errorf("%s: %d %.200s", p, st, text(body))
		}
	}
}

func TestAnnualReportEmpty(t *testing.T) {
	e := newEnv(t)
	st, body := e.browser().get("/reports")
	if st != http.StatusOK {
		t.Fatal(st)
	}
	mustContain(t, text(body), "No figures are published yet, so there is no annual report.")
}
