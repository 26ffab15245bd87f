// Command barewidget is the floor the widget benchmark measures HRX against:
// a bare Echo server (no middleware, no logging, no metrics) answering each
// given path with the bytes and Content-Type that a running HRX answered for
// it at start-up. scripts/bench-widgets.sh runs wrk against both, side by side.
//
//	go run ./scripts/barewidget -from http://127.0.0.1:18931 -addr 127.0.0.1:18932 \
//	    '/embed/skilled-workers?style=card' '/embed/skilled-workers.svg?style=card'
//
// Each path (its query included) is fetched once from -from; the bare server
// routes on the path alone, so the same URL works against both servers. With
// -headers it also sends every header HRX sent (but Date, which net/http
// writes itself), set once, so that the same bytes go over the wire and only
// the work between request and answer differs.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"

	"github.com/labstack/echo/v4"
)

func main() {
	from := flag.String("from", "http://127.0.0.1:18931", "the running HRX whose answers are served")
	addr := flag.String("addr", "127.0.0.1:18932", "where to listen")
	headers := flag.Bool("headers", false, "send HRX's headers too, not only its Content-Type")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: barewidget [-from URL] [-addr HOST:PORT] PATH...")
		os.Exit(2)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	for _, p := range flag.Args() {
		body, hdr, err := fetch(*from + p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		u, err := url.Parse(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		ctype := hdr.Get("Content-Type")
		if !*headers {
			e.GET(u.Path, func(c echo.Context) error { return c.Blob(http.StatusOK, ctype, body) })
			continue
		}
		hdr.Del("Date")
		e.GET(u.Path, func(c echo.Context) error {
			h := c.Response().Header()
			for k, v := range hdr {
				h[k] = v
			}
			c.Response().WriteHeader(http.StatusOK)
			_, err := c.Response().Write(body)
			return err
		})
	}
	if err := e.Start(*addr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// fetch reads one answer of the running HRX: its body and headers.
func fetch(u string) ([]byte, http.Header, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("%s: %s", u, resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	if resp.ContentLength >= 0 {
		// net/http moves Content-Length out of the headers it reads.
		resp.Header.Set("Content-Length", fmt.Sprint(resp.ContentLength))
	}
	return b, resp.Header, err
}
