package tui

import (
	"errors"
	"strings"

	"charm.land/lipgloss/v2"

	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/flows"
)

// useToken is the u key. After a claims challenge (an API's 401 insufficient_claims, or the token
// endpoint's interaction_required with claims) it gets a new token with the claims and calls again: the
// flow's token legs are appended with the claims and run. Otherwise, once the run has an access token, it
// calls the API the token is for: the emulator's demo API or Graph /me for the demo tenant's tokens, Graph
// /me for any Graph token.
func (r *runScreen) useToken() tea.Cmd {
	if r.run == nil || r.busy || r.preparing {
		return nil
	}
	if _, ok := r.challengeOf(r.selected); ok {
		// The round trip in one key: m's answer to the challenge, then every leg through the new call.
		cmd := r.answerChallenge()
		r.runAll = true
		return cmd
	}
	t := r.state.Tokens
	if t == nil || t.AccessToken == "" {
		return nil
	}
	url := r.apiURLFor(t.AccessToken)
	if url == "" {
		return nil
	}
	i, err := r.run.AddCallAPI(url, "")
	if err != nil {
		return nil
	}
	r.syncLegs()
	r.finished, r.runAll = false, true
	return r.prepare(i)
}

// syncLegs shows the legs the run gained (a call of the API, the answer to a claims challenge).
func (r *runScreen) syncLegs() {
	legs := r.run.Legs()
	for _, l := range legs[min(len(r.legs), len(legs)):] {
		r.legs = append(r.legs, legView{leg: l})
	}
}

// apiURLFor picks the API an access token is for, when aadx knows where it lives.
func (r *runScreen) apiURLFor(raw string) string {
	tok, err := decode.Unverified(raw)
	if err != nil {
		return ""
	}
	graph := "https://graph.microsoft.com/v1.0/me"
	if d := r.deps.Demo; d != nil {
		graph = strings.TrimSuffix(d.Authority, "/") + emulator.GraphPath + "/me"
	}
	for _, aud := range tok.Claims.Strings("aud") {
		switch {
		case aud == "00000003-0000-0000-c000-000000000000" || strings.TrimSuffix(aud, "/") == "https://graph.microsoft.com":
			return graph
		case r.deps.Demo != nil && (aud == r.deps.Demo.Apps.API.ClientID || strings.HasPrefix(r.deps.Demo.Apps.API.Scope, aud+"/")):
			return strings.TrimSuffix(r.deps.Demo.Authority, "/") + emulator.APIPath
		}
	}
	return ""
}

// apiScenarios happen at the API, so their reproduction ends by calling the demo API.
var apiScenarios = map[string]bool{"cae-challenge": true, "session-revoked": true, "api-v1-only": true, "api-expects-uri": true}

// withScenarioAPI adds the call of the demo API to a reproduction of a scenario that happens there.
func (m *Model) withScenarioAPI(s flows.Settings) flows.Settings {
	if m.demo == nil || m.scenarioIndex <= 0 || m.scenarioIndex > len(m.demo.Scenarios) {
		return s
	}
	if apiScenarios[m.demo.Scenarios[m.scenarioIndex-1].Name] {
		s.CallAPI = strings.TrimSuffix(m.demo.Authority, "/") + emulator.APIPath
	}
	return s
}

// apiErrorLines explains an API's refusal in the error panel: the status and challenge, what it means,
// the fix, and the u key when a claims challenge can be answered.
func apiErrorLines(err error, wrap func(lipgloss.Style, string, string), st *Styles) bool {
	var ae *flows.APIError
	if !errors.As(err, &ae) {
		return false
	}
	head := "the API answered " + itoa(ae.Status)
	if c := ae.Challenge; c != nil && c.Error != "" {
		head += " " + c.Error
		if c.ErrorDescription != "" {
			head += ": " + c.ErrorDescription
		}
	}
	wrap(st.Error, "✗ ", safeText(head))
	wrap(st.Text, "  why: ", safeText(ae.What))
	if ae.Fix != "" {
		wrap(st.OK, "  fix: ", safeText(ae.Fix))
	}
	return true
}
