package audit

import (
	"strings"
	"testing"

	"hrx/internal/i18n"
)

// testNames are the reference lists the sentences read: two categories and
// both directions, in English and Japanese.
func testNames(lang i18n.Lang) Names {
	return Names{
		Lang: lang,
		Category: func(code string) string {
			names := map[string][2]string{"student": {"Students", "留学生"}, "engineer": {"Engineers", "技術者"}}[code]
			if lang == i18n.JA {
				return names[1]
			}
			return names[0]
		},
		Direction: func(code string) i18n.Msg {
			switch code {
			case "IN-JP", "JP-IN":
				return i18n.Text(map[string]string{"IN-JP": "India to Japan", "JP-IN": "Japan to India"}[code])
			}
			return i18n.Msg{}
		},
	}
}

// TestDescribe gives the sentence of every action on every kind of thing HRX
// records, in English, as an en-IN reader reads it (Indian grouping).
func TestDescribe(t *testing.T) {
	cases := []struct {
		e    Entry
		want string
	}{
		{Entry{Action: "create", Entity: "figure", EntityKey: "2025-09/IN-JP/student", Month: "2025-09", After: `{"count":143,"status":"final"}`},
			"Entered Students, India to Japan, September 2025: 143"},
		{Entry{Action: "update", Entity: "figure", EntityKey: "2025-09/IN-JP/student", Month: "2025-09", Before: `{"count":143}`, After: `{"count":150000}`},
			"Changed Students, India to Japan, September 2025: 143 → 1,50,000"},
		{Entry{Action: "delete", Entity: "figure", EntityKey: "2025-09/JP-IN/engineer", Month: "2025-09", Before: `{"count":12}`},
			"Cleared Engineers, Japan to India, September 2025 (was 12)"},
		{Entry{Action: "update", Entity: "figure", EntityKey: "2025-09/IN-JP/student/it/IN-KA", Before: `{"count":1}`, After: `{"count":2}`},
			"Changed Students, India to Japan, September 2025 (it and IN-KA): 1 → 2"},
		{Entry{Action: "import", Entity: "cell", EntityKey: "2025-10/IN-JP/student", Month: "2025-10", After: `{"rows":1,"total":7}`},
			"An import changed the total of Students, India to Japan, October 2025: none → 7"},
		{Entry{Action: "revert", Entity: "cell", EntityKey: "2025-10/IN-JP/student", Month: "2025-10", Before: `{"rows":1,"total":7}`},
			"Reverting an import changed the total of Students, India to Japan, October 2025: 7 → none"},
		{Entry{Action: "insert", Entity: "cell", EntityKey: "2025-10/XX-YY/nosuch", Month: "2025-10", Before: `{"rows":1,"total":7}`, After: `{"rows":2,"total":9}`},
			"Loading figures changed the total of nosuch, XX-YY, October 2025: 7 → 9"},
		{Entry{Action: "insert", Entity: "figures", EntityKey: "2025-09..2026-08", After: `{"rows":1200,"months":12}`},
			"Loaded 1,200 figures for September 2025 to August 2026"},
		{Entry{Action: "insert", Entity: "figures", EntityKey: "2025-09..2025-09", After: `{"rows":1,"months":1}`},
			"Loaded 1 figure for September 2025"},
		{Entry{Action: "apply", Entity: "import", EntityKey: "3", Month: "2025-10..2025-11", Reason: "oct.csv",
			After: `{"file":"oct.csv","mode":"merge","new":1,"changed":2,"unchanged":0,"removed":0}`},
			"Applied import #3 of oct.csv for October 2025 to November 2025: 1 new, 2 changed, 0 removed"},
		{Entry{Action: "apply", Entity: "import", EntityKey: "4", Reason: "empty.csv", After: `{"file":"empty.csv","new":0,"changed":0,"removed":0}`},
			"Applied import #4 of empty.csv: 0 new, 0 changed, 0 removed"},
		{Entry{Action: "revert", Entity: "import", EntityKey: "3", Month: "2025-10", Reason: "oct.csv", Before: `{"file":"oct.csv","new":1,"changed":0,"removed":0}`},
			"Reverted the import #3 of oct.csv for October 2025: 1 new, 0 changed and 0 removed figures are back as they were"},
		{Entry{Action: "revert", Entity: "import", EntityKey: "5", Reason: "x.csv", Before: `{"file":"x.csv","new":0,"changed":0,"removed":0}`},
			"Reverted the import #5 of x.csv: 0 new, 0 changed and 0 removed figures are back as they were"},
		{Entry{Action: "submit", Entity: "month", EntityKey: "2025-10", Month: "2025-10", Before: `{"state":"open"}`, After: `{"state":"submitted"}`},
			"Submitted October 2025 for review (was: open)"},
		{Entry{Action: "publish", Entity: "month", EntityKey: "2025-10", Month: "2025-10", Before: `{"state":"submitted"}`, After: `{"state":"published","publication":1}`},
			"Published October 2025 (was: submitted)"},
		{Entry{Action: "publish", Entity: "month", EntityKey: "2025-10", Month: "2025-10", Before: `{"state":"open"}`, After: `{"state":"published","publication":1,"nothing_to_report":true}`, Reason: "no departures recorded"},
			"Published October 2025 as “nothing to report” (was: open)"},
		{Entry{Action: "publish", Entity: "month", EntityKey: "2025-10", Month: "2025-10", Before: `{"state":"submitted"}`, After: `{"state":"published","publication":1,"single_approver":true}`},
			"Published October 2025 as a single approver, setting the four-eyes rule aside (was: submitted)"},
		{Entry{Action: "publish", Entity: "month", EntityKey: "2025-10", Month: "2025-10", Before: `{"state":"open"}`, After: `{"state":"published","publication":1,"nothing_to_report":true,"single_approver":true}`},
			"Published October 2025 as “nothing to report”, as a single approver, setting the four-eyes rule aside (was: open)"},
		{Entry{Action: "return", Entity: "month", EntityKey: "2025-10", Month: "2025-10", Before: `{"state":"submitted"}`, After: `{"state":"open"}`, Reason: "check students"},
			"Sent October 2025 back to open (was: submitted)"},
		{Entry{Action: "reopen", Entity: "month", EntityKey: "2025-10", Month: "2025-10", Before: `{"state":"published"}`, After: `{"state":"open"}`},
			"Reopened October 2025 for revision (was: published)"},
		{Entry{Action: "arrivals", Entity: "figures", EntityKey: "2024-09..2026-10", After: `{"cells":520}`},
			"Set when the demonstration figures of September 2024 to October 2026 arrived, as a reporting cycle would have (520 cells)"},
		{Entry{Action: "create", Entity: "body", EntityKey: "1", After: `{"name_en":"Emigration desk","name_ja":"移住課","due_day":15,"cells":["IN-JP/student","IN-JP/engineer"],"members":["ed@example.org"]}`},
			"Added the reporting body Emigration desk (cells: 2; due on day 15 of the following month; members: 1)"},
		{Entry{Action: "update", Entity: "body", EntityKey: "1", Before: `{"name_en":"Desk","due_day":15,"cells":[],"members":[]}`, After: `{"name_en":"Emigration desk","due_day":10,"cells":["IN-JP/student"],"members":[]}`},
			"Changed the reporting body Emigration desk (cells: 1; due on day 10 of the following month; members: 0)"},
		{Entry{Action: "delete", Entity: "body", EntityKey: "1", Before: `{"name_en":"Emigration desk","due_day":10,"cells":["IN-JP/student"],"members":[]}`},
			"Removed the reporting body Emigration desk; its cells fall to the administrators"},
		{Entry{Action: "confirm", Entity: "flag", EntityKey: "2025-10/IN-JP/student", Month: "2025-10", After: `{"total":412,"up":true,"kind":"cell"}`, Reason: "a new intake started"},
			"Confirmed Students, India to Japan, October 2025 as it is: 412, far from its recent level"},
		{Entry{Action: "confirm", Entity: "flag", EntityKey: "2025-10/total", Month: "2025-10", After: `{"total":150000,"up":false,"kind":"total"}`},
			"Confirmed the total of October 2025 as it is: 1,50,000, far from the month before"},
		{Entry{Action: "create", Entity: "comment", EntityKey: "2025-10", Month: "2025-10", After: `{"id":1,"text":"Is October complete?"}`},
			"Commented on October 2025: “Is October complete?”"},
		{Entry{Action: "create", Entity: "comment", EntityKey: "2025-10/IN-JP/student", Month: "2025-10",
			After: `{"id":2,"text":"JASSO sent 412 this month, not 75; the old figure left out the spring intake, which arrived late in October\nSee the file"}`},
			"Commented on Students, India to Japan, October 2025: “JASSO sent 412 this month, not 75; the old figure left out the spring intake…”"},
		{Entry{Action: "create", Entity: "user", EntityKey: "new@example.gov.in", After: `{"email":"new@example.gov.in","name":"","role":"editor","disabled":false}`},
			"Created the user new@example.gov.in (editor)"},
		{Entry{Action: "update", Entity: "user", EntityKey: "new@example.gov.in", Before: `{"role":"editor","disabled":false}`, After: `{"role":"approver","disabled":true}`},
			"Changed the user new@example.gov.in: role editor → approver and account disabled"},
		{Entry{Action: "update", Entity: "user", EntityKey: "new@example.gov.in", Before: `{"role":"editor","disabled":true}`, After: `{"role":"editor","disabled":false}`},
			"Changed the user new@example.gov.in: account enabled"},
		{Entry{Action: "update", Entity: "user", EntityKey: "new@example.gov.in", Before: `{"role":"editor"}`, After: `{"role":"editor"}`},
			"Saved the user new@example.gov.in without changes"},
		{Entry{Action: "change-password", Entity: "user", EntityKey: "ed@example.gov.in"}, "Changed the password of ed@example.gov.in"},
		{Entry{Action: "update", Entity: "setting", EntityKey: "four_eyes", Before: `{"value":1}`, After: `{"value":0}`}, "Changed the setting “Four-eyes rule”: on → off"},
		{Entry{Action: "update", Entity: "setting", EntityKey: "flag_ratio", Before: `{"value":3}`, After: `{"value":2.5}`}, "Changed the setting “Flag a figure this many times above or below its usual level”: 3 → 2.5"},
		{Entry{Action: "reset-password", Entity: "user", EntityKey: "ed@example.gov.in"}, "Set a new password for ed@example.gov.in"},
		{Entry{Action: "create", Entity: "token", EntityKey: "hrx_abc123…", After: `{"user":"ed@example.gov.in","name":"nightly"}`},
			"Created the API token “nightly” (hrx_abc123…) for ed@example.gov.in"},
		{Entry{Action: "revoke", Entity: "token", EntityKey: "hrx_abc123…", Before: `{"name":"nightly","revoked":false}`, After: `{"name":"nightly","revoked":true}`},
			"Revoked the API token “nightly” (hrx_abc123…)"},
		{Entry{Action: "sign-in", Entity: "session", EntityKey: "ed@example.gov.in"}, "Signed in"},
		{Entry{Action: "sign-in", Entity: "session", EntityKey: "ed@example.gov.in", After: `{"address":"203.0.113.7"}`}, "Signed in from 203.0.113.7"},
		{Entry{Action: "sign-in-failed", Entity: "session", EntityKey: "ed@example.gov.in", After: `{"address":"203.0.113.7"}`},
			"Sign-in as ed@example.gov.in failed from 203.0.113.7"},
		{Entry{Action: "sign-in-failed", Entity: "session", EntityKey: "ed@example.gov.in", After: `{"address":""}`}, "Sign-in as ed@example.gov.in failed"},
		{Entry{Action: "sign-in-throttled", Entity: "session", EntityKey: "ed@example.gov.in", After: `{"address":"203.0.113.7","wait_seconds":30}`},
			"Sign-in attempts from 203.0.113.7 as ed@example.gov.in wait 30 seconds"},
		{Entry{Action: "sign-out", Entity: "session", EntityKey: "ed@example.gov.in"}, "Signed out"},
		{Entry{Action: "create", Entity: "target", EntityKey: "students", After: `{"name_en":"Students in Japan","name_ja":"在日留学生","value":10000,"start":"2025-09","end":"2026-08","published":true}`},
			"Created the target Students in Japan: 10,000 people, September 2025 to August 2026"},
		{Entry{Action: "update", Entity: "target", EntityKey: "total-exchange",
			Before: `{"name_en":"Total","value":500000,"start":"2025-09","end":"2030-08","directions":"","categories":"","published":true,"milestones":null}`,
			After:  `{"name_en":"Total","value":600000,"start":"2025-09","end":"2030-08","directions":"IN-JP","categories":"","published":false,"milestones":[{"Month":"2027-08","Value":1}]}`},
			"Changed the target Total: target 5,00,000 → 6,00,000 people, directions that count, milestones and no longer published"},
		{Entry{Action: "update", Entity: "target", EntityKey: "total-exchange",
			Before: `{"name_en":"Total","name_hi":"","value":5,"start":"2025-09","end":"2030-08"}`, After: `{"name_en":"All","name_hi":"कुल","value":5,"start":"2025-10","end":"2030-08","skilled_only":true}`},
			"Changed the target All: English name “Total” → “All”, Hindi name none → “कुल”, window September 2025 to August 2030 → October 2025 to August 2030 and categories that count"},
		{Entry{Action: "update", Entity: "target", EntityKey: "total-exchange", Before: `{"name_en":"Total","value":5,"milestones":[]}`, After: `{"name_en":"Total","value":5,"milestones":null}`},
			"Saved the target Total without changes"},
		{Entry{Action: "create", Entity: "category", EntityKey: "care_workers", After: `{"name_en":"Care workers","name_ja":"介護人材","skilled":false,"retired":false}`},
			"Added the category Care workers (care_workers)"},
		{Entry{Action: "update", Entity: "category", EntityKey: "care_workers",
			Before: `{"name_en":"Care workers","skilled":false,"retired":false,"description_en":""}`, After: `{"name_en":"Care workers","skilled":true,"retired":true,"description_en":"x"}`},
			"Changed the category Care workers (care_workers): description, now counts toward the skilled target and retired"},
		{Entry{Action: "update", Entity: "category", EntityKey: "care_workers", Before: `{"name_en":"Care workers","skilled":true,"retired":true}`, After: `{"name_en":"Care workers"}`},
			"Changed the category Care workers (care_workers): no longer counts toward the skilled target and back in use"},
		{Entry{Action: "update", Entity: "category", EntityKey: "care_workers", Before: `{"name_en":"Care workers"}`, After: `{"name_en":"Care workers"}`},
			"Saved the category Care workers (care_workers) without changes"},
		// Single sign-on.
		{Entry{Action: "sign-in", Entity: "session", EntityKey: "a@mea.gov.in", After: `{"method":"oidc","issuer":"https://sso.example.gov.in/realms/mea","address":"10.1.2.3"}`},
			"Signed in through https://sso.example.gov.in/realms/mea from 10.1.2.3"},
		{Entry{Action: "sign-in-refused", Entity: "session", EntityKey: "a@mea.gov.in", After: `{"issuer":"https://sso.example.gov.in","reason":"no-rule"}`},
			"Sign-in of a@mea.gov.in through https://sso.example.gov.in refused: no account and no rule that gives one"},
		{Entry{Action: "link", Entity: "identity", EntityKey: "a@mea.gov.in", After: `{"issuer":"https://sso.example.gov.in","subject":"42"}`},
			"Linked a@mea.gov.in to its account at https://sso.example.gov.in"},
		{Entry{Action: "request", Entity: "access", EntityKey: "g@mofa.go.jp", After: `{"issuer":"https://sso.example.gov.in","name":"","groups":""}`},
			"g@mofa.go.jp asked for access through https://sso.example.gov.in"},
		{Entry{Action: "grant", Entity: "access", EntityKey: "g@mofa.go.jp", After: `{"role":"viewer"}`}, "Gave g@mofa.go.jp access as viewer"},
		{Entry{Action: "dismiss", Entity: "access", EntityKey: "g@mofa.go.jp"}, "Dismissed the request for access from g@mofa.go.jp"},
		{Entry{Action: "sign-in-refused", Entity: "session", EntityKey: "a@mea.gov.in", After: `{"reason":"unheard-of"}`}, "sign-in-refused: Sign-ins a@mea.gov.in"},
		// What the sentences cannot read falls back to the raw record.
		{Entry{Action: "update", Entity: "notification_prefs", EntityKey: "ed@example.org", After: `{"lang":"ja","off":"digest"}`}, "Changed their e-mail choices"},
		{Entry{Action: "read", Entity: "notifications", EntityKey: "ed@example.org", After: `{"count":3}`}, "Marked 3 notifications as read"},
		{Entry{Action: "frobnicate", Entity: "widget", EntityKey: "w1"}, "frobnicate: widget w1"},
		{Entry{Action: "update", Entity: "figure", EntityKey: "garbled"}, "update: Figures garbled"},
		{Entry{Action: "publish", Entity: "month", EntityKey: "2025-10", Before: `not json`}, "publish: Months 2025-10"},
	}
	en := i18n.New(i18n.EN, "IN")
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.e.Entity+"/"+c.e.Action] = true
		if got := en.Tr(Describe(c.e, testNames(i18n.EN))); got != c.want {
			t.Errorf("%s %s %s:\n got %s\nwant %s", c.e.Action, c.e.Entity, c.e.EntityKey, got, c.want)
		}
		// Every sentence exists in every language, with every argument filled.
		for _, lang := range []i18n.Lang{i18n.JA, i18n.HI} {
			got := i18n.New(lang, "").Tr(Describe(c.e, testNames(lang)))
			if strings.Contains(got, "audit.") || strings.Contains(got, "<no value>") || got == "" {
				t.Errorf("%s %s in %s: %q", c.e.Action, c.e.Entity, lang, got)
			}
		}
	}
	for k := range describers {
		if !covered[k] {
			t.Errorf("no test of the sentence for %s", k)
		}
	}
}

// TestDescribeInJapanese: names from the reference lists and from the entry
// come in the reader's language, months and states in their words.
func TestDescribeInJapanese(t *testing.T) {
	ja := i18n.New(i18n.JA, "")
	for _, c := range []struct {
		e    Entry
		want string
	}{
		{Entry{Action: "update", Entity: "figure", EntityKey: "2025-09/IN-JP/student", Before: `{"count":143}`, After: `{"count":150}`},
			"2025年9月・India to Japan・留学生の数値を変更：143 → 150"},
		{Entry{Action: "publish", Entity: "month", EntityKey: "2025-10", Before: `{"state":"submitted"}`},
			"2025年10月を公表（変更前：確認待ち）"},
		{Entry{Action: "create", Entity: "target", EntityKey: "students", After: `{"name_en":"Students in Japan","name_ja":"在日留学生","value":10000,"start":"2025-09","end":"2026-08"}`},
			"目標「在日留学生」を作成：2025年9月～2026年8月に10,000人"},
		{Entry{Action: "create", Entity: "category", EntityKey: "care_workers", After: `{"name_en":"Care workers","name_hi":"देखभाल कर्मी"}`},
			"区分「Care workers」（care_workers）を追加"},
		{Entry{Action: "sign-in-throttled", Entity: "session", EntityKey: "ed@example.gov.in", After: `{"address":"203.0.113.7","wait_seconds":90}`},
			"203.0.113.7 からの ed@example.gov.in としてのログイン試行を2分待機させました"},
	} {
		if got := ja.Tr(Describe(c.e, testNames(i18n.JA))); got != c.want {
			t.Errorf("%s %s:\n got %s\nwant %s", c.e.Action, c.e.Entity, got, c.want)
		}
	}
}

func TestReasonMsg(t *testing.T) {
	for _, c := range []struct{ reason, en, ja string }{
		{"month form", "Month form", "月の入力フォーム"},
		{"rows form", "Cell rows form", "セルの行の編集フォーム"},
		{"import #12 (oct.csv)", "Import #12 (oct.csv)", "取り込み #12（oct.csv）"},
		{"demonstration data set", "Demonstration data set", "デモ用データ"},
		{"JASSO revised October", "JASSO revised October", "JASSO revised October"},
		{"", "", ""},
	} {
		m := ReasonMsg(Entry{Reason: c.reason})
		if got := i18n.New(i18n.EN, "").Tr(m); got != c.en {
			t.Errorf("%q in English: %q", c.reason, got)
		}
		if got := i18n.New(i18n.JA, "").Tr(m); got != c.ja {
			t.Errorf("%q in Japanese: %q", c.reason, got)
		}
	}
}

func TestEntityStateRoleWords(t *testing.T) {
	ja := i18n.New(i18n.JA, "")
	for _, c := range []struct {
		m    i18n.Msg
		want string
	}{
		{EntityMsg("figure"), "数値"}, {EntityMsg("session"), "ログイン"}, {EntityMsg("setting"), "設定"}, {EntityMsg("gadget"), "gadget"},
		{StateMsg("published"), "公表済み"}, {StateMsg("archived"), "archived"},
		{RoleMsg("approver"), "承認者"}, {RoleMsg("owner"), "owner"},
	} {
		if got := ja.Tr(c.m); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	if !Known("month", "publish") || Known("month", "archive") {
		t.Error("Known")
	}
}
