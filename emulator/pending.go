package emulator

import "net/http"

type authCode struct{}
type deviceGrant struct{}
type refreshGrant struct{}
type session struct{}
type signInStep struct{}

func notYet(w http.ResponseWriter, _ *http.Request) {
	http.Error(w, "not implemented yet", http.StatusNotImplemented)
}

func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request)       { notYet(w, r) }
func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request)          { notYet(w, r) }
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request)           { notYet(w, r) }
func (s *Server) handleDeviceCode(w http.ResponseWriter, r *http.Request)      { notYet(w, r) }
func (s *Server) handleDeviceLoginPage(w http.ResponseWriter, r *http.Request) { notYet(w, r) }
func (s *Server) handleDeviceLogin(w http.ResponseWriter, r *http.Request)     { notYet(w, r) }
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request)          { notYet(w, r) }
func redirectMatches(registered, got string) bool                              { return registered == got }
