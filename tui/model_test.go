package tui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aadx/aadx/flows"
)

// update feeds one message to the root model and returns it, for tests that route synchronously.
func update(m *Model, msg tea.Msg) tea.Cmd {
	_, cmd := m.Update(msg)
	return cmd
}

func plainView(m *Model) string { return ansi.Strip(m.View().Content) }

func TestRoutingBetweenScreens(t *testing.T) {
	m := New(pinned(Options{Demo: demoOf(newEmulator(t))}, nil))
	update(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	steps := []struct {
		key  string
		want string
	}{
		{"enter", "settings"},
		{"esc", "picker"},
		{"down", "picker"},
		{"enter", "settings"},
		{"enter", "run"},
		{"esc", "settings"},
		{"esc", "picker"},
		{"d", "decode"},
		{"esc", "picker"},
	}
	for i, s := range steps {
		update(m, keyMsg(s.key))
		if got := m.Screen(); got != s.want {
			t.Fatalf("step %d (%s): screen %q, want %q", i, s.key, got, s.want)
		}
	}
	if m.run != nil {
		select {
		case <-m.run.events.done:
		default:
			t.Error("leaving the run screen did not release its trace reader")
		}
	}
}

func TestRootKeysDoNotStealTyping(t *testing.T) {
	m := New(pinned(Options{Demo: demoOf(newEmulator(t))}, nil))
	update(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	update(m, keyMsg("enter")) // auth-code settings; the tenant input has focus
	for _, k := range []string{"q", "s", "d"} {
		if cmd := update(m, keyMsg(k)); cmd != nil {
			if _, quit := cmd().(tea.QuitMsg); quit {
				t.Fatalf("typing %q in a settings field quit the app", k)
			}
		}
		if m.Screen() != "settings" || m.showHelp {
			t.Fatalf("typing %q left the settings screen (screen %s, help %v)", k, m.Screen(), m.showHelp)
		}
	}
	if v := m.settings.fields[0].input.Value(); !strings.HasSuffix(v, "qsd") {
		t.Errorf("tenant = %q, want the typed letters at its end", v)
	}
	// ? is help on the form (no tenant, client id or URL holds one), typed only into a secret.
	update(m, keyMsg("?"))
	if !m.showHelp || !strings.Contains(plainView(m), "closes this help") {
		t.Fatalf("? on the settings screen should open the help:\n%s", plainView(m))
	}
	update(m, keyMsg("?"))
	if m.showHelp || strings.Contains(m.settings.fields[0].input.Value(), "?") {
		t.Fatal("? should close the help and never reach the field")
	}
	for i := 0; i < len(m.settings.fields) && !m.settings.fields[m.settings.focus].Secret; i++ {
		update(m, keyMsg("tab"))
	}
	update(m, keyMsg("?"))
	if m.showHelp || !strings.HasSuffix(m.settings.fields[m.settings.focus].input.Value(), "?") {
		t.Error("? in a secret field is part of the secret")
	}
}

func TestStaleRunResultsAreDropped(t *testing.T) {
	m := New(pinned(Options{Demo: demoOf(newEmulator(t))}, nil))
	update(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	for _, k := range toRow("background service") {
		update(m, keyMsg(k))
	}
	update(m, keyMsg("enter"))
	update(m, keyMsg("enter")) // run 1
	first := m.run.id
	update(m, keyMsg("esc"))
	update(m, keyMsg("enter")) // run 2 replaces it
	if m.run.id == first {
		t.Fatal("a new run kept the old run id")
	}
	stale := []tea.Msg{
		legSentMsg{RunID: first, Leg: 0, Err: &flows.OAuthError{Code: "invalid_client"}},
		tokensDecodedMsg{RunID: first, Views: []tokenView{{Label: "access", Raw: "x"}}},
		legPreparedMsg{RunID: first, Leg: 0, Err: flows.ErrNotReady},
	}
	for _, msg := range stale {
		update(m, msg)
	}
	if s := m.run.legs[0].state; s == legFailed {
		t.Errorf("a result of the replaced run changed the new run's leg to %s", s)
	}
	if !m.run.claims.Empty() {
		t.Error("tokens of the replaced run reached the new run's claims pane")
	}
}

func TestFocusCyclesAndClaimsToggleWhenNarrow(t *testing.T) {
	c := &Common{Styles: NewStyles(true), KeyMap: DefaultKeyMap(), Now: pinnedClock}
	f, _ := flows.Lookup(string(flows.FlowClientCredentials))
	r := newRunScreen(c, 1, f, flows.Settings{Authority: "http://127.0.0.1:9", Tenant: "7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13",
		ClientID: "e2b7f4a9-6c3d-4f18-9b52-0a8d3c1e6f74", ClientSecret: "s3cret-value", Scopes: []string{"api://x/.default"}}, runDeps{})
	if r.initErr != nil {
		t.Fatal(r.initErr)
	}
	r.SetSize(80, 21)
	want := []runFocus{focusDetail, focusLegs}
	for _, f := range want {
		r.Update(keyMsg("tab"))
		if r.focus != f {
			t.Fatalf("focus %s, want %s (no tokens yet: no claims stop)", r.focus, f)
		}
	}
	r.finished = true // the tokens of a finished run
	r.Update(tokensDecodedMsg{RunID: 1, Seq: r.decodeSeq, Views: []tokenView{{Label: "access"}}})
	if !r.showClaims || r.focus != focusClaims {
		t.Error("below 100 columns the claims pane should open, focused, when tokens arrive")
	}
	r.showClaims, r.focus = false, focusLegs
	for _, f := range []runFocus{focusDetail, focusClaims, focusLegs} {
		r.Update(keyMsg("tab"))
		if r.focus != f {
			t.Fatalf("focus %s, want %s", r.focus, f)
		}
		if r.showClaims != (f == focusClaims) {
			t.Errorf("at 80 columns the claims pane shows=%v with focus %s", r.showClaims, f)
		}
	}
}

func TestEscCancelsALegInFlight(t *testing.T) {
	block := blockingTransport{started: make(chan struct{}, 1)}
	opts := pinned(Options{
		HTTPClient: &http.Client{Transport: block},
		Settings: flows.Settings{Authority: "http://127.0.0.1:9", Tenant: "7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13",
			ClientID: "e2b7f4a9-6c3d-4f18-9b52-0a8d3c1e6f74", ClientSecret: "daemon-secret-for-test",
			Scopes: []string{"api://6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68/.default"}},
	}, nil)
	tm, _ := startTUI(t, opts, 100, 30)
	press(tm, toRow("background service", "enter", "enter")...)
	waitFor(t, tm, "client_secret")
	press(tm, "enter")
	select {
	case <-block.started:
	case <-time.After(5 * time.Second):
		t.Fatal("the leg was never sent")
	}
	press(tm, "esc")
	waitFor(t, tm, "cancelled")
	screen := finalScreen(t, tm)
	if !strings.Contains(screen, "· prepared") || !strings.Contains(screen, "aadx · run") {
		t.Errorf("after esc the leg should be prepared again on the run screen:\n%s", screen)
	}
}

func TestSecretsMaskedUntilRevealed(t *testing.T) {
	srv := newEmulator(t)
	demo := demoOf(srv)
	secret := demo.Apps.Daemon.ClientSecret
	clip := &fakeClipboard{}
	tm, m := startTUI(t, pinned(Options{Demo: demo}, clip), 100, 30)
	press(tm, toRow("background service", "enter", "enter")...)
	waitFor(t, tm, "client_secret")
	press(tm, "y") // copy the prepared leg as curl
	waitFor(t, tm, "copied leg token as curl")
	press(tm, "enter")
	waitFor(t, tm, "[access]")
	press(tm, "s")
	waitFor(t, tm, "secrets shown")
	screen := finalScreen(t, tm)
	if !strings.Contains(screen, secret) {
		t.Errorf("after s the client secret should be on screen:\n%s", screen)
	}
	m.common.ShowSecrets = false
	m.restyle()
	if hidden := plainView(m); strings.Contains(hidden, secret) {
		t.Errorf("the client secret is on screen while secrets are hidden:\n%s", hidden)
	}
	curl := clip.last()
	if !strings.Contains(curl, "$AZURE_CLIENT_SECRET") || strings.Contains(curl, secret) {
		t.Errorf("curl must carry $AZURE_CLIENT_SECRET, never the secret:\n%s", curl)
	}
}

func TestSettingsValidateInline(t *testing.T) {
	m := New(pinned(Options{Demo: demoOf(newEmulator(t))}, nil))
	update(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	for _, k := range toRow("background service") {
		update(m, keyMsg(k))
	}
	update(m, keyMsg("enter"))
	scope := m.settings.field("scope")
	scope.input.SetValue("User.Read")
	m.settings.validate()
	if scope.err == "" || !strings.Contains(scope.err, ".default") {
		t.Fatalf("a client credentials scope without /.default should be flagged, got %q", scope.err)
	}
	update(m, keyMsg("enter"))
	if m.Screen() != "settings" {
		t.Fatal("enter started a run with invalid settings")
	}
	tenant := m.settings.field("tenant")
	tenant.input.SetValue("not a tenant!")
	scope.input.SetValue("api://x/.default")
	m.settings.validate()
	if tenant.err == "" {
		t.Error("a malformed tenant should be flagged on its field")
	}
	if !strings.Contains(plainView(m), "✗") {
		t.Error("the settings screen does not show the problem")
	}
}

func TestScenarioKeySwitchesTheEmulator(t *testing.T) {
	srv := newEmulator(t)
	t.Cleanup(func() { _ = srv.SetScenarios(nil) })
	m := New(pinned(Options{Demo: demoOf(srv)}, nil))
	update(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	cmd := update(m, keyMsg("x"))
	if cmd == nil {
		t.Fatal("x on the picker did nothing")
	}
	update(m, cmd())
	first := m.demo.Scenarios[0].Name
	if m.scenario != first || !strings.Contains(plainView(m), "emulator · "+first) {
		t.Errorf("the status bar should show scenario %q:\n%s", first, plainView(m))
	}
	for range m.demo.Scenarios {
		update(m, update(m, keyMsg("x"))())
	}
	if m.scenario != "" {
		t.Errorf("cycling through every scenario should end with none, got %q", m.scenario)
	}
}

func TestChainedFlowsExplainWhereTheirTokenComesFrom(t *testing.T) {
	m := New(pinned(Options{Demo: demoOf(newEmulator(t))}, nil))
	update(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	update(m, keyMsg("up")) // refresh token, the last row
	update(m, keyMsg("enter"))
	if v := plainView(m); !strings.Contains(v, "chains from an earlier run") {
		t.Errorf("a refresh run with no earlier token should say where to get one:\n%s", v)
	}
}

func TestUnreadableCertificateIsFlaggedOnItsField(t *testing.T) {
	m := New(pinned(Options{Demo: demoOf(newEmulator(t))}, nil))
	update(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	for _, k := range toRow("background service") {
		update(m, keyMsg(k))
	}
	update(m, keyMsg("enter"))
	m.settings.field("secret").input.SetValue("")
	m.settings.field("cert").input.SetValue("/nonexistent/daemon.pem")
	cmd := update(m, keyMsg("enter"))
	if cmd == nil {
		t.Fatal("enter with a certificate path should read the file")
	}
	update(m, cmd())
	if m.Screen() != "settings" {
		t.Fatal("a run started with an unreadable certificate")
	}
	if err := m.settings.field("cert").err; !strings.Contains(err, "cannot be read") {
		t.Errorf("the certificate field should say the file cannot be read, got %q", err)
	}
}

func TestTinyTerminalsDoNotPanic(t *testing.T) {
	m := syntheticRun(t, flows.FlowDeviceCode, 100, 30)
	device := &flows.DeviceAuthorization{UserCode: "BX7K2MQPD", VerificationURI: "http://127.0.0.1:9/devicelogin", ExpiresAt: pinnedNow.Add(time.Minute)}
	update(m, legSentMsg{RunID: m.run.id, Leg: 0, State: flows.State{Device: device}})
	m.run.current, m.run.selected, m.run.busy = 1, 1, true
	m.run.legs[1].state = legWaiting
	m.run.claims.SetTokens([]tokenView{{Label: "access"}})
	for _, sz := range [][2]int{{1, 1}, {10, 3}, {20, 5}, {40, 10}, {60, 15}, {99, 20}, {100, 8}} {
		for _, s := range []screen{screenPicker, screenRun, screenDecode} {
			m.screen = s
			update(m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			_ = m.View()
			update(m, keyMsg("?"))
			_ = m.View()
			update(m, keyMsg("?"))
		}
	}
}
