package web

import "github.com/labstack/echo/v4"

// setupPending reports whether no account exists yet, so that the public
// dashboard of a fresh install can say that an administrator still has to
// finish the setup (never the link: that is only in the server's log). Once
// an account exists there always is one (accounts are disabled, never
// removed), so the answer is remembered and the dashboard stops asking.
func (s *Server) setupPending(c echo.Context) (bool, error) {
	if s.setupDone.Load() {
		return false, nil
	}
	n, err := s.users.Count(c.Request().Context())
	if err != nil {
		return false, err
	}
	if n > 0 {
		s.setupDone.Store(true)
	}
	return n == 0, nil
}
