package decode

import (
	"fmt"
	"math"
	"time"
)

// Instant is one time claim made readable.
type Instant struct {
	Claim    string    // iat, nbf, exp or auth_time
	Unix     int64     // the NumericDate as carried (RFC 7519 §2), fractions dropped
	Time     time.Time // in UTC
	Relative string    // e.g. "expires in 58m", "expired 3 days ago"
	Err      string    // set when the claim is present but not a NumericDate; the other fields are then zero
}

// Timeline holds a token's time claims, in the order iat, nbf, exp, auth_time, and its lifetime.
type Timeline struct {
	Instants []Instant
	Lifetime time.Duration // exp - (nbf, else iat); zero when either is missing
}

// Get returns the instant of the named claim.
func (tl Timeline) Get(claim string) (Instant, bool) {
	for _, in := range tl.Instants {
		if in.Claim == claim {
			return in, true
		}
	}
	return Instant{}, false
}

// Times reads the time claims of t relative to now.
func Times(t *Token, now time.Time) Timeline {
	var tl Timeline
	for _, claim := range []string{"iat", "nbf", "exp", "auth_time"} {
		if !t.Claims.Has(claim) {
			continue
		}
		v, ok := t.Claims.Number(claim)
		if !ok || math.IsNaN(v) || math.Abs(v) > 1e12 { // beyond year 33658: not a real date
			tl.Instants = append(tl.Instants, Instant{Claim: claim, Err: claim + " is not a NumericDate (seconds since 1970)"})
			continue
		}
		at := time.Unix(int64(v), 0).UTC()
		tl.Instants = append(tl.Instants, Instant{Claim: claim, Unix: int64(v), Time: at, Relative: phrase(claim, at.Sub(now))})
	}
	exp, okExp := tl.Get("exp")
	start, okStart := tl.Get("nbf")
	if !okStart || start.Err != "" {
		start, okStart = tl.Get("iat")
	}
	if okExp && okStart && exp.Err == "" && start.Err == "" {
		tl.Lifetime = exp.Time.Sub(start.Time)
	}
	return tl
}

// phrase says what an offset from now means for the claim.
func phrase(claim string, d time.Duration) string {
	future := d > 0
	span := human(d)
	switch claim {
	case "exp":
		if future {
			return "expires in " + span
		}
		return "expired " + span + " ago"
	case "nbf":
		if future {
			return "not valid for another " + span
		}
		return "valid since " + span + " ago"
	case "iat":
		if future {
			return "issued " + span + " in the future (clock skew)"
		}
		return "issued " + span + " ago"
	case "auth_time":
		if future {
			return "signed in " + span + " in the future (clock skew)"
		}
		return "signed in " + span + " ago"
	}
	return relative(d)
}

// relative says "in 5m" or "3 days ago".
func relative(d time.Duration) string {
	if d > 0 {
		return "in " + human(d)
	}
	return human(d) + " ago"
}

// human renders a duration the way people say it: 45s, 58m, 1h 15m, 3 days.
func human(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh %dm", h, m)
	case d < 2*365*24*time.Hour:
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	return fmt.Sprintf("%d years", int(d/(365*24*time.Hour)))
}

// Human renders a duration the way the rest of the package does (58m, 1h 15m, 3 days).
func Human(d time.Duration) string { return human(d) }
