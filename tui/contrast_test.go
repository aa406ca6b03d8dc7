package tui

import (
	"image/color"
	"math"
	"testing"

	"charm.land/lipgloss/v2"
)

// relativeLuminance is WCAG 2.x's relative luminance of a colour.
func relativeLuminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := relativeLuminance(a), relativeLuminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestFooterAndHelpContrast: the key hints, help and muted text reach WCAG AA (4.5:1) on a typical light
// (white) and dark (#1E1E1E) terminal background, and the status bar's labels on the bar.
func TestFooterAndHelpContrast(t *testing.T) {
	for _, dark := range []bool{false, true} {
		st := NewStyles(dark)
		bg := lipgloss.Color("#FFFFFF")
		if dark {
			bg = lipgloss.Color("#1E1E1E")
		}
		checks := map[string]struct {
			style lipgloss.Style
			on    color.Color
		}{
			"muted":            {st.Muted, bg},
			"key":              {st.Key, bg},
			"help short key":   {st.Help.ShortKey, bg},
			"help short desc":  {st.Help.ShortDesc, bg},
			"help full key":    {st.Help.FullKey, bg},
			"help full desc":   {st.Help.FullDesc, bg},
			"help separator":   {st.Help.ShortSeparator, bg},
			"help ellipsis":    {st.Help.Ellipsis, bg},
			"status bar label": {st.StatusLabel, st.StatusLabel.GetBackground()},
			"status bar value": {st.StatusValue, st.StatusValue.GetBackground()},
		}
		for name, c := range checks {
			if r := contrast(c.style.GetForeground(), c.on); r < 4.5 {
				t.Errorf("dark=%v: %s has a contrast of %.2f:1, under 4.5:1", dark, name, r)
			}
		}
	}
}
