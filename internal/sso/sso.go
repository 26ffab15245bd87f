// Package sso is single sign-on through an OpenID Connect provider: the
// authorization code flow with PKCE, its state and nonce kept in the
// database for the browser that started it, the ID token verified against
// the provider's keys, and the rules that admit a person at their first
// sign-in. Accounts, links and sessions stay in internal/users.
package sso

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"hrx/internal/apperr"
	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/users"
)

// CallbackPath is where the provider sends the browser back; the redirect
// URL to register at the provider is HRX_BASE_URL followed by it.
const CallbackPath = "/auth/oidc/callback"

// LoginLifetime is how long a sign-in may stay at the provider.
const LoginLifetime = 10 * time.Minute

// The refusals of the flow itself; the cause, for the log, is their Err.
var (
	errExpired   = apperr.New(apperr.Invalid, "sso.refused.expired")
	errState     = apperr.New(apperr.Invalid, "sso.refused.state")
	errNonce     = apperr.New(apperr.Forbidden, "sso.refused.nonce")
	errToken     = apperr.New(apperr.Forbidden, "sso.refused.token")
	errClaims    = apperr.New(apperr.Forbidden, "sso.refused.claims")
	errReachable = apperr.New(apperr.Busy, "sso.unavailable")
)

// refusal is one of the errors above with its cause.
func refusal(kind *apperr.Error, cause error) error {
	e := *kind
	e.Err = cause
	if e.Kind == apperr.Busy {
		e.RetryAfter = 30 * time.Second
	}
	return &e
}

// Service signs people in through the configured provider.
type Service struct {
	cfg      config.OIDC
	rules    Rules
	redirect string
	db       *db.DB
	client   *http.Client
	now      func() time.Time

	mu sync.Mutex
	op *provider // discovered at the first sign-in, then kept
}

// provider is what discovery tells of the provider.
type provider struct {
	oauth      oauth2.Config
	verifier   *oidc.IDTokenVerifier
	endSession string // RP-initiated logout, "" when the provider has none
}

// New returns the service for cfg (enabled), sending people back to
// baseURL+CallbackPath. The rule is checked here, so a mistake in it stops
// the server at start-up. The provider is asked for its configuration at
// the first sign-in, so HRX starts while the provider is down.
func New(cfg config.OIDC, baseURL string, d *db.DB) (*Service, error) {
	rules, err := ParseRules(cfg.Roles)
	if err != nil {
		return nil, err
	}
	return &Service{cfg: cfg, rules: rules, redirect: strings.TrimRight(baseURL, "/") + CallbackPath, db: d,
		client: &http.Client{Timeout: 10 * time.Second}, now: func() time.Time { return time.Now().UTC() }}, nil
}

// Name is the provider as the sign-in button names it.
func (s *Service) Name() string { return s.cfg.Name }

// Issuer is the provider's issuer URL.
func (s *Service) Issuer() string { return s.cfg.Issuer }

// Admit is what the rules give a person without an account.
func (s *Service) Admit(ext users.External) users.Admission {
	return s.rules.Admit(ext.Email, ext.EmailVerified, ext.Groups)
}

// discover returns the provider's configuration, asking for it once.
func (s *Service) discover(ctx context.Context) (*provider, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.op != nil {
		return s.op, nil
	}
	// The provider keeps this context to fetch its keys when they rotate:
	// the server's lifetime, not the request's.
	pctx := oidc.ClientContext(context.WithoutCancel(ctx), s.client)
	op, err := oidc.NewProvider(pctx, s.cfg.Issuer)
	if err != nil {
		return nil, refusal(errReachable, err)
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := op.Claims(&extra); err != nil {
		return nil, refusal(errReachable, err)
	}
	s.op = &provider{
		oauth: oauth2.Config{ClientID: s.cfg.ClientID, ClientSecret: s.cfg.ClientSecret, Endpoint: op.Endpoint(),
			RedirectURL: s.redirect, Scopes: s.cfg.Scopes},
		verifier:   op.Verifier(&oidc.Config{ClientID: s.cfg.ClientID, Now: s.now}),
		endSession: extra.EndSession,
	}
	return s.op, nil
}

// Begin starts a sign-in: it returns the value of the cookie that binds the
// sign-in to this browser and the provider's address to send the browser to.
// next is where the person goes after signing in (a path of this site).
func (s *Service) Begin(ctx context.Context, next string) (cookie, to string, err error) {
	op, err := s.discover(ctx)
	if err != nil {
		return "", "", err
	}
	if err := s.Sweep(ctx); err != nil {
		return "", "", err
	}
	l := login{State: users.NewToken(), Nonce: users.NewToken(), Verifier: oauth2.GenerateVerifier(), Next: next,
		ExpiresAt: s.now().Add(LoginLifetime)}
	cookie = users.NewToken()
	l.ID = hashOf(cookie)
	if err := s.db.W.WithContext(ctx).Create(&l).Error; err != nil {
		return "", "", err
	}
	return cookie, op.oauth.AuthCodeURL(l.State, oidc.Nonce(l.Nonce), oauth2.S256ChallengeOption(l.Verifier)), nil
}

// Result is a finished sign-in: the person as the provider vouches for them,
// the raw ID token (the hint at sign-out) and where they were going.
type Result struct {
	Person  users.External
	IDToken string
	Next    string
}

// Callback is what the provider sends back to CallbackPath.
type Callback struct {
	State, Code      string
	Error, ErrorDesc string // the provider's refusal, e.g. access_denied
}

// Finish checks the provider's answer against the sign-in this browser
// started (cookie): the state, then the code exchanged with the PKCE
// verifier, the ID token's signature, issuer, audience and expiry, then its
// nonce. A sign-in is used once, whatever the outcome.
func (s *Service) Finish(ctx context.Context, cookie string, cb Callback) (Result, error) {
	l, err := s.take(ctx, cookie)
	if err != nil {
		return Result{}, err
	}
	if subtle.ConstantTimeCompare([]byte(l.State), []byte(cb.State)) != 1 {
		return Result{}, refusal(errState, errors.New("the state sent back is not the one this browser's sign-in sent"))
	}
	if cb.Error != "" {
		return Result{}, apperr.New(apperr.Forbidden, "sso.refused.provider", "error", limit(cb.Error+" "+cb.ErrorDesc, 200))
	}
	op, err := s.discover(ctx)
	if err != nil {
		return Result{}, err
	}
	tctx := context.WithValue(ctx, oauth2.HTTPClient, s.client)
	tok, err := op.oauth.Exchange(tctx, cb.Code, oauth2.VerifierOption(l.Verifier))
	if err != nil {
		return Result{}, refusal(errToken, fmt.Errorf("exchanging the code: %w", err))
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Result{}, refusal(errToken, errors.New("the token answer has no id_token"))
	}
	idt, err := op.verifier.Verify(oidc.ClientContext(ctx, s.client), raw)
	if err != nil {
		return Result{}, refusal(errToken, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(l.Nonce)) != 1 {
		return Result{}, refusal(errNonce, errors.New("the ID token's nonce is not the one this sign-in sent"))
	}
	person, err := s.person(idt)
	if err != nil {
		return Result{}, err
	}
	return Result{Person: person, IDToken: raw, Next: l.Next}, nil
}

// person reads the claims HRX uses from a verified ID token.
func (s *Service) person(idt *oidc.IDToken) (users.External, error) {
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return users.External{}, refusal(errClaims, err)
	}
	p := users.External{Issuer: idt.Issuer, Subject: idt.Subject}
	if p.Subject == "" {
		return p, refusal(errClaims, errors.New("the ID token has no subject"))
	}
	p.Email, _ = claims["email"].(string)
	switch v := claims["email_verified"].(type) {
	case bool:
		p.EmailVerified = v
	case string: // some providers send "true"
		p.EmailVerified = v == "true"
	}
	p.Name, _ = claims["name"].(string)
	switch v := claims[s.cfg.GroupsClaim].(type) {
	case []any:
		for _, g := range v {
			if g, ok := g.(string); ok {
				p.Groups = append(p.Groups, g)
			}
		}
	case string:
		p.Groups = []string{v}
	}
	return p, nil
}

// EndSessionURL is where to send a browser that signed out, so that it
// signs out at the provider too (OpenID Connect RP-initiated logout), then
// comes back to after; "" when the provider offers no such endpoint or
// cannot be reached.
func (s *Service) EndSessionURL(ctx context.Context, idToken, after string) string {
	op, err := s.discover(ctx)
	if err != nil || op.endSession == "" {
		return ""
	}
	u, err := url.Parse(op.endSession)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("client_id", s.cfg.ClientID)
	q.Set("post_logout_redirect_uri", after)
	if idToken != "" {
		q.Set("id_token_hint", idToken)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// limit cuts what a provider sent back to n bytes, for the page.
func limit(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "")
	}
	return s
}

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
