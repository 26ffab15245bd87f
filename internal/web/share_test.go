package web_test

import (
	"bytes"
	"context"
	"html"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/figures"
	"hrx/internal/users"
)

// metaRe reads a page's <meta> tags: name or property → content.
var metaRe = regexp.MustCompile(`<meta (?:name|property)="([^"]+)" content="([^"]*)">`)

func metaTags(body string) map[string][]string {
	out := map[string][]string{}
	for _, m := range metaRe.FindAllStringSubmatch(body, -1) {
		out[m[1]] = append(out[m[1]], html.UnescapeString(m[2]))
	}
	return out
}

// TestShareTags: the dashboard and a target's page carry a description, Open
// Graph and Twitter card tags in the page's language, with absolute
// addresses from the configured base URL whatever Host the request names.
func TestShareTags(t *testing.T) {
	e := newEnvWith(t, func(c *config.Config) { c.BaseURL = "https://hrx.example.gov.in" })
	knownData(e)
	type want struct{ title, desc, url, locale, image string }
	cases := map[string]want{
		"/?lang=en": {"Progress of the India–Japan human resource exchange", "Skilled personnel from India to Japan: 600 of 50,000 people (1.2%)",
			"https://hrx.example.gov.in/", "en_US", "https://hrx.example.gov.in/embed/total-exchange.png"},
		"/?lang=ja": {"日印人材交流の進捗", "インドから日本への高度・専門人材：600人／50,000人（1.2%）",
			"https://hrx.example.gov.in/?lang=ja", "ja_JP", "https://hrx.example.gov.in/embed/total-exchange.png?lang=ja"},
		"/?lang=hi": {"भारत–जापान मानव संसाधन आदान-प्रदान की प्रगति", "600 / 50,000 लोग (1.2%)",
			"https://hrx.example.gov.in/?lang=hi", "hi_IN", "https://hrx.example.gov.in/embed/total-exchange.png?lang=hi"},
		"/targets/skilled-workers?lang=en": {"Skilled personnel from India to Japan", "Skilled personnel from India to Japan: 600 of 50,000 people (1.2%)",
			"https://hrx.example.gov.in/targets/skilled-workers", "en_US", "https://hrx.example.gov.in/embed/skilled-workers.png"},
		"/targets/skilled-workers?lang=ja": {"インドから日本への高度・専門人材", "インドから日本への高度・専門人材：600人／50,000人（1.2%）",
			"https://hrx.example.gov.in/targets/skilled-workers?lang=ja", "ja_JP", "https://hrx.example.gov.in/embed/skilled-workers.png?lang=ja"},
		"/targets/skilled-workers?lang=hi": {"", "600 / 50,000 लोग (1.2%)",
			"https://hrx.example.gov.in/targets/skilled-workers?lang=hi", "hi_IN", "https://hrx.example.gov.in/embed/skilled-workers.png?lang=hi"},
	}
	for path, w := range cases {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Host = "evil.example" // never used for the addresses
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, body := (&browser{e: e}).read(resp)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		if strings.Contains(body, "evil.example") {
			t.Errorf("%s: the Host header made it into the page", path)
		}
		m := metaTags(body)
		one := func(key string) string {
			if len(m[key]) != 1 {
				t.Errorf("%s: %d %s tags", path, len(m[key]), key)
				return ""
			}
			return m[key][0]
		}
		if got := one("og:title"); w.title != "" && got != w.title {
			t.Errorf("%s: og:title %q, want %q", path, got, w.title)
		}
		if one("twitter:title") != one("og:title") {
			t.Errorf("%s: twitter:title differs", path)
		}
		for _, key := range []string{"description", "og:description", "twitter:description"} {
			if got := one(key); !strings.Contains(got, w.desc) {
				t.Errorf("%s: %s %q lacks %q", path, key, got, w.desc)
			}
		}
		for key, val := range map[string]string{"og:url": w.url, "og:locale": w.locale, "og:image": w.image, "og:type": "website",
			"og:image:width": "1200", "og:image:height": "630", "og:image:type": "image/png", "twitter:card": "summary_large_image"} {
			if got := one(key); got != val {
				t.Errorf("%s: %s %q, want %q", path, key, got, val)
			}
		}
		wantAlt := w.desc
		if !strings.Contains(path, "/targets/") {
			wantAlt = "1,500" // the headline target's picture
		}
		if alt := one("og:image:alt"); !strings.Contains(alt, wantAlt) || one("twitter:image:alt") != alt {
			t.Errorf("%s: image alt %q", path, alt)
		}
		if len(m["og:locale:alternate"]) != 2 {
			t.Errorf("%s: alternates %v", path, m["og:locale:alternate"])
		}
		if !strings.Contains(path, "/targets/") && !strings.Contains(body, `<link rel="alternate" type="application/atom+xml" href="https://hrx.example.gov.in/feed.atom`) {
			t.Errorf("%s: no feed link in the head", path)
		}
	}
}

// TestSharePicture: /embed/{slug}.png is a 1200 × 630 PNG, cached per data
// version with an ETag; an unknown or unpublished target is not found.
func TestSharePicture(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	for _, q := range []string{"", "?lang=ja", "?lang=hi", "?lang=en-IN"} {
		resp, body := fetch(t, e, "/embed/skilled-workers.png"+q)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		img, err := png.Decode(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if img.Bounds() != image.Rect(0, 0, 1200, 630) {
			t.Errorf("%s: %v", q, img.Bounds())
		}
		if len(body) > 60<<10 {
			t.Errorf("%s: %d bytes", q, len(body))
		}
		if resp.Header.Get("Cache-Control") != "public, max-age=300, stale-while-revalidate=3600" || resp.Header.Get("ETag") == "" ||
			resp.Header.Get("Access-Control-Allow-Origin") != "*" || len(resp.Cookies()) != 0 {
			t.Errorf("%s: headers %v", q, resp.Header)
		}
		if r2, b2 := fetch(t, e, "/embed/skilled-workers.png"+q, "If-None-Match", resp.Header.Get("ETag")); r2.StatusCode != http.StatusNotModified || b2 != "" {
			t.Errorf("%s: If-None-Match answered %d", q, r2.StatusCode)
		}
	}
	en, _ := fetch(t, e, "/embed/skilled-workers.png")
	ja, _ := fetch(t, e, "/embed/skilled-workers.png?lang=ja")
	if en.Header.Get("ETag") == ja.Header.Get("ETag") {
		t.Error("one ETag for two languages")
	}
	// A new data version, a new picture.
	e.insertPublished(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "engineer", Count: 50})
	if r, _ := fetch(t, e, "/embed/skilled-workers.png", "If-None-Match", en.Header.Get("ETag")); r.StatusCode != 200 || r.Header.Get("ETag") == en.Header.Get("ETag") {
		t.Errorf("after a publication: %d %s", r.StatusCode, r.Header.Get("ETag"))
	}
	for path, want := range map[string]int{"/embed/nope.png": 404, "/embed/skilled-workers.png?lang=fr": 400} {
		if r, _ := fetch(t, e, path); r.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, r.StatusCode, want)
		}
	}
}

// TestSetupPendingNotice: a fresh install's public dashboard says that an
// administrator still has to finish the setup, in the reader's language and
// without the link; once an account exists, it no longer does.
func TestSetupPendingNotice(t *testing.T) {
	e := newEnv(t)
	tok, err := e.web.Users().NewSetupToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{
		"en": "HRX is not set up yet: an administrator finishes the setup with the link printed in the server's log when it started.",
		"ja": "HRXはまだ設定されていません。",
		"hi": "HRX अभी सेट अप नहीं हुआ है",
	} {
		_, body := e.browser().get("/?lang=" + lang)
		mustContain(t, text(body), want)
		if strings.Contains(body, tok) || strings.Contains(body, url.QueryEscape(tok)) || strings.Contains(body, "/setup") {
			t.Errorf("%s: the page shows the setup link", lang)
		}
	}
	if _, err := e.web.Users().Create(context.Background(), audit.System("test"), users.NewUser{Email: "admin@example.gov.in", Role: users.Admin, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	if _, body := e.browser().get("/?lang=en"); strings.Contains(body, "not set up yet") {
		t.Error("the notice stays once an account exists")
	}
	// A server that starts with accounts never says it.
	e2 := newEnv(t)
	e2.addUser("editor@example.gov.in", users.Editor)
	if _, body := e2.browser().get("/"); strings.Contains(body, "not set up yet") {
		t.Error("notice with an account")
	}
}
