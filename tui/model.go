// Package tui is the Bubble Tea interface of aadx: a flow picker (the recommendation matrix), a settings
// form per flow, a run screen that steps through each leg with its live request and response, a claims
// pane, a decode screen, help and a status bar.
//
// The root Model only routes messages and lays screens out (soft-serve's pkg/ui); each screen is a
// Component sharing one Common. All I/O (sending legs, signing in, copying, opening a browser, reading a
// certificate) happens in tea.Cmds whose results carry the id of the run that asked, so results of a
// cancelled or replaced run are dropped.
package tui

import (
	"io"
	"net/http"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/profiles"
)

// Options configure the TUI. Every field is optional.
type Options struct {
	// Settings come from flags and AZURE_* variables; they prefill every flow's settings.
	Settings flows.Settings
	// CertPassword opens PFX certificate files (AZURE_CLIENT_CERTIFICATE_PASSWORD).
	CertPassword string
	// Demo is the in-process emulator's demo tenant (aadx --demo); it fills every setting.
	Demo *Demo
	// StartDemo starts the emulator when the person accepts the demo tenant offered because nothing is
	// configured; nil means no offer.
	StartDemo func() (*Demo, error)
	// DemoOnStart calls StartDemo at once, off the first frame (aadx --demo: the emulator's keys take a
	// moment); a flow picked before it is ready opens when it is.
	DemoOnStart bool
	// Notice is shown in the status bar at start (e.g. that --demo overrode other flags).
	Notice string
	// HTTPClient sends the legs; default the demo's client, else http.DefaultClient's transport.
	HTTPClient *http.Client
	// Now is the clock; tests pin it.
	Now func() time.Time
	// DarkBackground pins the palette; nil asks the terminal (tea.BackgroundColorMsg).
	DarkBackground *bool
	// Clipboard writes the system clipboard; default atotto/clipboard. OSC 52 is always sent as well.
	Clipboard func(text string) error
	// OpenBrowser opens a URL in the system browser; nil disables the o key.
	OpenBrowser func(url string) error
	// SaveProfile saves settings as a named profile (no secrets); nil hides ctrl+p on the settings screen.
	SaveProfile func(name string, s flows.Settings) error
	// ExportDir is where e writes HAR and Markdown exports; default the working directory.
	ExportDir string
	// Rand is the source of state, nonce, PKCE verifiers and request ids; default crypto/rand. Tests pin it.
	Rand io.Reader
	// Present is presenter mode (aadx --present): legs narrated, margins, secrets always masked.
	Present bool
	// AutoAdvance sends each prepared leg after this delay in presenter mode (--auto-advance); 0 is off.
	AutoAdvance time.Duration
	// Profiles is the profile store the profiles screen (P) lists and edits; nil hides it.
	Profiles *profiles.Store
}

// screen is which screen the root shows.
type screen int

const (
	screenPicker screen = iota
	screenSettings
	screenRun
	screenDecode
	screenScenarios
	screenProfiles
)

func (s screen) String() string {
	return [...]string{"picker", "settings", "run", "decode", "scenarios", "profiles"}[s]
}

// keyCapturer is a component that currently types every printable key into an input; the root then
// keeps only ctrl+c for itself.
type keyCapturer interface{ capturesKeys() bool }

// noticeDuration is how long a confirmation stays in the status bar.
const noticeDuration = 3 * time.Second

// Model is the root model: it routes messages to the current screen and lays out the screen, the key
// hints and the status bar.
type Model struct {
	opts   Options
	common *Common
	demo   *Demo
	sess   *session

	screen   screen
	previous screen // where esc on the decode screen returns to
	picker   *picker
	settings *settingsScreen
	run      *runScreen
	decoder  *decodeScreen
	// scenarios is "reproduce a problem"; fromScenarios sends esc on its run back to it, and chain is
	// the flow a scenario's preparatory sign-in run leads to.
	scenarios     *scenarioScreen
	fromScenarios bool
	chain         *flows.Flow
	profiles      *profileScreen

	showHelp   bool
	notice     string
	noticeID   int
	nextRunID  int
	pinnedDark bool
	quitting   bool
	exitNote   string // printed after the TUI closes (ExitNote)
	// ticking is set while a clock tick is on its way; clockGen tells the latest tick from stray ones.
	ticking  bool
	clockGen int
	// scenarioIndex is the emulator scenario switched on with x: 0 none, i the i-th.
	scenarioIndex int
	// demoLoading is set while the demo tenant is being described; pending is a flow picked meanwhile.
	demoLoading bool
	scenario    string // the emulator scenario on, shown in the status bar
	pending     *flows.Flow
	pendingSet  flows.Preset
}

// New builds the root model.
func New(opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Clipboard == nil {
		opts.Clipboard = systemClipboard
	}
	dark := true
	if opts.DarkBackground != nil {
		dark = *opts.DarkBackground
	}
	c := &Common{Styles: NewStyles(dark), KeyMap: DefaultKeyMap(), Now: opts.Now, Width: 80, Height: 24, clipboard: opts.Clipboard}
	m := &Model{opts: opts, common: c, demo: opts.Demo, sess: &session{}, pinnedDark: opts.DarkBackground != nil}
	c.nav = m
	if opts.Present {
		c.Present = &presenter{delay: opts.AutoAdvance}
	}
	m.picker = newPicker(c)
	m.decoder = newDecodeScreen(c)
	if opts.HTTPClient != nil {
		m.decoder.client = opts.HTTPClient
	}
	m.notice = opts.Notice
	// Starting is the state from the first frame on, which may be drawn before Init runs.
	m.demoLoading = opts.DemoOnStart && opts.StartDemo != nil && opts.Demo == nil
	return m
}

// Init asks the terminal for its background colour (to pick the light or dark palette) and starts the
// notice timer.
func (m *Model) Init() tea.Cmd {
	var cmds []tea.Cmd
	if !m.pinnedDark {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if m.notice != "" {
		cmds = append(cmds, m.expireNotice())
	}
	if m.demoLoading && m.opts.DemoOnStart {
		cmds = append(cmds, startDemoCmd(m.opts.StartDemo))
	}
	return tea.Batch(cmds...)
}

// Screen reports the screen on show (for tests).
func (m *Model) Screen() string { return m.screen.String() }

func (m *Model) current() Component {
	switch m.screen {
	case screenSettings:
		return m.settings
	case screenRun:
		return m.run
	case screenDecode:
		return m.decoder
	case screenScenarios:
		return m.scenarios
	case screenProfiles:
		return m.profiles
	}
	return m.picker
}

// Update routes a message: window size and background colour to everyone, run results to the run they
// belong to, keys to the root first (quit, help, secrets) and then to the current screen. While a screen
// shows something that moves with the time, a clock tick re-renders it every second.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := m.update(msg)
	if tick, ok := msg.(clockTickMsg); ok && tick.gen == m.clockGen {
		m.ticking = false
	}
	if !m.ticking && m.showsTime() {
		m.ticking = true
		m.clockGen++
		gen := m.clockGen
		cmd = tea.Batch(cmd, tea.Tick(time.Second, func(time.Time) tea.Msg { return clockTickMsg{gen: gen} }))
	}
	return m, cmd
}

// showsTime reports whether the screen on show has relative times or a countdown.
func (m *Model) showsTime() bool {
	switch {
	case m.quitting:
		return false
	case m.screen == screenDecode:
		return m.decoder.showsTimes()
	case m.screen == screenRun && m.run != nil:
		return m.run.showsTimes()
	}
	return false
}

func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, ok := m.applyScenario(msg); ok {
		return m, cmd
	}
	if cmd, ok := m.applyProfile(msg); ok {
		return m, cmd
	}
	if msg, ok := msg.(autoAdvanceMsg); ok {
		return m, m.autoAdvance(msg)
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.common.Width, m.common.Height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.BackgroundColorMsg:
		if !m.pinnedDark {
			m.common.Styles = NewStyles(msg.IsDark())
			m.restyle()
		}
		return m, nil
	case clockTickMsg:
		return m, nil // the frame that follows reads the clock
	case noticeMsg:
		return m, m.setNotice(msg.Text)
	case noticeExpiredMsg:
		if msg.ID == m.noticeID {
			m.notice = ""
		}
		return m, nil
	case copiedMsg:
		if msg.System {
			return m, m.setNotice("copied " + msg.What)
		}
		// Only OSC 52 went out: whether the terminal honoured it is unknown, so say where to read it.
		text := "OSC 52 only (no system clipboard); "
		switch m.screen {
		case screenRun:
			text += "v shows the full value"
		case screenDecode:
			text += "it is the token you pasted"
		default:
			text += "it is on screen"
		}
		text += " (" + msg.What + ")"
		return m, m.setNotice(text)
	case demoStartedMsg:
		m.demoLoading = false
		if msg.Err != nil {
			m.pending = nil
			return m, m.setNotice("demo tenant: " + msg.Err.Error())
		}
		m.demo = msg.Demo
		if f := m.pending; f != nil {
			m.pending = nil
			return m, m.openSettings(*f, m.pendingSet)
		}
		if m.opts.DemoOnStart {
			return m, nil
		}
		return m, m.setNotice("demo tenant started at " + msg.Demo.Authority)
	case profileSavedMsg:
		if msg.Err != nil {
			return m, m.setNotice("profile not saved: " + msg.Err.Error())
		}
		return m, m.setNotice("saved profile " + msg.Name + " (no secrets)")
	case scenarioSetMsg:
		if msg.Err != nil {
			return m, m.setNotice("scenario: " + msg.Err.Error())
		}
		m.scenario = ""
		if len(msg.Names) == 0 {
			return m, m.setNotice("emulator scenarios off")
		}
		m.scenario = msg.Names[0]
		return m, m.setNotice("emulator scenario: " + m.scenarioSummary())
	case runFinishedMsg:
		if m.run != nil && msg.RunID == m.run.id {
			m.sess.add(msg.Run)
		}
		return m, nil
	case tea.KeyPressMsg:
		if cmd, handled := m.handleKey(msg); handled {
			return m, cmd
		}
	}
	if res, ok := msg.(runResult); ok {
		if m.run == nil || res.runID() != m.run.id {
			return m, nil // a result of a run that was cancelled or replaced
		}
		_, cmd := m.run.Update(msg)
		return m, cmd
	}
	_, cmd := m.current().Update(msg)
	return m, cmd
}

// handleKey takes the keys the root owns; it reports whether the key was consumed.
func (m *Model) handleKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.common.KeyMap
	if key.Matches(msg, k.ForceQuit) {
		m.quitting = true
		m.noteExit()
		if m.run != nil {
			m.run.cancel()
		}
		return tea.Quit, true
	}
	if m.showHelp {
		if key.Matches(msg, k.Help, k.Back, k.Quit) {
			m.showHelp = false
		}
		return nil, true
	}
	if cmd, ok := m.handlePresentKey(msg); ok {
		return cmd, true
	}
	// Keys that never type: help on f1 (and on ? where ? is not being typed), secrets on ctrl+s.
	if msg.String() == "f1" || (key.Matches(msg, k.Help) && !m.typesQuestionMark()) {
		m.showHelp = true
		return nil, true
	}
	if msg.String() == "ctrl+s" {
		return m.toggleSecrets(), true
	}
	if c, ok := m.current().(keyCapturer); ok && c.capturesKeys() {
		return nil, false
	}
	switch {
	case key.Matches(msg, k.Reproduce) && m.screen == screenPicker:
		return m.openScenarios(), true
	case key.Matches(msg, k.Profiles) && m.screen == screenPicker && m.opts.Profiles != nil:
		return m.openProfiles(), true
	case key.Matches(msg, k.Help):
		m.showHelp = true
		return nil, true
	case key.Matches(msg, k.Quit):
		m.quitting = true
		m.noteExit()
		if m.run != nil {
			m.run.cancel()
		}
		return tea.Quit, true
	case key.Matches(msg, k.Secrets):
		return m.toggleSecrets(), true
	case key.Matches(msg, k.Decode) && m.screen != screenDecode && m.screen != screenSettings:
		m.previous, m.screen = m.screen, screenDecode
		m.resize()
		return m.decoder.focus(), true
	case key.Matches(msg, k.Scenario) && m.screen == screenPicker && m.demo != nil && m.demo.SetScenarios != nil:
		return m.cycleScenario(), true
	case key.Matches(msg, k.Scenario) && m.screen == screenPicker && m.demoLoading:
		return m.setNotice("the demo tenant is starting; try again in a moment"), true
	case key.Matches(msg, k.Demo) && m.screen == screenPicker && m.demo == nil && m.opts.StartDemo != nil && !m.demoLoading:
		m.demoLoading = true // one emulator however often D is pressed
		return startDemoCmd(m.opts.StartDemo), true
	}
	return nil, false
}

// toggleSecrets shows or hides secrets on every screen (s, or ctrl+s where s is being typed).
func (m *Model) toggleSecrets() tea.Cmd {
	m.common.ShowSecrets = !m.common.ShowSecrets
	m.restyle()
	if m.common.ShowSecrets {
		return m.setNotice("secrets shown")
	}
	return m.setNotice("secrets hidden")
}

// typesQuestionMark reports whether ? is text being typed (into a secret or an edited value) rather
// than the help key. The settings form takes ? as help except in a secret field.
func (m *Model) typesQuestionMark() bool {
	if m.screen == screenSettings {
		return m.settings != nil && m.settings.focusedSecret()
	}
	c, ok := m.current().(keyCapturer)
	return ok && c.capturesKeys()
}

func (m *Model) openSettings(f flows.Flow, preset flows.Preset) tea.Cmd {
	if m.demoLoading {
		m.pending, m.pendingSet = &f, preset // opened when the demo tenant is ready
		return nil
	}
	prefill := m.opts.Settings
	if m.demo != nil {
		prefill = m.demo.settingsFor(f.ID, m.sess)
	} else {
		prefill = chainSettings(f.ID, prefill, m.sess)
	}
	prefill = presetSettings(m.demo, preset, prefill)
	if s := m.settings; s != nil && s.flow.ID == f.ID && s.preset == preset && s.demo == m.demo {
		s.refill(prefill) // the same row again: the person's edits stay
	} else {
		m.settings = newSettingsScreen(m.common, f, prefill, m.opts.CertPassword)
		m.settings.saveProfile, m.settings.demo, m.settings.preset = m.opts.SaveProfile, m.demo, preset
	}
	m.screen = screenSettings
	m.resize()
	return nil
}

func (m *Model) startRun(f flows.Flow, s flows.Settings) tea.Cmd {
	if m.run != nil {
		m.run.cancel()
	}
	m.fromScenarios, m.chain = false, nil
	m.nextRunID++
	deps := runDeps{
		HTTPClient:  m.httpClient(),
		Demo:        m.demo,
		Clipboard:   m.opts.Clipboard,
		OpenBrowser: m.opts.OpenBrowser,
		Rand:        m.opts.Rand,
		ExportDir:   m.opts.ExportDir,
		Scenario:    func() string { return m.scenario },
	}
	m.run = newRunScreen(m.common, m.nextRunID, f, s, deps)
	m.screen = screenRun
	m.resize()
	return tea.Batch(m.run.Init(), m.advanceCmd())
}

func (m *Model) httpClient() *http.Client {
	switch {
	case m.opts.HTTPClient != nil:
		return m.opts.HTTPClient
	case m.demo != nil && m.demo.HTTPClient != nil:
		return m.demo.HTTPClient
	}
	return &http.Client{}
}

func (m *Model) back() tea.Cmd {
	switch m.screen {
	case screenRun:
		if m.run != nil {
			m.run.cancel()
		}
		m.screen = screenSettings
		if m.settings == nil {
			m.screen = screenPicker
		}
		if m.fromScenarios {
			m.screen = screenScenarios
		}
	case screenSettings, screenScenarios, screenProfiles:
		m.screen = screenPicker
	case screenDecode:
		m.screen = m.previous
	}
	m.resize()
	return nil
}

// showNotice implements navigator.
func (m *Model) showNotice(text string) tea.Cmd { return m.setNotice(text) }

func (m *Model) setNotice(text string) tea.Cmd {
	m.notice = text
	return m.expireNotice()
}

func (m *Model) expireNotice() tea.Cmd {
	m.noticeID++
	id := m.noticeID
	return tea.Tick(noticeDuration, func(time.Time) tea.Msg { return noticeExpiredMsg{ID: id} })
}

// cycleScenario switches the emulator to its next fault scenario (none → first → … → none).
func (m *Model) cycleScenario() tea.Cmd {
	d := m.demo
	m.scenarioIndex = (m.scenarioIndex + 1) % (len(d.Scenarios) + 1)
	var names []string
	if m.scenarioIndex > 0 {
		names = []string{d.Scenarios[m.scenarioIndex-1].Name}
	}
	set := d.SetScenarios
	return func() tea.Msg { return scenarioSetMsg{Names: names, Err: set(names)} }
}

// contentHeight is what is left for a screen under the title line, the key hints and the status bar.
func (m *Model) contentHeight() int { return max(1, m.common.Height-3) }

func (m *Model) resize() {
	w, h := m.common.Width-2*m.presentMargin(), m.contentHeight()
	m.picker.SetSize(w, h)
	if m.scenarios != nil {
		m.scenarios.SetSize(w, h)
	}
	if m.profiles != nil {
		m.profiles.SetSize(w, h)
	}
	m.decoder.SetSize(w, h)
	if m.settings != nil {
		m.settings.SetSize(w, h)
	}
	if m.run != nil {
		m.run.SetSize(w, h)
	}
}

// restyle propagates new styles or the secrets switch to screens that cache rendered text.
func (m *Model) restyle() {
	if m.settings != nil {
		m.settings.applySecrets()
		for _, f := range m.settings.fields {
			f.input.SetStyles(m.common.Styles.Input)
		}
	}
	if m.run != nil {
		m.run.invalidate()
	}
	m.decoder.invalidate()
}

// View lays out the title line, the current screen (or the help overlay), the key hints and the
// status bar.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.WindowTitle = "aadx"
	if m.quitting {
		return v
	}
	st, w := m.common.Styles, m.common.Width
	var keys help.KeyMap = m.current()
	body := ""
	if m.showHelp {
		body = renderHelpOverlay(st, keys, w, m.contentHeight())
	} else {
		body = m.current().View()
	}
	v.SetContent(strings.Join([]string{
		m.titleLine(),
		indentBlock(fitBlock(body, w-2*m.presentMargin(), m.contentHeight()), m.presentMargin()),
		renderShortHelp(st, keys, w),
		renderStatusBar(st, m.status(), w)}, "\n"))
	return v
}

func (m *Model) titleLine() string {
	st := m.common.Styles
	crumbs := map[screen]string{
		screenPicker: "pick a flow", screenSettings: "settings", screenRun: "run", screenDecode: "decode a token",
		screenScenarios: "reproduce a problem", screenProfiles: "profiles",
	}
	crumb := crumbs[m.screen]
	if m.screen == screenRun && m.run != nil {
		crumb = "run · " + m.run.flow.Title // the title names the flow
	}
	line := st.Title.Render("aadx") + st.Muted.Render(" · "+crumb)
	if m.demoLoading {
		line += st.Muted.Render("  starting the demo tenant…")
	} else if m.screen == screenPicker && m.demo == nil && m.opts.StartDemo != nil && m.opts.Settings.ClientID == "" {
		line += st.Highlight.Render("  nothing configured: press D for the built-in demo tenant")
	}
	return truncate(line, m.common.Width)
}

func (m *Model) status() statusInfo {
	info := statusInfo{Secrets: m.common.ShowSecrets, Notice: m.notice}
	s := m.opts.Settings
	starting := false // the demo tenant is starting: its address is not known yet
	if m.screen == screenRun && m.run != nil {
		s = m.run.settings
	} else if m.screen == screenSettings && m.settings != nil {
		s = m.settings.settings()
	} else if m.demo != nil {
		s = flows.Settings{Authority: m.demo.Authority, Tenant: m.demo.TenantID}
	} else if m.demoLoading {
		s, starting = flows.Settings{}, true // no authority rather than a wrong one
	}
	info.Authority, info.Tenant, info.ClientID = s.Authority, s.Tenant, s.ClientID
	if info.Authority == "" && s.Issuer != "" {
		info.Authority = s.Issuer
	}
	if info.Authority == "" && !starting {
		info.Authority = s.Cloud.Authority()
	}
	info.Emulator = (m.demo != nil && info.Authority == m.demo.Authority) || m.demoLoading
	if info.Emulator {
		info.Scenario = m.scenario
	}
	return info
}

// scenarioSummary says what the scenario switched on reproduces and which flow shows it.
func (m *Model) scenarioSummary() string {
	for _, sc := range m.demo.Scenarios {
		if sc.Name == m.scenario {
			return sc.Name + " (" + sc.Summary + "; try " + sc.Flow + ")"
		}
	}
	return m.scenario
}
