package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// The sign-in attacks. The server trusts X-Forwarded-For from 127.0.0.1
// (HRX_TRUSTED_PROXIES), so each side of an attack can have its own address.
const (
	burstGuesses = 40
	// maxChecked is how many of a burst's guesses may be answered "wrong
	// password", each one a password checked: the README's five that go
	// through at once, and the sixth, which starts the first wait. A throttle
	// that does not hold under concurrency lets most of the 40 through.
	maxChecked   = 6
	burstAddr    = "192.0.2.44"
	strangerAddr = "203.0.113.7"
	ownerAddr    = "198.51.100.9"
	strangerMiss = 10
)

// signinBurst sends 40 wrong passwords for the editor at once from one
// address, then the right one. Passes when at most maxChecked guesses were
// answered "wrong password" (401; the rest throttled, 429) and the right
// password is not let in straight after the burst. A server that compares
// every guess and only then answers 429 shows in the /healthz and memory
// figures instead.
func signinBurst(ctx context.Context, e *env, r *result) {
	c := httpClient(newJar(), 20*time.Second)
	hdr := map[string]string{"X-Forwarded-For": burstAddr}
	tok, err := csrfToken(ctx, c, e.base+"/login", hdr)
	if err != nil {
		r.fail("fetching a CSRF token: %v", err)
		return
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[int]int{}
	for i := range burstGuesses {
		wg.Go(func() {
			form := url.Values{"email": {editorEmail}, "password": {fmt.Sprintf("wrong-guess-%02d-%s", i, editorPassword)}, "_csrf": {tok}}
			rep, err := postForm(ctx, c, e.base+"/login", form, hdr)
			if err != nil {
				r.code(classify(err))
				return
			}
			r.status(rep.status)
			mu.Lock()
			seen[rep.status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	checked, throttled := seen[http.StatusUnauthorized], seen[http.StatusTooManyRequests]
	rep, in, err := signIn(ctx, c, e.base, editorEmail, editorPassword, burstAddr)
	r.note("%d wrong passwords at once: %d answered wrong password (401), %d throttled (429), %d other; then the right one: %s",
		burstGuesses, checked, throttled, burstGuesses-checked-throttled, answer(rep, in, err))
	if checked > maxChecked {
		r.fail("%d of %d parallel guesses were answered wrong password (401), each a password checked (at most %d may be)", checked, burstGuesses, maxChecked)
	}
	if in {
		r.fail("the right password was let in straight after %d wrong ones from the same address", burstGuesses)
	}
}

// answer describes a sign-in attempt's outcome.
func answer(rep reply, in bool, err error) string {
	switch {
	case err != nil:
		return "error: " + err.Error()
	case in:
		return fmt.Sprintf("%d, signed in", rep.status)
	}
	return fmt.Sprintf("%d, refused", rep.status)
}

// signinStranger has a stranger fail to sign in as the administrator ten
// times from one address; the administrator, from another, must get in at once.
func signinStranger(ctx context.Context, e *env, r *result) {
	c := httpClient(newJar(), 10*time.Second)
	hdr := map[string]string{"X-Forwarded-For": strangerAddr}
	tok, err := csrfToken(ctx, c, e.base+"/login", hdr)
	if err != nil {
		r.fail("fetching a CSRF token: %v", err)
		return
	}
	var codes []string
	for i := range strangerMiss {
		form := url.Values{"email": {adminEmail}, "password": {fmt.Sprintf("not-the-password-%d", i)}, "_csrf": {tok}}
		rep, err := postForm(ctx, c, e.base+"/login", form, hdr)
		if err != nil {
			r.code(classify(err))
			codes = append(codes, classify(err))
			continue
		}
		r.status(rep.status)
		codes = append(codes, fmt.Sprint(rep.status))
	}
	owner := httpClient(newJar(), 10*time.Second)
	t := time.Now()
	rep, in, err := signIn(ctx, owner, e.base, adminEmail, adminPassword, ownerAddr)
	r.status(rep.status)
	r.note("stranger (%s): %s; owner (%s) then: %s in %s", strangerAddr, strings.Join(codes, " "), ownerAddr,
		answer(rep, in, err), ms(time.Since(t)))
	if !in {
		r.fail("the administrator was kept out (%s) by a stranger's %d failures from another address", answer(rep, in, err), strangerMiss)
		return
	}
	if acc, err := get(ctx, owner, e.base+"/account", map[string]string{"X-Forwarded-For": ownerAddr}); err != nil || acc.status != http.StatusOK {
		r.fail("the administrator's new session does not open /account (%v, %d)", err, acc.status)
	}
}

// hugeEmail is the size of the e-mail address in the stored-input attack.
const hugeEmail = 9 << 20

// signinHugeEmail posts the sign-in form ten times with a different 9 MB
// e-mail address: nothing of it may be stored (beyond the throttle's bounded
// allowance) or echoed back, and no answer may be a 500.
func signinHugeEmail(ctx context.Context, e *env, r *result) {
	c := httpClient(newJar(), 20*time.Second)
	tok, err := csrfToken(ctx, c, e.base+"/login", nil)
	if err != nil {
		r.fail("fetching a CSRF token: %v", err)
		return
	}
	// One 9 MiB address part, sent by reference: encoding a copy of it for
	// every request would load this process, which also times /healthz.
	pad := strings.Repeat("a", hugeEmail)
	var sizes []string
	var big int
	var largest int64
	for i := range 10 {
		if ctx.Err() != nil {
			break
		}
		head := url.Values{"password": {"whatever-it-is-1"}, "_csrf": {tok}}.Encode() + "&email=" + url.QueryEscape(fmt.Sprintf("u%d.", i))
		tail := url.QueryEscape("@example.org")
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.base+"/login",
			io.MultiReader(strings.NewReader(head), strings.NewReader(pad), strings.NewReader(tail)))
		if err != nil {
			r.fail("%v", err)
			return
		}
		req.ContentLength = int64(len(head) + len(pad) + len(tail))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rep, err := do(c, req)
		if err != nil {
			r.code(classify(err))
			continue
		}
		r.status(rep.status)
		sizes = append(sizes, mib(rep.size))
		if rep.size >= 100<<10 {
			big, largest = big+1, max(largest, rep.size)
		}
	}
	if big > 0 {
		r.fail("%d answers to POST /login with a 9 MiB address were up to %s long (limit 100 KiB): the address is echoed", big, mib(largest))
	}
	r.note("10 sign-ins with a 9 MiB address; answer sizes: %s", strings.Join(sizes, " "))
}
