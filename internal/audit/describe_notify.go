package audit

import "hrx/internal/i18n"

// The sentences of a person's own notification settings: their e-mail
// choices saved on /account, and their notifications marked as read.
func init() {
	describers["notification_prefs/update"] = func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("notify.audit.prefs"), true
	}
	describers["notifications/read"] = func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		c, ok := a.int("count")
		return i18n.M("notify.audit.read", "count", c), ok
	}
}
