package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/aadx/aadx/flows"
)

// scenarioScreen is "reproduce a problem": the emulator's fault scenarios, what each reproduces and the
// flow that shows it. Enter switches the emulator to the scenario and starts that flow against the demo
// tenant, every leg sent, so the error panel explains the failure; the first row switches faults off.
// Scenarios switch on the running emulator: nothing restarts.
type scenarioScreen struct {
	common *Common
	demo   *Demo
	cursor int    // 0 is "no fault", i is demo.Scenarios[i-1]
	active string // the scenario the emulator has on ("" none)
	width  int
	height int
}

// scenarioChosenMsg asks the root to switch the emulator to Name ("" for none) and, when Flow is set, to
// start that flow with every leg sent.
type scenarioChosenMsg struct {
	Name string
	Flow string
}

// scenarioAppliedMsg reports that the emulator switched to Name, so the chosen flow can start.
type scenarioAppliedMsg struct {
	Name string
	Flow string
	Err  error
}

func newScenarioScreen(c *Common, d *Demo, active string) *scenarioScreen {
	s := &scenarioScreen{common: c, demo: d, active: active}
	for i, sc := range d.Scenarios {
		if sc.Name == active {
			s.cursor = i + 1
		}
	}
	return s
}

func (s *scenarioScreen) SetSize(width, height int) { s.width, s.height = width, height }

func (s *scenarioScreen) ShortHelp() []key.Binding {
	k := s.common.KeyMap
	return []key.Binding{k.Up, k.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "reproduce")), k.Back, k.Help}
}

func (s *scenarioScreen) FullHelp() [][]key.Binding {
	k := s.common.KeyMap
	return [][]key.Binding{{k.Up, k.Down, k.Enter, k.Back}, {k.Decode, k.Secrets, k.Help, k.Quit}}
}

func (s *scenarioScreen) Update(msg tea.Msg) (Component, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	k, n := s.common.KeyMap, len(s.demo.Scenarios)+1
	switch {
	case key.Matches(km, k.Up):
		s.cursor = (s.cursor + n - 1) % n
	case key.Matches(km, k.Down):
		s.cursor = (s.cursor + 1) % n
	case key.Matches(km, k.Back):
		return s, s.common.nav.back()
	case key.Matches(km, k.Enter):
		chosen := scenarioChosenMsg{}
		if sc, ok := s.selected(); ok {
			chosen = scenarioChosenMsg{Name: sc.Name, Flow: sc.Flow}
		}
		return s, func() tea.Msg { return chosen }
	}
	return s, nil
}

func (s *scenarioScreen) selected() (DemoScenario, bool) {
	if s.cursor == 0 || s.cursor > len(s.demo.Scenarios) {
		return DemoScenario{}, false
	}
	return s.demo.Scenarios[s.cursor-1], true
}

// scenarioCardRoom is the height kept for the header, the gap and the card below the scenario list.
const scenarioCardRoom = 9

// View lists the scenarios (● marks the one on) and describes the one under the cursor: what it
// reproduces, the flow that shows it and, for an AADSTS code, its cause and fix.
func (s *scenarioScreen) View() string {
	st, w := s.common.Styles, s.width
	nameWidth := len("no fault")
	for _, sc := range s.demo.Scenarios {
		nameWidth = max(nameWidth, len(sc.Name))
	}
	row := func(i int, name, code, flow string) string {
		on := "  "
		if name == s.active || (i == 0 && s.active == "") {
			on = "● "
		}
		line := on + padRight(name, nameWidth) + "  " + padRight(code, 15) + " " + flow
		if i == s.cursor {
			return st.Selected.Render(truncate("▸ "+line, w))
		}
		return st.TableCell.Render(truncate("  "+line, w))
	}
	items := []string{row(0, "no fault", "", "the emulator behaves like Entra ID")}
	for i, sc := range s.demo.Scenarios {
		items = append(items, row(i+1, sc.Name, scenarioCode(sc.Code), flowTitle(sc.Flow)))
	}
	// On a short terminal the list scrolls around the cursor so that the card keeps room to say why and how.
	if limit := s.height - scenarioCardRoom; limit >= 3 && len(items) > limit {
		start := min(max(0, s.cursor-limit/2), len(items)-limit)
		items = items[start : start+limit]
	}
	rows := append([]string{st.TableHeader.Render(truncate("    "+padRight("scenario", nameWidth)+"  "+padRight("code", 15)+" shown by", w))}, items...)
	card := s.card(w)
	room := s.height - len(rows) - 1
	if lipgloss.Height(card) > room {
		card = fitBlock(card, w, max(0, room))
	}
	return strings.Join(rows, "\n") + "\n\n" + card
}

// card describes the scenario under the cursor.
func (s *scenarioScreen) card(w int) string {
	st := s.common.Styles
	sc, ok := s.selected()
	if !ok {
		return st.Bold.Render("No fault") + "\n" + wrapBlock(st.Explain.Render("Enter switches every scenario off: the emulator answers like Entra ID again."), w)
	}
	lines := []string{st.Title.Render(sc.Name) + st.Muted.Render("  "+scenarioCode(sc.Code))}
	lines = append(lines, wrapText(sc.Summary, w)...)
	if sc.Code >= 1000 {
		if entry, ok := flows.LookupAADSTS(sc.Code); ok {
			if entry.Cause != "" {
				lines = append(lines, wrapText("why: "+entry.Cause, w)...)
			}
			if entry.Fix != "" {
				lines = append(lines, st.OK.Render(wrapBlock("fix: "+entry.Fix, w)))
			}
		}
	}
	how := "enter starts " + flowTitle(sc.Flow) + " against the demo tenant with this scenario on and sends every leg"
	switch {
	case needsUserToken(sc.Flow):
		how += " (a user sign-in first, for the token it exchanges)"
	case pollsForApproval(sc.Flow):
		how += "; approve the code with enter to see the sign-in declined"
	}
	lines = append(lines, st.Key.Render(wrapBlock(how, w)))
	return strings.Join(lines, "\n")
}

// scenarioCode names what a scenario's code is: an AADSTS code, an HTTP status, or nothing (the
// scenario changes the tokens rather than failing).
func scenarioCode(code int) string {
	switch {
	case code >= 1000:
		return fmt.Sprintf("AADSTS%d", code)
	case code == 200:
		return "delay"
	case code >= 400:
		return fmt.Sprintf("HTTP %d", code)
	}
	return "" // the card's summary says what changes
}

func flowTitle(id string) string {
	if f, ok := flows.Lookup(id); ok {
		return f.Title
	}
	return id
}

// needsUserToken reports whether a flow starts from a user's token of an earlier run.
func needsUserToken(id string) bool {
	f, ok := flows.Lookup(id)
	return ok && f.ChainsFrom != nil
}

// pollsForApproval reports whether a flow waits while the user approves on another device (device code).
func pollsForApproval(id string) bool {
	f, ok := flows.Lookup(id)
	return ok && f.PollsForApproval()
}

// setScenarioCmd switches the emulator's fault scenario (a call into the emulator, so in a Cmd).
func setScenarioCmd(set func([]string) error, name, flow string) tea.Cmd {
	return func() tea.Msg {
		var names []string
		if name != "" {
			names = []string{name}
		}
		return scenarioAppliedMsg{Name: name, Flow: flow, Err: set(names)}
	}
}

// openScenarios shows the scenario list; it needs the demo tenant's emulator.
func (m *Model) openScenarios() tea.Cmd {
	switch {
	case m.demoLoading:
		return m.setNotice("the demo tenant is starting; try again in a moment")
	case m.demo == nil && m.opts.StartDemo != nil:
		return m.setNotice("scenarios need the demo tenant: press D to start it")
	case m.demo == nil || m.demo.SetScenarios == nil:
		return m.setNotice("scenarios need the demo tenant: start aadx --demo")
	}
	m.scenarios = newScenarioScreen(m.common, m.demo, m.scenario)
	m.screen = screenScenarios
	m.resize()
	return nil
}

// applyScenario handles the scenario messages: switching the emulator, then starting the scenario's
// flow with every leg sent. A flow that exchanges a user token (on-behalf-of, refresh) is preceded by a
// sign-in run when the session has no such token; its success chains into the flow that fails.
func (m *Model) applyScenario(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case scenarioChosenMsg:
		return setScenarioCmd(m.demo.SetScenarios, msg.Name, msg.Flow), true
	case scenarioAppliedMsg:
		if msg.Err != nil {
			return m.setNotice("scenario: " + msg.Err.Error()), true
		}
		m.scenario = msg.Name
		if m.scenarios != nil {
			m.scenarios.active = msg.Name
		}
		for i, sc := range m.demo.Scenarios {
			if sc.Name == msg.Name {
				m.scenarioIndex = i + 1
			}
		}
		if msg.Name == "" {
			m.scenarioIndex = 0
			return m.setNotice("emulator scenarios off"), true
		}
		f, ok := flows.Lookup(msg.Flow)
		if !ok {
			return m.setNotice("emulator scenario: " + msg.Name), true
		}
		notice := m.setNotice("emulator scenario: " + msg.Name)
		if needsUserToken(msg.Flow) && !m.hasUserToken(f.ID) {
			first, _ := flows.Lookup(string(f.ChainsFrom.From))
			cmd := m.startScenarioRun(first)
			m.chain = &f // after startRun, which drops any earlier chain
			return tea.Batch(notice, cmd), true
		}
		return tea.Batch(notice, m.startScenarioRun(f)), true
	case runFinishedMsg:
		if m.chain == nil || m.run == nil || msg.RunID != m.run.id {
			return nil, false
		}
		m.sess.add(msg.Run)
		f := *m.chain
		m.chain = nil
		return m.startScenarioRun(f), true
	}
	return nil, false
}

// hasUserToken reports whether the session holds the token flow id starts from.
func (m *Model) hasUserToken(id flows.FlowID) bool {
	s := m.demo.settingsFor(id, m.sess)
	return s.Assertion != "" || s.RefreshToken != ""
}

// startScenarioRun starts f against the demo tenant with every leg sent; esc returns to the list.
func (m *Model) startScenarioRun(f flows.Flow) tea.Cmd {
	m.settings = nil
	cmd := m.startRun(f, m.withScenarioAPI(m.demo.settingsFor(f.ID, m.sess)))
	m.fromScenarios = true
	m.run.runAll = true
	return cmd
}
