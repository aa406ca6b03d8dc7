package flows

import "testing"

// TestMatrixRowsPointAtTheCatalogue: every row names a flow of the catalogue, says why and what the
// alternatives cost, and a row offering several flows says when to pick each.
func TestMatrixRowsPointAtTheCatalogue(t *testing.T) {
	scenarios := 0
	for _, row := range Matrix() {
		if !row.FollowUp {
			scenarios++
		}
		if row.Name == "" || row.FlowLabel == "" || row.FlowShort == "" || row.Why == "" || row.Alternatives == "" {
			t.Errorf("row %q is missing a name, flow label, why or alternatives", row.Name)
		}
		if len(row.Choices) == 0 {
			t.Errorf("row %q recommends no flow", row.Name)
		}
		for _, c := range row.Choices {
			if _, ok := Lookup(string(c.Flow)); !ok {
				t.Errorf("row %q recommends %q, which is not in the catalogue", row.Name, c.Flow)
			}
			if len(row.Choices) > 1 && c.When == "" {
				t.Errorf("row %q offers %s without saying when to pick it", row.Name, c.Flow)
			}
			if c.Preset.Label == "" || c.Preset.Short == "" {
				t.Errorf("row %q: the preset of %s has no label", row.Name, c.Flow)
			}
		}
	}
	if scenarios < 8 {
		t.Errorf("the matrix has %d scenario rows, want the 8 of the guidance table at least", scenarios)
	}
}

// TestPresetApply: a public preset drops any credential, a platform is set, and an implied redirect
// fills only an empty one (a redirect the person gave wins); applying twice changes nothing more.
func TestPresetApply(t *testing.T) {
	s := Settings{ClientSecret: "s3cret", Certificate: &Certificate{}, Platform: PlatformWeb}
	for range 2 {
		s = presetDesktop.Apply(s)
		if s.ClientSecret != "" || s.Certificate != nil || s.Platform != PlatformPublic || s.RedirectURI != "http://127.0.0.1" {
			t.Fatalf("desktop preset gave %+v", s)
		}
	}
	given := presetDesktop.Apply(Settings{RedirectURI: "http://localhost:8400/cb"})
	if given.RedirectURI != "http://localhost:8400/cb" {
		t.Errorf("the preset replaced a given redirect: %q", given.RedirectURI)
	}
	if kept := presetWeb.Apply(Settings{ClientSecret: "s3cret"}); kept.ClientSecret != "s3cret" || kept.Platform != PlatformWeb {
		t.Errorf("the web preset should keep the secret and set platform web: %+v", kept)
	}
}
