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
	d := &DeviceAuthorization{DeviceCode: dr.DeviceCode, UserCode: dr.UserCode, VerificationURI: dr.VerificationURI,
		VerificationURIComplete: dr.VerificationURIComplete, Message: dr.Message,
		ExpiresIn: flexInt(dr.ExpiresIn), Interval: flexInt(dr.Interval)}
	if d.Interval <= 0 {
		d.Interval = 5 // RFC 8628 §3.2: default 5 seconds
	}
	if d.ExpiresIn <= 0 {
		d.ExpiresIn = 900
	}
	d.ExpiresAt = r.opts.Now().Add(time.Duration(d.ExpiresIn) * time.Second)
	r.update(func(s *State) { s.Device = d })
	msg := d.Message
	if msg == "" {
		msg = fmt.Sprintf("Open %s and enter the code %s.", d.VerificationURI, d.UserCode)
	}
	r.emit(Event{Kind: EventUserAction, Leg: ex.Leg, LegName: ex.LegName,
		Action: &UserAction{URL: d.VerificationURI, UserCode: d.UserCode, Message: msg}})
	return nil
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
