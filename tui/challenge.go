package tui

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/flows"
)

// claimsChallenge is a claims value a failed leg asked for (AADSTS50076/50079, interaction_required), to
// be sent on the authorize request of the sign-in leg, which is prepared again with it.
type claimsChallenge struct {
	leg    int // the sign-in leg that gets the claims parameter
	from   int // the leg whose error carried the challenge
	claims string
}

// challengeOf returns the claims challenge of leg i's error, if it carries one.
func (r *runScreen) challengeOf(i int) (string, bool) {
	if i < 0 || i >= len(r.legs) {
		return "", false
	}
	var oe *flows.OAuthError
	if !errors.As(r.legs[i].err, &oe) || oe.Claims == "" {
		return "", false
	}
	return oe.Claims, true
}

// signInLegBefore is the last browser leg before leg i, or -1 when the flow signs nobody in.
func (r *runScreen) signInLegBefore(i int) int {
	for j := min(i, len(r.legs)) - 1; j >= 0; j-- {
		if r.legs[j].leg.Kind == flows.KindBrowser {
			return j
		}
	}
	return -1
}

// challengeHint says what to do with a claims challenge on the failed leg i ("" when there is none).
func (r *runScreen) challengeHint(i int) string {
	if _, ok := r.challengeOf(i); !ok {
		return ""
	}
	if r.signInLegBefore(i) < 0 {
		return "this run signs nobody in: the app that got the user's token must send them to sign in again with this claims value (the claims parameter of /authorize)"
	}
	return "m signs in again with this claims challenge (the claims parameter of /authorize), then redeems again"
}

// answerChallenge prepares the sign-in leg again with the claims challenge of the failed leg on show.
func (r *runScreen) answerChallenge() tea.Cmd {
	if r.busy || r.preparing {
		return nil
	}
	from := r.selected
	claims, ok := r.challengeOf(from)
	if !ok {
		return r.common.notify("no claims challenge here: m answers one from a failed leg (AADSTS50076, interaction_required)")
	}
	leg := r.signInLegBefore(from)
	if leg < 0 {
		return r.common.notify("this flow has no sign-in leg to send the claims challenge on")
	}
	r.challenge = &claimsChallenge{leg: leg, from: from, claims: claims}
	return r.prepare(leg)
}
