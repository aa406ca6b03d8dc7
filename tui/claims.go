package tui

import (
	"github.com/aadx/aadx/internal/termsafe"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/aadx/aadx/decode"
)

// claimsPane shows decoded tokens, a tab per token: signature status, warnings, times and every claim
// with its explanation. Rendered lines are cached until the tokens, the tab, the width or the secrets
// switch change; View then only slices the visible window.
type claimsPane struct {
	common        *Common
	width, height int
	tokens        []tokenView
	tab           int
	offset        int
	focused       bool
	cache         []string
	cacheKey      claimsCacheKey
	gen           int // bumped by every change of the tokens or their look; part of the cache key
}

type claimsCacheKey struct {
	tab, width int
	secrets    bool
	styles     *Styles
	gen        int
	now        time.Time // relative times are re-read every second
}

func newClaimsPane(c *Common) *claimsPane { return &claimsPane{common: c} }

// SetTokens replaces the tokens shown, keeping the tab when it still exists.
func (p *claimsPane) SetTokens(tokens []tokenView) {
	p.tokens = append([]tokenView(nil), tokens...) // the pane re-times its copies
	if p.tab >= len(tokens) {
		p.tab = 0
	}
	p.offset = 0
	p.gen++
}

// Current returns the token of the active tab.
func (p *claimsPane) Current() (tokenView, bool) {
	if p.tab < len(p.tokens) {
		return p.tokens[p.tab], true
	}
	return tokenView{}, false
}

func (p *claimsPane) Empty() bool { return len(p.tokens) == 0 }

func (p *claimsPane) SetSize(width, height int) { p.width, p.height = width, height }

func (p *claimsPane) invalidate() { p.gen++ }

func (p *claimsPane) ShortHelp() []key.Binding {
	k := p.common.KeyMap
	return []key.Binding{k.PrevTab, k.NextTab, k.Up, k.Down, k.Copy}
}

func (p *claimsPane) FullHelp() [][]key.Binding {
	k := p.common.KeyMap
	return [][]key.Binding{{k.PrevTab, k.NextTab}, {k.Up, k.Down, k.PageUp, k.PageDown}, {k.Copy}}
}

func (p *claimsPane) Update(msg tea.Msg) (Component, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok || len(p.tokens) == 0 {
		return p, nil
	}
	k := p.common.KeyMap
	switch {
	case key.Matches(km, k.NextTab):
		p.tab, p.offset = (p.tab+1)%len(p.tokens), 0
	case key.Matches(km, k.PrevTab):
		p.tab, p.offset = (p.tab+len(p.tokens)-1)%len(p.tokens), 0
	case key.Matches(km, k.Down):
		p.scroll(1)
	case key.Matches(km, k.Up):
		p.scroll(-1)
	case key.Matches(km, k.PageDown):
		p.scroll(max(1, p.height-3))
	case key.Matches(km, k.PageUp):
		p.scroll(-max(1, p.height-3))
	}
	return p, nil
}

func (p *claimsPane) scroll(n int) {
	lines := p.lines()
	p.offset = max(0, min(p.offset+n, len(lines)-(p.height-1)))
}

func (p *claimsPane) View() string {
	st := p.common.Styles
	if p.width < 10 || p.height < 2 {
		return ""
	}
	if len(p.tokens) == 0 {
		return st.Muted.Render(truncate("no tokens yet", p.width))
	}
	lines := p.lines()
	end := min(len(lines), p.offset+p.height-1)
	start := min(p.offset, end)
	return p.tabs() + "\n" + strings.Join(lines[start:end], "\n")
}

func (p *claimsPane) tabs() string {
	st := p.common.Styles
	var parts []string
	for i, t := range p.tokens {
		if i == p.tab {
			parts = append(parts, st.TabActive.Render("["+t.Label+"]"))
		} else {
			parts = append(parts, st.Tab.Render(t.Label))
		}
	}
	line := strings.Join(parts, "")
	if p.focused {
		line = st.Key.Render(focusMark) + line
	}
	return truncate(line, p.width)
}

// lines renders the active token once per change, and once a second for its relative times.
func (p *claimsPane) lines() []string {
	now := p.common.Now().Truncate(time.Second)
	key := claimsCacheKey{tab: p.tab, width: p.width, secrets: p.common.ShowSecrets, styles: p.common.Styles, gen: p.gen, now: now}
	if p.cache != nil && key == p.cacheKey {
		return p.cache
	}
	p.cacheKey = key
	p.tokens[p.tab] = p.tokens[p.tab].at(now)
	p.cache = renderTokenLines(p.common.Styles, p.tokens[p.tab], p.width)
	return p.cache
}

// renderTokenLines lays out one decoded token in width columns.
func renderTokenLines(st *Styles, t tokenView, width int) []string {
	var out []string
	add := func(s string) { out = append(out, truncate(s, width)) }
	wrap := func(style lipgloss.Style, indent int, text string) {
		for _, l := range wrapText(text, width-indent) {
			out = append(out, strings.Repeat(" ", indent)+style.Render(l))
		}
	}
	if t.Err != nil {
		add(st.Error.Render("✗ cannot decode"))
		wrap(st.Error, 2, t.Err.Error())
		return out
	}
	add(st.Muted.Render("kind ") + st.Bold.Render(string(t.Kind)) + st.Muted.Render("  signature ") + signatureText(st, t.Signature))
	if t.Signature.Reason != "" && t.Signature.Status != decode.StatusValid {
		wrap(st.Muted, 2, t.Signature.Reason)
	}
	for _, w := range t.Warnings {
		style, glyph := st.Warn, "⚠"
		switch w.Severity {
		case decode.SeverityError:
			style, glyph = st.Error, "✗"
		case decode.SeverityInfo:
			style, glyph = st.Muted, "ℹ"
		}
		wrap(style, 0, glyph+" "+w.Message)
	}
	for _, in := range t.Times.Instants {
		if in.Err != "" {
			add(st.ClaimName.Render(padRight(in.Claim, 10)) + st.Error.Render(in.Err))
			continue
		}
		stamp := st.ClaimName.Render(padRight(in.Claim, 10)) + st.ClaimValue.Render(in.Time.UTC().Format("2006-01-02 15:04:05Z"))
		// "expires in 58m" is what a reader looks for: on a narrow pane it gets a line of its own, never an ellipsis.
		if lipgloss.Width(stamp)+2+lipgloss.Width(in.Relative) <= width {
			add(stamp + "  " + st.Muted.Render(in.Relative))
		} else {
			add(stamp)
			add(strings.Repeat(" ", 10) + st.Muted.Render(in.Relative))
		}
	}
	if t.Times.Lifetime > 0 {
		add(st.ClaimName.Render(padRight("lifetime", 10)) + st.ClaimValue.Render(decode.Human(t.Times.Lifetime)))
	}
	out = append(out, verdictLines(st, t.Verdict, width)...)
	section := func(title string, items []decode.Explained) {
		if len(items) == 0 {
			return
		}
		add(st.Heading.Render("─ " + title + " " + strings.Repeat("─", max(0, width-len(title)-3))))
		for _, e := range items {
			name := st.ClaimName.Render(termsafe.Escape(e.Name)) // the token's own text: escaped
			add(name + " " + st.ClaimValue.Render(termsafe.Escape(e.Value)))
			if e.Text != "" {
				wrap(st.Explain, 2, termsafe.Escape(e.Text))
			}
		}
	}
	section("claims", t.Claims)
	section("header", t.Header)
	return out
}

func signatureText(st *Styles, s decode.Signature) string {
	switch s.Status {
	case decode.StatusValid:
		return st.OK.Render("✓ valid") + st.Muted.Render(" kid "+shortKid(s.KeyID))
	case decode.StatusInvalid:
		return st.Error.Render("✗ invalid")
	case decode.StatusUnverifiable:
		return st.Warn.Render("? unverifiable")
	}
	return st.Muted.Render("unverified")
}

func shortKid(kid string) string {
	if len(kid) > 12 {
		return kid[:12] + "…"
	}
	return kid
}
