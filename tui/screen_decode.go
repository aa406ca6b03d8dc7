package tui

import (
	"context"
	"net/http"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/decode"
)

// decodeScreen reads any pasted token in the same claims pane as the run screen. A paste replaces
// whatever the input held and is decoded at once, so pasting token after token always shows the last.
type decodeScreen struct {
	common *Common
	input  textinput.Model
	pane   *claimsPane
	typing bool // the input has focus
	seq    int  // the latest decode asked for; older results are dropped
	busy   bool
	// decoded is the input text the pane shows; typing into the input after it starts a new token.
	decoded string
	client  *http.Client
	width   int
	expect  apiExpectations // what the API expects, edited with A (screen_decode_expect.go)
	full    *fullValue      // the full-value view (v), when open
	height  int
}

func newDecodeScreen(c *Common) *decodeScreen {
	in := textinput.New()
	in.Prompt = "token › "
	in.Placeholder = "paste a token (decoded at once), or type one and press enter"
	in.CharLimit = 1 << 20
	in.SetStyles(c.Styles.Input)
	return &decodeScreen{common: c, input: in, pane: newClaimsPane(c), client: &http.Client{}, expect: newAPIExpectations(c)}
}

// focus puts the cursor in the input, ready for a paste.
func (d *decodeScreen) focus() tea.Cmd {
	d.typing = true
	return d.input.Focus()
}

func (d *decodeScreen) capturesKeys() bool { return d.typing || d.expect.editing }

// showsTimes reports whether the screen shows relative times that must tick.
func (d *decodeScreen) showsTimes() bool { return !d.pane.Empty() }

func (d *decodeScreen) invalidate() {
	d.pane.invalidate()
	d.input.SetStyles(d.common.Styles.Input)
}

func (d *decodeScreen) SetSize(width, height int) {
	d.width, d.height = width, height
	d.input.SetWidth(max(10, width-10))
	d.input.SetValue(d.input.Value()) // recompute the visible window for the new width
	d.pane.SetSize(width, max(1, height-3))
}

func (d *decodeScreen) ShortHelp() []key.Binding {
	k := d.common.KeyMap
	if d.typing {
		return []key.Binding{k.Enter, k.Tab, k.Back}
	}
	if d.full != nil {
		return []key.Binding{k.Copy, k.Up, k.Down, k.FullValue, k.Back}
	}
	return []key.Binding{k.Tab, k.PrevTab, k.NextTab, k.Up, k.Down, k.Copy, k.FullValue, k.Back, k.Quit, k.Expect}
}

func (d *decodeScreen) FullHelp() [][]key.Binding {
	k := d.common.KeyMap
	return [][]key.Binding{{k.Enter, k.Tab, k.Back}, {k.Up, k.Down, k.PageUp, k.PageDown}, {k.Copy, k.FullValue, k.Secrets, k.Help, k.Quit, k.Expect}}
}

// decodeCmd decodes and verifies a pasted token; the key set is found through the token's issuer
// (OpenID discovery) with a timeout, so an offline machine reports "unverifiable" rather than hanging.
func decodeCmd(client *http.Client, seq int, raw string, c *Common, expect *decode.API) tea.Cmd {
	now := c.Now()
	return func() tea.Msg {
		keys := decode.DiscoveredJWKS(decode.HTTPFetcher(client))
		v := buildTokenView(context.Background(), "pasted", raw, keys, decode.Expect{}, now)
		v = withExpectations(context.Background(), v, expect, keys, now)
		return decodedMsg{Seq: seq, View: v, Err: v.Err}
	}
}

// decode starts decoding raw; the pane shows the result of the latest request only.
func (d *decodeScreen) decode(raw string) tea.Cmd {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	d.seq++
	d.busy = true
	return decodeCmd(d.client, d.seq, raw, d.common, d.expect.api)
}

func (d *decodeScreen) Update(msg tea.Msg) (Component, tea.Cmd) {
	k := d.common.KeyMap
	switch msg := msg.(type) {
	case decodedMsg:
		if msg.Seq != d.seq {
			return d, nil
		}
		d.busy = false
		d.pane.SetTokens([]tokenView{msg.View})
		d.decoded = ""
		if msg.Err == nil {
			d.decoded = d.input.Value()
			d.typing = false
			d.input.Blur()
		}
		return d, nil
	case tea.PasteMsg:
		// A paste is a whole new token, wherever the focus was: it replaces the input and is decoded.
		d.full = nil
		d.input.SetValue(msg.Content)
		d.input.CursorEnd()
		d.typing = true
		return d, tea.Batch(d.input.Focus(), d.decode(msg.Content))
	case tea.KeyPressMsg:
		if d.expect.editing {
			return d, d.updateExpect(msg)
		}
		if d.full != nil {
			closed, cmd := d.full.handleKey(d.common, msg, d.height-3)
			if closed {
				d.full = nil
			}
			return d, cmd
		}
		switch {
		case !d.typing && key.Matches(msg, k.FullValue):
			if t, ok := d.pane.Current(); ok {
				d.full = tokenFullValue(d.common, t)
			}
			return d, nil
		case !d.typing && key.Matches(msg, k.Expect):
			return d, d.expect.start()
		case key.Matches(msg, k.Back):
			d.typing = false
			d.input.Blur()
			return d, d.common.nav.back()
		case key.Matches(msg, k.Tab):
			d.typing = !d.typing
			if d.typing {
				return d, d.input.Focus()
			}
			d.input.Blur()
			return d, nil
		case d.typing && key.Matches(msg, k.Enter):
			return d, d.decode(d.input.Value())
		case !d.typing && key.Matches(msg, k.Copy):
			if t, ok := d.pane.Current(); ok {
				return d, copyToken(d.common, t)
			}
			return d, nil
		case !d.typing:
			return d.pane.Update(msg)
		case d.input.Value() == d.decoded && msg.Text != "":
			// The first character typed after a decode starts a new token rather than appending to the old.
			d.input.SetValue("")
			d.decoded = ""
		}
	}
	if d.typing {
		var cmd tea.Cmd
		d.input, cmd = d.input.Update(msg)
		return d, cmd
	}
	return d, nil
}

func (d *decodeScreen) View() string {
	st := d.common.Styles
	if d.full != nil {
		return d.full.view(st, d.width, d.height)
	}
	head := d.input.View()
	status := st.Muted.Render("the token is decoded locally; its signature is checked against its issuer's published keys")
	if d.busy {
		status = st.Muted.Render("decoding…")
	}
	if line := d.expect.view(d.width); line != "" {
		status = line
	}
	return head + "\n" + truncate(status, d.width) + "\n\n" + d.pane.View()
}

// copyToken copies a token; a client assertion is a credential, so it is copied with its signature
// masked unless secrets are shown.
func copyToken(c *Common, t tokenView) tea.Cmd {
	return copyCmd(c.clipboard, t.Label+" token", copyableToken(c, t))
}

// copyableToken is the raw token, or for a client assertion with secrets hidden, its masked form.
func copyableToken(c *Common, t tokenView) string {
	raw := t.Raw
	if t.Secret && !c.ShowSecrets {
		if tok, err := decode.Unverified(raw); err == nil {
			raw = tok.Redacted()
		}
	}
	return raw
}
