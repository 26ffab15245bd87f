package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"hrx/internal/browsertest"
	"hrx/internal/config"
	"hrx/internal/users"
)

// startChromium starts headless Chromium for one test and returns a tab; the
// test is skipped when there is no browser or with -short.
func startChromium(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	bin := browsertest.ChromiumPath()
	if bin == "" {
		t.Skip("browser test: no Chromium found (chromium, chromium-browser or google-chrome in PATH, or /usr/bin/chromium); install one to run it")
	}
	began := time.Now()
	t.Cleanup(func() { t.Logf("browser test took %v", time.Since(began).Round(time.Millisecond)) })
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	var out browsertest.LockedBuffer
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, browsertest.Options(bin, t.TempDir(), 1366, 900, &out)...)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start %s: %v\n%s", bin, err, out.String())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("browser output:\n%s", out.String())
		}
	})
	return tab
}

// setWidth makes the tab's viewport w CSS pixels wide, as on a phone held upright.
func setWidth(t *testing.T, tab context.Context, w int64) {
	t.Helper()
	if _, err := chromedp.Call(tab, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: w, Height: 800, DeviceScaleFactor: 1}); err != nil {
		t.Fatal(err)
	}
}

// goTo loads a page and waits for it.
func goTo(t *testing.T, tab context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
}

// signInBrowser signs in through the form in the tab.
func signInBrowser(t *testing.T, tab context.Context, e *env, email string) {
	t.Helper()
	if err := chromedp.Do(tab,
		chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
	); err != nil {
		t.Fatalf("sign in as %s: %v", email, err)
	}
}

// sideways is what makes a page wider than its viewport.
type sideways struct {
	ScrollWidth int      `json:"scrollWidth"`
	Viewport    int      `json:"viewport"`
	Lang        string   `json:"lang"`
	Wide        []string `json:"wide"` // the outermost elements that reach past the right edge
	HeaderWidth float64  `json:"headerWidth"`
}

const sidewaysJS = `(() => {
	const vw = window.innerWidth, wide = [];
	for (const el of document.body.querySelectorAll("*")) {
		const r = el.getBoundingClientRect();
		if (r.right > vw + 0.5 && r.width > 0 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > vw + 0.5)) {
			let scroller = el.parentElement;
			while (scroller && getComputedStyle(scroller).overflowX === "visible") scroller = scroller.parentElement;
			if (scroller && scroller !== document.body && scroller !== document.documentElement) continue; // scrolls in its own box
			wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && el.className.baseVal === undefined ? "." + String(el.className).trim().replace(/\s+/g, ".") : "") +
				" right " + Math.round(r.right) + ": " + (el.innerText || el.textContent || "").trim().slice(0, 40));
		}
	}
	const h = document.querySelector(".site-header");
	return {scrollWidth: document.documentElement.scrollWidth, viewport: vw, lang: document.documentElement.lang,
		wide: wide.slice(0, 8), headerWidth: h ? h.getBoundingClientRect().width : 0};
})()`

// TestBrowserNoSidewaysScroll loads every page but the month's rows at 360 and
// 390 px in English, Japanese and Hindi, signed in where the page needs it,
// and fails when the page is wider than the screen (scrollWidth above the
// viewport's width) or the header does not span the width. Wide tables
// scroll inside their own box, with the first column kept in view.
func TestBrowserNoSidewaysScroll(t *testing.T) {
	tab := startChromium(t, 120*time.Second)
	e := newEnv(t)
	knownData(e)
	e.addUser("admin@example.gov.in", users.Admin)
	public := []string{"/", "/targets/skilled-workers", "/targets/total-exchange", "/widgets", "/widgets?style=chart",
		"/login", "/help/upload", "/no/such/page", "/breakdown", "/targets/skilled-workers/breakdown",
		"/targets/skilled-workers/plan", "/targets/total-exchange/plan?mode=fixed&fixed=9000", "/reports", "/reports/2026"}
	staff := []string{"/?unpublished=1", "/targets/skilled-workers?unpublished=1", "/months", "/months/2025-09", "/months/2025-11",
		"/months/2025-09/rows?direction=IN-JP&category=engineer", "/imports", "/imports/new", "/audit", "/notifications", "/admin/jobs",
		"/admin/users", "/admin/tokens", "/admin/targets", "/admin/targets?edit=skilled-workers",
		"/admin/categories", "/admin/categories?edit=ssw", "/admin/settings", "/account",
		"/admin/bodies", "/completeness", "/completeness?body=0"}
	check := func(lang string, paths []string) {
		t.Helper()
		goTo(t, tab, e.srv.URL+"/language?lang="+lang+"&next=/")
		for _, w := range []int64{360, 390} {
			setWidth(t, tab, w)
			for _, p := range paths {
				goTo(t, tab, e.srv.URL+p)
				s, err := chromedp.Run(tab, chromedp.Evaluate[sideways](sidewaysJS))
				if err != nil {
					t.Fatalf("%s %s: %v", lang, p, err)
				}
				if s.Lang != lang {
					t.Errorf("%s at %d px is in %q, want %s", p, w, s.Lang, lang)
				}
				if s.ScrollWidth > s.Viewport {
					t.Errorf("%s in %s at %d px scrolls sideways: %d px wide; too wide: %q", p, lang, w, s.ScrollWidth, s.Wide)
				}
				if int(s.HeaderWidth+0.5) != s.Viewport {
					t.Errorf("%s in %s at %d px: the header is %.1f px wide, not the screen's %d", p, lang, w, s.HeaderWidth, s.Viewport)
				}
			}
		}
	}
	for _, lang := range []string{"en", "ja", "hi"} {
		check(lang, public)
	}
	signInBrowser(t, tab, e, "admin@example.gov.in")
	for _, lang := range []string{"en", "ja", "hi"} {
		check(lang, staff)
	}

	// A wide table scrolls in its own box, its first column staying in view.
	setWidth(t, tab, 360)
	goTo(t, tab, e.srv.URL+"/targets/skilled-workers?lang=en")
	type sticky struct {
		Scrolls  bool    `json:"scrolls"`
		Before   float64 `json:"before"`
		After    float64 `json:"after"`
		Position string  `json:"position"`
	}
	st, err := chromedp.Run(tab, chromedp.Evaluate[sticky](`(() => {
		const box = document.querySelector(".chart-data .table-scroll");
		box.closest("details").open = true;
		const th = box.querySelector("tbody th");
		const before = th.getBoundingClientRect().left;
		box.scrollLeft = 200;
		return {scrolls: box.scrollWidth > box.clientWidth, before, after: th.getBoundingClientRect().left, position: getComputedStyle(th).position};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Scrolls || st.Position != "sticky" || st.After != st.Before {
		t.Errorf("the months-by-category table at 360 px: %+v; want it to scroll in its box with its first column in place", st)
	}
}

// chartText is the drawn size of the text on a page's charts: each label's
// font size times the scale its SVG is drawn at (not its box, whose height
// depends on which fonts the machine has).
type chartText struct {
	Count    int       `json:"count"`
	Heights  []float64 `json:"heights"`
	Bad      []string  `json:"bad"`
	Min, Max float64
}

const chartTextJS = `(() => {
	const out = {count: 0, heights: [], bad: []};
	for (const el of document.querySelectorAll("svg.hrx-chart text")) {
		const r = el.getBoundingClientRect();
		if (r.width === 0 || r.height === 0) continue; // not shown at this width
		const m = el.getScreenCTM();
		const size = parseFloat(getComputedStyle(el).fontSize) * Math.hypot(m.b, m.d);
		out.count++;
		out.heights.push(size);
		if (size < 12 || size > 16) out.bad.push(size.toFixed(2) + " px: " + el.textContent);
	}
	return out;
})()`

func (c *chartText) summarise() {
	c.Min, c.Max = 99, 0
	for _, h := range c.Heights {
		c.Min, c.Max = min(c.Min, h), max(c.Max, h)
	}
}

// TestBrowserChartText measures the text on the charts, as drawn: every
// label drawn at 12 to 16 px at 390 and 1366 px on the dashboard, a
// target page, its planner and the breakdown page, in English, Japanese and Hindi, and inside the chart widget's
// iframe at 360 px. The text keeps its size while the charts change width.
func TestBrowserChartText(t *testing.T) {
	tab := startChromium(t, 90*time.Second)
	e := newEnv(t)
	knownData(e)
	measure := func(what string, eval func() (chartText, error)) chartText {
		t.Helper()
		c, err := eval()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		c.summarise()
		t.Logf("%s: %d labels, drawn at %.1f–%.1f px", what, c.Count, c.Min, c.Max)
		if c.Count < 10 {
			t.Errorf("%s: only %d chart labels shown", what, c.Count)
		}
		if len(c.Bad) > 0 {
			t.Errorf("%s: labels outside 12–16 px: %q", what, c.Bad)
		}
		return c
	}
	for _, lang := range []string{"en", "ja", "hi"} {
		for _, w := range []int64{390, 1366} {
			setWidth(t, tab, w)
			for _, p := range []string{"/", "/targets/skilled-workers", "/targets/skilled-workers/plan", "/breakdown", "/reports/2026"} {
				goTo(t, tab, e.srv.URL+p+"?lang="+lang)
				measure(fmt.Sprintf("%s in %s at %d px", p, lang, w), func() (chartText, error) {
					return chromedp.Run(tab, chromedp.Evaluate[chartText](chartTextJS))
				})
			}
		}
	}

	// The chart widget in a 360 px iframe on another site's page.
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head><body>`+
			`<iframe src="%s/embed/skilled-workers?style=chart&amp;lang=%s" width="360" height="480" title="Progress" style="border:0"></iframe></body></html>`,
			e.srv.URL, r.URL.Query().Get("lang"))
	}))
	t.Cleanup(host.Close)
	setWidth(t, tab, 1000)
	for _, lang := range []string{"en", "ja", "hi"} {
		goTo(t, tab, host.URL+"/?lang="+lang)
		fe := newFrameEval(t, tab, 0)
		var c chartText
		measure("chart widget in a 360 px iframe, "+lang, func() (chartText, error) {
			deadline := time.Now().Add(5 * time.Second)
			for {
				err := fe.eval(chartTextJS, &c)
				if err == nil && c.Count > 0 || time.Now().After(deadline) {
					return c, err
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
		fe.close()
	}
}

// TestBrowserWidgetHeights loads the iframe snippets the widget builder
// gives, as a partner's page would show them (up to their width, on a wide
// and a phone screen), and checks that each iframe fits its widget: the card
// leaves less than 20 px blank under its content, and no style cuts its
// widget off, in English, Japanese and Hindi.
func TestBrowserWidgetHeights(t *testing.T) {
	tab := startChromium(t, 90*time.Second)
	e := newEnv(t)
	knownData(e)
	b := e.browser()
	snippets := map[string]string{}
	for _, style := range []string{"card", "bar", "chart", "breakdown"} {
		for _, lang := range []string{"en", "ja", "hi"} {
			_, body := b.get("/widgets?target=skilled-workers&style=" + style + "&wlang=" + lang)
			// The snippet names the configured address; the test's server is elsewhere.
			snippets[style+"/"+lang] = strings.ReplaceAll(snippetOf(t, body, "snippet-iframe"), config.Defaults().PublicBaseURL(), e.srv.URL)
		}
	}
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		script := "" // embed.js for another widget on the same page
		if r.URL.Query().Get("js") != "" {
			script = `<script src="` + e.srv.URL + `/embed.js" async></script>`
		}
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Host</title></head><body style="margin:0 16px">%s%s</body></html>`,
			snippets[r.URL.Query().Get("s")], script)
	}))
	t.Cleanup(host.Close)
	const frameJS = `(() => { const r = document.querySelector("iframe").getBoundingClientRect(); return r.height; })()`
	const contentJS = `document.querySelector("main.w") && document.readyState === "complete" ?
		{frame: window.innerHeight, content: document.body.getBoundingClientRect().height, scroll: document.documentElement.scrollHeight} : null`
	for _, w := range []int64{1000, 360} {
		setWidth(t, tab, w)
		for key := range snippets {
			goTo(t, tab, host.URL+"/?s="+key)
			f := widgetFit(t, tab, contentJS)
			frame, err := chromedp.Run(tab, chromedp.Evaluate[float64](frameJS))
			if err != nil {
				t.Fatal(err)
			}
			blank := frame - f.Content
			t.Logf("%s at %d px: iframe %.0f px, widget %.1f px, blank %.1f px", key, w, frame, f.Content, blank)
			if blank < -0.5 || float64(f.Scroll) > f.Frame+1 {
				t.Errorf("%s at %d px: the iframe (%.0f px) cuts off its widget (%.1f px)", key, w, frame, f.Content)
			}
			if strings.HasPrefix(key, "card/") && blank >= 20 {
				t.Errorf("%s at %d px: %.1f px blank under the widget, want under 20", key, w, blank)
			}
		}
	}

	// With embed.js also on the page, the pasted iframe follows its widget's height.
	setWidth(t, tab, 1000)
	goTo(t, tab, host.URL+"/?s=chart/en&js=1")
	deadline := time.Now().Add(5 * time.Second)
	for {
		f := widgetFit(t, tab, contentJS)
		frame, err := chromedp.Run(tab, chromedp.Evaluate[float64](frameJS))
		if err != nil {
			t.Fatal(err)
		}
		if frame-f.Content >= -0.5 && frame-f.Content <= 2 {
			t.Logf("chart/en with embed.js: iframe %.0f px, widget %.1f px", frame, f.Content)
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("with embed.js on the page the iframe stays %.0f px for a widget of %.1f px", frame, f.Content)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// snippetOf is the text of the widget builder's textarea with the id: a snippet to paste.
func snippetOf(t *testing.T, body, id string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `<textarea id="`+id+`"`)
	if !ok {
		t.Fatalf("no %s on the widget builder", id)
	}
	_, rest, _ = strings.Cut(rest, ">")
	s, _, _ := strings.Cut(rest, "</textarea>")
	return html.UnescapeString(s)
}

// fit is a widget as seen from inside its iframe.
type fit struct {
	Frame   float64 `json:"frame"`   // the iframe's height
	Content float64 `json:"content"` // the widget's
	Scroll  int     `json:"scroll"`  // the document's scroll height
}

// widgetFit waits for the widget in the page's first iframe to load and
// measures it with js, which answers null until the widget is there.
func widgetFit(t *testing.T, tab context.Context, js string) fit {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		fe := newFrameEval(t, tab, 0)
		var f *fit
		err := fe.eval(js, &f)
		fe.close()
		if err == nil && f != nil {
			return *f
		}
		if time.Now().After(deadline) {
			var u string
			fe := newFrameEval(t, tab, 0)
			e2 := fe.eval(`JSON.stringify([document.URL, document.readyState, !!document.querySelector("main.w")])`, &u)
			fe.close()
			t.Fatalf("the widget did not load in 5 s: %v %s %v", err, u, e2)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
