package tui

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/flows"
)

// challengeOf returns the claims challenge of leg i's error (AADSTS50076/50079, interaction_required, an
// API's insufficient_claims), if it carries one.
func (r *runScreen) challengeOf(i int) (string, bool) {
	if i < 0 || i >= len(r.legs) {
		return "", false
	}
	var oe *flows.OAuthError
	if errors.As(r.legs[i].err, &oe) && oe.Claims != "" {
		return oe.Claims, true
	}
	var ae *flows.APIError
	if errors.As(r.legs[i].err, &ae) && ae.Challenge != nil && ae.Challenge.Claims != "" {
		return ae.Challenge.Claims, true
	}
	return "", false
}

// challengeHint says what to do with a claims challenge on the failed leg i ("" when there is none).
func (r *runScreen) challengeHint(i int) string {
	if _, ok := r.challengeOf(i); !ok {
		return ""
	}
	return "m answers this claims challenge: the flow's legs run again, as new legs, with the claims parameter"
}

// answerChallenge appends the flow's legs again with the claims challenge of the failed leg on show
// (flows.Run.AnswerClaims) and prepares the first of them.
func (r *runScreen) answerChallenge() tea.Cmd {
	if r.busy || r.preparing {
		return nil
	}
	claims, ok := r.challengeOf(r.selected)
	if !ok {
		return r.common.notify("no claims challenge here: m answers one from a failed leg (AADSTS50076, interaction_required)")
	}
	first, err := r.run.AnswerClaims(claims)
	if err != nil {
		return r.common.notify("claims challenge: " + err.Error())
	}
	legs := r.run.Legs()
	for i := len(r.legs); i < len(legs); i++ {
		r.legs = append(r.legs, legView{leg: legs[i]})
	}
	r.finished = false
	return r.prepare(first)
}
