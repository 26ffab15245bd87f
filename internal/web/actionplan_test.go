package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestIndianReadersSeeIndianGrouping: for an en-IN reader (Accept-Language)
// and a Hindi one, every number on the public pages follows their convention,
// the dashboard's introduction and the footer included: 5,00,000, never 500,000.
func TestIndianReadersSeeIndianGrouping(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	for _, lang := range []struct{ header, query string }{{"en-IN", ""}, {"hi", ""}, {"en", "?lang=hi"}} {
		for _, path := range []string{"/", "/targets/total-exchange", "/targets/skilled-workers", "/help/upload", "/login"} {
			resp, body := fetch(t, e, path+lang.query, "Accept-Language", lang.header)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s %s: %d", lang, path, resp.StatusCode)
			}
			if strings.Contains(body, "500,000") {
				i := strings.Index(body, "500,000")
				t.Errorf("%s %s writes 500,000: …%s…", lang, path, body[max(0, i-120):i+7])
			}
			if !strings.Contains(body, "5,00,000") {
				t.Errorf("%s %s: no 5,00,000", lang, path)
			}
		}
	}
	// Other readers keep theirs.
	_, body := fetch(t, e, "/", "Accept-Language", "en")
	mustContain(t, text(body), "aims for 500,000 people", "500,000 people in both directions")
	_, body = fetch(t, e, "/?lang=ja", "Accept-Language", "ja")
	mustContain(t, text(body), "人材交流500,000人")
}
