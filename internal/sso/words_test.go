package sso

import (
	"testing"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/i18n/i18ntest"
	"hrx/internal/users"
)

// TestWordsInEveryLanguage: every refusal a person can meet on the way in
// reads well in English, Japanese and Hindi.
func TestWordsInEveryLanguage(t *testing.T) {
	var msgs []i18n.Msg
	for _, err := range []error{errExpired, errState, errNonce, errToken, errClaims, errReachable,
		users.ErrAccessPending, users.ErrAccessRefused, users.ErrEmailUnverified, users.ErrAccountDisabled,
		apperr.New(apperr.Forbidden, "sso.refused.provider", "error", "access_denied")} {
		msgs = append(msgs, apperr.MsgOf(err))
	}
	msgs = append(msgs, i18n.M("sso.button", "provider", "MEA"), i18n.M("sso.password_off", "provider", "MEA"),
		i18n.M("sso.granted", "email", "a@mea.gov.in", "role", users.Editor.Name()), i18n.M("sso.dismissed", "email", "a@mea.gov.in"),
		i18n.M("sso.grant.email_taken", "email", "a@mea.gov.in"), i18n.M("sso.requests.caption", "count", 1), i18n.M("sso.requests.caption", "count", 3))
	if n := i18ntest.InEveryLanguage(t, msgs); n < 18 {
		t.Errorf("only %d messages checked", n)
	}
}
