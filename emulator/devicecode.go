package emulator

import (
	"crypto/rand"
	"net/http"
	"strings"
	"sync"
	"time"
)

// deviceGrant is one device authorization (RFC 8628) from issue to redemption.
type deviceGrant struct {
	mu       sync.Mutex
	ClientID string
	UserCode string
	Scopes   scopeRequest
	Claims   string
	Interval time.Duration
	LastPoll time.Time
	Status   deviceStatus
	UserOID  string
	MFA      bool
	AuthTime time.Time
}

type deviceStatus int

const (
	devicePending deviceStatus = iota
	deviceApproved
	deviceDeclined
	deviceRedeemed
)

// deviceVerificationPath is where users enter the code; Entra's is https://microsoft.com/devicelogin.
const deviceVerificationPath = "/devicelogin"

// handleDeviceCode is POST /devicecode (RFC 8628 §3.1, [§2.7]).
func (s *Server) handleDeviceCode(w http.ResponseWriter, r *http.Request) {
	ids := idsFor(r)
	commonHeaders(w, ids)
	noStore(w)
	if r.Method != http.MethodPost {
		s.writeError(w, ids, errWrongMethod(r.Method))
		return
	}
	seg := r.PathValue("tenant")
	kind := s.classifyTenant(seg)
	if kind == tenantUnknown {
		s.writeError(w, ids, errTenantNotFound(seg))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, ids, errGrantInvalid("The request body must be application/x-www-form-urlencoded and under 1 MiB."))
		return
	}
	form := r.PostForm
	if e := checkParamLimits(form); e != nil {
		s.writeError(w, ids, e)
		return
	}
	clientID := form.Get("client_id")
	if clientID == "" {
		s.writeError(w, ids, errMissingParam("client_id"))
		return
	}
	c := s.tenant.appByID(clientID)
	switch {
	case c == nil:
		s.writeError(w, ids, errUnknownClient(clientID))
		return
	case s.scenarios.on(scenarioAppDisabled):
		s.writeError(w, ids, errAppDisabled(c))
		return
	case kind == tenantConsumers:
		s.writeError(w, ids, errConsumersNotAllowed(c))
		return
	}
	scope := form.Get("scope")
	if scope == "" {
		s.writeError(w, ids, errMissingParam("scope"))
		return
	}
	sr, e := s.tenant.parseScopes(scope, false)
	if e != nil {
		s.writeError(w, ids, e)
		return
	}
	deviceCode := "DAQABAAEAAAD" + randomID(96)
	userCode := newUserCode()
	g := &deviceGrant{ClientID: c.ClientID, UserCode: userCode, Scopes: sr, Claims: form.Get("claims"),
		Interval: s.opts.DeviceInterval, LastPoll: s.now()}
	if s.opts.AutoApprove {
		s.approveDevice(g, s.tenant.Users[0], claimsAnswerMFA(form.Get("claims")))
	}
	if !s.devices.putSized(deviceCode, g, deviceCodeLifetime, g.size()) {
		s.writeError(w, ids, errStoreFull())
		return
	}
	if !s.userCode.put(userCode, deviceCode, deviceCodeLifetime) {
		s.devices.delete(deviceCode)
		s.writeError(w, ids, errStoreFull())
		return
	}
	verification := s.url + deviceVerificationPath
	interval := int((s.opts.DeviceInterval + time.Second - 1) / time.Second)
	writeJSON(w, http.StatusOK, map[string]any{
		"user_code": userCode, "device_code": deviceCode, "verification_uri": verification,
		"expires_in": int(deviceCodeLifetime / time.Second), "interval": interval,
		"message": "To sign in, use a web browser to open the page " + verification + " and enter the code " + userCode +
			" to authenticate. (This is the aadx emulator's page; Entra's real one is https://microsoft.com/devicelogin.)",
	})
}

// approveDevice records the user's approval of a pending code; the device-declined scenario turns every
// approval into a decline. A code answered once keeps its answer.
func (s *Server) approveDevice(g *deviceGrant, u *user, mfa bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.Status != devicePending {
		return
	}
	if s.scenarios.on(scenarioDeviceDeclined) {
		g.Status = deviceDeclined
		return
	}
	g.Status, g.UserOID, g.MFA, g.AuthTime = deviceApproved, u.OID, mfa, s.now()
	c := s.tenant.appByID(g.ClientID)
	s.recordConsent(u, c, qualified(s.tenant.delegated(c, g.Scopes))) // approving the device is consenting
}

// decline records the user's refusal of a pending code.
func (g *deviceGrant) decline() {
	g.mu.Lock()
	if g.Status == devicePending {
		g.Status = deviceDeclined
	}
	g.mu.Unlock()
}

func (g *deviceGrant) pending() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.Status == devicePending
}

// newUserCode is 9 characters from an alphabet without look-alikes, as Entra's codes look.
func newUserCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func normalizeUserCode(code string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
}
