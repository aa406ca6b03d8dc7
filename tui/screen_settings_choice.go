package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"

	"github.com/aadx/aadx/flows"
)

// Keys of a choice field (the platform) and of the demo tenant's certificate.
var (
	settingsChoiceNext = key.NewBinding(key.WithKeys("right", "space"), key.WithHelp("→/space", "choose"))
	settingsChoicePrev = key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "previous choice"))
	settingsDemoCert   = key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "demo cert/secret"))
)

func (s *settingsScreen) focused() *settingField {
	if s.focus < len(s.fields) {
		return s.fields[s.focus]
	}
	return nil
}

// fieldView draws an input, or a choice as radio buttons, readable without colour.
func (s *settingsScreen) fieldView(f *settingField) string {
	if f.choices == nil {
		return f.input.View()
	}
	st := s.common.Styles
	current := strings.TrimSpace(f.input.Value())
	parts := make([]string, len(f.choices))
	for i, c := range f.choices {
		if c == current {
			parts[i] = st.Key.Render("(•) " + c)
		} else {
			parts[i] = st.Muted.Render("( ) " + c)
		}
	}
	return strings.Join(parts, "  ")
}

// choose moves a choice field by step; on the demo tenant a new platform brings its app and redirect.
func (s *settingsScreen) choose(f *settingField, step int) {
	i := 0
	for j, c := range f.choices {
		if c == strings.TrimSpace(f.input.Value()) {
			i = j
		}
	}
	i = (i + step + len(f.choices)) % len(f.choices)
	f.input.SetValue(f.choices[i])
	if f.Name == "platform" && s.demo != nil {
		p := flows.Platform(f.choices[i])
		app := s.demo.appOn(p)
		s.set("client-id", app.ClientID)
		s.set("redirect-uri", app.RedirectURI)
		s.set("secret", app.ClientSecret) // the web app's; spa and public apps have none
		s.set("cert", "")
		if s.preset.Platform == p && s.preset.RedirectURI != "" {
			s.set("redirect-uri", s.preset.RedirectURI) // the row's own redirect, as presetSettings gives it
		}
	}
}

// set replaces a field's value, if the screen has that field.
func (s *settingsScreen) set(name, value string) {
	if f := s.field(name); f != nil {
		f.input.SetValue(value)
		if f != s.focused() {
			f.input.CursorStart()
		}
	}
}

// demoApp is the demo registration this screen's flow runs as on the chosen platform.
func (s *settingsScreen) demoApp() DemoApp {
	p := flows.Platform("")
	if f := s.field("platform"); f != nil {
		p = flows.Platform(strings.TrimSpace(f.input.Value()))
	}
	return s.demo.App(s.flow.Client, p)
}

// demoCertFile is the demo app's certificate file ctrl+t gives, or "" where there is none to give.
func (s *settingsScreen) demoCertFile() string {
	if s.demo == nil || s.field("cert") == nil || s.naming {
		return ""
	}
	return s.demoApp().CertFile
}

// toggleDemoCertificate swaps the demo app's secret for its certificate file, and back.
func (s *settingsScreen) toggleDemoCertificate() {
	app := s.demoApp()
	if strings.TrimSpace(s.field("cert").input.Value()) == "" {
		s.set("cert", app.CertFile)
		s.set("secret", "")
		return
	}
	s.set("cert", "")
	s.set("secret", app.ClientSecret)
}

// refill fills the fields left empty from a new prefill (a chained flow's token from a later run),
// keeping every value the person typed or chose.
func (s *settingsScreen) refill(prefill flows.Settings) {
	for _, f := range s.fields {
		if strings.TrimSpace(f.input.Value()) == "" {
			if v := valueOf(prefill, f.Name); v != "" && !(f.Name == "secret" && s.field("cert") != nil && strings.TrimSpace(s.field("cert").input.Value()) != "") {
				f.input.SetValue(v)
			}
		}
	}
	s.validate()
}
