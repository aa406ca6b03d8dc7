package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/aadx/aadx/emulator"
)

var (
	faultEmulatorOnce sync.Once
	faultEmulator     *emulator.Server
	faultEmulatorErr  error
	// faultEmulatorMu serialises the tests that switch the fault emulator's scenarios.
	faultEmulatorMu sync.Mutex
)

// newFaultEmulator returns an emulator of the scenario tests' own, so switching its scenarios cannot
// disturb the tests that share newEmulator's; the caller holds it until the test ends.
func newFaultEmulator(t *testing.T) *emulator.Server {
	t.Helper()
	faultEmulatorOnce.Do(func() {
		faultEmulator, faultEmulatorErr = emulator.New(emulator.Options{NoListener: true, DeviceInterval: 20 * time.Millisecond})
	})
	if faultEmulatorErr != nil {
		t.Fatalf("emulator: %v", faultEmulatorErr)
	}
	faultEmulatorMu.Lock()
	t.Cleanup(func() {
		_ = faultEmulator.SetScenarios(nil)
		faultEmulatorMu.Unlock()
	})
	return faultEmulator
}

// scenarioDemo describes srv with each scenario's code, as the command line does.
func scenarioDemo(srv *emulator.Server) *Demo {
	d := demoOf(srv)
	for i, sc := range emulator.Scenarios() {
		d.Scenarios[i].Code = sc.Code
	}
	return d
}

// liveOptions pins the palette but lets live runs use the real clock and randomness: the emulator
// refuses replayed assertion ids and checks token times.
func liveOptions(d *Demo) Options {
	opts := pinned(Options{Demo: d}, nil)
	opts.Now, opts.Rand = nil, nil
	return opts
}

// TestScenarioReproducesItsError picks each scenario on the "reproduce a problem" screen and checks
// that the flow it starts shows it: the scenario's error explained with its fix, or its effect on the
// tokens; and that the status bar names the scenario.
func TestScenarioReproducesItsError(t *testing.T) {
	cases := []struct {
		scenario string
		approve  bool     // the device code waits for the person to approve it
		want     []string // on the run screen once the leg failed
	}{
		{"mfa-required", false, []string{"Redeem the code · failed", "interaction_required", "AADSTS50076", "fix:"}},
		{"consent-required", false, []string{"Exchange the user token · failed", "invalid_grant", "AADSTS65001", "fix: Sign in interactively with prompt=consent"}},
		{"secret-expired", false, []string{"Request a token · failed", "invalid_client", "AADSTS7000222", "fix: Create a new secret"}},
		{"throttled", false, []string{"Request a token · failed", "AADSTS90055", "429"}},
		{"transient-5xx", false, []string{"Request a token · failed", "temporarily_unavailable", "AADSTS90033"}},
		{"device-declined", true, []string{"Poll for tokens · failed", "authorization_declined", "fix:"}},
		{"app-disabled", false, []string{"Request a token · failed", "unauthorized_client", "AADSTS7000112"}},
		// Scenarios that change the tokens rather than fail: the claims pane shows the effect.
		{"clock-skew", false, []string{"[access]", "(clock skew)", "issued 9m in the future"}},
		{"group-overage", false, []string{"[access]", "Group overage"}},
		// aadx fetches the signing keys afresh, so a rotated key still verifies (a cached JWKS would not).
		{"key-rotated", false, []string{"[access]", "✓ valid"}},
		{"slow", false, []string{"[access]", "✓ 3."}},
	}
	srv := newFaultEmulator(t)
	index := map[string]int{}
	for i, sc := range emulator.Scenarios() {
		index[sc.Name] = i + 1
	}
	for _, tc := range cases {
		t.Run(tc.scenario, func(t *testing.T) {
			pos, ok := index[tc.scenario]
			if !ok {
				t.Fatalf("the emulator has no scenario %q", tc.scenario)
			}
			tm, _ := startTUI(t, liveOptions(scenarioDemo(srv)), 100, 30)
			press(tm, "R")
			waitFor(t, tm, "reproduce a problem")
			for range pos {
				press(tm, "down")
			}
			waitFor(t, tm, "▸   "+tc.scenario)
			press(tm, "enter")
			if tc.approve {
				waitFor(t, tm, "approve here as")
				press(tm, "enter")
			}
			for _, w := range tc.want {
				waitFor(t, tm, w)
			}
			screen := screenNow(t, tm)
			if !strings.Contains(screen, "emulator · "+tc.scenario) {
				t.Errorf("the status bar should name the scenario %q:\n%s", tc.scenario, screen)
			}
			// esc goes back to the list, with the scenario marked on.
			press(tm, "esc")
			waitFor(t, tm, "● "+tc.scenario)
			_ = finalScreen(t, tm)
		})
	}
}

// TestScenarioOffRestoresTheEmulator switches a scenario on and off again from the list: the next run
// succeeds without restarting anything.
func TestScenarioOffRestoresTheEmulator(t *testing.T) {
	srv := newFaultEmulator(t)
	tm, _ := startTUI(t, liveOptions(scenarioDemo(srv)), 100, 30)
	press(tm, "R", "down", "down", "down", "enter") // secret-expired
	waitFor(t, tm, "Request a token · failed")
	press(tm, "esc")
	waitFor(t, tm, "● secret-expired")
	press(tm, "up", "up", "up", "enter") // no fault
	waitFor(t, tm, "emulator scenarios off")
	waitFor(t, tm, "● no fault")
	press(tm, "esc")
	press(tm, toRow("background service", "enter")...)
	waitFor(t, tm, "✓ ready")
	press(tm, "enter")
	waitFor(t, tm, "Request a token · prepared")
	press(tm, "enter")
	waitFor(t, tm, "[access]")
	if s := finalScreen(t, tm); strings.Contains(s, "AADSTS7000222") || strings.Contains(s, "secret-expired") {
		t.Errorf("the scenario should be off:\n%s", s)
	}
}

// TestScenarioNeedsTheDemoTenant: without the emulator the list says how to get it.
func TestScenarioNeedsTheDemoTenant(t *testing.T) {
	tm, _ := startTUI(t, pinned(Options{}, nil), 100, 30)
	press(tm, "R")
	waitFor(t, tm, "scenarios need the demo tenant")
	if s := finalScreen(t, tm); !strings.Contains(s, "pick a flow") {
		t.Errorf("the picker should stay on screen:\n%s", s)
	}
}

func TestGoldenScenarios(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			tm, _ := startTUI(t, pinned(Options{Demo: scenarioDemo(newEmulator(t))}, nil), sz.w, sz.h)
			press(tm, "R", "down", "down", "down")
			waitFor(t, tm, "▸   secret-expired")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

// TestExportIncludesTokensOnlyWhenAsked: support staff attach exports to tickets. e writes them with
// tokens shortened; only E, an explicit choice, keeps the tokens whole. The secret is masked in both.
func TestExportIncludesTokensOnlyWhenAsked(t *testing.T) {
	dir := t.TempDir()
	demo := demoOf(newEmulator(t))
	opts := liveOptions(demo)
	opts.ExportDir = dir
	tm, m := startTUI(t, opts, 100, 30)
	press(tm, toRow("background service", "enter", "enter")...)
	waitFor(t, tm, "client_secret")
	press(tm, "enter")
	waitFor(t, tm, "[access]")
	press(tm, "e")
	waitFor(t, tm, "exported")
	press(tm, "E")
	waitFor(t, tm, "exported aadx-client-credentials-with-tokens-")
	_ = finalScreen(t, tm)
	token := m.run.state.Tokens.AccessToken
	if token == "" {
		t.Fatal("the run obtained no access token")
	}
	withTokens, _ := filepath.Glob(filepath.Join(dir, "aadx-client-credentials-with-tokens-*"))
	all, _ := filepath.Glob(filepath.Join(dir, "aadx-client-credentials-*"))
	if len(withTokens) != 2 || len(all) != 4 {
		t.Fatalf("want a redacted and a with-tokens HAR and Markdown, got %v", all)
	}
	for _, f := range all {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), demo.Apps.Daemon.ClientSecret) {
			t.Errorf("%s contains the client secret", filepath.Base(f))
		}
		whole := strings.Contains(string(data), token)
		if asked := strings.Contains(f, "-with-tokens-"); whole != asked {
			t.Errorf("%s: access token whole = %v, want %v", filepath.Base(f), whole, asked)
		}
	}
}
