package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/flows"
)

// runJSON is the `run --json` object of DESIGN.md §3.
type runJSON struct {
	Flow   string                     `json:"flow"`
	OK     bool                       `json:"ok"`
	Legs   []legJSON                  `json:"legs"`
	Tokens *tokensJSON                `json:"tokens,omitempty"`
	Claims map[string]json.RawMessage `json:"claims,omitempty"`
	Error  *errorJSON                 `json:"error,omitempty"`
	// API is the call-the-API leg's outcome; ClaimsChallenge a claims challenge met (and answered or not).
	API             *apiJSON       `json:"api,omitempty"`
	ClaimsChallenge *challengeJSON `json:"claims_challenge,omitempty"`
	// ManagedIdentity is what the managed identity endpoint answered beyond the token; Federation the external
	// token compared with the federated credential before it was sent.
	ManagedIdentity *managedIdentityJSON `json:"managed_identity,omitempty"`
	Federation      *federationJSON      `json:"federation,omitempty"`
}

type legJSON struct {
	Name     string       `json:"name"`
	Step     string       `json:"step,omitempty"`
	Request  requestJSON  `json:"request"`
	Response responseJSON `json:"response"`
	TimingMS float64      `json:"timing_ms"`
}

type requestJSON struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

type responseJSON struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

type tokensJSON struct {
	AccessToken  string `json:"access_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	Scope        string `json:"scope,omitempty"`
}

type errorJSON struct {
	Error         string `json:"error"`
	Description   string `json:"error_description,omitempty"`
	Codes         []int  `json:"codes,omitempty"`
	TraceID       string `json:"trace_id,omitempty"`
	CorrelationID string `json:"correlation_id,omitempty"`
	Timestamp     string `json:"timestamp,omitempty"`
	Explanation   string `json:"explanation,omitempty"`
}

// writeRunJSON prints the run as one JSON object. Legs are redacted (tokens shortened unless includeTokens);
// "tokens" holds the tokens the run obtained, whole, since they are what a script runs aadx for.
func writeRunJSON(w io.Writer, run *flows.Run, runErr error, includeTokens bool) error {
	red := run.Redactor().With(false, includeTokens)
	out := runJSON{Flow: string(run.Flow().ID), OK: runErr == nil, Legs: []legJSON{}}
	for _, raw := range run.Exchanges() {
		ex := red.Exchange(raw)
		out.Legs = append(out.Legs, legJSON{Name: ex.LegName, Step: ex.Step,
			Request:  requestJSON{Method: ex.Method, URL: ex.URL, Headers: headerMap(ex.RequestHeaders), Body: ex.RequestBody},
			Response: responseJSON{Status: ex.Status, Headers: headerMap(ex.ResponseHeaders), Body: ex.ResponseBody},
			TimingMS: float64(ex.Timing.Total.Microseconds()) / 1000})
	}
	if t := run.State().Tokens; t != nil && runErr == nil {
		out.Tokens = &tokensJSON{AccessToken: t.AccessToken, IDToken: t.IDToken, RefreshToken: t.RefreshToken, ExpiresIn: t.ExpiresIn, Scope: t.Scope}
		out.Claims = map[string]json.RawMessage{}
		for name, raw := range map[string]string{"access_token": t.AccessToken, "id_token": t.IDToken} {
			if tok, err := decode.Unverified(raw); err == nil && raw != "" && len(tok.Claims) > 0 {
				out.Claims[name] = tok.Claims.JSON()
			}
		}
	}
	if runErr != nil {
		out.Error = errorObject(runErr, red)
	}
	out.API, out.ClaimsChallenge = apiOutcome(run, runErr)
	out.ManagedIdentity, out.Federation = secretlessOutcome(run.Settings(), run.State())
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func errorObject(err error, red *flows.Redactor) *errorJSON {
	var ae *flows.APIError
	if errors.As(err, &ae) {
		kind := fmt.Sprintf("api_http_%d", ae.Status)
		if ae.Challenge != nil && ae.Challenge.Error != "" {
			kind = ae.Challenge.Error
		}
		return &errorJSON{Error: kind, Description: red.Text(ae.What), Explanation: red.Text(ae.Fix)}
	}
	var oe *flows.OAuthError
	if !errors.As(err, &oe) {
		kind := "invalid_response"
		if flows.IsNetwork(err) {
			kind = "network_error"
		}
		return &errorJSON{Error: kind, Description: red.Text(err.Error())}
	}
	e := &errorJSON{Error: oe.Code, Description: red.Text(oe.Description), Codes: oe.Codes, TraceID: oe.TraceID,
		CorrelationID: oe.CorrelationID, Timestamp: oe.Timestamp}
	if e.Description == "" {
		e.Description = oe.Message
	}
	if x, ok := oe.Help(); ok {
		e.Explanation = fmt.Sprintf("%s: %s Fix: %s", x.Name, x.Cause, x.Fix)
	}
	return e
}

func headerMap(hs []flows.Header) map[string]string {
	m := make(map[string]string, len(hs))
	for _, h := range hs {
		if prev, ok := m[h.Name]; ok {
			m[h.Name] = prev + ", " + h.Value
			continue
		}
		m[h.Name] = h.Value
	}
	return m
}

// writeTokens prints a successful run's tokens on stdout: shortened unless --include-tokens.
func writeTokens(w io.Writer, t *flows.Tokens, include bool) {
	if t == nil {
		return
	}
	show := func(v string) string {
		if include {
			return v
		}
		return flows.ShortenToken(v)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "token_type:    %s\nexpires_in:    %d\n", t.TokenType, t.ExpiresIn)
	if t.Scope != "" {
		fmt.Fprintf(&b, "scope:         %s\n", t.Scope)
	}
	for _, kv := range [][2]string{{"access_token", t.AccessToken}, {"id_token", t.IDToken}, {"refresh_token", t.RefreshToken}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "%-14s %s\n", kv[0]+":", show(kv[1]))
		}
	}
	if !include {
		b.WriteString("(tokens shortened; --include-tokens or --json prints them whole)\n")
	}
	_, _ = io.WriteString(w, b.String())
}
