package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hrx/internal/feed"
	"hrx/internal/i18n"
)

// feedURL is the address of the public feed in the reader's language.
func (s *Server) feedURL(l i18n.Locale) string {
	return s.baseURL() + "/feed.atom" + langQuery(l.Code())
}

// atomFeed serves /feed.atom, the public Atom feed of publications: English,
// or the language ?lang= names. Cached per data version and language (every
// publication moves the data version on).
func (s *Server) atomFeed(c echo.Context) error {
	l := i18n.New(i18n.EN, "")
	if q := c.QueryParam("lang"); q != "" {
		var ok bool
		if l, ok = i18n.Parse(q); !ok {
			return echo.NewHTTPError(http.StatusBadRequest, i18n.M("error.language"))
		}
	}
	rep, err := s.currentReport(c)
	if err != nil {
		return err
	}
	p, err := s.cache.get(rep.Version, "feed|"+l.Code(), func() (cached, error) {
		pubs, err := feed.Publications(c.Request().Context(), s.audit)
		if err != nil {
			return cached{}, err
		}
		body := feed.Build(feed.Options{BaseURL: s.baseURL(), Locale: l}, pubs, rep)
		return cached{Body: body, ContentType: feed.ContentType, ETag: etag(rep.Version, "feed-"+l.Code())}, nil
	})
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("ETag", p.ETag)
	h.Set("Cache-Control", cacheControl)
	if matches(c, p.ETag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, p.ContentType, p.Body)
}
