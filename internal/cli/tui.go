package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/flows/browser"
	"github.com/aadx/aadx/internal/demo"
	"github.com/aadx/aadx/profiles"
	"github.com/aadx/aadx/tui"
)

// tuiFlags are the root command's flags: the shared settings and session flags, and presenter mode.
type tuiFlags struct {
	settingsFlags
	sessionFlags
	present     bool
	autoAdvance time.Duration
}

// addTUIFlags adds the root command's flags and the action that starts the TUI: `aadx` and `aadx --demo`.
func addTUIFlags(root *cobra.Command) {
	var f tuiFlags
	addSettingsFlags(root, &f.settingsFlags)
	addSessionFlags(root, &f.sessionFlags)
	fl := root.Flags()
	fl.BoolVar(&f.present, "present", false, "presenter mode: each leg narrated, roomier layout, secrets always masked")
	fl.DurationVar(&f.autoAdvance, "auto-advance", 0, "in presenter mode, send each leg after this delay, e.g. 3s (implies --present)")
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		if err := checkTUIFlags(cmd, f); err != nil {
			return err
		}
		profile := func(s *flows.Settings) (string, error) { return tuiProfile(cmd.Context(), f.profile, s) }
		if !cmd.Flags().Changed("timeout") {
			f.timeout = 0 // each flow's own default: 30 s, or a few seconds for IMDS off Azure
		}
		opts, cleanup, err := tuiOptions(f, os.LookupEnv, startDemo, profile)
		if err != nil {
			return err
		}
		defer cleanup()
		// SIGTERM or SIGHUP (the terminal closed) end the program, and cleanup stops the demo emulator.
		ctx, stop := signalContext(cmd.Context())
		defer stop()
		env := os.Environ()
		colors, askTmux := tuiColorProfile(stdoutFile(), env)
		model, screen := tui.New(opts), &screenOut{File: stdoutFile()}
		paintFirstFrame(screen, model, colors, env) // at once, not on Bubble Tea's first tick
		var tmux tmuxColors
		// Bubble Tea draws on a frame ticker: at 120 frames a second (its maximum) a frame waits at most 8 ms
		// for its tick instead of 17; an idle tick only compares.
		p := tea.NewProgram(model, tea.WithContext(ctx), tea.WithColorProfile(colors), tea.WithFilter(tmux.filter),
			tea.WithFPS(120), tea.WithOutput(screen))
		if askTmux {
			go tmux.ask(p, env) // after the first frame, which it no longer competes with
		}
		final, err := p.Run()
		screen.restore()
		printExitNote(cmd.OutOrStdout(), final) // after the alternate screen has closed, so it stays readable
		if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
			return fmt.Errorf("the terminal interface stopped: %w", err)
		}
		return nil
	}
}

// printExitNote prints what the TUI left for the normal screen: the authorize URL a browser leg was still
// waiting on, whole, so it can be opened or kept without a clipboard.
func printExitNote(w io.Writer, final tea.Model) {
	if m, ok := final.(*tui.Model); ok {
		if note := m.ExitNote(); note != "" {
			_, _ = io.WriteString(w, note)
		}
	}
}

// tuiOptions turns flags, then AZURE_* variables, into the TUI's options. With --demo the emulator's
// demo tenant fills every setting and wins over other flags (the status bar says so). It returns a
// cleanup that stops any emulator it started.
func tuiOptions(f tuiFlags, env lookupEnv, start demoStarter, profile profileFiller) (tui.Options, func(), error) {
	var opts tui.Options
	cleanups := []func(){}
	cleanup := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	fill := profile
	if f.demo {
		fill = nil // the demo tenant fills every setting
	}
	s, profileName, err := resolveSettings(f.settingsFlags, f.timeout, env, fill)
	if err != nil {
		return opts, cleanup, err
	}
	if profileName != "" {
		opts.Notice = "profile " + profileName
	}
	opts.Settings = s
	opts.CertPassword, _ = env("AZURE_CLIENT_CERTIFICATE_PASSWORD")
	opts.SaveProfile = saveTUIProfile(profiles.OpenDefault)
	if f.autoAdvance < 0 {
		return opts, cleanup, usageErrorf("--auto-advance %s is negative; give a delay such as 3s", f.autoAdvance)
	}
	opts.Present, opts.AutoAdvance = f.present || f.autoAdvance > 0, f.autoAdvance
	if store, err := profiles.OpenDefault(); err == nil {
		opts.Profiles = store // no user config directory: the profiles screen stays hidden
	}
	opts.OpenBrowser = browser.OpenSystem
	if f.demo {
		// The emulator starts when the TUI first asks for it, after the first frame, and in a Cmd.
		bg := newBackgroundDemo(start)
		cleanups = append(cleanups, bg.close)
		opts.StartDemo, opts.DemoOnStart = bg.wait, true
		if overridden := f.settingsFlags.names(); len(overridden) > 0 {
			opts.Notice = "--demo: the demo tenant replaces " + strings.Join(overridden, ", ")
		}
		return opts, cleanup, nil
	}
	// Nothing configured: offer the demo tenant (D on the picker), started only when accepted. The
	// cleanup runs after the TUI ends, when this Cmd can no longer run.
	var mu sync.Mutex
	opts.StartDemo = func() (*tui.Demo, error) {
		describe, stop, err := start()
		if err != nil {
			return nil, err
		}
		mu.Lock()
		cleanups = append(cleanups, stop)
		mu.Unlock()
		return describe()
	}
	return opts, func() { mu.Lock(); defer mu.Unlock(); cleanup() }, nil
}

// demoStarter starts an emulator and returns how to describe its demo tenant (which may wait for its
// keys) and how to stop it.
type demoStarter func() (describe func() (*tui.Demo, error), stop func(), err error)

// startDemo starts the emulator on a random loopback port (a real listener, so the system browser works
// too).
func startDemo() (func() (*tui.Demo, error), func(), error) {
	srv, err := emulator.New(emulator.Options{DeviceInterval: demo.DeviceInterval, KeyCache: emulator.UserKeyCache()})
	if err != nil {
		return nil, func() {}, err
	}
	return func() (*tui.Demo, error) { return demoFrom(srv), nil }, func() { _ = srv.Close() }, nil
}

// tuiProfile applies the --profile (else the active) profile under flags and AZURE_*. Its secret source
// fills the secret only when it needs no prompt: the TUI's settings screen has a masked input for that.
func tuiProfile(ctx context.Context, name string, s *flows.Settings) (string, error) {
	noPrompt := func(string) (string, error) { return "", errors.New("type the secret in the settings screen") }
	p, ok, err := applyProfile(ctx, name, s, false, nil)
	if err != nil || !ok {
		return "", err
	}
	if s.ClientSecret == "" && s.Certificate == nil {
		_ = profiles.Credential(ctx, p, s, os.Getenv("AZURE_CLIENT_CERTIFICATE_PASSWORD"), noPrompt)
	}
	return p.Name, nil
}

// saveTUIProfile saves settings typed in the TUI as a profile: FromSettings keeps only what is safe on
// disk and Store.Save refuses anything carrying a known secret. The secret is expected from
// AZURE_CLIENT_SECRET; `aadx profiles secret` can point it elsewhere.
func saveTUIProfile(open func() (*profiles.Store, error)) func(name string, s flows.Settings) error {
	return func(name string, s flows.Settings) error {
		if err := profiles.ValidateName(name); err != nil {
			return err
		}
		store, err := open()
		if err != nil {
			return err
		}
		return store.Save(profiles.FromSettings(name, s), profiles.KnownSecrets(s)...)
	}
}
