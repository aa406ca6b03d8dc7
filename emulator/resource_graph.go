package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
)

// GraphPath is the Graph-shaped API's base path on the emulator's address (graph.microsoft.com/v1.0).
const GraphPath = "/v1.0"

// graphRules: Graph tokens carry aud https://graph.microsoft.com (v1, as requested) or Graph's app id.
func (s *Server) graphRules() resourceRules {
	return resourceRules{audiences: []string{graphURI, graphAppID}, issuers: func(tid string) []string {
		if tid != s.tenant.ID {
			return nil
		}
		return []string{"https://sts.windows.net/" + tid + "/", s.issuerV2(tid)}
	}}
}

// graphMessages are Graph's observed 401 texts per failed rule (reference §4.1); the issuer and signature
// texts are not in any capture and stay generic.
var graphMessages = map[string]string{
	"missing":      "Access token is empty.",
	"audience":     "Access token validation failure. Invalid audience.",
	"issuer":       "Access token validation failure. Invalid issuer.",
	"signature":    "Access token validation failure.",
	"scp-or-roles": "Access token validation failure.",
}

// graphUser authenticates a Graph call: it answers the failure itself and returns ok=false.
func (s *Server) graphUser(w http.ResponseWriter, r *http.Request, ids requestIDs) (bearer, bool) {
	b, failure := s.readBearer(r, s.graphRules())
	if failure != nil {
		msg := graphMessages[failure.rule]
		if failure.rule == "lifetime" {
			msg = "Lifetime validation failed, the token is expired."
		}
		w.Header().Set("WWW-Authenticate", s.graphChallenge(""))
		s.graphError(w, ids, http.StatusUnauthorized, "InvalidAuthenticationToken", msg)
		return bearer{}, false
	}
	if claims := s.caeChallenge(b); claims != "" {
		w.Header().Set("WWW-Authenticate", s.graphChallenge(claims))
		s.graphError(w, ids, http.StatusUnauthorized, "InvalidAuthenticationToken",
			"Continuous access evaluation resulted in claims challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp")
		return bearer{}, false
	}
	return b, true
}

// graphChallenge is Graph's WWW-Authenticate: plain, or with a CAE claims challenge (reference §4.2).
func (s *Server) graphChallenge(claims string) string {
	h := `Bearer realm="", authorization_uri="` + s.url + `/common/oauth2/authorize", client_id="` + graphAppID + `"`
	if claims != "" {
		h += `, error="insufficient_claims", claims="` + claims + `"`
	}
	return h
}

// handleGraphMe is GET /v1.0/me: the signed-in user, delegated tokens with User.Read (or broader) only.
func (s *Server) handleGraphMe(w http.ResponseWriter, r *http.Request) {
	ids := graphIDs(w, r)
	b, ok := s.graphUser(w, r, ids)
	if !ok {
		return
	}
	u, forbidden := s.graphDelegatedUser(w, ids, b)
	if forbidden {
		return
	}
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.WriteHeader(http.StatusOK)
	given, surname, _ := strings.Cut(u.Name, " ")
	// The default property set, in Graph's order; absent values are null (reference §4.4).
	body := `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users/$entity","businessPhones":[],` +
		`"displayName":` + jsonText(u.Name) + `,"givenName":` + jsonText(given) + `,"jobTitle":null,"mail":` + jsonText(u.Username) +
		`,"mobilePhone":null,"officeLocation":null,"preferredLanguage":null,"surname":` + jsonText(surname) +
		`,"userPrincipalName":` + jsonText(u.Username) + `,"id":` + jsonText(u.OID) + "}\n"
	_, _ = io.WriteString(w, body)
}

// handleGraphMemberObjects is POST /v1.0/me/getMemberObjects (or /users/{id}/…): the group lookup a token
// with group overage sends a client to (reference §4.5).
func (s *Server) handleGraphMemberObjects(w http.ResponseWriter, r *http.Request) {
	ids := graphIDs(w, r)
	b, ok := s.graphUser(w, r, ids)
	if !ok {
		return
	}
	var u *user
	if id := r.PathValue("id"); id != "" {
		roles := stringsOf(b.claims["roles"])
		scopes := strings.Fields(stringClaim(b.claims, "scp"))
		if !slices.Contains(roles, "User.Read.All") && !slices.ContainsFunc(scopes, func(s string) bool { return s == "User.Read.All" || s == "User.ReadBasic.All" || s == "User.Read" }) {
			s.graphError(w, ids, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
			return
		}
		if u = s.tenant.userByOID(id); u == nil {
			u = s.tenant.userByName(id)
		}
		if u == nil {
			s.graphError(w, ids, http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.")
			return
		}
	} else {
		var forbidden bool
		if u, forbidden = s.graphDelegatedUser(w, ids, b); forbidden {
			return
		}
	}
	var req struct {
		SecurityEnabledOnly *bool `json:"securityEnabledOnly"`
	}
	if json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req) != nil || req.SecurityEnabledOnly == nil {
		s.graphError(w, ids, http.StatusBadRequest, "Request_BadRequest", "Invalid request: securityEnabledOnly is required, e.g. {\"securityEnabledOnly\": true}.")
		return
	}
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(struct {
		Context string   `json:"@odata.context"`
		Value   []string `json:"value"`
	}{"https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)", u.Groups})
}

// graphDelegatedUser resolves /me: app-only tokens get 400 and tokens without a user-read scope 403.
func (s *Server) graphDelegatedUser(w http.ResponseWriter, ids requestIDs, b bearer) (*user, bool) {
	oid, _ := b.claims["oid"].(string)
	u := s.tenant.userByOID(oid)
	if b.claims["scp"] == nil || u == nil {
		s.graphError(w, ids, http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow.")
		return nil, true
	}
	scopes := strings.Fields(stringClaim(b.claims, "scp"))
	if !slices.ContainsFunc(scopes, func(s string) bool { return s == "User.Read" || s == "User.ReadBasic.All" || s == "User.Read.All" }) {
		s.graphError(w, ids, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return nil, true
	}
	return u, false
}

// graphIDs sets Graph's request-id and client-request-id (echoed, else the request id) headers.
func graphIDs(w http.ResponseWriter, r *http.Request) requestIDs {
	ids := requestIDs{trace: newGUID(), correlation: r.Header.Get("client-request-id")}
	if !guidPattern().MatchString(ids.correlation) {
		ids.correlation = ids.trace
	}
	h := w.Header()
	h.Set("request-id", ids.trace)
	h.Set("client-request-id", ids.correlation)
	h.Set("Strict-Transport-Security", "max-age=31536000")
	return ids
}

// graphErrorBody is Graph's error shape, fields in Graph's order (reference §4.1).
type graphErrorBody struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError struct {
			Date            string `json:"date"`
			RequestID       string `json:"request-id"`
			ClientRequestID string `json:"client-request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// graphError writes Graph's error body; innerError.date has no zone or fraction.
func (s *Server) graphError(w http.ResponseWriter, ids requestIDs, status int, code, msg string) {
	var body graphErrorBody
	body.Error.Code, body.Error.Message = code, msg
	body.Error.InnerError.Date = s.now().UTC().Format("2006-01-02T15:04:05")
	body.Error.InnerError.RequestID, body.Error.InnerError.ClientRequestID = ids.trace, ids.correlation
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func jsonText(s string) string {
	if s == "" {
		return "null"
	}
	b, _ := json.Marshal(s)
	return string(b)
}
