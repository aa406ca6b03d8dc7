package flows

import "testing"

// TestNarrationCoversEveryLeg: presenter mode has words of its own for every leg of every flow, so
// none falls back to the terse leg explanation.
func TestNarrationCoversEveryLeg(t *testing.T) {
	for _, f := range Catalog() {
		for _, l := range f.Legs {
			_, byFlow := narration()[string(f.ID)+"/"+l.Name]
			_, byLeg := narration()[l.Name]
			if !byFlow && !byLeg {
				t.Errorf("no narration() for leg %q of flow %q", l.Name, f.ID)
			}
		}
	}
}
