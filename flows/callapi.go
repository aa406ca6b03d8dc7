package flows

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// LegCallAPI is the optional last leg of every flow: the app uses the access token.
const LegCallAPI = "call-api"

// LaneAPI is the protected resource the token is for. Flows draw it only when they call an API.
const LaneAPI Lane = "API"

var legCallAPI = Leg{Name: LegCallAPI, Title: "Call the API", Kind: KindHTTP, From: LaneApp, To: LaneAPI,
	Explanation: "The app sends the access token as a Bearer to the API. The API validates it (signature, lifetime, audience, issuer, scopes or roles) and answers, or says why not in WWW-Authenticate."}

// APIResponse is what the API answered to a successful call.
type APIResponse struct {
	Status      int
	ContentType string
	Body        string
}

// APIError is a protected resource refusing the call: 401 with a challenge, or 403.
type APIError struct {
	Status    int
	Challenge *Challenge // the parsed WWW-Authenticate; nil when the API sent none (a 403 usually)
	Body      string
	What, Fix string // what the answer means and what to do
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("the API answered %d", e.Status)
	if c := e.Challenge; c != nil && c.Error != "" {
		msg += " " + c.Error
		if c.ErrorDescription != "" {
			msg += ": " + c.ErrorDescription
		}
	}
	return msg + ". " + e.What
}

func asAPIError(err error, target **APIError) bool { return errors.As(err, target) }

func asOAuthError(err error, target **OAuthError) bool { return errors.As(err, target) }

// validateCallAPI checks the API URL: absolute, https (plain http only for loopback, like the authority).
func (s Settings) validateCallAPI() error {
	if s.CallAPI == "" {
		return nil
	}
	u, err := url.Parse(s.CallAPI)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return &FieldError{Field: "call-api", Value: s.CallAPI, Problem: "is not an absolute URL", Fix: "give the API endpoint, e.g. https://graph.microsoft.com/v1.0/me"}
	}
	if err := refuseUserinfo("call-api", u); err != nil {
		return err
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return &FieldError{Field: "call-api", Value: s.CallAPI, Problem: "uses plain http, which would send the token in the clear", Fix: "use https (plain http only for localhost)"}
	}
	switch strings.ToUpper(s.CallAPIMethod) {
	case "", http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead:
	default:
		return &FieldError{Field: "call-api-method", Value: s.CallAPIMethod, Problem: "is not an HTTP method", Fix: "use GET, POST, PUT, PATCH, DELETE or HEAD"}
	}
	return nil
}

// prepareCallAPI builds the API request with the access token as a Bearer (RFC 6750 §2.1).
func (r *Run) prepareCallAPI() (*Request, error) {
	st := r.State()
	if st.Tokens == nil || st.Tokens.AccessToken == "" {
		return nil, fmt.Errorf("%w: the access token comes from the token legs", ErrNotReady)
	}
	method := strings.ToUpper(r.settings.CallAPIMethod)
	if method == "" {
		method = http.MethodGet
	}
	return &Request{Method: method, URL: r.settings.CallAPI, Headers: []Header{
		{Name: "Authorization", Value: "Bearer " + st.Tokens.AccessToken, Secret: true},
		{Name: "Accept", Value: "application/json"},
	}}, nil
}

// applyCallAPI records the API's answer; a 401 or 403 becomes an *APIError with the challenge explained.
func (r *Run) applyCallAPI(ex *Exchange) error {
	if ex.Status >= 200 && ex.Status < 300 {
		r.update(func(s *State) {
			s.API = &APIResponse{Status: ex.Status, ContentType: headerValue(ex.ResponseHeaders, "Content-Type"), Body: ex.ResponseBody}
		})
		return nil
	}
	e := &APIError{Status: ex.Status, Body: ex.ResponseBody}
	if c, ok := ParseChallenge(headerValue(ex.ResponseHeaders, "WWW-Authenticate")); ok {
		e.Challenge = c
	}
	e.What, e.Fix = e.Challenge.Help(ex.Status)
	if ex.Status != 401 && ex.Status != 403 {
		e.What, e.Fix = fmt.Sprintf("The API failed with HTTP %d.", ex.Status), "Check the API's response body and logs."
	}
	if code, msg := graphErrorOf(ex.ResponseBody); code != "" && (e.Challenge == nil || e.Challenge.Error == "") {
		// Graph says why in its body, not in the challenge (reference §4.1).
		e.What = "The API rejected the call: " + code + ": " + msg
		e.Fix = graphFix(code, msg)
	}
	r.update(func(s *State) {
		s.API = &APIResponse{Status: ex.Status, ContentType: headerValue(ex.ResponseHeaders, "Content-Type"), Body: ex.ResponseBody}
	})
	return e
}

// graphErrorOf reads Graph's error body {"error":{"code","message"}}.
func graphErrorOf(body string) (code, msg string) {
	var b struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal([]byte(body), &b) != nil {
		return "", ""
	}
	return b.Error.Code, b.Error.Message
}

func graphFix(code, msg string) string {
	switch {
	case strings.Contains(msg, "Invalid audience"):
		return "The token is not for Microsoft Graph: request a Graph scope (User.Read, or https://graph.microsoft.com/.default) for Graph calls."
	case strings.Contains(msg, "expired"):
		return "The token expired: get a new one."
	case strings.Contains(msg, "delegated authentication flow"):
		return "/me needs a signed-in user: an app-only token (client credentials) must call /users/{id} with an application permission such as User.Read.All."
	case code == "Authorization_RequestDenied" || code == "ErrorAccessDenied":
		return "The token lacks the permission this Graph call needs: add it to the app's API permissions, consent, and get a new token."
	case strings.Contains(msg, "empty"):
		return "Send Authorization: Bearer <access token>."
	}
	return "Decode the token with aadx decode TOKEN --api https://graph.microsoft.com to see what Graph would check."
}

// AddCallAPI makes the run call url (method, default GET) with its access token: it appends the
// call-the-API leg, or re-targets the one the run has, and returns its index. The TUI's "use the token" key.
func (r *Run) AddCallAPI(url, method string) (int, error) {
	if err := (Settings{CallAPI: url, CallAPIMethod: method}).validateCallAPI(); err != nil {
		return 0, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.settings.CallAPI, r.settings.CallAPIMethod = url, method
	for i := len(r.legs) - 1; i >= r.from; i-- {
		if r.legs[i].Name == LegCallAPI {
			return i, nil
		}
	}
	r.legs = append(r.legs, legCallAPI)
	r.status = append(r.status, StatusPending)
	return len(r.legs) - 1, nil
}

// AnswerClaims appends the legs that answer a claims challenge: the flow's token legs again, sending claims
// on /authorize and the token request, then the API call again when the run calls one. Run them with
// RunAll (or one by one). It returns the index of the first new leg.
func (r *Run) AnswerClaims(claims string) (int, error) {
	claims = strings.TrimSpace(claims)
	if claims == "" || !strings.HasPrefix(claims, "{") {
		return 0, &FieldError{Field: "claims", Value: claims, Problem: "is not a claims request", Fix: "pass the JSON claims of the challenge, e.g. {\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"…\"}}}"}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.settings.Claims = claims
	first := len(r.legs)
	for _, l := range r.flow.Legs {
		if l.Optional {
			continue
		}
		l.Title += " (with claims)"
		r.legs = append(r.legs, l)
	}
	if r.settings.CallAPI != "" {
		again := legCallAPI
		again.Title = "Call the API again"
		r.legs = append(r.legs, again)
	}
	for len(r.status) < len(r.legs) {
		r.status = append(r.status, StatusPending)
	}
	r.state.Err = nil
	r.from = first
	return first, nil
}
