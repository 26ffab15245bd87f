package web

import (
	"github.com/labstack/echo/v4"

	"hrx/internal/figures"
	"hrx/internal/sso"
	"hrx/internal/upload"
	"hrx/internal/users"
)

// routes lists every route.
func (s *Server) routes(e *echo.Echo) {
	e.Pre(s.front)

	// Machine endpoints: no sessions, no CSRF.
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler)
	e.GET("/static/*", s.static.Serve)
	e.GET("/favicon.ico", s.favicon)

	api := e.Group("/api/v1", s.apiHeaders)
	api.GET("/targets", s.apiTargets)
	api.GET("/targets/:slug", s.apiTarget)
	api.GET("/targets/:slug/plan", s.apiPlan)
	api.GET("/figures", s.apiFigures)
	api.GET("/openapi.json", s.apiOpenAPI)
	// Uploads by token: not for browsers on other sites, so no CORS header.
	e.POST("/api/v1/imports", s.apiImport)

	// Widgets for other sites: framable, cached per data version, no cookies.
	e.GET("/embed.js", s.embedScript)
	e.GET("/embed/:slug", s.embedWidget, s.embedHeaders)
	e.GET("/oembed", s.oembed, s.apiHeaders)
	e.GET("/export/figures.csv", s.exportFigures(figures.Public, upload.CSV))
	e.GET("/export/figures.xlsx", s.exportFigures(figures.Public, upload.XLSX))
	e.GET("/datapackage.json", s.dataPackage, s.apiHeaders)
	e.GET("/targets/:slug/charts/:file", s.chartDownload, s.embedHeaders)
	e.GET("/feed.atom", s.atomFeed, s.embedHeaders)

	// Pages: security headers, language, session and CSRF.
	p := e.Group("", s.pageHeaders, s.language, s.session, s.csrf)
	p.GET("/", s.dashboard)
	p.GET("/targets/:slug", s.targetPage)
	p.GET("/targets/:slug/plan", s.planPage)
	p.GET("/breakdown", s.breakdownPage)
	p.GET("/targets/:slug/breakdown", s.targetBreakdownPage)
	p.GET("/reports", s.annualList)
	p.GET("/reports/:year", s.annualPage)
	p.GET("/widgets", s.widgets)
	p.GET("/login", s.loginForm)
	p.POST("/login", s.login)
	p.POST("/logout", s.logout)
	p.POST("/auth/oidc/start", s.ssoStart)
	p.GET(sso.CallbackPath, s.ssoCallback)
	p.GET("/setup", s.setupForm)
	p.POST("/setup", s.setup)
	p.GET("/language", s.setLanguage)

	// Route middleware, not a group: a group on "" would catch every unknown path.
	viewer, editor := s.require(users.Viewer), s.require(users.Editor)
	p.GET("/account", s.accountPage, viewer)
	p.POST("/account/password", s.changePassword, viewer)
	p.POST("/account/time-zone", s.setTimeZone, viewer)
	p.POST("/account/email", s.saveEmailPrefs, viewer)
	p.GET("/notifications", s.notificationsPage, viewer)
	p.POST("/notifications/read", s.markNotificationsRead, viewer)
	p.GET("/months", s.monthsPage, viewer)
	p.GET("/months/figures.csv", s.exportFigures(figures.Staff, upload.CSV), viewer)
	p.GET("/months/figures.xlsx", s.exportFigures(figures.Staff, upload.XLSX), viewer)
	p.GET("/months/:month", s.monthPage, viewer)
	p.GET("/months/:month/rows", s.rowsPage, viewer)
	p.POST("/months/:month/rows", s.saveRows, editor)
	p.POST("/months/:month", s.saveMonth, editor)
	p.GET("/months/:month/state", s.monthStateConfirm, viewer)
	p.POST("/months/:month/state", s.monthState, viewer)
	p.POST("/months/:month/comments", s.addComment, viewer)
	p.GET("/completeness", s.completenessPage, viewer)
	p.GET("/completeness.csv", s.completenessCSV, viewer)
	p.GET("/completeness.json", s.completenessJSON, viewer)
	p.GET("/audit", s.auditLog, viewer)
	p.GET("/audit.csv", s.auditCSV, viewer)
	p.GET("/help/upload", s.helpUpload)
	p.GET("/imports/template.csv", s.templateCSV)
	p.GET("/imports/template.xlsx", s.templateXLSX)
	p.GET("/imports", s.importsPage, viewer)
	p.GET("/imports/new", s.newImportPage, editor)
	p.POST("/imports", s.upload, editor)
	p.GET("/imports/:id", s.importPage, viewer)
	p.GET("/imports/:id/problems.csv", s.importIssuesCSV, viewer)
	p.GET("/imports/:id/changed.csv", s.importListCSV("changed"), viewer)
	p.GET("/imports/:id/new.csv", s.importListCSV("new"), viewer)
	p.GET("/imports/:id/removed.csv", s.importListCSV("removed"), viewer)
	p.POST("/imports/:id/apply", s.applyImport, editor)
	p.POST("/imports/:id/revert", s.revertImport, editor)

	admin := p.Group("/admin", s.require(users.Admin))
	admin.GET("/users", s.usersPage)
	admin.POST("/users", s.addUser)
	admin.POST("/users/:id", s.updateUser)
	admin.GET("/users/:id/password", s.confirmResetPassword)
	admin.POST("/access-requests/:id/grant", s.grantAccess)
	admin.POST("/access-requests/:id/dismiss", s.dismissAccess)
	admin.POST("/users/:id/password", s.resetPassword)
	admin.GET("/targets", s.targetsAdmin)
	admin.POST("/targets", s.saveTarget)
	admin.GET("/categories", s.categoriesPage)
	admin.POST("/categories", s.saveCategory)
	admin.GET("/tokens", s.tokensPage)
	admin.POST("/tokens", s.createToken)
	admin.POST("/tokens/:id/revoke", s.revokeToken)
	admin.GET("/bodies", s.bodiesAdmin)
	admin.POST("/bodies", s.saveBody)
	admin.GET("/bodies/:id/delete", s.confirmDeleteBody)
	admin.POST("/bodies/:id/delete", s.deleteBody)
	admin.GET("/settings", s.settingsPage)
	admin.GET("/jobs", s.jobsPage)
	admin.POST("/settings", s.saveSettings)
}
