package tui

import (
	"github.com/aadx/aadx/flows"
	"slices"

	"github.com/aadx/aadx/decode"
)

// session remembers the tokens of earlier runs so that an on-behalf-of or refresh run can take them
// (chaining). It holds at most maxSessionRuns runs.
type session struct {
	runs []sessionRun
}

const maxSessionRuns = 16

// sessionRun is what one finished run left behind.
type sessionRun struct {
	Flow         string
	ClientID     string
	ClientSecret string
	Scopes       []string
	AccessToken  string
	RefreshToken string
}

func (s *session) add(r sessionRun) {
	s.runs = append(s.runs, r)
	if len(s.runs) > maxSessionRuns {
		s.runs = s.runs[len(s.runs)-maxSessionRuns:]
	}
}

// latestAccessFor returns the newest user access token whose aud is one of audiences.
func (s *session) latestAccessFor(audiences []string) (string, bool) {
	if s == nil {
		return "", false
	}
	for i := len(s.runs) - 1; i >= 0; i-- {
		raw := s.runs[i].AccessToken
		if raw == "" {
			continue
		}
		t, err := decode.Unverified(raw)
		if err != nil {
			continue
		}
		if _, user := t.Claims.String("scp"); !user {
			continue // app-only tokens cannot be exchanged on-behalf-of
		}
		for _, aud := range t.Claims.Strings("aud") {
			if slices.Contains(audiences, aud) {
				return raw, true
			}
		}
	}
	return "", false
}

// refreshSource is a refresh token with the client that obtained it (refresh tokens are bound to it).
type refreshSource struct {
	Token, ClientID, ClientSecret string
	Scopes                        []string
}

// latestRefresh returns the newest refresh token of the session.
func (s *session) latestRefresh() (refreshSource, bool) {
	if s == nil {
		return refreshSource{}, false
	}
	for i := len(s.runs) - 1; i >= 0; i-- {
		r := s.runs[i]
		if r.RefreshToken != "" {
			return refreshSource{Token: r.RefreshToken, ClientID: r.ClientID, ClientSecret: r.ClientSecret, Scopes: r.Scopes}, true
		}
	}
	return refreshSource{}, false
}

// chainSettings fills the token a chained flow (on-behalf-of, refresh) starts from with one from an earlier
// run of the session, without overriding what the person configured.
func chainSettings(id flows.FlowID, s flows.Settings, sess *session) flows.Settings {
	f, ok := flows.Lookup(string(id))
	if !ok || f.ChainsFrom == nil {
		return s
	}
	switch f.ChainsFrom.Token {
	case flows.ChainAccessToken:
		if s.Assertion == "" && sess != nil {
			for i := len(sess.runs) - 1; i >= 0; i-- {
				if sess.runs[i].AccessToken != "" && !isAppOnly(sess.runs[i].Flow) {
					s.Assertion = sess.runs[i].AccessToken
					break
				}
			}
		}
	case flows.ChainRefreshToken:
		if rt, ok := sess.latestRefresh(); ok && s.RefreshToken == "" {
			s.RefreshToken = rt.Token
			if s.ClientID == "" || s.ClientID == rt.ClientID {
				s.ClientID, s.ClientSecret = rt.ClientID, rt.ClientSecret
			}
		}
	}
	return s
}

// isAppOnly reports whether a run's flow got an app-only token (no user's to exchange).
func isAppOnly(id string) bool {
	f, ok := flows.Lookup(id)
	return ok && f.AppOnly
}
