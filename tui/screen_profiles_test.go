package tui

import (
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/profiles"
)

const (
	profileTestSecret = "Qx8~kL2pV7.tN4wZ9rB3_yM6cH1jF5sD0gA"
	profileTestTenant = "contoso.onmicrosoft.com"
	profileTestClient = "3f0c7d2e-8a14-4b6f-b5e9-1d2a7c4e9f30"
)

// typeText types s one key at a time, as a person would.
func typeText(tmKeys func(...string), s string) {
	for _, r := range s {
		tmKeys(string(r))
	}
}

// profileOptions are settings from flags and environment that carry a client secret, and a store in a
// temporary directory.
func profileOptions(t *testing.T) (Options, *profiles.Store) {
	t.Helper()
	store := profiles.NewStore(t.TempDir())
	opts := pinned(Options{Profiles: store, Settings: flows.Settings{
		Tenant: profileTestTenant, ClientID: profileTestClient, ClientSecret: profileTestSecret,
		Scopes: []string{"https://graph.microsoft.com/.default"},
	}}, nil)
	return opts, store
}

// TestProfileScreenNeverWritesASecret creates profiles from the TUI in the ways a person could leak a
// secret; the file never holds it, and the screen never echoes it back.
func TestProfileScreenNeverWritesASecret(t *testing.T) {
	cases := []struct {
		name     string
		edit     []string // keys after the name is typed
		wantSave bool
		want     string // on screen afterwards
	}{
		{"from current settings", nil, true, "saved profile acme (no secrets)"},
		{"secret typed as the note", []string{"tab", "tab", "tab", "tab", "tab", "tab"}, false, "note looks like"},
		{"secret typed as its source", []string{"tab", "tab", "tab", "tab", "tab"}, false, "secret from: give none, env, env:VAR, prompt or keyring"},
		{"a token typed as the note", []string{"tab", "tab", "tab", "tab", "tab", "tab"}, false, "note looks like"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts, store := profileOptions(t)
			tm, _ := startTUI(t, opts, 100, 30)
			keys := func(k ...string) { press(tm, k...) }
			press(tm, "P")
			waitFor(t, tm, "No profiles yet")
			press(tm, "n")
			waitFor(t, tm, "New profile from the current settings")
			typeText(keys, "acme")
			press(tm, tc.edit...)
			switch i {
			case 1:
				typeText(keys, profileTestSecret)
			case 2:
				tm.Send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // clear "prompt"
				typeText(keys, profileTestSecret)
			case 3:
				typeText(keys, testToken(sampleClaims))
			}
			press(tm, "enter")
			waitFor(t, tm, tc.want)
			screen := finalScreen(t, tm)
			if strings.Contains(screen, profileTestSecret) {
				t.Errorf("the screen shows the secret:\n%s", screen)
			}
			data, err := os.ReadFile(store.Path())
			switch {
			case tc.wantSave && err != nil:
				t.Fatalf("the profile was not written: %v", err)
			case !tc.wantSave && err == nil && strings.Contains(string(data), "acme"):
				t.Fatalf("the profile should have been refused:\n%s", data)
			}
			if strings.Contains(string(data), profileTestSecret) || strings.Contains(string(data), "eyJ") {
				t.Fatalf("the profiles file holds a secret:\n%s", data)
			}
			if tc.wantSave {
				p, err := store.Get("acme")
				if err != nil {
					t.Fatal(err)
				}
				if p.Tenant != profileTestTenant || p.ClientID != profileTestClient || p.Secret.Kind != profiles.SecretPrompt {
					t.Errorf("saved %+v; want the tenant, the client id and a prompt for the secret", p)
				}
			}
		})
	}
}

// TestProfileScreenSwitchesEditsDeletes: enter makes a profile active and its settings fill the next
// flow; e edits it; x twice deletes it.
func TestProfileScreenSwitchesEditsDeletes(t *testing.T) {
	opts, store := profileOptions(t)
	opts.Settings = flows.Settings{}
	for _, p := range []profiles.Profile{
		{Name: "alpha", Tenant: "alpha.onmicrosoft.com", ClientID: "0b8e4f1a-2c3d-4e5f-8a9b-1c2d3e4f5a6b", Scopes: []string{"https://graph.microsoft.com/.default"}},
		{Name: "beta", Tenant: "beta.onmicrosoft.com", ClientID: "9d7c6b5a-4e3f-4a2b-9c1d-0e9f8a7b6c5d", Scopes: []string{"https://graph.microsoft.com/.default"}, Note: "ticket 4711"},
	} {
		if err := store.Save(p); err != nil {
			t.Fatal(err)
		}
	}
	tm, _ := startTUI(t, opts, 100, 30)
	keys := func(k ...string) { press(tm, k...) }
	press(tm, "P")
	waitFor(t, tm, "ticket 4711")
	press(tm, "down", "enter")
	waitFor(t, tm, "profile beta fills every flow's settings")
	waitFor(t, tm, "● beta")
	if _, active, _ := store.List(); active != "beta" {
		t.Errorf("active profile %q, want beta", active)
	}

	// The next flow's settings come from beta.
	press(tm, "esc")
	press(tm, toRow("background service", "enter")...)
	waitFor(t, tm, "Client credentials  settings")
	waitFor(t, tm, "beta.onmicrosoft.com")
	waitFor(t, tm, "9d7c6b5a-4e3f-4a2b-9c1d-0e9f8a7b6c5d")

	// Edit beta's note.
	press(tm, "esc", "P")
	waitFor(t, tm, "● beta")
	press(tm, "e") // the cursor opens on the active profile
	waitFor(t, tm, "Edit profile beta")
	press(tm, "tab", "tab", "tab", "tab", "tab")
	typeText(keys, " closed")
	press(tm, "enter")
	waitFor(t, tm, "saved profile beta")
	waitFor(t, tm, "ticket 4711 closed")

	// Delete alpha: the first x asks, the second deletes.
	press(tm, "up", "x")
	waitFor(t, tm, "press x again to delete alpha")
	press(tm, "x")
	waitFor(t, tm, "deleted profile alpha")
	_ = finalScreen(t, tm)
	if _, err := store.Get("alpha"); err == nil {
		t.Error("alpha should be deleted")
	}
	if p, err := store.Get("beta"); err != nil || p.Note != "ticket 4711 closed" {
		t.Errorf("beta = %+v, %v; want its note edited", p, err)
	}
}
