package tui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/flows"
)

// settingField is one input of the settings screen, named as on the command line so that a
// flows.FieldError points straight at it.
type settingField struct {
	Name   string // tenant, client-id, secret, cert, platform, redirect-uri, scope, assertion, refresh-token
	Label  string
	Hint   string
	Secret bool
	// choices, when set, are the only values the field takes: chosen with ←/→ or space, never typed.
	choices []string
	input   textinput.Model
	err     string
}

// settingsScreen shows only the fields the chosen flow needs, prefilled, validated on every change by
// the same rules the engine applies (flows.Settings.Validate), secrets typed into masked inputs.
type settingsScreen struct {
	common  *Common
	flow    flows.Flow
	base    flows.Settings
	fields  []*settingField
	focus   int
	formErr string
	loading bool // a certificate file is being read
	// certPassword opens a PFX file (AZURE_CLIENT_CERTIFICATE_PASSWORD); never shown.
	certPassword string
	width        int
	height       int
	// saveProfile saves the settings as a named profile; naming is set while its name is typed.
	saveProfile func(name string, s flows.Settings) error
	naming      bool
	name        textinput.Model
	// demo is the demo tenant, whose apps a platform choice and ctrl+t fill in; nil against a real tenant.
	demo *Demo
	// preset is the picker row's preset the screen was opened with: coming back to the same row keeps the edits.
	preset flows.Preset
}

// fieldsFor expands a flow's setting names into inputs; "credential" becomes a secret and a
// certificate file, either of which authenticates the client.
func fieldsFor(f flows.Flow) []*settingField {
	var out []*settingField
	add := func(name, label, hint string, secret bool) {
		out = append(out, &settingField{Name: name, Label: label, Hint: hint, Secret: secret})
	}
	for _, name := range f.Fields {
		switch name {
		case "tenant":
			add("tenant", "Tenant", "GUID, domain, or common / organizations / consumers", false)
		case "client-id":
			add("client-id", "Client ID", "the app registration's application (client) ID", false)
		case "credential":
			hint := "or leave empty and give a certificate"
			if !f.Confidential("") {
				hint = "the web platform only (a secret, or a certificate below); spa and public send none"
			}
			add("secret", "Client secret", hint, true)
			add("cert", "Certificate file", "PEM (certificate + key) or PFX", false)
		case "platform":
			add("platform", "Platform", "←/→: web needs a credential, spa sends Origin, public neither", false)
			out[len(out)-1].choices = []string{string(flows.PlatformWeb), string(flows.PlatformSPA), string(flows.PlatformPublic)}
		case "redirect-uri":
			add("redirect-uri", "Redirect URI", "as registered on the app", false)
		case "scope":
			add("scope", "Scopes", "space separated; client credentials need {resource}/.default", false)
		case "assertion":
			add("assertion", "User token", "an access token whose aud is this API (from an earlier run)", true)
		case "refresh-token":
			add("refresh-token", "Refresh token", "from an earlier run", true)
		default:
			if label, hint, secret, ok := secretlessField(name); ok {
				add(name, label, hint, secret)
			}
		}
	}
	return out
}

func newSettingsScreen(c *Common, f flows.Flow, prefill flows.Settings, certPassword string) *settingsScreen {
	s := &settingsScreen{common: c, flow: f, base: prefill, fields: fieldsFor(f), certPassword: certPassword}
	for _, fl := range s.fields {
		in := textinput.New()
		in.Prompt = ""
		in.SetStyles(c.Styles.Input)
		in.CharLimit = 16 << 10
		if fl.Secret {
			in.EchoMode = textinput.EchoPassword
			in.EchoCharacter = '•'
		}
		in.SetValue(valueOf(prefill, fl.Name))
		fl.input = in
	}
	s.applySecrets()
	s.focusField(s.firstEmpty())
	s.validate()
	return s
}

// valueOf reads a field's prefilled value from settings.
func valueOf(s flows.Settings, name string) string {
	switch name {
	case "tenant":
		return s.Tenant
	case "client-id":
		return s.ClientID
	case "secret":
		return s.ClientSecret
	case "cert":
		if s.Certificate != nil {
			return s.Certificate.Path
		}
	case "platform":
		return string(s.Platform)
	case "redirect-uri":
		return s.RedirectURI
	case "scope":
		return strings.Join(s.Scopes, " ")
	case "assertion":
		return s.Assertion
	case "refresh-token":
		return s.RefreshToken
	}
	return secretlessValue(s, name)
}

// settings builds flows.Settings from the base and the inputs; the certificate is loaded on submit.
func (s *settingsScreen) settings() flows.Settings {
	out := s.base
	for _, f := range s.fields {
		v := strings.TrimSpace(f.input.Value())
		switch f.Name {
		case "tenant":
			out.Tenant = v
		case "client-id":
			out.ClientID = v
		case "secret":
			out.ClientSecret = v
		case "cert":
			if v == "" {
				out.Certificate = nil
			} else if out.Certificate == nil || out.Certificate.Path != v {
				out.Certificate = &flows.Certificate{Path: v}
			}
		case "platform":
			out.Platform = flows.Platform(v)
		case "redirect-uri":
			out.RedirectURI = v
		case "scope":
			out.Scopes = strings.Fields(v)
		case "assertion":
			out.Assertion = v
		case "refresh-token":
			out.RefreshToken = v
		default:
			setSecretless(&out, f.Name, v)
		}
	}
	return out
}

// certPath returns the certificate file typed in, if it still has to be loaded.
func (s *settingsScreen) certPath() string {
	for _, f := range s.fields {
		if f.Name == "cert" {
			v := strings.TrimSpace(f.input.Value())
			if v != "" && (s.base.Certificate == nil || s.base.Certificate.Path != v || s.base.Certificate.Key == nil) {
				return v
			}
		}
	}
	return ""
}

// validate runs the engine's rules and pins the first problem on the field it names.
func (s *settingsScreen) validate() bool {
	for _, f := range s.fields {
		f.err = ""
	}
	s.formErr = ""
	set := s.settings()
	if set.Certificate != nil && set.Certificate.Key == nil {
		set.Certificate = nil // not loaded yet: judged on submit, when the file is read
		if set.ClientSecret == "" {
			set.ClientSecret = "pending-certificate"
		}
	}
	err := set.Validate(s.flow.ID)
	if err == nil {
		return true
	}
	var fe *flows.FieldError
	if errors.As(err, &fe) {
		if f := s.field(fieldAlias(fe.Field)); f != nil {
			f.err = fe.Error()
			return false
		}
	}
	s.formErr = err.Error()
	return false
}

// fieldAlias maps the engine's field names onto this screen's inputs.
func fieldAlias(name string) string {
	switch name {
	case "client-secret", "credential":
		return "secret"
	case "scopes":
		return "scope"
	}
	return name
}

func (s *settingsScreen) field(name string) *settingField {
	for _, f := range s.fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func (s *settingsScreen) firstEmpty() int {
	for i, f := range s.fields {
		if strings.TrimSpace(f.input.Value()) == "" && f.Name != "cert" && f.Name != "secret" {
			return i
		}
	}
	return 0
}

func (s *settingsScreen) focusField(i int) {
	if len(s.fields) == 0 {
		return
	}
	s.focus = (i + len(s.fields)) % len(s.fields)
	for j, f := range s.fields {
		if j == s.focus {
			f.input.Focus()
			f.input.CursorEnd()
		} else {
			f.input.Blur()
			f.input.CursorStart()
		}
	}
}

// applySecrets switches the masked inputs between hidden and shown.
func (s *settingsScreen) applySecrets() {
	for _, f := range s.fields {
		if f.Secret {
			if s.common.ShowSecrets {
				f.input.EchoMode = textinput.EchoNormal
			} else {
				f.input.EchoMode = textinput.EchoPassword
			}
		}
	}
}

// capturesKeys is true: every printable key is typed into an input.
func (s *settingsScreen) capturesKeys() bool { return true }

// focusedSecret reports whether the focused field is a secret (where ? may be part of the value) or the
// profile name is being typed.
func (s *settingsScreen) focusedSecret() bool {
	return s.naming || (s.focus < len(s.fields) && s.fields[s.focus].Secret)
}

func (s *settingsScreen) SetSize(width, height int) {
	s.width, s.height = width, height
	for _, f := range s.fields {
		f.input.SetWidth(max(10, width-22))
		f.input.SetValue(f.input.Value()) // recompute the visible window for the new width
		f.input.CursorStart()             // long values read from their start
	}
	if len(s.fields) > 0 {
		s.fields[s.focus].input.CursorEnd() // where typing continues
	}
}

func (s *settingsScreen) ShortHelp() []key.Binding {
	k := s.common.KeyMap
	if s.naming {
		return []key.Binding{k.Enter, k.Back}
	}
	keys := []key.Binding{k.Enter, k.Tab, k.Back}
	if f := s.focused(); f != nil && f.choices != nil {
		keys = append(keys, settingsChoiceNext)
	}
	if s.demoCertFile() != "" {
		keys = append(keys, settingsDemoCert)
	}
	keys = append(keys, settingsReveal)
	if s.saveProfile != nil {
		keys = append(keys, settingsSave)
	}
	return keys
}

func (s *settingsScreen) FullHelp() [][]key.Binding {
	k := s.common.KeyMap
	more := []key.Binding{k.Back, settingsReveal, k.Help, k.ForceQuit}
	if s.saveProfile != nil {
		more = append(more, settingsSave)
	}
	first := []key.Binding{k.Enter, settingsNextField, settingsPrevField}
	if s.field("platform") != nil {
		first = append(first, settingsChoiceNext, settingsChoicePrev)
	}
	if s.demoCertFile() != "" {
		first = append(first, settingsDemoCert)
	}
	return [][]key.Binding{first, more}
}

// settingsNextField and settingsPrevField move between fields; ↑/↓ never type into a one-line input.
var (
	settingsNextField = key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field"))
	settingsPrevField = key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "previous field"))
)

// settingsReveal toggles secrets while typing, where s is a letter.
var settingsReveal = key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "show/hide secrets"))

// settingsSave saves the settings as a profile (never its secrets).
var settingsSave = key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "save as profile"))

// saveProfileCmd writes the profile (a file: I/O, so in a Cmd).
func saveProfileCmd(save func(string, flows.Settings) error, name string, s flows.Settings) tea.Cmd {
	return func() tea.Msg { return profileSavedMsg{Name: name, Err: save(name, s)} }
}

// defaultProfileName suggests a name: the tenant's domain, else the start of the client id.
func defaultProfileName(s flows.Settings) string {
	if s.Tenant != "" && strings.Contains(s.Tenant, ".") {
		return strings.SplitN(s.Tenant, ".", 2)[0]
	}
	if len(s.ClientID) >= 8 {
		return "app-" + s.ClientID[:8]
	}
	return "profile"
}

// handleNaming takes the keys while the profile name is typed.
func (s *settingsScreen) handleNaming(msg tea.Msg) tea.Cmd {
	k := s.common.KeyMap
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(km, k.Back):
			s.naming = false
			return nil
		case key.Matches(km, k.Enter):
			s.naming = false
			return saveProfileCmd(s.saveProfile, strings.TrimSpace(s.name.Value()), s.settings())
		}
	}
	var cmd tea.Cmd
	s.name, cmd = s.name.Update(msg)
	return cmd
}

func loadCertCmd(path, password string) tea.Cmd {
	return func() tea.Msg {
		c, err := flows.LoadCertificate(path, password)
		return certLoadedMsg{Path: path, Cert: c, Err: err}
	}
}

func (s *settingsScreen) Update(msg tea.Msg) (Component, tea.Cmd) {
	if s.naming {
		return s, s.handleNaming(msg)
	}
	switch msg := msg.(type) {
	case certLoadedMsg:
		s.loading = false
		if msg.Err != nil {
			if f := s.field("cert"); f != nil {
				f.err = msg.Err.Error()
			}
			return s, nil
		}
		s.base.Certificate = msg.Cert
		return s, s.submit()
	case tea.KeyPressMsg:
		k := s.common.KeyMap
		switch {
		case key.Matches(msg, k.Back):
			return s, s.common.nav.back()
		case key.Matches(msg, k.Enter):
			return s, s.submit()
		case key.Matches(msg, settingsNextField):
			s.focusField(s.focus + 1)
			return s, nil
		case key.Matches(msg, settingsPrevField):
			s.focusField(s.focus - 1)
			return s, nil
		case key.Matches(msg, settingsSave) && s.saveProfile != nil:
			s.naming = true
			s.name = textinput.New()
			s.name.Prompt = "profile name › "
			s.name.SetStyles(s.common.Styles.Input)
			s.name.SetValue(defaultProfileName(s.settings()))
			return s, s.name.Focus()
		case key.Matches(msg, settingsReveal):
			s.common.ShowSecrets = !s.common.ShowSecrets
			s.applySecrets()
			return s, nil
		case key.Matches(msg, settingsDemoCert) && s.demoCertFile() != "":
			s.toggleDemoCertificate()
			s.validate()
			return s, nil
		}
		if f := s.focused(); f != nil && f.choices != nil {
			switch {
			case key.Matches(msg, settingsChoiceNext):
				s.choose(f, +1)
			case key.Matches(msg, settingsChoicePrev):
				s.choose(f, -1)
			}
			s.validate()
			return s, nil // a choice takes no typing
		}
	}
	if len(s.fields) == 0 {
		return s, nil
	}
	var cmd tea.Cmd
	f := s.fields[s.focus]
	f.input, cmd = f.input.Update(msg)
	s.validate()
	return s, cmd
}

// submit starts the run when every field is valid, reading a certificate file first if one was given.
func (s *settingsScreen) submit() tea.Cmd {
	if path := s.certPath(); path != "" {
		s.loading = true
		return loadCertCmd(path, s.certPassword)
	}
	if !s.validate() {
		for i, f := range s.fields {
			if f.err != "" {
				s.focusField(i)
			}
		}
		return nil
	}
	return s.common.nav.startRun(s.flow, s.settings())
}

func (s *settingsScreen) View() string {
	st := s.common.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(s.flow.Title) + st.Muted.Render("  settings") + "\n")
	b.WriteString(st.Muted.Render(wrapBlock(s.flow.Purpose, s.width)) + "\n\n")
	for i, f := range s.fields {
		label := st.InputLabel
		marker := "  "
		if i == s.focus {
			label, marker = st.InputLabelFocus, st.Key.Render("▸ ")
		}
		b.WriteString(marker + label.Render(padRight(f.Label, 17)) + " " + s.fieldView(f) + "\n")
		switch {
		case f.err != "":
			b.WriteString("    " + st.InputError.Render("✗ "+truncate(f.err, s.width-6)) + "\n")
		case i == s.focus:
			b.WriteString("    " + st.Muted.Render(truncate(f.Hint, s.width-6)) + "\n")
		}
	}
	b.WriteString("\n")
	if hint := s.chainHint(); hint != "" {
		b.WriteString(st.Highlight.Render(wrapBlock(hint, s.width)) + "\n")
	}
	if s.naming {
		b.WriteString(st.Muted.Render("saved without secrets · enter saves · esc cancels") + "\n" + s.name.View() + "\n")
	}
	switch {
	case s.loading:
		b.WriteString(st.Muted.Render("reading the certificate…"))
	case s.formErr != "":
		b.WriteString(st.InputError.Render("✗ " + s.formErr))
	case s.valid():
		b.WriteString(st.OK.Render("✓ ready") + st.Muted.Render(" — press enter to start the run"))
	}
	return b.String()
}

func (s *settingsScreen) valid() bool {
	if s.formErr != "" {
		return false
	}
	for _, f := range s.fields {
		if f.err != "" {
			return false
		}
	}
	return true
}

// chainHint tells a newcomer where the token of an on-behalf-of or refresh run comes from when the
// session has none yet.
func (s *settingsScreen) chainHint() string {
	for _, name := range []string{"assertion", "refresh-token"} {
		if f := s.field(name); f != nil && strings.TrimSpace(f.input.Value()) == "" {
			what := "a user access token for this API"
			if name == "refresh-token" {
				what = "a refresh token"
			}
			return "This flow chains from an earlier run: run Authorization code, Authorization code + PKCE or " +
				"Device code first (esc to the flows), then come back here and " + what + " is filled in. Or paste one."
		}
	}
	return ""
}
