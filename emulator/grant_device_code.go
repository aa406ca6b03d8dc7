package emulator

import "time"

// grantDeviceCode is the device flow's poll (RFC 8628 §3.4–3.5).
func (s *Server) grantDeviceCode(req tokenRequest) (tokenResponse, *entraError) {
	code := req.form.Get("device_code")
	if code == "" {
		code = req.form.Get("code") // MSAL Python sends it twice [§7]
	}
	if code == "" {
		return tokenResponse{}, errMissingParam("device_code")
	}
	g, found, expired := s.devices.lookup(code)
	switch {
	case !found:
		return tokenResponse{}, errBadDeviceCode()
	case expired:
		return tokenResponse{}, errDeviceExpired()
	case g.ClientID != req.client.app.ClientID:
		return tokenResponse{}, errDeviceGrantClient()
	}
	g.mu.Lock()
	now := s.now()
	// Entra answers every poll authorization_pending (70016); slow_down is shown only on purpose.
	tooFast := s.scenarios.on(scenarioDeviceSlowDown) && now.Sub(g.LastPoll) < g.Interval-g.Interval/10
	g.LastPoll = now
	status := g.Status
	if tooFast && status == devicePending {
		g.Interval += 5 * time.Second // RFC 8628 §3.5: slow_down adds 5 seconds
	}
	if status == deviceApproved {
		g.Status = deviceRedeemed
	}
	interval, oid, mfa, authTime := g.Interval, g.UserOID, g.MFA, g.AuthTime
	g.mu.Unlock()
	switch status {
	case devicePending:
		if tooFast {
			return tokenResponse{}, errDeviceSlowDown(interval)
		}
		return tokenResponse{}, errDevicePending()
	case deviceDeclined:
		return tokenResponse{}, errDeviceDeclined()
	case deviceRedeemed:
		return tokenResponse{}, errGrantExpired("device code already redeemed")
	}
	s.userCode.delete(g.UserCode)
	u := s.tenant.userByOID(oid)
	res, names := s.tenant.delegated(req.client.app, g.Scopes)
	gr := grant{TenantID: s.tenant.ID, User: u, Client: req.client.app, AzpACR: req.client.acr, Resource: res,
		Scopes: names, OIDC: g.Scopes.OIDC, Default: g.Scopes.Default, Bare: g.Scopes.Bare, AuthTime: authTime, MFA: mfa}
	if e := s.userPolicy(gr); e != nil {
		return tokenResponse{}, e
	}
	return s.issue(gr, req, false)
}
