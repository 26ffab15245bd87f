package web_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hrx/internal/config"
)

func fetch(t *testing.T, e *env, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestEmbedWidget(t *testing.T) {
	e := newEnvWith(t, func(c *config.Config) { c.EmbedOrigins = "https://www.mea.gov.in https://example.org" })
	knownData(e)
	resp, body := fetch(t, e, "/embed/skilled-workers?style=card&theme=dark&lang=en-IN")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors https://www.mea.gov.in https://example.org") || strings.Contains(csp, "unsafe-inline") || resp.Header.Get("X-Frame-Options") != "" {
		t.Errorf("framing headers: CSP %q, XFO %q", csp, resp.Header.Get("X-Frame-Options"))
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("the widget set cookies: %v", resp.Cookies())
	}
	if resp.Header.Get("Cache-Control") != "public, max-age=300, stale-while-revalidate=3600" || resp.Header.Get("ETag") == "" {
		t.Errorf("caching headers: %v", resp.Header)
	}
	mustContain(t, body, "color-scheme", "600", "50,000", "/targets/skilled-workers")
	// 304 for an unchanged widget.
	if r2, _ := fetch(t, e, "/embed/skilled-workers?style=card&theme=dark&lang=en-IN", "If-None-Match", resp.Header.Get("ETag")); r2.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r2.StatusCode)
	}
	// Different options, different ETag.
	if r3, _ := fetch(t, e, "/embed/skilled-workers?style=bar", "If-None-Match", resp.Header.Get("ETag")); r3.StatusCode != 200 {
		t.Errorf("other options answered %d", r3.StatusCode)
	}
	for path, want := range map[string]int{"/embed/nope": 404, "/embed/skilled-workers?style=pie": 400, "/embed/skilled-workers?lang=fr": 400} {
		if r, b := fetch(t, e, path); r.StatusCode != want || !strings.Contains(b, "not available") {
			t.Errorf("%s: %d %s", path, r.StatusCode, b)
		}
	}
}

func TestEmbedSVG(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	for _, style := range []string{"bar", "card", "chart"} {
		resp, body := fetch(t, e, "/embed/total-exchange.svg?style="+style)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml; charset=utf-8" {
			t.Fatalf("%s: %d %s", style, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if len(body) >= 8192 {
			t.Errorf("%s: %d bytes", style, len(body))
		}
		dec := xml.NewDecoder(strings.NewReader(body))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: not XML: %v", style, err)
			}
		}
		mustContain(t, body, `role="img"`, "<title", "1,500")
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: no CORS header", style)
		}
	}
}

func TestOEmbed(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	target := url.QueryEscape(e.srv.URL + "/targets/skilled-workers")
	resp, body := fetch(t, e, "/oembed?format=json&url="+target)
	var o map[string]any
	if err := json.Unmarshal([]byte(body), &o); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if o["version"] != "1.0" || o["type"] != "rich" || o["provider_name"] == nil || o["provider_url"] == nil || o["cache_age"] == nil || o["title"] != "Skilled personnel from India to Japan" {
		t.Errorf("oEmbed: %v", o)
	}
	html, _ := o["html"].(string)
	if !strings.HasPrefix(html, "<iframe ") || !strings.Contains(html, "/embed/skilled-workers?style=card") || o["width"] != 360.0 || o["height"] != 300.0 {
		t.Errorf("html %q, %v×%v", html, o["width"], o["height"])
	}
	// Within maxwidth and maxheight.
	_, body = fetch(t, e, "/oembed?url="+target+"&maxwidth=300&maxheight=100")
	json.Unmarshal([]byte(body), &o)
	if o["width"] != 300.0 || o["height"] != 100.0 || !strings.Contains(o["html"].(string), `width="300" height="100"`) {
		t.Errorf("oversize request: %v", o)
	}
	for path, want := range map[string]int{
		"/oembed?url=" + url.QueryEscape(e.srv.URL+"/targets/nope"): 404,
		"/oembed?url=" + url.QueryEscape(e.srv.URL+"/months"):       404,
		"/oembed":                          404,
		"/oembed?format=xml&url=" + target: 501,
	} {
		if r, _ := fetch(t, e, path); r.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, r.StatusCode, want)
		}
	}
	// Target pages announce it, at the configured address (here the default
	// for a quick start on port 8080), not the one the request named.
	_, page := fetch(t, e, "/targets/skilled-workers")
	mustContain(t, page, `<link rel="alternate" type="application/json+oembed" href="http://localhost:8080/oembed?format=json&amp;url=`)
}

func TestEmbedScriptAndBuilder(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	resp, js := fetch(t, e, "/embed.js")
	if resp.StatusCode != 200 || !strings.Contains(js, "event.source") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("embed.js: %d", resp.StatusCode)
	}
	_, page := fetch(t, e, "/widgets?target=skilled-workers&style=chart&theme=light&wlang=hi")
	mustContain(t, page, `src="/embed/skilled-workers?style=chart&amp;theme=light&amp;lang=hi"`)
	mustContain(t, text(page), `data-target="skilled-workers"`, "/embed.js", "<noscript>", ".svg?style=chart", "/targets/skilled-workers")
}

func TestFramingByRouteFamily(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	for _, path := range []string{"/", "/targets/total-exchange", "/login", "/widgets"} {
		resp, _ := fetch(t, e, path)
		if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s may be framed: %v", path, resp.Header)
		}
	}
	resp, _ := fetch(t, e, "/embed/total-exchange")
	if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors *") {
		t.Errorf("default embed origins: %q", resp.Header.Get("Content-Security-Policy"))
	}
	for _, path := range []string{"/api/v1/targets", "/embed/total-exchange", "/embed/total-exchange.svg", "/oembed?url=" + url.QueryEscape(e.srv.URL+"/targets/total-exchange")} {
		if r, _ := fetch(t, e, path); r.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: no CORS header", path)
		}
	}
}
