package tui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// keyStates are the screens whose keys are checked, each reached from a fresh model.
var keyStates = []struct {
	name   string
	screen string
	keys   []string
	typing bool // the screen types printable keys into an input
}{
	{"picker", "picker", nil, false},
	{"settings", "settings", []string{"enter"}, true},
	{"run", "run", []string{"enter", "enter"}, false},
	{"decode", "decode", []string{"d", "tab"}, false},
	{"scenarios", "scenarios", []string{"R"}, false},
}

// keyedState builds a model in state s at 100x30.
func keyedState(t *testing.T, keys []string) *Model {
	t.Helper()
	m := New(pinned(Options{Demo: demoOf(newEmulator(t))}, nil))
	update(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	for _, k := range keys {
		runCmds(m, update(m, keyMsg(k)))
	}
	return m
}

// runCmds runs a command tree synchronously (to a small depth) and feeds the messages back, so a state
// reached through prepared legs is settled; ticks and other waits are skipped.
func runCmds(m *Model, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 20; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		done := make(chan tea.Msg, 1)
		go func() { done <- c() }()
		var msg tea.Msg
		select {
		case msg = <-done:
		case <-timeAfter():
			continue // a tick or a wait on the network: not part of reaching the state
		}
		if batch, ok := msg.(tea.BatchMsg); ok {
			queue = append(queue, batch...)
			continue
		}
		if msg != nil {
			queue = append(queue, update(m, msg))
		}
	}
}

// allBindings lists every binding of the KeyMap by field name.
func allBindings(k *KeyMap) map[string]key.Binding {
	out := map[string]key.Binding{}
	v := reflect.ValueOf(k).Elem()
	for i := 0; i < v.NumField(); i++ {
		if b, ok := v.Field(i).Interface().(key.Binding); ok {
			out[v.Type().Field(i).Name] = b
		}
	}
	return out
}

func helpKeys(m *Model) map[string]bool {
	keys := map[string]bool{}
	for _, group := range m.current().FullHelp() {
		for _, b := range group {
			for _, k := range b.Keys() {
				keys[k] = true
			}
		}
	}
	return keys
}

// TestEveryActiveKeyIsInHelp presses every key of the KeyMap on every screen, each from a fresh state:
// a key that does anything there (changes the screen or starts a command) must be in that screen's help.
func TestEveryActiveKeyIsInHelp(t *testing.T) {
	for _, st := range keyStates {
		t.Run(st.name, func(t *testing.T) {
			base := keyedState(t, st.keys)
			if base.Screen() != st.screen {
				t.Fatalf("reached %s, want %s", base.Screen(), st.screen)
			}
			inHelp := helpKeys(base)
			before := plainView(base)
			for name, b := range allBindings(base.common.KeyMap) {
				for _, k := range b.Keys() {
					typed := len([]rune(k)) == 1 || name == "PageUp" || name == "PageDown"
					if k == "ctrl+c" || k == "q" || (st.typing && typed) {
						continue // quitting ends the program; on a form, letters and page keys edit the input
					}
					m := keyedState(t, st.keys)
					cmd := update(m, keyMsg(k))
					acted := cmd != nil || m.Screen() != st.screen || plainView(m) != before
					if acted && !inHelp[k] {
						t.Errorf("%s: %s (%s) acts on this screen but its help does not list it", st.name, k, name)
					}
				}
			}
		})
	}
}

// TestNoTwoBindingsOfAScreenClash: one key means one thing on a screen.
func TestNoTwoBindingsOfAScreenClash(t *testing.T) {
	for _, st := range keyStates {
		t.Run(st.name, func(t *testing.T) {
			m := keyedState(t, st.keys)
			owner := map[string]string{}
			for _, group := range m.current().FullHelp() {
				for _, b := range group {
					desc := b.Help().Desc
					for _, k := range b.Keys() {
						if prev, ok := owner[k]; ok && prev != desc {
							t.Errorf("%s: %q is both %q and %q", st.name, k, prev, desc)
						}
						owner[k] = desc
					}
				}
			}
		})
	}
}

// The help overlay lists every key of the screen at 80x24: no column is dropped.
func TestHelpListsEveryKeyAt80x24(t *testing.T) {
	for _, st := range keyStates {
		t.Run(st.name, func(t *testing.T) {
			m := keyedState(t, st.keys)
			update(m, tea.WindowSizeMsg{Width: 80, Height: 24})
			m.showHelp = true
			screen := plainView(m)
			for _, group := range m.current().FullHelp() {
				for _, b := range group {
					if !strings.Contains(screen, b.Help().Key+" ") || !strings.Contains(screen, b.Help().Desc) {
						t.Errorf("%s: help at 80x24 lacks %q %q:\n%s", st.name, b.Help().Key, b.Help().Desc, screen)
					}
				}
			}
		})
	}
}

func timeAfter() <-chan time.Time { return time.After(200 * time.Millisecond) }
