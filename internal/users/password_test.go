package users_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/users"
)

const newPassword = "a quite different passphrase"

// TestChangePassword shares one database between its subtests, which run in order.
func TestChangePassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	t.Run("refused", func(t *testing.T) { testChangePasswordRefused(t, e.fork(t)) })
	t.Run("accepted", func(t *testing.T) { testChangePassword(t, e.fork(t)) })
}

// TestChangePasswordThrottled guesses the current password through the form
// of a session someone left open: after the free guesses each must wait.
func TestChangePasswordThrottled(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.create(known, users.Editor)
	for i := range 6 {
		if err := e.s.ChangePassword(e.ctx, u.ID, wrongPw, newPassword, newPassword, ""); errors.As(err, new(*users.ThrottledError)) {
			t.Fatalf("guess %d: throttled too early", i+1)
		}
	}
	var te *users.ThrottledError
	if err := e.s.ChangePassword(e.ctx, u.ID, goodPassword, newPassword, newPassword, ""); !errors.As(err, &te) || te.Wait != time.Second {
		t.Fatalf("the seventh try at once: %v, want a wait of 1s", err)
	}
	e.clock.advance(time.Second)
	if err := e.s.ChangePassword(e.ctx, u.ID, goodPassword, newPassword, newPassword, ""); err != nil {
		t.Fatalf("after the wait, the right password: %v", err)
	}
}

func testChangePasswordRefused(t *testing.T, e *env) {
	const email = "refused@example.gov.in"
	u := e.create(email, users.Editor)
	here, there := e.session(u.ID), e.session(u.ID)
	hash0 := u.PasswordHash
	audit0 := e.count("audit_log")

	cases := []struct {
		name                   string
		current, next, confirm string
		want                   []string
	}{
		{"wrong current password", wrongPw, newPassword, newPassword, []string{"current_password"}},
		{"no current password", "", newPassword, newPassword, []string{"current_password"}},
		{"empty new password", goodPassword, "", "", []string{"new_password"}},
		{"short new password", goodPassword, "short", "short", []string{"new_password"}},
		{"common new password", goodPassword, "Password123", "Password123", []string{"new_password"}},
		{"new password is the email", goodPassword, "Refused@Example.gov.in", "Refused@Example.gov.in", []string{"new_password"}},
		{"confirmation differs", goodPassword, newPassword, newPassword + " ", []string{"confirm_password"}},
		{"confirmation empty", goodPassword, newPassword, "", []string{"confirm_password"}},
		{"wrong current and a mismatch", wrongPw, newPassword, "something else", []string{"current_password", "confirm_password"}},
		{"wrong current and a weak new one", wrongPw, "short", "short", []string{"current_password", "new_password"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := e.with(t)
			err := e.s.ChangePassword(e.ctx, u.ID, c.current, c.next, c.confirm, here)
			wantFields(t, err, c.want...)
			if got, _ := e.s.ByID(e.ctx, u.ID); got.PasswordHash != hash0 {
				t.Errorf("refused change altered the password")
			}
			e.wantSessionUser(here, u.ID)
			e.wantSessionUser(there, u.ID)
			if n := e.count("audit_log"); n != audit0 {
				t.Errorf("refused change wrote %d audit rows", n-audit0)
			}
		})
	}

	if err := e.s.ChangePassword(e.ctx, 999, goodPassword, newPassword, newPassword, ""); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("ChangePassword(unknown id) = %v, want ErrNotFound", err)
	}
}

func testChangePassword(t *testing.T, e *env) {
	u := e.create(known, users.Editor)
	bystander := e.create("other@example.gov.in", users.Viewer)
	here, there, elsewhere := e.session(u.ID), e.session(u.ID), e.session(u.ID)
	theirs := e.session(bystander.ID)

	if err := e.s.ChangePassword(e.ctx, u.ID, goodPassword, newPassword, newPassword, here); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}

	// The browser that made the change stays signed in; every other one is signed out.
	e.wantSessionUser(here, u.ID)
	e.wantNoSession(there)
	e.wantNoSession(elsewhere)
	e.wantSessionUser(theirs, bystander.ID)

	if _, err := e.s.Authenticate(e.ctx, known, goodPassword, ""); err != users.ErrBadCredentials {
		t.Errorf("old password: %v, want ErrBadCredentials", err)
	}
	if got, err := e.s.Authenticate(e.ctx, known, newPassword, ""); err != nil || got.ID != u.ID {
		t.Errorf("new password: %v", err)
	}
	got, _ := e.s.ByID(e.ctx, u.ID)
	if got.PasswordHash == u.PasswordHash || got.PasswordHash == newPassword {
		t.Errorf("stored hash not replaced by a new hash: %q", got.PasswordHash)
	}
	a := e.lastAudit("change-password")
	if a.Entity != "user" || a.EntityKey != known || a.UserID == nil || *a.UserID != u.ID {
		t.Errorf("change-password audit entry = %+v", a)
	}
	if a.Before != "" || a.After != "" {
		t.Errorf("change-password audit entry keeps password data: %+v", a)
	}

	// With no session to keep (say, a reset from the command line), all end.
	if err := e.s.ChangePassword(e.ctx, u.ID, newPassword, goodPassword, goodPassword, ""); err != nil {
		t.Fatalf("ChangePassword back: %v", err)
	}
	e.wantNoSession(here)
	e.wantSessionUser(theirs, bystander.ID)
}

// guessMessages are the sentences CheckPassword gives, in English, for a
// password that is easy to guess, by the weakness they name. Each is a catalog
// message that needs a translation, so this list changes only on purpose.
var guessMessages = map[string]string{
	"email":    "This password would be guessed quickly: it is built from your email address. Use three or four unrelated words, or a password manager.",
	"common":   "This password would be guessed quickly: it is one of the most common passwords. Use three or four unrelated words, or a password manager.",
	"word":     "This password would be guessed quickly: it is a single common word or name. Use three or four unrelated words, or a password manager.",
	"year":     "This password would be guessed quickly: it is a common word or password with a year added. Use three or four unrelated words, or a password manager.",
	"added":    "This password would be guessed quickly: it is a common word or password with a few digits or symbols added. Use three or four unrelated words, or a password manager.",
	"repeat":   "This password would be guessed quickly: it repeats the same few characters. Use three or four unrelated words, or a password manager.",
	"keyboard": "This password would be guessed quickly: it follows a row of keys on the keyboard. Use three or four unrelated words, or a password manager.",
	"sequence": "This password would be guessed quickly: it is a simple sequence such as abcd or 1234. Use three or four unrelated words, or a password manager.",
	"date":     "This password would be guessed quickly: it is mostly a date or a year. Use three or four unrelated words, or a password manager.",
	"words":    "This password would be guessed quickly: it is just two or three very common words. Use three or four unrelated words, or a password manager.",
	"other":    "This password would be guessed quickly. Use three or four unrelated words, or a password manager.",
}

func TestCheckPasswordStrength(t *testing.T) {
	t.Parallel()
	const me = "ravi.kumar@mea.gov.in"
	const long = "firstname.lastname@department.gov.in" // longer than the part zxcvbn judges
	const random = "k7HmPq2wXz9RtB4nVc3d"               // as GeneratePassword makes them
	cases := []struct {
		pw, email string
		want      string // "" for accepted, a guessMessages key, or the message itself
	}{
		// Passphrases and random passwords pass.
		{"correct horse battery", me, ""},
		{"correct horse battery", "", ""},
		{goodPassword, me, ""},
		{newPassword, me, ""},
		{"mumbai monsoon tea kettle", me, ""}, // place names in the list do not sink a passphrase
		{"the quick brown fox", me, ""},
		{random, me, ""},
		{"ünïcödé-pw", me, ""},
		{"木漏れ日の中で猫が静かに眠っている午後三時です", me, ""},        // 69 bytes, judged up to a whole character
		{random + strings.Repeat("a", 52), me, ""}, // judged by its strong beginning

		// The other rules come first.
		{"", me, "Enter a password"},
		{"short", me, "Password must be at least 10 characters long"},
		{strings.Repeat("a", 73), me, "Password must be 72 characters or fewer"},
		{strings.Repeat("é", 37), me, "Password must be 72 characters or fewer"}, // 37 characters, 74 bytes
		{"Ravi.Kumar@MEA.gov.in", me, "Password must not be your email address"},

		// The e-mail address and its parts.
		{me + "2025", me, "email"},
		{me + "1", me, "email"},
		{"Ravikumar2025", me, "email"},
		{"kumar@12345", me, "email"},
		{"Ravi@1990!", me, "email"},
		{"mea.gov.in1", me, "email"},
		{long + "2025", long, "email"},
		{"my address is " + me, me, "email"},

		// Common passwords, words and patterns.
		{"Password@123", me, "common"},
		{"welcome@123", me, "common"},
		{"Tokyo12345", me, "common"},
		{"qwertyuiop", me, "common"},
		{"Qwertyuiop", me, "common"},
		{"1234567890", me, "common"},
		{"Password123", me, "common"},
		{"thiruvananthapuram", me, "common"}, // from common-passwords.txt
		{"international", me, "word"},
		{"india@2025", me, "year"},
		{"P@ssw0rd2025", me, "year"},
		{"doraemon2020", me, "year"},
		{"Password1234", me, "added"},
		{"Bharat@123", me, "added"},
		{"loveindia12", me, "added"},
		{"aaaaaaaaaa", me, "repeat"},
		{"abcabcabcabc", me, "repeat"},
		{strings.Repeat("a", 72), me, "repeat"},
		{strings.Repeat("é", 36), me, "repeat"}, // 72 bytes
		{"éééééééééé", me, "repeat"},
		{"ааааааааааа", me, "repeat"}, // Cyrillic
		{"日本語日本語日本語日本語", me, "repeat"},
		{strings.Repeat("日本語", 8), me, "repeat"}, // 72 bytes, cut to 30
		{"पासवर्डपासवर्ड", me, "repeat"},         // 42 bytes: each copy is 21
		{random + random, me, ""},                // a strong base repeated is still strong
		{strings.Repeat("a", 40) + random, me, "repeat"},
		{"asdfghjkl;", me, "keyboard"},
		{"abcdefghij", me, "sequence"},
		{"12/05/1990", me, "date"},
		{"05121990ab", me, "date"},
		{"iloveindia", me, "words"},
		{"hello world", me, "words"},
		{"delhi mumbai", me, "words"},
		{"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6", me, "other"}, // not UTF-8: zxcvbn cannot judge it
	}
	for _, c := range cases {
		want := c.want
		if m, ok := guessMessages[want]; ok {
			want = m
		}
		if got := users.CheckPassword(c.pw, c.email).String(); got != want {
			t.Errorf("CheckPassword(%q, %q)\n got %q\nwant %q", c.pw, c.email, got, want)
		}
	}
}

func TestGeneratedPasswordsPass(t *testing.T) {
	t.Parallel()
	for range 200 {
		if p := users.GeneratePassword(); !users.CheckPassword(p, "ravi.kumar@mea.gov.in").IsZero() {
			t.Errorf("generated password %q refused: %s", p, users.CheckPassword(p, "ravi.kumar@mea.gov.in"))
		}
	}
}

// TestCommonPasswordsFile checks the list zxcvbn is given besides its own:
// one lower-case entry a line, each once (its line is its rank), and every
// entry long enough to be a password refused as one.
func TestCommonPasswordsFile(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("common-passwords.txt")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if line == "#" || strings.HasPrefix(line, "# ") {
			continue
		}
		switch {
		case line == "" || line != strings.ToLower(strings.TrimSpace(line)) || strings.ContainsAny(line, " \t"):
			t.Errorf("line %d: %q is not one lower-case entry", i+1, line)
		case seen[line]:
			t.Errorf("line %d: %q again", i+1, line)
		case len([]rune(line)) >= users.MinPasswordLength && users.CheckPassword(line, "").IsZero():
			t.Errorf("line %d: %q is accepted as a password", i+1, line)
		}
		seen[line] = true
	}
	if len(seen) < 300 {
		t.Errorf("only %d entries", len(seen))
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	for b.Loop() {
		users.CheckPassword("correct horse battery", "ravi.kumar@mea.gov.in")
	}
}

// BenchmarkCheckPasswordWorst times the slowest input found: 72 bytes of
// symbols that each read as letters in l33t, so zxcvbn matches every
// substring against every list once for each reading.
func BenchmarkCheckPasswordWorst(b *testing.B) {
	for b.Loop() {
		users.CheckPassword("6<7292{+8@[4<7<[{$8289!9+8{|(5+<[<47069@%[%57%%628<604@0![60%[(@8!@180!0", "ravi.kumar@mea.gov.in")
	}
}
