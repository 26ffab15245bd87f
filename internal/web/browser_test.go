package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"hrx/internal/browsertest"
)

// TestBrowserEmbedScript loads a page from another origin that embeds two
// widgets with embed.js, under a strict Content-Security-Policy, in headless
// Chromium. It checks that each iframe is as tall as the widget inside it,
// also after the page changes width, that the widgets show the right figures,
// and that height messages from anything but the widget's own iframe are
// ignored.
//
// The host page is served twice: from another port of 127.0.0.1 (another
// origin on the same site, so the iframes share the page's process) and from
// localhost (another site, as on a real partner's website, where Chromium
// runs each iframe in a process of its own).
func TestBrowserEmbedScript(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	bin := browsertest.ChromiumPath()
	if bin == "" {
		t.Skip("browser test: no Chromium found (chromium, chromium-browser or google-chrome in PATH, or /usr/bin/chromium); install one to run it")
	}
	began := time.Now()
	defer func() { t.Logf("browser test took %v", time.Since(began).Round(time.Millisecond)) }()

	e := newEnv(t)
	knownData(e) // skilled-workers: 600 of 50,000 people; total-exchange: 1,500 of 500,000
	hrx := e.srv.URL

	hostPage := fmt.Sprintf(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Partner news</title></head>
<body>
<h1>Partner news</h1>
<p>Some text before the first widget, as on any article page.</p>
<div id="narrow" style="width:360px;max-width:100%%">
<script src="%[1]s/embed.js" data-target="skilled-workers" data-style="card" async></script>
</div>
<p>Some text between the widgets.</p>
<script src="%[1]s/embed.js" data-target="total-exchange" data-style="bar" async></script>
<p id="after">Some text after the widgets.</p>
<script>document.title = "inline script ran"</script>
</body>
</html>
`, hrx)
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", "frame-src "+hrx+"; script-src "+hrx)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, hostPage)
	}))
	t.Cleanup(host.Close)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out browsertest.LockedBuffer
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, browsertest.Options(bin, t.TempDir(), 1000, 800, &out)...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v\n%s", bin, err, out.String())
	}
	defer func() {
		if t.Failed() {
			t.Logf("browser output:\n%s", out.String())
		}
	}()

	for _, tc := range []struct{ name, url string }{
		{"same-site", host.URL},
		{"cross-site", strings.Replace(host.URL, "://127.0.0.1:", "://localhost:", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, closeTab := chromedp.NewContext(bctx)
			defer closeTab()
			checkEmbeds(t, tab, tc.url, hrx)
		})
	}
}

// hostFrame is an iframe as the host page sees it.
type hostFrame struct {
	Src          string `json:"src"`
	Title        string `json:"title"`
	Loading      string `json:"loading"`
	Height       string `json:"height"`
	StyleHeight  string `json:"styleHeight"`
	OffsetHeight int    `json:"offsetHeight"`
	ClientHeight int    `json:"clientHeight"`
	AfterScript  bool   `json:"afterScript"`
	Initial      int    `json:"initial"` // the height embed.js gave it before any message
}

const hostFramesJS = `[...document.querySelectorAll("iframe")].map(f => ({
	src: f.src, title: f.title, loading: f.getAttribute("loading"),
	height: f.getAttribute("height"), styleHeight: f.style.height,
	offsetHeight: f.offsetHeight, clientHeight: f.clientHeight,
	afterScript: !!f.previousElementSibling && f.previousElementSibling.tagName === "SCRIPT",
	initial: (window.__initial && window.__initial.get(f)) || 0
}))`

// widgetContent is the widget page as seen from inside its iframe.
type widgetContent struct {
	Height       float64 `json:"height"`       // the body's height, which the widget reports
	ScrollHeight int     `json:"scrollHeight"` // the document's scroll height
	InnerHeight  int     `json:"innerHeight"`  // the iframe's viewport
	Text         string  `json:"text"`
	Padding      string  `json:"padding"` // set by the widget's own stylesheet, which its CSP allows by hash
	Framed       bool    `json:"framed"`
}

const widgetContentJS = `(() => ({
	height: document.body.getBoundingClientRect().height,
	scrollHeight: document.documentElement.scrollHeight,
	innerHeight: window.innerHeight,
	text: document.body.innerText,
	padding: document.querySelector("main") ? getComputedStyle(document.querySelector("main")).paddingTop : "",
	framed: window.parent !== window
}))()`

// checkEmbeds loads the host page in the tab and checks both widgets.
func checkEmbeds(t *testing.T, tab context.Context, hostURL, hrx string) {
	// Record the host page's CSP violations, and each iframe's height when
	// embed.js inserts it, from before the page's first script.
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; window.__initial = new WeakMap();
			document.addEventListener("securitypolicyviolation",
				e => window.__csp.push(e.effectiveDirective + " " + e.blockedURI));
			new MutationObserver(ms => { for (const m of ms) for (const n of m.addedNodes)
				if (n.tagName === "IFRAME") window.__initial.set(n, Number(n.getAttribute("height"))); })
				.observe(document, {childList: true, subtree: true});`,
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(hostURL)); err != nil {
		t.Fatalf("open %s: %v", hostURL, err)
	}

	topFrames := func() []hostFrame {
		t.Helper()
		fs, err := chromedp.Run(tab, chromedp.Evaluate[[]hostFrame](hostFramesJS))
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}

	// Both iframes exist and have been sized by a message from their widget:
	// embed.js sets the style's height only then.
	waitCtx, cancelWait := context.WithTimeout(tab, 10*time.Second)
	_, err := chromedp.Run(waitCtx, chromedp.Poll[bool](
		`(() => { const fs = document.querySelectorAll("iframe");
			return fs.length === 2 && [...fs].every(f => f.style.height !== ""); })()`,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)))
	cancelWait()
	if err != nil {
		t.Fatalf("iframes not mounted and sized within 10 s: %v\n%+v", err, topFrames())
	}

	frames := topFrames()
	wants := []struct {
		slug, style string
		text        []string
	}{
		{"skilled-workers", "card", []string{"600", "50,000"}},
		{"total-exchange", "bar", []string{"1,500", "500,000"}},
	}
	var evals []*frameEval
	defer func() {
		for _, fe := range evals {
			fe.close()
		}
	}()
	for i, w := range wants {
		f := frames[i]
		wantSrc := hrx + "/embed/" + w.slug + "?style=" + w.style
		if !strings.HasPrefix(f.Src, wantSrc) {
			t.Errorf("iframe %d src = %s, want %s…", i, f.Src, wantSrc)
		}
		if f.Title == "" || f.Loading != "lazy" || !f.AfterScript {
			t.Errorf("iframe %d: title %q, loading %q, right after its script %v; want a title, lazy, true", i, f.Title, f.Loading, f.AfterScript)
		}
		fe := newFrameEval(t, tab, i)
		evals = append(evals, fe)
		t.Logf("%s: iframe in %s", w.slug, fe.how)

		c, top := waitFit(t, fe, topFrames, i)
		t.Logf("%s: iframe %d px (height=%q), content %.2f px, initial %d px", w.slug, top.OffsetHeight, top.Height, c.Height, top.Initial)
		if top.Initial == 0 {
			t.Errorf("%s: embed.js inserted the iframe without a height", w.slug)
		} else if top.OffsetHeight == top.Initial && math.Abs(c.Height-float64(top.Initial)) > 2 {
			t.Errorf("%s: iframe still has the script's initial height %d px; content is %.2f px", w.slug, top.Initial, c.Height)
		}
		if !c.Framed || c.Padding == "" || c.Padding == "0px" {
			t.Errorf("%s: framed %v, main padding %q; want a framed widget with its own stylesheet", w.slug, c.Framed, c.Padding)
		}
		text := strings.Join(strings.Fields(c.Text), " ")
		for _, s := range w.text {
			if !strings.Contains(text, s) {
				t.Errorf("%s: widget text does not contain %q: %s", w.slug, s, text)
			}
		}
	}
	if t.Failed() {
		return
	}

	// A height message from the host page itself (or any window that is not
	// one of the iframes) changes nothing.
	type spoof struct{ Before, After []int }
	res, err := chromedp.Run(tab, chromedp.Evaluate[spoof](`new Promise(resolve => {
		const hs = () => [...document.querySelectorAll("iframe")].map(f => f.offsetHeight);
		const before = hs();
		addEventListener("message", function done(e) {
			if (e.data !== "hrx-test-done") return;
			removeEventListener("message", done);
			resolve({before, after: hs()});
		});
		postMessage({type: "hrx:height", height: 999}, "*");
		postMessage("hrx-test-done", "*"); // delivered after the fake one has been handled
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.Before) != fmt.Sprint(res.After) {
		t.Errorf("a height message from the host page resized the iframes: %v -> %v", res.Before, res.After)
	}
	for i, f := range topFrames() {
		if f.OffsetHeight == 999 || f.Height == "999" {
			t.Errorf("iframe %d took the host page's fake height: %+v", i, f)
		}
	}

	// On a narrow screen the bar wraps and grows; back on a wide one it shrinks again.
	bar := evals[1]
	_, wide := waitFit(t, bar, topFrames, 1)
	if _, err := chromedp.Call(tab, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 320, Height: 800, DeviceScaleFactor: 1}); err != nil {
		t.Fatal(err)
	}
	c, narrow := waitFitNot(t, bar, topFrames, 1, wide.OffsetHeight)
	t.Logf("bar at 320 px: iframe %d px, content %.2f px (was %d px)", narrow.OffsetHeight, c.Height, wide.OffsetHeight)
	if narrow.OffsetHeight <= wide.OffsetHeight {
		t.Errorf("bar at 320 px is %d px tall, not taller than %d px", narrow.OffsetHeight, wide.OffsetHeight)
	}
	if _, err := chromedp.Call(tab, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	c, back := waitFitNot(t, bar, topFrames, 1, narrow.OffsetHeight)
	t.Logf("bar wide again: iframe %d px, content %.2f px", back.OffsetHeight, c.Height)
	if math.Abs(float64(back.OffsetHeight-wide.OffsetHeight)) > 2 {
		t.Errorf("bar did not shrink back: %d px, was %d px", back.OffsetHeight, wide.OffsetHeight)
	}

	// The strict CSP was in force (the page's own inline script was blocked)
	// and embed.js and its iframes broke none of it.
	title, err := chromedp.Run(tab, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	violations, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`window.__csp`))
	if err != nil {
		t.Fatal(err)
	}
	if title != "Partner news" || len(violations) != 1 || !strings.HasPrefix(violations[0], "script-src-elem inline") {
		t.Errorf("host page title %q, CSP violations %q; want the inline script blocked and nothing else", title, violations)
	}
}

// waitFit waits until iframe i is as tall as its content (within 2 px) and
// returns both; it fails the test if that does not happen within 5 s.
func waitFit(t *testing.T, fe *frameEval, topFrames func() []hostFrame, i int) (widgetContent, hostFrame) {
	t.Helper()
	return waitFitNot(t, fe, topFrames, i, -1)
}

// waitFitNot is waitFit, waiting also for the iframe's height to differ from not.
func waitFitNot(t *testing.T, fe *frameEval, topFrames func() []hostFrame, i, not int) (widgetContent, hostFrame) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var c widgetContent
		if err := fe.eval(widgetContentJS, &c); err != nil {
			t.Fatal(err)
		}
		f := topFrames()[i]
		fits := math.Abs(float64(f.OffsetHeight)-c.Height) <= 2 && f.StyleHeight != "" &&
			c.ScrollHeight <= c.InnerHeight+1 && f.OffsetHeight != not
		if fits {
			return c, f
		}
		if time.Now().After(deadline) {
			t.Errorf("iframe %d does not fit its content after 5 s: iframe %+v; content height %.2f, scroll height %d, viewport %d",
				i, f, c.Height, c.ScrollHeight, c.InnerHeight)
			return c, f
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// frameEval evaluates scripts inside one iframe of the host page. An iframe
// in the page's process is reached through an isolated world of its frame;
// an iframe that Chromium runs in a process of its own is a target of its
// own, and is reached by attaching to it.
type frameEval struct {
	how   string
	eval  func(expr string, v any) error
	close func()
}

func newFrameEval(t *testing.T, tab context.Context, i int) *frameEval {
	t.Helper()
	obj, err := chromedp.Run(tab, chromedp.Evaluate[*runtime.RemoteObject](fmt.Sprintf(`document.querySelectorAll("iframe")[%d]`, i)))
	if err != nil {
		t.Fatal(err)
	}
	node, err := chromedp.Call(tab, dom.DescribeNode, dom.DescribeNodeParams{ObjectID: obj.ObjectID})
	if err != nil {
		t.Fatal(err)
	}
	frameID := node.Node.FrameID
	if frameID == "" {
		t.Fatalf("iframe %d has no frame", i)
	}
	decode := func(raw []byte, err error, v any) error {
		if err != nil {
			return err
		}
		return json.Unmarshal(raw, v)
	}

	infos, err := chromedp.Targets(tab)
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range infos {
		if info.Type == "iframe" && info.TargetID == target.ID(frameID) {
			fctx, cancel := chromedp.NewContext(tab, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel())
			return &frameEval{
				how: "its own process (target " + string(info.TargetID) + ")",
				eval: func(expr string, v any) error {
					raw, err := chromedp.Run(fctx, chromedp.Evaluate[[]byte](expr))
					return decode(raw, err, v)
				},
				close: cancel,
			}
		}
	}

	world, err := chromedp.Call(tab, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: frameID, WorldName: "hrx-test"})
	if err != nil {
		t.Fatal(err)
	}
	inWorld := func(p *runtime.EvaluateParams) { p.ContextID = world.ExecutionContextID }
	return &frameEval{
		how: "the page's process",
		eval: func(expr string, v any) error {
			raw, err := chromedp.Run(tab, chromedp.Evaluate[[]byte](expr, inWorld))
			return decode(raw, err, v)
		},
		close: func() {},
	}
}
