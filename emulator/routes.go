package emulator

import (
	"net/http"
	"time"
)

// routes maps Entra's paths (reference §1.1) to handlers. {tenant} is a GUID, a domain, common, organizations
// or consumers; each handler resolves it.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", s.handleDiscoveryV2)
	mux.HandleFunc("GET /{tenant}/.well-known/openid-configuration", s.handleDiscoveryV1)
	mux.HandleFunc("GET /{tenant}/discovery/v2.0/keys", s.handleKeys)
	mux.HandleFunc("GET /{tenant}/discovery/keys", s.handleKeys)
	mux.HandleFunc("GET /common/discovery/instance", s.handleInstanceDiscovery)
	mux.HandleFunc("/{tenant}/oauth2/v2.0/authorize", s.handleAuthorize)
	mux.HandleFunc("POST /{tenant}/login", s.handleSignIn)
	mux.HandleFunc("/{tenant}/oauth2/v2.0/token", s.handleToken)
	mux.HandleFunc("/{tenant}/oauth2/v2.0/devicecode", s.handleDeviceCode)
	mux.HandleFunc("GET /devicelogin", s.handleDeviceLoginPage)
	mux.HandleFunc("POST /devicelogin", s.handleDeviceLogin)
	mux.HandleFunc("/{tenant}/oauth2/v2.0/logout", s.handleLogout)
	s.secretlessRoutes(mux)
	s.resourceRoutes(mux)
	return s.withScenarioDelay(mux)
}

// slowDelay is how long the slow scenario holds every response.
const slowDelay = 3 * time.Second

// withScenarioDelay holds every response while the slow scenario is on, honouring the caller's cancellation.
func (s *Server) withScenarioDelay(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.scenarios.on(scenarioSlow) {
			t := time.NewTimer(slowDelay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
