package emulator

import (
	"net/http"
	"net/url"
)

// handleLogout is GET|POST /logout [§1.7]: ends the session, then returns to post_logout_redirect_uri when it
// is registered for some app, or shows a signed-out page.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	commonHeaders(w, idsFor(r))
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.delete(c.Value)
	}
	http.SetCookie(w, s.sessionCookie("", -1))
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	_ = r.ParseForm()
	if target := r.Form.Get("post_logout_redirect_uri"); target != "" && s.registeredAnywhere(target) {
		if u, err := url.Parse(target); err == nil {
			http.Redirect(w, r, u.String(), http.StatusFound)
			return
		}
	}
	renderPage(w, http.StatusOK, "message", page{Title: "You signed out of your account", Message: "It's a good idea to close all browser windows."})
}

func (s *Server) registeredAnywhere(uri string) bool {
	for _, a := range s.tenant.Apps {
		if _, ok := a.redirectFor(uri); ok {
			return true
		}
	}
	return false
}
