package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"hrx/internal/users"
)

// TestTimeZoneSetting: a person reads times in the zone they chose on
// /account, whatever their language; a zone that is not offered is refused.
func TestTimeZoneSetting(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.gov.in", users.Admin)
	b := e.browser()
	b.signIn("a@example.gov.in")
	zoneOf := func() string {
		_, body := b.get("/audit")
		m := regexp.MustCompile(`\d{2}:\d{2} (IST|JST|UTC)`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no time with a zone on /audit")
		}
		return m[1]
	}
	if z := zoneOf(); z != "UTC" {
		t.Errorf("English without a setting: times in %s, want UTC", z)
	}
	if st, body := b.post("/account/time-zone", url.Values{"time_zone": {"Asia/Tokyo"}}); st != http.StatusSeeOther {
		t.Fatalf("saving the zone: %d\n%s", st, text(body))
	}
	_, body := b.get("/account")
	mustContain(t, text(body), "Times are now shown in Japan Standard Time (JST).")
	if z := zoneOf(); z != "JST" {
		t.Errorf("after choosing Tokyo: times in %s, want JST", z)
	}
	b.get("/language?lang=hi")
	if z := zoneOf(); z != "JST" {
		t.Errorf("in Hindi after choosing Tokyo: times in %s, want JST (the setting wins over the language)", z)
	}
	if st, body := b.post("/account/time-zone", url.Values{"time_zone": {"Mars/Olympus"}}); st != http.StatusUnprocessableEntity {
		t.Errorf("an unknown zone: %d, want 422\n%s", st, text(body))
	}
	b.post("/account/time-zone", url.Values{"time_zone": {""}})
	if z := zoneOf(); z != "IST" {
		t.Errorf("in Hindi following the language: times in %s, want IST", z)
	}
}
