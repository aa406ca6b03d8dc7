package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/internal/demo"
	"github.com/aadx/aadx/profiles"
	"github.com/aadx/aadx/tui"
)

func envOf(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestTUISettingsPrecedence(t *testing.T) {
	env := envOf(map[string]string{
		"AZURE_TENANT_ID": "contoso.onmicrosoft.com", "AZURE_CLIENT_ID": "11111111-1111-1111-1111-111111111111",
		"AZURE_CLIENT_SECRET": "env-secret-value", "AZURE_AUTHORITY_HOST": "https://login.microsoftonline.us/",
	})
	tests := []struct {
		name  string
		flags tuiFlags
		want  flows.Settings
	}{
		{"environment only", tuiFlags{}, flows.Settings{Authority: "https://login.microsoftonline.us", Tenant: "contoso.onmicrosoft.com",
			ClientID: "11111111-1111-1111-1111-111111111111", ClientSecret: "env-secret-value"}},
		{"flags win", tuiFlags{settingsFlags: settingsFlags{tenant: "fabrikam.com", clientID: "22222222-2222-2222-2222-222222222222", authority: "https://login.microsoftonline.com"}},
			flows.Settings{Authority: "https://login.microsoftonline.com", Tenant: "fabrikam.com",
				ClientID: "22222222-2222-2222-2222-222222222222", ClientSecret: "env-secret-value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := resolveSettings(tt.flags.settingsFlags, tt.flags.timeout, env, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got.Authority != tt.want.Authority || got.Tenant != tt.want.Tenant || got.ClientID != tt.want.ClientID || got.ClientSecret != tt.want.ClientSecret {
				t.Errorf("got authority=%q tenant=%q client=%q secret set=%v; want %+v",
					got.Authority, got.Tenant, got.ClientID, got.ClientSecret != "", tt.want)
			}
		})
	}
}

func TestTUIBadFlagsAreUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		flag string
	}{
		{[]string{"--cloud", "mars"}, "--cloud"},
		{[]string{"--platform", "desktop"}, "--platform"},
		{[]string{"--authority", "login.microsoftonline.com"}, "--authority"},
		{[]string{"--tenant", "not a tenant!"}, "--tenant"},
		{[]string{"--cert", "/nonexistent/cert.pem"}, "--cert"},
		{[]string{"--timeout", "-5s"}, "--timeout"},
		{[]string{"--no-such-flag"}, "--no-such-flag"},
		{[]string{"--auto-advance", "-3s"}, "--auto-advance"},
		{[]string{"--profile", "nobody"}, "--profile"},
	}
	isolateProfiles(t)
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := execute(tt.args, strings.NewReader(""), &stdout, &stderr)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d (stderr %q)", code, exitUsage, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.flag) || strings.Count(strings.TrimSpace(stderr.String()), "\n") > 0 {
				t.Errorf("stderr should be one line naming %s, got %q", tt.flag, stderr.String())
			}
		})
	}
}

func TestTUIDemoWinsOverFlags(t *testing.T) {
	started := 0
	start := func() (func() (*tui.Demo, error), func(), error) {
		started++
		return func() (*tui.Demo, error) {
			return &tui.Demo{Tenant: demo.Tenant{Authority: "http://127.0.0.1:1", TenantID: "t"}}, nil
		}, func() {}, nil
	}
	opts, cleanup, err := tuiOptions(tuiFlags{sessionFlags: sessionFlags{demo: true}, settingsFlags: settingsFlags{tenant: "contoso.com", clientID: "11111111-1111-1111-1111-111111111111"}}, envOf(nil), start, nil)
	defer cleanup()
	if err != nil {
		t.Fatal(err)
	}
	if !opts.DemoOnStart || opts.StartDemo == nil {
		t.Fatal("--demo did not start the emulator")
	}
	if d, err := opts.StartDemo(); err != nil || d.Authority != "http://127.0.0.1:1" || started != 1 {
		t.Fatalf("--demo should start the emulator once, in the background: %v, %v, %d starts", d, err, started)
	}
	if !strings.Contains(opts.Notice, "--tenant") || !strings.Contains(opts.Notice, "--client-id") {
		t.Errorf("the notice should say which flags the demo replaced, got %q", opts.Notice)
	}

	opts, cleanup2, err := tuiOptions(tuiFlags{}, envOf(nil), start, nil)
	defer cleanup2()
	if err != nil {
		t.Fatal(err)
	}
	if opts.DemoOnStart || opts.StartDemo == nil || started != 1 {
		t.Error("plain aadx with nothing configured should offer the demo tenant, not start it")
	}
}

// frameBuffer is an io.Writer safe to read while the program writes.
type frameBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *frameBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *frameBuffer) Contains(sub string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Contains(s.b.Bytes(), []byte(sub))
}

// BenchmarkLaunchDemoFirstFrame measures `aadx --demo` from its options to the bytes of the flow picker's
// first frame, as aadx paints it before Bubble Tea starts (paintFirstFrame; the emulator starts after it).
func BenchmarkLaunchDemoFirstFrame(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		opts, cleanup, err := tuiOptions(tuiFlags{sessionFlags: sessionFlags{demo: true}}, envOf(nil), startDemo, nil)
		if err != nil {
			b.Fatal(err)
		}
		frame, ok := renderFirstFrame(tui.New(opts), colorprofile.ANSI256, 100, 30)
		if !ok || !bytes.Contains(frame, []byte("recommended flow")) {
			b.Fatal("no first frame")
		}
		b.StopTimer()
		cleanup()
		b.StartTimer()
	}
}

// BenchmarkLaunchDemoBubbleTeaFrame measures `aadx --demo` from its options to Bubble Tea's own first frame
// of the flow picker (the repaint that follows aadx's; it waits for the renderer's first tick), the emulator
// started by Init beside it.
func BenchmarkLaunchDemoBubbleTeaFrame(b *testing.B) {
	for b.Loop() {
		opts, cleanup, err := tuiOptions(tuiFlags{sessionFlags: sessionFlags{demo: true}}, envOf(nil), startDemo, nil)
		if err != nil {
			b.Fatal(err)
		}
		out := &frameBuffer{}
		ctx, cancel := context.WithCancel(context.Background())
		p := tea.NewProgram(tui.New(opts), tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(out),
			tea.WithWindowSize(100, 30), tea.WithColorProfile(colorprofile.NoTTY), tea.WithoutSignals())
		done := make(chan struct{})
		go func() { _, _ = p.Run(); close(done) }()
		for !out.Contains("recommended flow") {
			time.Sleep(100 * time.Microsecond)
		}
		b.StopTimer()
		cancel()
		<-done
		cleanup()
		b.StartTimer()
	}
}

// BenchmarkLaunchDemoToSettings measures `aadx --demo` from start to the first flow's settings filled from
// the demo tenant, Enter pressed at once (it waits for the emulator's keys).
func BenchmarkLaunchDemoToSettings(b *testing.B) {
	for b.Loop() {
		opts, cleanup, err := tuiOptions(tuiFlags{sessionFlags: sessionFlags{demo: true}}, envOf(nil), startDemo, nil)
		if err != nil {
			b.Fatal(err)
		}
		out := &frameBuffer{}
		ctx, cancel := context.WithCancel(context.Background())
		p := tea.NewProgram(tui.New(opts), tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(out),
			tea.WithWindowSize(100, 30), tea.WithColorProfile(colorprofile.NoTTY), tea.WithoutSignals())
		done := make(chan struct{})
		go func() { _, _ = p.Run(); close(done) }()
		p.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
		for !out.Contains("ready") {
			time.Sleep(100 * time.Microsecond)
		}
		b.StopTimer()
		cancel()
		<-done
		cleanup()
		b.StartTimer()
	}
}

func TestTUIProfileFillsOnlyTheGaps(t *testing.T) {
	profile := func(s *flows.Settings) (string, error) {
		profiles.Apply(profiles.Profile{Name: "contoso", Tenant: "contoso.onmicrosoft.com",
			ClientID: "33333333-3333-3333-3333-333333333333", RedirectURI: "http://localhost/cb"}, s)
		return "contoso", nil
	}
	opts, cleanup, err := tuiOptions(tuiFlags{settingsFlags: settingsFlags{clientID: "22222222-2222-2222-2222-222222222222"}}, envOf(nil), nil, profile)
	defer cleanup()
	if err != nil {
		t.Fatal(err)
	}
	s := opts.Settings
	if s.ClientID != "22222222-2222-2222-2222-222222222222" || s.Tenant != "contoso.onmicrosoft.com" || s.RedirectURI != "http://localhost/cb" {
		t.Errorf("flags must outrank the profile, which fills the rest: %+v", s)
	}
	if opts.Notice != "profile contoso" {
		t.Errorf("the status bar should name the profile, notice %q", opts.Notice)
	}
}

func TestTUISavedProfileHoldsNoSecret(t *testing.T) {
	dir := t.TempDir()
	save := saveTUIProfile(func() (*profiles.Store, error) { return profiles.NewStore(dir), nil })
	s := flows.Settings{Tenant: "contoso.onmicrosoft.com", ClientID: "22222222-2222-2222-2222-222222222222",
		ClientSecret: "tui-secret-value-123", Scopes: []string{"api://x/.default"}}
	if err := save("contoso", s); err != nil {
		t.Fatal(err)
	}
	p, err := profiles.NewStore(dir).Get("contoso")
	if err != nil {
		t.Fatal(err)
	}
	if p.ClientID != s.ClientID || p.Tenant != s.Tenant {
		t.Errorf("profile lost settings: %+v", p)
	}
	data, _ := os.ReadFile(filepath.Join(dir, profiles.FileName))
	if strings.Contains(string(data), "tui-secret-value-123") {
		t.Error("the saved profile file contains the client secret")
	}
	if err := save("bad name!", s); err == nil {
		t.Error("a malformed profile name should be refused")
	}
}

// --auto-advance alone is enough to present: a presenter should not need two flags.
func TestTUIAutoAdvanceImpliesPresenterMode(t *testing.T) {
	isolateProfiles(t)
	noEnv := func(string) (string, bool) { return "", false }
	tests := []struct {
		f       tuiFlags
		present bool
	}{
		{tuiFlags{}, false},
		{tuiFlags{present: true}, true},
		{tuiFlags{autoAdvance: 3 * time.Second}, true},
	}
	for _, tt := range tests {
		opts, cleanup, err := tuiOptions(tt.f, noEnv, nil, nil)
		cleanup()
		if err != nil {
			t.Fatalf("%+v: %v", tt.f, err)
		}
		if opts.Present != tt.present || opts.AutoAdvance != tt.f.autoAdvance {
			t.Errorf("%+v: Present %v, AutoAdvance %v; want %v, %v", tt.f, opts.Present, opts.AutoAdvance, tt.present, tt.f.autoAdvance)
		}
	}
}

// printExitNote prints nothing for a TUI that left nothing waiting, nor for a program that ended without a
// model.
func TestPrintExitNoteQuietWhenNothingWaits(t *testing.T) {
	var out strings.Builder
	printExitNote(&out, nil)
	printExitNote(&out, tui.New(tui.Options{}))
	if out.Len() != 0 {
		t.Errorf("nothing waited, nothing to print: %q", out.String())
	}
}
