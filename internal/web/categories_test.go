package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hrx/internal/users"
)

func TestAdminCategories(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	e.addUser("admin@example.gov.in", users.Admin)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("admin@example.gov.in")
	b.get("/admin/categories")
	// Bad input: every problem named, nothing saved.
	st, body := b.post("/admin/categories", url.Values{"code": {"Bad Code"}, "name_en": {""}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", st)
	}
	mustContain(t, body, `href="#code"`, `href="#name_en"`)
	// A new category.
	if st, _ := b.post("/admin/categories", url.Values{"code": {"care_workers"}, "name_en": {"Care workers"}, "name_ja": {"介護人材"}, "skilled": {"on"}}); st != http.StatusSeeOther {
		t.Fatalf("add: %d", st)
	}
	_, body = b.get("/admin/categories")
	mustContain(t, text(body), "care_workers Care workers 介護人材", "Added the category Care workers")
	if st, _ := b.post("/admin/categories", url.Values{"code": {"care_workers"}, "name_en": {"Again"}}); st != http.StatusUnprocessableEntity {
		t.Errorf("duplicate code: %d", st)
	}
	// Marking students as skilled changes the skilled target at once.
	b.get("/admin/categories?edit=student")
	if st, _ := b.post("/admin/categories", url.Values{"existing": {"1"}, "code": {"student"}, "name_en": {"Students"}, "skilled": {"on"}}); st != http.StatusSeeOther {
		t.Fatalf("edit: %d", st)
	}
	resp, err := http.Get(e.srv.URL + "/api/v1/targets/skilled-workers")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if got["achieved"] != 700.0 { // 600 skilled + 100 IN-JP students
		t.Errorf("skilled achieved after the change: %v", got["achieved"])
	}
	// Editors cannot change categories.
	ed := e.browser()
	ed.signIn("ed@example.gov.in")
	ed.get("/months")
	if st, _ := ed.post("/admin/categories", url.Values{"code": {"x_y"}, "name_en": {"X"}}); st != http.StatusForbidden {
		t.Errorf("editor: %d", st)
	}
	var n int64
	e.db.R.Raw("SELECT COUNT(*) FROM audit_log WHERE entity = 'category'").Scan(&n)
	if n != 2 {
		t.Errorf("%d audit entries for categories, want 2", n)
	}
}

// TestAdminCategoriesInHindi: the page, its refusals and its confirmation in
// the reader's language, with the category's own Hindi name.
func TestAdminCategoriesInHindi(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@example.gov.in", users.Admin)
	b := e.browser()
	b.get("/language?lang=hi")
	b.signIn("admin@example.gov.in")
	_, body := b.get("/admin/categories")
	mustContain(t, text(body), "श्रेणी जोड़ें", "कुशल कार्मिक लक्ष्य में गिना जाता है")
	st, body := b.post("/admin/categories", url.Values{"code": {"Bad Code"}, "name_en": {""}, "name_hi": {strings.Repeat("क", 201)}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", st)
	}
	mustContain(t, text(body), "कोड: अक्षर से शुरू होने वाला", "अंग्रेज़ी नाम: श्रेणी का अंग्रेज़ी नाम लिखें", "हिंदी नाम: नाम 200 अक्षरों या उससे कम के होने चाहिए")
	if st, _ := b.post("/admin/categories", url.Values{"code": {"care_workers"}, "name_en": {"Care workers"}, "name_hi": {"देखभाल कर्मी"}}); st != http.StatusSeeOther {
		t.Fatalf("add: %d", st)
	}
	_, body = b.get("/admin/categories")
	mustContain(t, text(body), "श्रेणी “देखभाल कर्मी” (care_workers) जोड़ी गई")
	if st, body := b.post("/admin/categories", url.Values{"code": {"care_workers"}, "name_en": {"Again"}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(text(body), "इस कोड वाली श्रेणी पहले से मौजूद है") {
		t.Errorf("duplicate code: %d", st)
	}
}
