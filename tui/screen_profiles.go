package tui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/profiles"
)

// profileScreen lists the saved profiles (one per customer tenant) and switches, creates, edits and
// deletes them. Profiles hold no secrets (DESIGN.md §6): the form asks where the client secret comes
// from (none, env[:VAR], prompt, keyring), never for its value, and the store refuses any field that
// looks like a secret or contains one the session knows.
type profileScreen struct {
	common   *Common
	store    *profiles.Store
	list     []profiles.Profile
	active   string
	cursor   int
	loaded   bool
	toActive bool // the next load puts the cursor on the active profile
	err      string
	confirm  string // the profile x asked to delete; a second x deletes it
	form     *profileForm
	// current gives the settings a new profile starts from; known the secret values the session holds.
	current func() flows.Settings
	known   func() []string
	width   int
	height  int
}

// profileForm edits one profile; the name is editable only for a new one.
type profileForm struct {
	isNew  bool
	base   profiles.Profile // fields the form does not show (cloud, issuer, certificate, ...) are kept
	fields []profileField
	focus  int
	err    string
}

type profileField struct {
	name, label, hint string
	input             textinput.Model
}

// profilesLoadedMsg brings the profiles file's contents.
type profilesLoadedMsg struct {
	List   []profiles.Profile
	Active string
	Err    error
}

// profileSwitchedMsg brings the profile made active, its settings and credential filled.
type profileSwitchedMsg struct {
	Profile  profiles.Profile
	Settings flows.Settings
	Warning  string // the credential could not be filled (the settings screen asks for it)
	Err      error
}

// profileStoredMsg reports a profile written or deleted.
type profileStoredMsg struct {
	Name    string
	Deleted bool
	Err     error
}

var (
	profileNewKey   = key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new from current settings"))
	profileEditKey  = key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit"))
	profileDelKey   = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "delete"))
	profileUseKey   = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "switch to"))
	profileSaveKey  = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save"))
	profileFieldKey = key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "next field"))
)

// keyringTimeout bounds a keyring look-up when switching to a profile whose secret is kept there.
const keyringTimeout = 5 * time.Second

func newProfileScreen(c *Common, store *profiles.Store, current func() flows.Settings, known func() []string) *profileScreen {
	return &profileScreen{common: c, store: store, current: current, known: known}
}

func (p *profileScreen) capturesKeys() bool { return p.form != nil }

func (p *profileScreen) SetSize(width, height int) {
	p.width, p.height = width, height
	if p.form != nil {
		for i := range p.form.fields {
			p.form.fields[i].input.SetWidth(max(10, width-24))
		}
	}
}

func (p *profileScreen) ShortHelp() []key.Binding {
	k := p.common.KeyMap
	if p.form != nil {
		return []key.Binding{profileSaveKey, profileFieldKey, k.Back}
	}
	return []key.Binding{k.Up, k.Down, profileUseKey, profileNewKey, profileEditKey, profileDelKey, k.Back}
}

func (p *profileScreen) FullHelp() [][]key.Binding {
	k := p.common.KeyMap
	return [][]key.Binding{{k.Up, k.Down, profileUseKey, k.Back}, {profileNewKey, profileEditKey, profileDelKey}, {k.Help, k.Quit}}
}

func (p *profileScreen) selected() (profiles.Profile, bool) {
	if p.cursor < 0 || p.cursor >= len(p.list) {
		return profiles.Profile{}, false
	}
	return p.list[p.cursor], true
}

func (p *profileScreen) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case profilesLoadedMsg:
		p.loaded, p.err = true, ""
		if msg.Err != nil {
			p.err = msg.Err.Error()
			return p, nil
		}
		p.list, p.active = msg.List, msg.Active
		p.cursor = min(p.cursor, max(0, len(p.list)-1))
		for i, pr := range p.list {
			if p.toActive && pr.Name == p.active {
				p.cursor = i
			}
		}
		p.toActive = false
		return p, nil
	case tea.KeyPressMsg:
		if p.form != nil {
			return p, p.formKey(msg)
		}
		return p, p.listKey(msg)
	}
	return p, nil
}

func (p *profileScreen) listKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.common.KeyMap
	wasConfirming := p.confirm
	p.confirm = ""
	switch {
	case key.Matches(msg, k.Back):
		return p.common.nav.back()
	case key.Matches(msg, k.Up) && len(p.list) > 0:
		p.cursor = (p.cursor + len(p.list) - 1) % len(p.list)
	case key.Matches(msg, k.Down) && len(p.list) > 0:
		p.cursor = (p.cursor + 1) % len(p.list)
	case key.Matches(msg, profileUseKey):
		if sel, ok := p.selected(); ok {
			return switchProfileCmd(p.store, sel.Name, p.certPassword())
		}
	case key.Matches(msg, profileEditKey):
		if sel, ok := p.selected(); ok {
			return p.openForm(sel, false)
		}
	case key.Matches(msg, profileNewKey):
		return p.openForm(profiles.Profile{}, true)
	case key.Matches(msg, profileDelKey):
		sel, ok := p.selected()
		if !ok {
			return nil
		}
		if wasConfirming == sel.Name {
			return deleteProfileCmd(p.store, sel.Name)
		}
		p.confirm = sel.Name
	}
	return nil
}

// certPassword is unknown to this screen: a PFX profile's password comes from the environment.
func (p *profileScreen) certPassword() string { return "" }

// openForm edits pr, or starts a new profile from the settings in use.
func (p *profileScreen) openForm(pr profiles.Profile, isNew bool) tea.Cmd {
	if isNew {
		pr = profiles.FromSettings("", p.current())
		if pr.ClientID != "" {
			pr.Secret = profiles.SecretSource{Kind: profiles.SecretPrompt}
		}
	}
	f := &profileForm{isNew: isNew, base: pr}
	secret := string(pr.Secret.Kind)
	if pr.Secret.Kind == profiles.SecretEnv && pr.Secret.Env != "" {
		secret += ":" + pr.Secret.Env
	}
	if secret == "" {
		secret = string(profiles.SecretNone)
	}
	add := func(name, label, hint, value string) {
		in := textinput.New()
		in.Prompt = ""
		in.CharLimit = 4 << 10
		in.SetStyles(p.common.Styles.Input)
		in.SetWidth(max(10, p.width-24))
		in.SetValue(value)
		f.fields = append(f.fields, profileField{name: name, label: label, hint: hint, input: in})
	}
	if isNew {
		add("name", "Name", "letters, digits, - _ .", "")
	}
	add("tenant", "Tenant", "GUID or domain", pr.Tenant)
	add("client-id", "Client ID", "application (client) ID", pr.ClientID)
	add("scope", "Scopes", "space separated", strings.Join(pr.Scopes, " "))
	add("redirect-uri", "Redirect URI", "as registered", pr.RedirectURI)
	add("secret", "Secret from", "none, env[:VAR], prompt or keyring (never the secret itself)", secret)
	add("note", "Note", "free text, e.g. a ticket number", pr.Note)
	p.form = f
	return f.fields[0].input.Focus()
}

func (p *profileScreen) formKey(msg tea.KeyPressMsg) tea.Cmd {
	k, f := p.common.KeyMap, p.form
	switch {
	case key.Matches(msg, k.Back):
		p.form = nil
		return nil
	case key.Matches(msg, k.Tab), msg.String() == "down":
		return f.focusOn(f.focus + 1)
	case key.Matches(msg, k.ShiftTab), msg.String() == "up":
		return f.focusOn(f.focus - 1)
	case key.Matches(msg, k.Enter):
		pr, err := f.profile()
		if err != nil {
			f.err = err.Error()
			f.clear("secret")
			return nil
		}
		f.err = ""
		return saveProfileFormCmd(p.store, pr, p.known())
	}
	var cmd tea.Cmd
	f.fields[f.focus].input, cmd = f.fields[f.focus].input.Update(msg)
	return cmd
}

func (f *profileForm) focusOn(i int) tea.Cmd {
	n := len(f.fields)
	f.fields[f.focus].input.Blur()
	f.focus = (i + n) % n
	return f.fields[f.focus].input.Focus()
}

// clear empties the field named as on the command line (profiles.SecretError's names), so that a
// secret typed into it does not stay on screen.
func (f *profileForm) clear(name string) {
	if name == "secret-env" {
		name = "secret"
	}
	for i := range f.fields {
		if f.fields[i].name == name {
			f.fields[i].input.SetValue("")
			f.fields[f.focus].input.Blur()
			f.focus = i
		}
	}
}

// profile reads the form into a profile, keeping the fields it does not show.
func (f *profileForm) profile() (profiles.Profile, error) {
	pr := f.base
	for _, fl := range f.fields {
		v := strings.TrimSpace(fl.input.Value())
		switch fl.name {
		case "name":
			pr.Name = v
		case "tenant":
			pr.Tenant = v
		case "client-id":
			pr.ClientID = v
		case "scope":
			pr.Scopes = strings.Fields(v)
		case "redirect-uri":
			pr.RedirectURI = v
		case "note":
			pr.Note = v
		case "secret":
			src, err := parseSecretSource(v)
			if err != nil {
				return pr, err
			}
			pr.Secret = src
		}
	}
	return pr, nil
}

// parseSecretSource reads "none", "env" or "env:VAR", "prompt" or "keyring".
func parseSecretSource(v string) (profiles.SecretSource, error) {
	kind, env, _ := strings.Cut(v, ":")
	switch profiles.SecretKind(kind) {
	case "", profiles.SecretNone:
		return profiles.SecretSource{}, nil
	case profiles.SecretEnv:
		if env == "" {
			env = profiles.DefaultSecretEnv
		}
		return profiles.SecretSource{Kind: profiles.SecretEnv, Env: env}, nil
	case profiles.SecretPrompt, profiles.SecretKeyring:
		if env != "" {
			break
		}
		return profiles.SecretSource{Kind: profiles.SecretKind(kind)}, nil
	}
	// Never echo the value: it may be the secret typed in the wrong field.
	return profiles.SecretSource{}, errors.New("secret from: give none, env, env:VAR, prompt or keyring (the secret itself is never saved)")
}

func (p *profileScreen) View() string {
	st, w := p.common.Styles, p.width
	var b strings.Builder
	if p.form != nil {
		title := "Edit profile " + p.form.base.Name
		if p.form.isNew {
			title = "New profile from the current settings"
		}
		b.WriteString(st.Title.Render(title) + st.Muted.Render("  no secrets are saved") + "\n\n")
		for i, fl := range p.form.fields {
			label := st.InputLabel.Render(padRight(fl.label, 14))
			marker := "  "
			if i == p.form.focus {
				label = st.InputLabelFocus.Render(padRight(fl.label, 14))
				marker = st.Key.Render("▸ ")
			}
			b.WriteString(marker + label + " " + fl.input.View() + "\n")
			if i == p.form.focus {
				b.WriteString(st.Muted.Render(truncate("                 "+fl.hint, w)) + "\n")
			}
		}
		if p.form.err != "" {
			b.WriteString("\n" + st.InputError.Render(wrapBlock("✗ "+p.form.err, w)) + "\n")
		}
		return b.String()
	}
	b.WriteString(st.Title.Render("Profiles") + st.Muted.Render(truncate("  "+p.store.Path(), max(0, w-10))) + "\n\n")
	switch {
	case p.err != "":
		b.WriteString(st.Error.Render(wrapBlock("✗ "+p.err, w)) + "\n")
	case !p.loaded:
		b.WriteString(st.Muted.Render("reading profiles…") + "\n")
	case len(p.list) == 0:
		b.WriteString(st.Muted.Render(wrapBlock("No profiles yet. Press n to save the current settings as one, or ctrl+p on a flow's settings.", w)) + "\n")
	}
	nameWidth := 8
	for _, pr := range p.list {
		nameWidth = max(nameWidth, len(pr.Name))
	}
	for i, pr := range p.list {
		on := "  "
		if pr.Name == p.active {
			on = "● "
		}
		line := on + padRight(pr.Name, nameWidth) + "  " + padRight(shortID(pr.Tenant), 20) + " " + padRight(shortID(pr.ClientID), 12) + " " + pr.Note
		if i == p.cursor {
			b.WriteString(st.Selected.Render(truncate("▸ "+line, w)) + "\n")
		} else {
			b.WriteString(st.TableCell.Render(truncate("  "+line, w)) + "\n")
		}
	}
	if sel, ok := p.selected(); ok {
		b.WriteString("\n" + st.Muted.Render(truncate("client secret from: "+sel.Secret.String(), w)) + "\n")
	}
	if p.confirm != "" {
		b.WriteString(st.Warn.Render("press x again to delete "+p.confirm) + "\n")
	}
	return b.String()
}

func loadProfilesCmd(store *profiles.Store) tea.Cmd {
	return func() tea.Msg {
		list, active, err := store.List()
		return profilesLoadedMsg{List: list, Active: active, Err: err}
	}
}

// switchProfileCmd makes name the active profile and fills its settings and credential; a secret that
// needs a prompt is left for the settings screen's masked input.
func switchProfileCmd(store *profiles.Store, name, certPassword string) tea.Cmd {
	return func() tea.Msg {
		if err := store.SetActive(name); err != nil {
			return profileSwitchedMsg{Err: err}
		}
		pr, err := store.Get(name)
		if err != nil {
			return profileSwitchedMsg{Err: err}
		}
		s := pr.ToSettings()
		ctx, cancel := context.WithTimeout(context.Background(), keyringTimeout)
		defer cancel()
		msg := profileSwitchedMsg{Profile: pr}
		if err := profiles.Credential(ctx, pr, &s, certPassword, nil); err != nil {
			msg.Warning = err.Error()
		}
		msg.Settings = s
		return msg
	}
}

func saveProfileFormCmd(store *profiles.Store, pr profiles.Profile, known []string) tea.Cmd {
	return func() tea.Msg { return profileStoredMsg{Name: pr.Name, Err: store.Save(pr, known...)} }
}

func deleteProfileCmd(store *profiles.Store, name string) tea.Cmd {
	return func() tea.Msg { return profileStoredMsg{Name: name, Deleted: true, Err: store.Delete(name)} }
}

// openProfiles shows the profile list, read afresh.
func (m *Model) openProfiles() tea.Cmd {
	if m.opts.Profiles == nil {
		return m.setNotice("profiles are unavailable: no user config directory")
	}
	if m.profiles == nil {
		m.profiles = newProfileScreen(m.common, m.opts.Profiles, m.currentSettings, m.knownSecrets)
	}
	m.profiles.form, m.profiles.toActive = nil, true
	m.screen = screenProfiles
	m.resize()
	return loadProfilesCmd(m.opts.Profiles)
}

// applyProfile handles the profile screen's results: a switched profile fills every flow's settings from
// then on (leaving the demo tenant); a saved or deleted one refreshes the list.
func (m *Model) applyProfile(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case profileSwitchedMsg:
		if msg.Err != nil {
			return m.setNotice("profile: " + msg.Err.Error()), true
		}
		m.opts.Settings, m.demo, m.scenario = msg.Settings, nil, ""
		m.settings = nil // the next settings screen starts from the profile
		if m.profiles != nil {
			m.profiles.active = msg.Profile.Name
		}
		text := "profile " + msg.Profile.Name + " fills every flow's settings"
		if msg.Warning != "" {
			text = "profile " + msg.Profile.Name + ": " + msg.Warning
		}
		return m.setNotice(text), true
	case profileStoredMsg:
		if m.profiles == nil {
			return nil, false
		}
		if msg.Err != nil {
			if f := m.profiles.form; f != nil {
				f.err = msg.Err.Error()
				if se := (*profiles.SecretError)(nil); errors.As(msg.Err, &se) {
					f.clear(se.Field)
				}
				return f.focusOn(f.focus), true
			}
			return m.setNotice("profile: " + msg.Err.Error()), true
		}
		m.profiles.form = nil
		text := "saved profile " + msg.Name + " (no secrets)"
		if msg.Deleted {
			text = "deleted profile " + msg.Name
		}
		return tea.Batch(m.setNotice(text), loadProfilesCmd(m.opts.Profiles)), true
	case profilesLoadedMsg:
		if m.profiles != nil {
			m.profiles.Update(msg)
		}
		return nil, true
	}
	return nil, false
}

// currentSettings are the settings a new profile starts from: the settings screen's, the run's, or
// those from flags, environment and the active profile.
func (m *Model) currentSettings() flows.Settings {
	switch {
	case m.settings != nil:
		return m.settings.settings()
	case m.run != nil:
		return m.run.settings
	}
	return m.opts.Settings
}

// knownSecrets are every secret value the session holds, which no profile field may contain.
func (m *Model) knownSecrets() []string {
	known := profiles.KnownSecrets(m.opts.Settings)
	known = append(known, profiles.KnownSecrets(m.currentSettings())...)
	if m.demo != nil {
		for _, a := range []DemoApp{m.demo.Apps.Web, m.demo.Apps.Daemon, m.demo.Apps.API} {
			if a.ClientSecret != "" {
				known = append(known, a.ClientSecret)
			}
		}
		for _, u := range m.demo.Users {
			known = append(known, u.Password)
		}
	}
	for _, r := range m.sess.runs {
		known = append(known, r.ClientSecret, r.AccessToken, r.RefreshToken)
	}
	return slices.DeleteFunc(known, func(s string) bool { return s == "" })
}
