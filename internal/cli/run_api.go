package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/flows"
)

// apiRunFlags are `aadx run`'s call-the-API flags.
type apiRunFlags struct {
	callAPI, callAPIMethod, claims string
	answer                         string // which claims challenges to answer: api, all or none
}

func (a *apiRunFlags) register(f *pflag.FlagSet) {
	f.StringVar(&a.callAPI, "call-api", "", "after the token legs, call this API `URL` with the access token as a Bearer (with --demo: api or graph for the emulator's demo API or Graph /me)")
	f.StringVar(&a.callAPIMethod, "call-api-method", "", "the HTTP `METHOD` of --call-api (default GET)")
	f.StringVar(&a.claims, "claims", "", "a claims request (`JSON`) to send on /authorize and the token request, e.g. a claims challenge's")
	f.StringVar(&a.answer, "answer-challenge", "api", "answer one claims challenge by getting a new token with its claims: `api` (an API's 401 insufficient_claims), all (also the token endpoint's interaction_required with claims, e.g. MFA) or none")
}

// check validates --answer-challenge.
func (a *apiRunFlags) check() error {
	switch a.answer {
	case "api", "all", "none":
		return nil
	}
	return usageErrorf("--answer-challenge must be api, all or none, not %q", a.answer)
}

// apply puts the flags into the settings.
func (a *apiRunFlags) apply(s *flows.Settings) {
	s.CallAPI, s.CallAPIMethod = a.callAPI, a.callAPIMethod
	if a.claims != "" {
		s.Claims = a.claims
	}
}

// applyDemo resolves --call-api api|graph against the demo emulator and asks for a token the API accepts.
func (a *apiRunFlags) applyDemo(s *flows.Settings, d emulator.Description, f flows.Flow, scopesGiven bool) {
	a.apply(s)
	// The middle-tier API (on-behalf-of) keeps its downstream scope; an app-only flow asks for the resource's
	// .default; a user's flow for delegated scopes.
	middleTier := f.Client == flows.ClientAPI
	switch strings.ToLower(a.callAPI) {
	case "api":
		s.CallAPI = d.APIURL
		if !scopesGiven && !f.AppOnly && !middleTier {
			s.Scopes = []string{"openid", "profile", "offline_access", d.Apps.API.Scope}
		}
	case "graph":
		s.CallAPI = d.GraphURL + "/me"
		switch {
		case scopesGiven:
		case f.AppOnly:
			s.Scopes = []string{"https://graph.microsoft.com/.default"}
		case middleTier:
			s.Scopes = []string{"https://graph.microsoft.com/User.Read"} // the middle tier calls Graph for the user
		default:
			s.Scopes = []string{"openid", "profile", "offline_access", "User.Read"}
		}
	}
}

// runWithChallenge runs every leg; a claims challenge (an API's 401 insufficient_claims, or the token
// endpoint's interaction_required with claims) is answered once: the token legs again with the claims, then
// the API again.
func (a *apiRunFlags) runWithChallenge(ctx context.Context, run *flows.Run, tr *tracer) error {
	err := run.RunAll(ctx)
	claims, ok := flows.ClaimsChallenge(err)
	var apiErr *flows.APIError
	if !ok || a.answer == "none" || (a.answer == "api" && !errors.As(err, &apiErr)) {
		return err
	}
	tr.line("%s%s %s", tr.label, tr.paint(ansiYellow, "claims challenge:"), "getting a new token with the claims "+printable(claims)+", then trying again")
	if _, aerr := run.AnswerClaims(claims); aerr != nil {
		return err
	}
	return run.RunAll(ctx)
}

// finishAPI ends the trace of a run the API refused: what its answer means and the fix.
func (t *tracer) finishAPI(run *flows.Run, err error) bool {
	var ae *flows.APIError
	if !errors.As(err, &ae) {
		return false
	}
	t.line("%s%s the API said no: HTTP %d", t.label, t.paint(ansiRed, "✗"), ae.Status)
	if c := ae.Challenge; c != nil {
		t.line("  WWW-Authenticate: %s", printable(c.Raw))
	}
	t.line("  %s", printable(ae.What))
	if ae.Fix != "" {
		t.line("  Fix: %s", printable(ae.Fix))
	}
	if ae.Challenge != nil && ae.Challenge.Error == "insufficient_claims" && run.Settings().Claims != "" {
		t.line("  %s", t.paint(ansiDim, "the claims challenge was already answered once; the API still refuses the new token"))
	}
	return true
}

// writeAPIAnswer prints the API's answer after a successful run.
func writeAPIAnswer(w io.Writer, api *flows.APIResponse) {
	if api == nil {
		return
	}
	body := strings.TrimSpace(api.Body)
	if len(body) > 2000 {
		body = body[:2000] + "…"
	}
	fmt.Fprintf(w, "api: HTTP %d\n%s\n", api.Status, printable(body))
}

// apiJSON and challengeJSON are `run --json`'s "api" and "claims_challenge".
type apiJSON struct {
	Status          int    `json:"status"`
	Body            string `json:"body,omitempty"`
	WWWAuthenticate string `json:"www_authenticate,omitempty"`
	Error           string `json:"error,omitempty"`
	Explanation     string `json:"explanation,omitempty"`
	Fix             string `json:"fix,omitempty"`
}

type challengeJSON struct {
	Claims   string `json:"claims"`
	Answered bool   `json:"answered"`
}

// apiOutcome builds the JSON of the API call and of an answered claims challenge.
func apiOutcome(run *flows.Run, runErr error) (*apiJSON, *challengeJSON) {
	var api *apiJSON
	if r := run.State().API; r != nil {
		api = &apiJSON{Status: r.Status, Body: r.Body}
	}
	var ae *flows.APIError
	if errors.As(runErr, &ae) {
		if api == nil {
			api = &apiJSON{Status: ae.Status}
		}
		api.Explanation, api.Fix = ae.What, ae.Fix
		if c := ae.Challenge; c != nil {
			api.WWWAuthenticate, api.Error = c.Raw, c.Error
		}
	}
	var ch *challengeJSON
	if claims := run.Settings().Claims; claims != "" {
		ch = &challengeJSON{Claims: claims, Answered: true}
	} else if claims, ok := flows.ClaimsChallenge(runErr); ok {
		ch = &challengeJSON{Claims: claims}
	}
	return api, ch
}
