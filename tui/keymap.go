package tui

import "charm.land/bubbles/v2/key"

// KeyMap holds every key binding of the TUI (DESIGN.md §5); screens pick the ones they use for their
// help, and disable none globally so `?` always tells the truth.
type KeyMap struct {
	Up        key.Binding
	Down      key.Binding
	Left      key.Binding
	Right     key.Binding
	PageUp    key.Binding
	PageDown  key.Binding
	Enter     key.Binding
	Back      key.Binding
	Tab       key.Binding
	ShiftTab  key.Binding
	Help      key.Binding
	Quit      key.Binding
	ForceQuit key.Binding

	RunAll   key.Binding
	Resend   key.Binding
	Edit     key.Binding
	Copy     key.Binding
	CopyCurl key.Binding
	Export   key.Binding
	// ExportTokens is the explicit choice to keep tokens whole in an export (secrets stay masked).
	ExportTokens key.Binding
	Open         key.Binding
	Secrets      key.Binding
	Claims       key.Binding
	NextTab      key.Binding
	PrevTab      key.Binding
	Decode       key.Binding
	Paste        key.Binding
	// FullValue shows the focused value whole (a long URL, parameter, error or token), no clipboard needed.
	FullValue key.Binding
	// Challenge signs in again with the claims challenge of a failed leg (MFA, Conditional Access).
	Challenge key.Binding
	Scenario  key.Binding
	Reproduce key.Binding // the scenario list: reproduce a customer's problem on the emulator
	Profiles  key.Binding
	UseToken  key.Binding // call the API with the token (run_apicall.go)
	Expect    key.Binding // decode screen: what the API expects, for the "would it accept this?" verdict
	Demo      key.Binding // start the built-in demo tenant when nothing is configured
	// Steps opens a leg's exchanges one by one (n the next, N the previous): a sign-in's pages, a device's polls.
	Steps key.Binding
	// Wrap wraps long parameter values under their name instead of cutting them at the edge.
	Wrap key.Binding
}

// DefaultKeyMap returns the key bindings of DESIGN.md §5.
func DefaultKeyMap() *KeyMap {
	return &KeyMap{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Left:      key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "left")),
		Right:     key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "right")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "scroll up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "scroll down")),
		Enter:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "select / send")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back / cancel")),
		Tab:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next focus")),
		ShiftTab:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous focus")),
		Help:      key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit now")),

		RunAll:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "run remaining legs")),
		Resend:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-send leg")),
		Edit:         key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "edit parameter")),
		Copy:         key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy value")),
		CopyCurl:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy leg as curl")),
		Export:       key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export trace")),
		ExportTokens: key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "export with tokens")),
		Open:         key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open browser")),
		Secrets:      key.NewBinding(key.WithKeys("s", "ctrl+s"), key.WithHelp("s/ctrl+s", "show/hide secrets")),
		Claims:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "claims pane")),
		NextTab:      key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next token")),
		PrevTab:      key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous token")),
		Decode:       key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "decode a token")),
		Paste:        key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "paste redirect URL")),
		FullValue:    key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "view full value")),
		Challenge:    key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "answer claims challenge")),
		Scenario:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "emulator scenario")),
		Reproduce:    key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reproduce a problem")),
		Profiles:     key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "profiles")),
		Demo:         key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "start the demo tenant")),
		UseToken:     key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "call the API with the token")),
		Expect:       key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "what the API expects")),
		Steps:        key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n/N", "next/prev step")),
		Wrap:         key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "wrap long values")),
	}
}
