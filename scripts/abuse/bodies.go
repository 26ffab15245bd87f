package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The body attacks: anonymous requests with a body of a gigabyte, and an
// editor's uploads past the limit sent without a Content-Length.
const (
	hugeBody     = 1 << 30
	bodyDeadline = 2 * time.Second       // per anonymous request
	readAllowed  = 2 * maxUploadMB << 20 // body bytes a refusal may take in
)

// anonPaths are the form posts an anonymous client can reach.
var anonPaths = []string{"/imports", "/login", "/logout", "/admin/users"}

// anonBodies posts a 1 GB multipart body to each anonymous form target, once
// as a drive-by (no cookies) and once with a valid anonymous CSRF cookie and
// token, which anyone can fetch from /login. The server must answer (a
// redirect or a 4xx) or hang up before taking in more than readAllowed.
func anonBodies(chunked bool) func(context.Context, *env, *result) {
	return func(ctx context.Context, e *env, r *result) {
		jar := newJar()
		tok, err := csrfToken(ctx, httpClient(jar, 5*time.Second), e.base+"/login", nil)
		if err != nil {
			r.fail("fetching a CSRF token: %v", err)
			return
		}
		framing := "Content-Length"
		if chunked {
			framing = "chunked"
		}
		for _, path := range anonPaths {
			for _, withToken := range []bool{false, true} {
				if ctx.Err() != nil {
					return
				}
				var fields [][2]string
				hdr := map[string]string{}
				who := "no cookies"
				if withToken {
					fields = [][2]string{{"_csrf", tok}}
					hdr["Cookie"] = cookieHeader(jar, e.base)
					who = "CSRF token"
				}
				fields = append(fields, [2]string{"email", "someone@example.org"}, [2]string{"mode", "merge"})
				prefix, suffix, ct := multipartFrame(fields, "figures.csv")
				hdr["Content-Type"] = ct
				s := stream{addr: e.srv.addr(), path: path, header: hdr, chunked: chunked, prefix: prefix,
					payload: hugeBody, fill: 'x', suffix: suffix, deadline: bodyDeadline}
				res := s.send(ctx)
				r.code(res.outcome)
				what := fmt.Sprintf("POST %s (%s, %s, 1 GiB)", path, framing, who)
				if judgeRefusal(r, what, res) {
					r.note("%s: %s", what, res)
				}
			}
		}
	}
}

// judgeRefusal fails a big body that was not refused early, and reports
// whether it was.
func judgeRefusal(r *result, what string, res streamResult) bool {
	switch {
	case res.status >= 500:
		r.fail("%s: answered %d", what, res.status)
	case res.status >= 200 && res.status < 300:
		r.fail("%s: accepted with %d", what, res.status)
	case res.outcome == "timeout":
		r.fail("%s: no answer within %s; the server kept reading (%s sent)", what, ms(res.took), mib(res.sent))
	case res.outcome == "error":
		r.fail("%s: the request failed before an answer", what)
	case res.sent > readAllowed:
		r.fail("%s: answered only after taking in %s of the body (limit %s)", what, mib(res.sent), mib(readAllowed))
	default:
		return true
	}
	return false
}

// editorUpload has the signed-in editor upload a file of size bytes through
// the upload form, chunked (no Content-Length, so the size is only known by
// reading): the server must answer 413 after at most about the limit.
func editorUpload(size int64) func(context.Context, *env, *result) {
	return func(ctx context.Context, e *env, r *result) {
		tok, err := csrfToken(ctx, e.editor(5*time.Second), e.base+"/imports/new", nil)
		if err != nil {
			r.fail("the editor cannot open the upload page: %v", err)
			return
		}
		prefix, suffix, ct := multipartFrame([][2]string{{"_csrf", tok}, {"mode", "merge"}}, "figures.csv")
		hdr := map[string]string{"Content-Type": ct, "Cookie": cookieHeader(e.editorJar, e.base)}
		// Zero bytes: a file the import would reject at once, should it get that far.
		s := stream{addr: e.srv.addr(), path: "/imports", header: hdr, chunked: true, prefix: prefix,
			payload: size, fill: 0, suffix: suffix, deadline: 12 * time.Second}
		res := s.send(ctx)
		r.code(res.outcome)
		what := fmt.Sprintf("POST /imports (editor, chunked, %s file)", mib(size))
		switch {
		case res.status == http.StatusRequestEntityTooLarge:
			if res.sent > readAllowed {
				r.fail("%s: 413 only after taking in %s (limit %s)", what, mib(res.sent), mib(readAllowed))
			} else {
				r.note("%s: %s", what, res)
			}
		case strings.HasPrefix(res.location, "/imports/"):
			r.fail("%s: accepted as %s (%s after %s sent) instead of 413", what, res.location, res.outcome, mib(res.sent))
		default:
			r.fail("%s: %s instead of 413", what, res)
		}
	}
}
