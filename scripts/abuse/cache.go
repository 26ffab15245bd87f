package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The cache attacks: widget addresses made unique so that each could become
// one more entry of an answer cache, and a made-up Host reflected into answers.
const (
	floodRequests = 3000
	floodWorkers  = 8
	widgetPath    = "/embed/skilled-workers?style=card"
)

// flood sends n requests from a few workers, each made by mk(i), and counts the answers.
func flood(ctx context.Context, r *result, n int, mk func(i int) (*http.Request, error)) (sent int) {
	c := httpClient(nil, 10*time.Second)
	c.Transport.(*http.Transport).MaxConnsPerHost = floodWorkers
	var next atomic.Int64
	var wg sync.WaitGroup
	for range floodWorkers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				req, err := mk(i)
				if err != nil {
					r.code("error")
					continue
				}
				rep, err := do(c, req.WithContext(ctx))
				if err != nil {
					if ctx.Err() == nil {
						r.code(classify(err))
					}
					continue
				}
				r.status(rep.status)
			}
		})
	}
	wg.Wait()
	return min(int(next.Load()), n)
}

// hostFlood asks for a widget with 3,000 different Host headers of 200 KB.
// The requests are written by hand on kept-alive connections, from one
// shared padding, so that making them costs the suite next to nothing.
func hostFlood(ctx context.Context, e *env, r *result) {
	pad := []byte(strings.Repeat("abcdefghijklmnop.", 200<<10/17))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range floodWorkers {
		wg.Go(func() {
			var conn net.Conn
			var br *bufio.Reader
			defer func() {
				if conn != nil {
					conn.Close()
				}
			}()
			for i := next.Add(1) - 1; i < floodRequests && ctx.Err() == nil; i = next.Add(1) - 1 {
				if conn == nil {
					c, err := (&net.Dialer{}).DialContext(ctx, "tcp", e.srv.addr())
					if err != nil {
						r.code(classify(err))
						continue
					}
					conn, br = c, bufio.NewReader(c)
				}
				conn.SetDeadline(time.Now().Add(10 * time.Second))
				status, keep, err := hostRequest(conn, br, i, pad)
				if err != nil {
					r.code(classify(err))
				} else {
					r.status(status)
				}
				if err != nil || !keep {
					conn.Close()
					conn = nil
				}
			}
		})
	}
	wg.Wait()
	r.note("%d requests with a %s Host header each", min(next.Load(), floodRequests), mib(int64(len(pad))))
}

// hostRequest sends one widget request with Host "h<i>.<pad>example" and reads the answer.
func hostRequest(conn net.Conn, br *bufio.Reader, i int64, pad []byte) (status int, keep bool, err error) {
	w := bufio.NewWriterSize(conn, 32<<10)
	fmt.Fprintf(w, "GET %s HTTP/1.1\r\nHost: h%d.", widgetPath, i)
	w.Write(pad)
	w.WriteString("example\r\n\r\n")
	if err := w.Flush(); err != nil {
		return 0, false, err
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return 0, false, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err == nil && !resp.Close, err
}

// queryFlood asks for a widget with 3,000 different 2 KB query parameters.
func queryFlood(ctx context.Context, e *env, r *result) {
	n := flood(ctx, r, floodRequests, func(i int) (*http.Request, error) {
		b := make([]byte, 1024)
		rand.Read(b)
		return http.NewRequest(http.MethodGet, e.base+widgetPath+"&x="+hex.EncodeToString(b), nil)
	})
	r.note("%d requests with a 2 KiB random parameter each", n)
}

// evilHost is the Host a third party sends to get its own address into answers.
const evilHost = "evil.example"

// hostReflection asks public answers that carry absolute addresses with
// Host (and X-Forwarded-Host) evil.example, then again normally: neither
// answer may contain it, the second showing whether the first poisoned a cache.
func hostReflection(ctx context.Context, e *env, r *result) {
	paths := []string{
		"/oembed?url=" + url.QueryEscape(e.base+"/targets/skilled-workers"),
		"/api/v1/targets",
		"/api/v1/targets/skilled-workers",
		widgetPath,
		"/embed/skilled-workers.svg?style=card",
		"/targets/skilled-workers",
		"/widgets",
	}
	c := httpClient(nil, 10*time.Second)
	evil := map[string]string{"Host": evilHost, "X-Forwarded-Host": evilHost}
	for _, p := range paths {
		for _, hdr := range []map[string]string{evil, nil} {
			rep, err := get(ctx, c, e.base+p, hdr)
			if err != nil {
				r.code(classify(err))
				r.fail("GET %s: %v", p, err)
				continue
			}
			r.status(rep.status)
			who := "afterwards, with the real Host"
			if hdr != nil {
				who = "with Host: " + evilHost
			}
			if bytes.Contains(rep.body, []byte(evilHost)) {
				r.fail("GET %s %s: the answer (%d) contains %q", p, who, rep.status, evilHost)
			}
			if hdr == nil && rep.status != http.StatusOK {
				r.fail("GET %s %s: answered %d, so the check means nothing", p, who, rep.status)
			}
			if hdr == nil && strings.HasPrefix(p, "/oembed") && !bytes.Contains(rep.body, []byte(e.base)) {
				r.note("GET %s: the answer does not contain the configured base URL %s either", p, e.base)
			}
		}
	}
	r.note("%d public addresses asked with Host: %s, then normally", len(paths), evilHost)
}
