package emulator

import "net/http"

// handleDeviceLoginPage is GET /devicelogin: the code entry form.
func (s *Server) handleDeviceLoginPage(w http.ResponseWriter, r *http.Request) {
	commonHeaders(w, idsFor(r))
	s.renderOTC(w, "")
}

func (s *Server) renderOTC(w http.ResponseWriter, errMsg string) {
	renderPage(w, http.StatusOK, "otc", page{Title: "Enter code", Action: s.url + deviceVerificationPath,
		Hidden: []hiddenField{{"step", "otc"}}, Error: errMsg,
		Message: "Enter the code displayed on your app or device."})
}

// handleDeviceLogin is POST /devicelogin: code (otc) → sign-in (login, passwd) → confirmation (accept) → done.
func (s *Server) handleDeviceLogin(w http.ResponseWriter, r *http.Request) {
	commonHeaders(w, idsFor(r))
	if !s.sameOrigin(r) {
		s.refuseCrossOrigin(w)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.renderOTC(w, "The form could not be read.")
		return
	}
	f := r.PostForm
	userCode := normalizeUserCode(f.Get("otc"))
	deviceCode, ok := s.userCode.get(userCode)
	var g *deviceGrant
	if ok {
		g, ok = s.devices.get(deviceCode)
	}
	if !ok {
		s.renderOTC(w, "AADSTS70018: That code didn't work. Check the code and try again.")
		return
	}
	c := s.tenant.appByID(g.ClientID)
	if !g.pending() {
		renderPage(w, http.StatusOK, "message", page{Title: "Code already used",
			Message: "The code was already approved or declined. Start the sign-in on your device again for a new code."})
		return
	}
	hidden := []hiddenField{{"otc", userCode}}
	switch f.Get("step") {
	case "otc":
		s.renderDeviceSignIn(w, hidden, c, "", "")
	case "signin":
		if !s.spendSignInToken(f.Get("flow"), deviceBinding(userCode)) {
			s.renderDeviceSignIn(w, hidden, c, f.Get("login"), "This sign-in page has expired or was not opened here. Please sign in again.")
			return
		}
		u := s.tenant.userByName(f.Get("login"))
		if u == nil || u.Password != f.Get("passwd") {
			s.renderDeviceSignIn(w, hidden, c, f.Get("login"), "AADSTS50126: Error validating credentials due to invalid username or password.")
			return
		}
		flow := randomID(24)
		s.steps.put(flow, signInStep{UserOID: u.OID, MFA: claimsAnswerMFA(g.Claims), AuthTime: s.now(),
			Binding: deviceBinding(userCode)}, signInStepLifetime)
		hidden = append(hidden, hiddenField{"step", "confirm"}, hiddenField{"flow", flow})
		renderPage(w, http.StatusOK, "consent", page{Title: "Are you trying to sign in to " + c.Name + "?",
			Action: s.url + deviceVerificationPath, Hidden: hidden,
			Permissions: qualified(s.tenant.delegated(c, g.Scopes)),
			Message:     "Only continue if you started this sign-in on a device you trust. Signed in as " + u.Username + "."})
	case "confirm":
		step, ok := s.steps.take(f.Get("flow"))
		u := s.tenant.userByOID(step.UserOID)
		if !ok || u == nil || step.Binding != deviceBinding(userCode) {
			s.renderOTC(w, "Your sign-in took too long. Enter the code again.")
			return
		}
		if f.Get("accept") != "yes" {
			g.decline()
			renderPage(w, http.StatusOK, "message", page{Title: "Sign-in cancelled", Message: "You declined the sign-in to " + c.Name + ". You may close this window."})
			return
		}
		s.approveDevice(g, u, step.MFA)
		renderPage(w, http.StatusOK, "message", page{Title: "You're signed in", Message: "You have signed in to " + c.Name + " on your device. You may now close this window."})
	default:
		s.renderOTC(w, "")
	}
}

// deviceBinding ties a device sign-in step to the one user code it was started for.
func deviceBinding(userCode string) string { return "device|" + userCode }

func (s *Server) renderDeviceSignIn(w http.ResponseWriter, hidden []hiddenField, c *app, login, errMsg string) {
	hidden = append(hidden, hiddenField{"step", "signin"}, hiddenField{"flow", s.signInToken(deviceBinding(hidden[0].Value))})
	renderPage(w, http.StatusOK, "signin", page{Title: "Sign in", Action: s.url + deviceVerificationPath,
		Hidden: hidden, Login: login, Error: errMsg, Message: "to continue to " + c.Name + " on your device"})
}
