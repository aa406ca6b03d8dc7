package emulator

import "net/http"

// resourceRoutes serves the resources tokens are for: the demo API's protected endpoint (any method) and the
// Graph-shaped /v1.0/me with the group lookup an overage token points to.
func (s *Server) resourceRoutes(mux *http.ServeMux) {
	mux.HandleFunc(APIPath, s.handleDemoAPI)
	mux.HandleFunc("GET "+GraphPath+"/me", s.handleGraphMe)
	mux.HandleFunc("POST "+GraphPath+"/me/getMemberObjects", s.handleGraphMemberObjects)
	mux.HandleFunc("POST "+GraphPath+"/users/{id}/getMemberObjects", s.handleGraphMemberObjects)
}
