package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hrx/internal/settings"
	"hrx/internal/users"
)

// settingsForm is the settings form with every field at its default.
func settingsForm(change map[string]string) url.Values {
	f := url.Values{"four_eyes": {"on"}, "flag_ratio": {"3"}, "flag_floor": {"20"}, "flag_history": {"6"}, "flag_total_jump": {"50"}}
	for k, v := range change {
		if v == "" {
			f.Del(k)
			continue
		}
		f.Set(k, v)
	}
	return f
}

func TestSettingsPageIsForAdmins(t *testing.T) {
	e := newEnv(t)
	e.addUser("approver@example.gov.in", users.Approver)
	if st, _ := e.browser().get("/admin/settings"); st != http.StatusSeeOther {
		t.Errorf("signed out: %d, want a redirect to sign in", st)
	}
	b := e.browser()
	b.signIn("approver@example.gov.in")
	if st, _ := b.get("/admin/settings"); st != http.StatusForbidden {
		t.Errorf("an approver sees the settings: %d", st)
	}
	if st, _ := b.post("/admin/settings", settingsForm(map[string]string{"four_eyes": ""})); st != http.StatusForbidden {
		t.Errorf("an approver changes the settings: %d", st)
	}
	if _, body := b.get("/months"); strings.Contains(body, `href="/admin/settings"`) {
		t.Error("an approver's menu links to the settings")
	}
	if v, _ := settings.NewStore(e.db).Load(context.Background(), nil); !v.Bool(settings.FourEyes) {
		t.Error("the four-eyes rule was turned off")
	}
}

func TestSettingsPageSaves(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@example.gov.in", users.Admin)
	b := e.browser()
	b.signIn("admin@example.gov.in")
	st, body := b.get("/admin/settings")
	if st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	// Every field labelled, with its hint and default, and the menu links here.
	mustContain(t, body, `href="/admin/settings" aria-current="page"`, `<label for="four_eyes">Four-eyes rule</label>`,
		`id="four_eyes" name="four_eyes" checked aria-describedby="four_eyes-hint"`,
		`<label for="flag_ratio">`, `id="flag_ratio-hint"`, `value="3" aria-describedby="flag_ratio-hint"`, "Default: 3.",
		`value="20"`, `value="6"`, `value="50"`, "Default: on.")
	// CSRF: a form from elsewhere is refused.
	if st, _ := b.post("/admin/settings", url.Values{"_csrf": {"forged"}, "flag_ratio": {"9"}}); st != http.StatusForbidden {
		t.Errorf("a forged form: %d", st)
	}
	// Untick the four-eyes rule, change two thresholds: one confirmation names each change.
	st, _ = b.post("/admin/settings", settingsForm(map[string]string{"four_eyes": "", "flag_ratio": " 2.5 ", "flag_history": "12"}))
	if st != http.StatusSeeOther || b.lastTo != "/admin/settings" {
		t.Fatalf("save: %d to %q", st, b.lastTo)
	}
	_, body = b.get("/admin/settings")
	mustContain(t, text(body), "Saved the settings. Four-eyes rule: on → off, Flag a figure this many times above or below its usual level: 3 → 2.5 and Recent months compared: 6 → 12.")
	mustContain(t, body, `value="2.5"`, `value="12"`, `id="four_eyes" name="four_eyes" aria-describedby`)
	v, err := settings.NewStore(e.db).Load(context.Background(), nil)
	if err != nil || v.Bool(settings.FourEyes) || v.Number(settings.FlagRatio) != 2.5 || v.Number(settings.FlagHistory) != 12 || v.Number(settings.FlagFloor) != 20 {
		t.Errorf("stored: %v %v", v, err)
	}
	var n int64
	e.db.R.Raw("SELECT COUNT(*) FROM audit_log WHERE entity = 'setting'").Scan(&n)
	if n != 3 {
		t.Errorf("%d audit entries, want 3", n)
	}
	// The same form again changes nothing, and says so.
	b.post("/admin/settings", settingsForm(map[string]string{"four_eyes": "", "flag_ratio": "2.5", "flag_history": "12"}))
	_, body = b.get("/admin/settings")
	mustContain(t, text(body), "Nothing changed")
	// The confirmation is in the reader's language, numbers in their convention.
	b.get("/language?lang=hi")
	b.post("/admin/settings", settingsForm(map[string]string{"four_eyes": "", "flag_ratio": "2.5", "flag_history": "12", "flag_floor": "100000"}))
	_, body = b.get("/admin/settings")
	mustContain(t, text(body), "सेटिंग्स सहेजी गईं। इससे छोटे अंतर को अनदेखा करें (लोग): 20 → 1,00,000।")
}

func TestSettingsPageRefusesBadNumbers(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@example.gov.in", users.Admin)
	b := e.browser()
	b.signIn("admin@example.gov.in")
	b.get("/admin/settings")
	st, body := b.post("/admin/settings", settingsForm(map[string]string{"four_eyes": "", "flag_ratio": "0.5", "flag_floor": "many", "flag_history": "2.5", "flag_total_jump": "80"}))
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", st)
	}
	// The error summary links to each field; each field says what to enter
	// and keeps what was typed; nothing is saved, not even the good ones.
	mustContain(t, body, "<title>Error: Settings", `class="error-summary"`, `href="#flag_ratio"`, `href="#flag_floor"`, `href="#flag_history"`,
		`id="flag_ratio-error"`, `aria-describedby="flag_ratio-hint flag_ratio-error" aria-invalid="true"`,
		`value="0.5"`, `value="many"`, `value="2.5"`, `value="80"`)
	mustContain(t, text(body), "Enter a number from 1.1 to 100", "Enter a whole number from 0 to 1,000,000", "Enter a whole number from 1 to 36")
	if strings.Contains(body, `href="#flag_total_jump"`) {
		t.Error("a good number is marked as wrong")
	}
	if strings.Contains(body, `id="four_eyes" name="four_eyes" checked`) {
		t.Error("the page forgot the box was unticked")
	}
	v, _ := settings.NewStore(e.db).Load(context.Background(), nil)
	if !v.Bool(settings.FourEyes) || v.Number(settings.FlagTotalJump) != 50 {
		t.Errorf("a refused form saved something: %v", v)
	}
}
