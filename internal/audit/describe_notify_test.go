package audit

import (
	"testing"

	"hrx/internal/i18n"
)

func TestDescribeNotifications(t *testing.T) {
	en := Names{Lang: i18n.EN}
	for _, c := range []struct {
		e    Entry
		want string
	}{
		{Entry{Action: "update", Entity: "notification_prefs", EntityKey: "ed@example.gov", After: `{"lang":"ja","off":"digest"}`}, "Changed their e-mail choices"},
		{Entry{Action: "read", Entity: "notifications", EntityKey: "ed@example.gov", After: `{"count":3}`}, "Marked 3 notifications as read"},
		{Entry{Action: "read", Entity: "notifications", EntityKey: "ed@example.gov", After: `{"count":1}`}, "Marked 1 notification as read"},
	} {
		if got := i18n.New(i18n.EN, "").Tr(Describe(c.e, en)); got != c.want {
			t.Errorf("%s/%s: %q, want %q", c.e.Entity, c.e.Action, got, c.want)
		}
		if !Known(c.e.Entity, c.e.Action) {
			t.Errorf("%s/%s not known", c.e.Entity, c.e.Action)
		}
	}
}
