package flows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// DeviceCodeGrantType is the grant of a device code poll (RFC 8628 §3.4).
const DeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code"

// slowDownStep is added to the polling interval on each slow_down (RFC 8628 §3.5).
const slowDownStep = 5 * time.Second

// Bounds on what a device authorization response may ask for. A provider's interval or expires_in is trusted
// only within these: a huge interval would overflow into no delay at all (or a wait of years), a huge expiry
// would poll for ever. Entra answers interval 5 and expires_in 900; RFC 8628 §3.2 defaults the interval to 5.
const (
	maxDeviceInterval  = 60   // seconds between polls
	maxDeviceExpiresIn = 3600 // seconds a device code is polled for
)

func (r *Run) prepareDeviceCode() (*Request, error) {
	st := r.State()
	if st.Endpoints.DeviceCode == "" {
		return nil, fmt.Errorf("%w: the provider published no device_authorization_endpoint", ErrNotReady)
	}
	return &Request{Method: http.MethodPost, URL: st.Endpoints.DeviceCode,
		Headers: []Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}, {Name: "Accept", Value: "application/json"}},
		Params:  []Param{param("client_id", r.settings.ClientID), param("scope", strings.Join(r.settings.Scopes, " "))}}, nil
}

type deviceResponse struct {
	DeviceCode              string          `json:"device_code"`
	UserCode                string          `json:"user_code"`
	VerificationURI         string          `json:"verification_uri"`
	VerificationURIComplete string          `json:"verification_uri_complete"`
	Message                 string          `json:"message"`
	ExpiresIn               json.RawMessage `json:"expires_in"`
	Interval                json.RawMessage `json:"interval"`
}

func (r *Run) applyDeviceCode(ex *Exchange) error {
	if err := responseError(ex); err != nil {
		return err
	}
	var dr deviceResponse
	if err := json.Unmarshal([]byte(ex.ResponseBody), &dr); err != nil {
		return &ProtocolError{Leg: LegDeviceCode, Problem: "the device authorization response is not JSON", Err: err}
	}
	if dr.DeviceCode == "" || dr.UserCode == "" || dr.VerificationURI == "" {
		return &ProtocolError{Leg: LegDeviceCode, Problem: "the response lacks device_code, user_code or verification_uri"}
	}
	if err := CheckOpenable(dr.VerificationURI); err != nil {
		return &ProtocolError{Leg: LegDeviceCode, Problem: "verification_uri refused", Err: err}
	}
	d := &DeviceAuthorization{DeviceCode: dr.DeviceCode, UserCode: dr.UserCode, VerificationURI: dr.VerificationURI,
		VerificationURIComplete: dr.VerificationURIComplete, Message: dr.Message}
	if d.VerificationURIComplete != "" && CheckOpenable(d.VerificationURIComplete) != nil {
		d.VerificationURIComplete = ""
		d.Notes = append(d.Notes, "verification_uri_complete is not an http(s) URL; aadx ignores it")
	}
	var replaced bool
	// RFC 8628 §3.2: the interval defaults to 5 s; 900 s is Entra's expiry.
	if d.Interval, replaced = boundedSeconds(dr.Interval, 5, maxDeviceInterval); replaced {
		d.Notes = append(d.Notes, fmt.Sprintf("the provider's interval %s is outside 1–%d s; aadx polls every %d s", shortForMessage(string(dr.Interval)), maxDeviceInterval, d.Interval))
	}
	if d.ExpiresIn, replaced = boundedSeconds(dr.ExpiresIn, 900, maxDeviceExpiresIn); replaced {
		d.Notes = append(d.Notes, fmt.Sprintf("the provider's expires_in %s is outside 1–%d s; aadx stops polling after %d s", shortForMessage(string(dr.ExpiresIn)), maxDeviceExpiresIn, d.ExpiresIn))
	}
	d.ExpiresAt = r.opts.Now().Add(time.Duration(d.ExpiresIn) * time.Second)
	r.update(func(s *State) { s.Device = d })
	msg := d.Message
	if msg == "" {
		msg = fmt.Sprintf("Open %s and enter the code %s.", d.VerificationURI, d.UserCode)
	}
	r.emit(Event{Kind: EventUserAction, Leg: ex.Leg, LegName: ex.LegName,
		Action: &UserAction{URL: d.VerificationURI, UserCode: d.UserCode, Message: msg, Notes: d.Notes}})
	return nil
}

// boundedSeconds reads a whole number of seconds the provider sent (a JSON number or a numeric string). Absent,
// it is def; below 1 or not a number, def; above max, max. replaced says the provider's value was not used.
func boundedSeconds(raw json.RawMessage, def, max int) (n int, replaced bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return def, false
	}
	switch n = flexInt(raw); {
	case n < 1:
		return def, true
	case n > max:
		return max, true
	}
	return n, false
}

func (r *Run) preparePoll() (*Request, error) {
	st := r.State()
	if st.Device == nil {
		return nil, fmt.Errorf("%w: the device code comes from the devicecode leg", ErrNotReady)
	}
	return r.tokenRequest([]Param{
		param("grant_type", DeviceCodeGrantType),
		param("client_id", r.settings.ClientID),
		param("device_code", st.Device.DeviceCode),
	}, false)
}

// poll repeats the token request every interval until tokens arrive or the provider gives a final answer
// (RFC 8628 §3.5): authorization_pending waits, slow_down adds five seconds, anything else ends the leg.
func (r *Run) poll(ctx context.Context, req *Request) (*Exchange, error) {
	d := r.State().Device
	if d == nil {
		return nil, fmt.Errorf("%w: the device code comes from the devicecode leg", ErrNotReady)
	}
	interval := time.Duration(d.Interval) * time.Second
	var last *Exchange
	for attempt := 1; ; attempt++ {
		if !r.opts.Now().Before(d.ExpiresAt) {
			return last, &OAuthError{Code: "expired_token", Codes: []int{70019},
				Message: "the device code expired before the sign-in finished (noticed by aadx's clock); start again"}
		}
		r.emit(Event{Kind: EventWaiting, Leg: req.Leg, LegName: req.Name, Wait: interval,
			Message: fmt.Sprintf("waiting %s before poll %d", interval, attempt)})
		if err := r.opts.Sleep(ctx, interval); err != nil {
			return last, &NetworkError{Op: "poll", Timeout: errors.Is(err, context.DeadlineExceeded), Err: err}
		}
		ex, err := r.sendHTTP(ctx, req, fmt.Sprintf("poll %d", attempt))
		if ex != nil {
			last = ex
		}
		if err != nil {
			return last, err
		}
		if ex.Status == http.StatusOK {
			return last, r.applyTokens(ex)
		}
		oe, ok := ParseError(ex.Status, []byte(ex.ResponseBody))
		if !ok {
			return last, responseError(ex)
		}
		switch oe.Code {
		case "authorization_pending":
		case "slow_down":
			interval += slowDownStep
		default: // authorization_declined, expired_token, bad_verification_code, access_denied, ...
			oe.RetryAfter = ex.header("Retry-After")
			return last, oe
		}
	}
}
