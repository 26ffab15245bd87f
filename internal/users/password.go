package users

import (
	"context"
	"crypto/rand"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/i18n"
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// maxPasswordBytes is the longest password accepted: bcrypt ignores every byte
// after the 72nd.
const maxPasswordBytes = 72

// minPasswordGuesses is how many guesses zxcvbn must estimate a new password
// to need. Its score 3 ("safely unguessable": beyond an online attack, slow
// work offline against bcrypt) starts at 10^8, but zxcvbn's estimate for a
// password it reads as n parts includes a term (10^4)^(n-1), so any password
// of three parts reaches 10^8 however common the parts: love+india+12,
// Ravi+@1990+!, hello+space+world. Ten times that refuses them and still
// accepts three ordinary words ("correct horse battery", about 10^14) and
// every password GeneratePassword makes (10^17 or more).
const minPasswordGuesses = 1e9

// The catalog ids of the messages CheckPassword returns for a password zxcvbn
// judges too easy to guess, one for each weakness it recognises. Keep them few
// and fixed, each translated: no password or part of one goes in a message.
const (
	msgGuessEmail    = "users.guessable.email"
	msgGuessCommon   = "users.guessable.common"
	msgGuessWord     = "users.guessable.word"
	msgGuessYear     = "users.guessable.year"
	msgGuessAdded    = "users.guessable.added"
	msgGuessRepeat   = "users.guessable.repeat"
	msgGuessKeyboard = "users.guessable.keyboard"
	msgGuessSequence = "users.guessable.sequence"
	msgGuessDate     = "users.guessable.date"
	msgGuessWords    = "users.guessable.words"
	msgGuessOther    = "users.guessable.general"
)

// commonList adds to zxcvbn's lists, which are American (census names, US
// television, English Wikipedia, 30,000 leaked passwords): words and
// passwords that people here build passwords from. Lines starting with "# "
// are comments (#123 is an entry); entries come commonest first, and zxcvbn
// ranks each by its place in the list.
//
//go:embed common-passwords.txt
var commonList string

// contextWords are the entries of commonList, then the years 2020 to 2039
// (zxcvbn's year pattern stops at 2019) and the years 1950 to 2039 after an
// @, as in name@1990, the way many here finish a password. It is read once
// and never changed.
var contextWords = func() []string {
	var words []string
	for line := range strings.Lines(commonList) {
		if w := strings.ToLower(strings.TrimSpace(line)); w != "" && w != "#" && !strings.HasPrefix(w, "# ") {
			words = append(words, w)
		}
	}
	for y := 2020; y < 2040; y++ {
		words = append(words, strconv.Itoa(y))
	}
	for y := 1950; y < 2040; y++ {
		words = append(words, "@"+strconv.Itoa(y))
	}
	return words
}()

// CheckPassword returns what is wrong with a new password, or a zero Msg when
// it is acceptable: from 10 characters to the 72 bytes bcrypt uses, not the
// e-mail address, and hard to guess by zxcvbn's estimate, which is told the
// address, its parts and contextWords as words an attacker would try first.
func CheckPassword(pw, email string) i18n.Msg {
	switch {
	case pw == "":
		return i18n.M("users.invalid.password_missing")
	case len([]rune(pw)) < MinPasswordLength:
		return i18n.M("users.invalid.password_short", "min", MinPasswordLength)
	case len(pw) > maxPasswordBytes:
		return i18n.M("users.invalid.password_long", "max", maxPasswordBytes)
	case email != "" && strings.EqualFold(pw, email):
		return i18n.M("users.invalid.password_is_email")
	case len(email) >= 3 && strings.Contains(strings.ToLower(pw), strings.ToLower(email)):
		// Said here, not left to zxcvbn: a long address may reach past judgedPart.
		return i18n.M(msgGuessEmail)
	}
	inputs, own := userInputs(email)
	if base, n := repeatedBase(pw); n > 1 {
		// zxcvbn's repeat pattern mixes up byte and character offsets, so it
		// misses éééééééééé and 日本語日本語…; judge those as it would ASCII.
		if zxcvbn.PasswordStrength(judgedPart(base), inputs).Guesses*float64(n) < minPasswordGuesses {
			return i18n.M(msgGuessRepeat)
		}
	}
	r := zxcvbn.PasswordStrength(judgedPart(pw), inputs)
	if r.Guesses >= minPasswordGuesses {
		return i18n.Msg{}
	}
	return i18n.M(guessableBecause(r.Sequence, own))
}

// repeatedBase returns the shortest base that s repeats, at least twice and
// perhaps with a last copy cut short, and how many whole copies s holds. n is
// 0 when s does not repeat, is not UTF-8, or is plain ASCII, whose repeats
// zxcvbn finds by itself.
func repeatedBase(s string) (base string, n int) {
	ascii := strings.IndexFunc(s, func(r rune) bool { return r >= utf8.RuneSelf }) < 0
	if ascii || !utf8.ValidString(s) {
		return "", 0
	}
	r := []rune(s)
	for p := 1; 2*p <= len(r); p++ {
		periodic := true
		for i := p; i < len(r) && periodic; i++ {
			periodic = r[i] == r[i-p]
		}
		if periodic {
			return string(r[:p]), len(r) / p
		}
	}
	return "", 0
}

// strengthBytes is how much of a password zxcvbn judges. Its running time
// grows faster than the square of the length (it looks up every substring in
// every list, once for each way of reading the l33t symbols in it): the worst
// 72-byte passwords take tenths of a second, the worst 32-byte ones a few
// milliseconds. Judging the beginning errs towards refusing: a password is no
// easier to guess than its first 32 bytes, and one whose beginning is weak is
// refused whatever follows.
const strengthBytes = 32

// judgedPart returns the first strengthBytes bytes of pw, cut back to a whole
// character (zxcvbn scores invalid UTF-8 as 0).
func judgedPart(pw string) string {
	if len(pw) <= strengthBytes {
		return pw
	}
	n := strengthBytes
	for n > 0 && !utf8.RuneStart(pw[n]) {
		n--
	}
	return pw[:n]
}

// userInputs returns the words zxcvbn should take an attacker to know: first
// the e-mail address and its parts, then contextWords. own is how many come
// from the address; zxcvbn ranks its user inputs by position, so a match of
// rank up to own was built from the address.
func userInputs(email string) (inputs []string, own int) {
	email = strings.ToLower(strings.TrimSpace(email))
	seen := map[string]bool{}
	add := func(w string) {
		if len(w) >= 3 && !seen[w] {
			seen[w] = true
			inputs = append(inputs, w)
		}
	}
	add(email)
	if local, domain, ok := strings.Cut(email, "@"); ok {
		add(local)
		// ravi.kumar-2@mea.gov.in: "ravi", "kumar", "ravikumar" and "mea"
		// are as easy to guess as the address.
		parts := strings.FieldsFunc(local, func(r rune) bool { return !unicode.IsLetter(r) })
		for _, p := range parts {
			add(p)
		}
		add(strings.Join(parts, ""))
		add(domain)
		add(strings.SplitN(domain, ".", 2)[0])
	}
	own = len(inputs)
	for _, w := range contextWords {
		if !seen[w] { // a duplicate would take the later, higher rank
			inputs = append(inputs, w)
		}
	}
	return inputs, own
}

// guessableBecause picks the id of the message that says why zxcvbn found a password
// easy to guess, from the parts (matches) it took the password to be made of.
func guessableBecause(seq []*match.Match, own int) string {
	for _, m := range seq {
		if m.Pattern == "dictionary" && m.DictionaryName == "user_inputs" && m.Rank <= own {
			return msgGuessEmail
		}
	}
	if len(seq) == 1 {
		return onePatternMessage(seq[0])
	}
	// A word with digits, symbols or a year around it; or else the longest
	// part that zxcvbn recognised (random characters say nothing).
	var words, years, added, spaces int
	var longest *match.Match
	for _, m := range seq {
		switch {
		case strings.TrimSpace(m.Token) == "":
			spaces++ // between words: not something added
			continue
		case m.Pattern == "dictionary" && strings.ContainsFunc(m.Token, unicode.IsLetter):
			words++
		case isYear(m):
			years++
		case !strings.ContainsFunc(m.Token, unicode.IsLetter):
			added++
		}
		if m.Pattern != "bruteforce" && (longest == nil || len(m.Token) > len(longest.Token)) {
			longest = m
		}
	}
	switch {
	case words > 0 && words+years+added+spaces == len(seq):
		if years > 0 {
			return msgGuessYear
		}
		if added > 0 {
			return msgGuessAdded
		}
		return msgGuessWords
	case longest != nil:
		return onePatternMessage(longest)
	}
	return msgGuessOther
}

// onePatternMessage is the id of the message that says why a password that is, or is dominated by, the one
// pattern m is easy to guess.
func onePatternMessage(m *match.Match) string {
	switch m.Pattern {
	case "dictionary":
		if m.DictionaryName == "passwords" || m.DictionaryName == "user_inputs" {
			return msgGuessCommon
		}
		return msgGuessWord
	case "repeat":
		return msgGuessRepeat
	case "spatial":
		return msgGuessKeyboard
	case "sequence":
		return msgGuessSequence
	case "date", "regex":
		return msgGuessDate
	}
	return msgGuessOther
}

// isYear reports whether m is a date or a year, as zxcvbn matches them or as
// a year from 1900 to 2039 with symbols around it (zxcvbn's year pattern
// stops at 2019, and it takes 2025 for a walk on the keypad).
func isYear(m *match.Match) bool {
	if m.Pattern == "date" || m.Pattern == "regex" && m.RegexName == "recent_year" {
		return true
	}
	if strings.ContainsFunc(m.Token, unicode.IsLetter) {
		return false
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, m.Token)
	y, err := strconv.Atoi(digits)
	return err == nil && len(digits) == 4 && y >= 1900 && y < 2040
}

// GeneratePassword returns a random password of 20 letters and digits, easy to read aloud.
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// ChangePassword sets a new password after checking the current one, and ends
// the user's other sessions (keepSession, the one making the change, stays).
func (s *Store) ChangePassword(ctx context.Context, id int64, current, next, confirm, keepSession string) error {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return err
	}
	// The current password is guessable through this form by whoever holds
	// the session, so its checks are throttled like sign-ins.
	keys := []throttleKey{{Key: fmt.Sprintf("password:%d", id), Limit: passwordLimit}}
	if _, err := s.countAttempt(ctx, keys); err != nil {
		return err
	}
	v := &apperr.ValidationError{}
	match := false
	if len(current) <= maxPasswordInput {
		if match, err = s.compareHash(ctx, []byte(u.PasswordHash), current); err != nil {
			return err
		}
	}
	if !match {
		v.AddMsg("current_password", labelCurrentPassword, i18n.M("users.invalid.current_password_wrong"))
	} else if err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.forgive(tx, keys) }); err != nil {
		return err
	}
	if msg := CheckPassword(next, u.Email); !msg.IsZero() {
		v.AddMsg("new_password", labelNewPassword, msg)
	} else if next != confirm {
		v.AddMsg("confirm_password", labelConfirmNewPassword, i18n.M("users.invalid.new_passwords_differ"))
	}
	if !v.Empty() {
		return v
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), s.HashCost)
	if err != nil {
		return err
	}
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{"password_hash": string(hash), "updated_at": s.now()}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ? AND id <> ?", id, hashToken(keepSession)).Delete(&Session{}).Error; err != nil {
			return err
		}
		return audit.Record(tx, u.Actor(), audit.Change{Action: "change-password", Entity: "user", Key: u.Email})
	})
}

// ResetPassword gives an account a new generated password, ends its sessions and
// returns the password, to be handed over once. For people who forgot theirs.
func (s *Store) ResetPassword(ctx context.Context, actor audit.Actor, id int64) (User, string, error) {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return User{}, "", err
	}
	pw := GeneratePassword()
	hash, err := bcrypt.GenerateFromPassword([]byte(pw), s.HashCost)
	if err != nil {
		return User{}, "", err
	}
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{"password_hash": string(hash), "updated_at": s.now()}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", id).Delete(&Session{}).Error; err != nil {
			return err
		}
		// A new password starts the account's sign-in delays afresh (the
		// delays of addresses that guessed at it stay).
		if err := tx.Exec("DELETE FROM signin_throttle WHERE key = ?", "account:"+u.Email).Error; err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.Change{Action: "reset-password", Entity: "user", Key: u.Email})
	})
	return u, pw, err
}
