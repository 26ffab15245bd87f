package web

import (
	"net"
	"net/http"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
)

// formBodyLimit is the most any request but an upload may send: the largest
// form (a month's grid) is a few kilobytes.
const formBodyLimit = 1 << 20

// uploadSlack is room for the multipart form around an uploaded file.
const uploadSlack = 64 << 10

// isUpload reports whether a request carries a file, whose body may be as
// large as HRX_MAX_UPLOAD_MB.
func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && (r.URL.Path == "/imports" || r.URL.Path == "/api/v1/imports")
}

// bodyLimit is the most a request may send.
func (s *Server) bodyLimit(r *http.Request) int64 {
	if isUpload(r) {
		return int64(s.cfg.MaxUploadMB)<<20 + uploadSlack
	}
	return formBodyLimit
}

// limitBody bounds the request's body before anything reads it: a declared
// length over the limit is refused at once, and a body sent without one
// (chunked) fails at the limit, whoever reads it.
func (s *Server) limitBody(c echo.Context) error {
	r := c.Request()
	max := s.bodyLimit(r)
	if r.ContentLength > max {
		// The body is not read; the connection cannot be reused.
		c.Response().Header().Set("Connection", "close")
		return s.tooLarge(r)
	}
	// The server's own ResponseWriter, so that going over the limit
	// also closes the connection instead of reading on. A request
	// without a body (most GETs) has nothing to limit.
	if r.Body != http.NoBody && r.Body != nil {
		r.Body = http.MaxBytesReader(c.Response().Writer, r.Body, max)
	}
	return nil
}

// tooLarge is the refusal of a body over its limit.
func (s *Server) tooLarge(r *http.Request) error {
	if isUpload(r) {
		return apperr.New(apperr.TooLarge, "error.too_large_upload", "limit", s.cfg.MaxUploadMB)
	}
	return apperr.New(apperr.TooLarge, "error.too_large_form", "limit", "1 MB")
}

// secureHeaders are sent with every response, pages, files, exports and
// errors alike: no content sniffing, and HTTPS only once the site is on HTTPS.
func (s *Server) secureHeaders(c echo.Context) {
	h := c.Response().Header()
	h["X-Content-Type-Options"] = hdrNosniff
	if s.https() {
		h["Strict-Transport-Security"] = hdrHSTS
	}
}

// ipExtractor finds a request's client address: the connection's, or, from a
// trusted proxy only, the nearest untrusted address in X-Forwarded-For.
// Nothing else is trusted, not even loopback or private ranges, since a
// client could otherwise name any address it liked.
func ipExtractor(proxies []*net.IPNet) echo.IPExtractor {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		opts = append(opts, echo.TrustIPRange(p))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// fromProxy reports whether the request came through a trusted proxy, whose
// X-Forwarded-Proto can be believed.
func (s *Server) fromProxy(c echo.Context) bool {
	host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	for _, p := range s.proxies {
		if ip != nil && p.Contains(ip) {
			return true
		}
	}
	return false
}
