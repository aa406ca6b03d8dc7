package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/flows/export"
)

// handleKey routes a key on the run screen: the inline editors first, then the run's actions, then
// movement within the focused part.
func (r *runScreen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := r.common.KeyMap
	if r.editing || r.pasting {
		return r.handleInputKey(msg)
	}
	if r.full != nil {
		return r.handleFullValueKey(msg)
	}
	if r.run == nil {
		if key.Matches(msg, k.Back, k.Enter) {
			return r.common.nav.back()
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Back):
		if r.busy {
			r.runAll = false
			r.cancelFn() // the leg's result comes back as cancelled and the leg can be sent again
			return nil
		}
		return r.common.nav.back()
	case key.Matches(msg, k.Enter):
		if r.busy && r.canApproveDevice() {
			return r.approveDevice()
		}
		if r.preparing && !r.busy {
			r.sendWhenPrepared = true // enter came before the leg was ready: send it when it is
			return nil
		}
		return r.send()
	case key.Matches(msg, k.RunAll):
		if r.busy {
			return nil
		}
		r.runAll = true
		if r.preparing {
			return nil // onPrepared sends it
		}
		if r.current < len(r.legs) && r.legs[r.current].state == legFailed {
			return r.prepare(r.retryFrom(r.current))
		}
		return r.send()
	case key.Matches(msg, k.UseToken):
		return r.useToken()
	case key.Matches(msg, k.Resend):
		if r.busy || r.preparing || r.selected >= len(r.legs) {
			return nil
		}
		return r.prepare(r.retryFrom(r.selected))
	case key.Matches(msg, k.Tab):
		r.cycleFocus(1)
	case key.Matches(msg, k.ShiftTab):
		r.cycleFocus(-1)
	case key.Matches(msg, k.Claims):
		// t at every width: beside the run it hides and shows the pane, below it swaps the pane in and out.
		shown := r.showClaims
		if r.width >= claimsSplitWidth {
			shown = !r.claimsHidden && !r.claims.Empty()
		}
		shown = !shown
		r.showClaims, r.claimsHidden = shown, !shown
		if shown {
			r.focus = focusClaims
		} else if r.focus == focusClaims {
			r.focus = focusLegs
		}
	case key.Matches(msg, k.NextTab, k.PrevTab):
		_, cmd := r.claims.Update(msg)
		return cmd
	case key.Matches(msg, k.Left):
		r.cycleUser(-1)
	case key.Matches(msg, k.Right):
		r.cycleUser(1)
	case key.Matches(msg, k.Edit):
		r.startEdit()
	case key.Matches(msg, k.Paste):
		r.startPaste()
	case key.Matches(msg, k.FullValue):
		return r.showFullValue()
	case key.Matches(msg, k.Wrap):
		r.common.WrapValues = !r.common.WrapValues
		if r.selected < len(r.legs) {
			r.detail.invalidate(r.selected)
		}
	case key.Matches(msg, k.Steps):
		r.openStep(msg.String() == "n")
	case key.Matches(msg, k.Challenge):
		return r.answerChallenge()
	case key.Matches(msg, k.Open):
		return r.open()
	case key.Matches(msg, k.Copy):
		return r.copyFocused()
	case key.Matches(msg, k.CopyCurl):
		return r.copyCurl()
	case key.Matches(msg, k.Export, k.ExportTokens):
		if len(r.run.Exchanges()) == 0 {
			return r.common.notify("nothing to export yet: send a leg first")
		}
		return exportCmd(r.id, r.run, r.deps.ExportDir, r.common.Now(), key.Matches(msg, k.ExportTokens), r.origin())
	case key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown):
		r.move(msg)
	}
	return nil
}

// openStep shows the selected leg's next (or previous) exchange in full, stopping at either end.
func (r *runScreen) openStep(next bool) {
	if r.selected >= len(r.legs) {
		return
	}
	lv := &r.legs[r.selected]
	n := len(lv.exchanges)
	if n < 2 {
		return
	}
	at := lv.opened
	if at < 1 || at > n {
		at = n
	}
	if next {
		at = min(n, at+1)
	} else {
		at = max(1, at-1)
	}
	lv.opened = at
	if at == n {
		lv.opened = 0 // the last one: follow new exchanges again (a device's later polls)
	}
	r.detail.invalidate(r.selected)
}

func (r *runScreen) cycleFocus(step int) {
	n := 2
	if !r.claims.Empty() {
		n = 3
	}
	r.focus = runFocus((int(r.focus) + step + n) % n)
	if r.width < claimsSplitWidth {
		r.showClaims = r.focus == focusClaims
	}
}

func (r *runScreen) cycleUser(step int) {
	if r.deps.Demo == nil || len(r.deps.Demo.Users) == 0 {
		return
	}
	n := len(r.deps.Demo.Users)
	r.userIndex = (r.userIndex + step + n) % n
}

// move handles the arrows for the focused part.
func (r *runScreen) move(msg tea.KeyPressMsg) {
	k := r.common.KeyMap
	switch r.focus {
	case focusClaims:
		r.claims.Update(msg)
	case focusLegs:
		switch {
		case key.Matches(msg, k.Up):
			r.selected = max(0, r.selected-1)
		case key.Matches(msg, k.Down):
			r.selected = min(len(r.legs)-1, r.selected+1)
		case key.Matches(msg, k.PageDown):
			r.detail.scroll(r.detailHeight() - 1)
		case key.Matches(msg, k.PageUp):
			r.detail.scroll(-(r.detailHeight() - 1))
		}
		r.paramCursor = 0
	case focusDetail:
		editable := r.editableRequest() != nil
		switch {
		case key.Matches(msg, k.Up) && editable:
			r.paramCursor = max(0, r.paramCursor-1)
			r.detail.invalidate(r.current)
		case key.Matches(msg, k.Down) && editable:
			r.paramCursor = min(len(r.editableRequest().Params), r.paramCursor+1) // the last row adds one
			r.detail.invalidate(r.current)
		case key.Matches(msg, k.Up):
			r.detail.scroll(-1)
		case key.Matches(msg, k.Down):
			r.detail.scroll(1)
		case key.Matches(msg, k.PageDown):
			r.detail.scroll(r.detailHeight() - 1)
		case key.Matches(msg, k.PageUp):
			r.detail.scroll(-(r.detailHeight() - 1))
		}
	}
}

// editableRequest is the prepared request of the current leg while it waits to be sent.
func (r *runScreen) editableRequest() *flows.Request {
	if r.busy || r.preparing || r.selected != r.current || r.current >= len(r.legs) {
		return nil
	}
	lv := &r.legs[r.current]
	if lv.state != legPrepared || lv.req == nil {
		return nil
	}
	return lv.req
}

func (r *runScreen) startEdit() {
	req := r.editableRequest()
	if req == nil {
		return
	}
	r.focus = focusDetail
	r.editing = true
	r.input.EchoMode = textinput.EchoNormal
	if r.adding = r.paramCursor >= len(req.Params); r.adding {
		r.paramCursor = len(req.Params)
		r.input.Prompt = "name=value › "
		r.input.Placeholder = "claims={…}  prompt=login  login_hint=…  domain_hint=…"
		r.input.SetValue("")
		r.input.Focus()
		return
	}
	p := req.Params[r.paramCursor]
	r.input.Placeholder = ""
	r.input.Prompt = p.Name + " › "
	r.input.EchoMode = textinput.EchoNormal
	if p.Secret && !r.common.ShowSecrets {
		r.input.EchoMode = textinput.EchoPassword
		r.input.EchoCharacter = '•'
	}
	r.input.SetValue(p.Value)
	r.input.CursorEnd()
	r.input.Focus()
}

func (r *runScreen) startPaste() {
	if r.current >= len(r.legs) || r.legs[r.current].leg.Kind != flows.KindBrowser {
		return
	}
	if r.busy && r.legs[r.current].state != legWaiting {
		return // signing in here: there is no wait for a redirect to replace
	}
	r.pasting = true
	r.input.Prompt = "redirect URL › "
	r.input.EchoMode = textinput.EchoNormal
	r.input.SetValue("")
	r.input.Focus()
}

// handleInputKey edits a parameter or takes a pasted redirect URL.
func (r *runScreen) handleInputKey(msg tea.KeyPressMsg) tea.Cmd {
	k := r.common.KeyMap
	switch {
	case key.Matches(msg, k.Back):
		r.editing, r.pasting, r.adding = false, false, false
		r.input.Blur()
		return nil
	case key.Matches(msg, k.Enter):
		value := r.input.Value()
		r.input.Blur()
		if r.pasting {
			r.pasting = false
			url := strings.TrimSpace(value)
			if url == "" {
				return nil
			}
			if r.busy {
				// The browser leg waits on the loopback listener: stop the wait, then apply the paste
				// (onSent), so the run is never used by two commands at once.
				r.pendingRedirect = url
				r.legs[r.current].note = "stopping the wait for the browser to apply the pasted redirect"
				r.cancelFn()
				return nil
			}
			return r.applyRedirect(url)
		}
		r.editing = false
		if r.adding {
			r.adding = false
			return r.addParam(value)
		}
		if req := r.editableRequest(); req != nil && r.paramCursor < len(req.Params) {
			req.Set(req.Params[r.paramCursor].Name, value)
			r.legs[r.current].note = "edited " + req.Params[r.paramCursor].Name
			r.detail.invalidate(r.current)
		}
		return nil
	}
	var cmd tea.Cmd
	r.input, cmd = r.input.Update(msg)
	return cmd
}

// open opens the system browser: on the authorize URL for a browser leg (waiting on the loopback
// listener), or on the verification URI for a device code.
func (r *runScreen) open() tea.Cmd {
	if r.current >= len(r.legs) {
		return nil
	}
	lv := r.legs[r.current]
	switch {
	case lv.leg.Kind == flows.KindBrowser:
		return r.openBrowser()
	case r.state.Device != nil && r.deps.OpenBrowser != nil:
		return openBrowserCmd(r.id, r.deps.OpenBrowser, r.state.Device.VerificationURI)
	}
	return nil
}

// copyFocused copies what has focus (focusedValue); secrets are copied only when shown.
func (r *runScreen) copyFocused() tea.Cmd {
	v, ok := r.focusedValue()
	switch {
	case !ok:
		return r.common.notify("nothing to copy here: select a leg, a parameter or the claims pane")
	case v.blocked != "":
		return r.common.notify(v.blocked)
	}
	return copyCmd(r.common.clipboard, v.what, v.text)
}

// showFullValue opens the full-value view of what has focus: long URLs, parameters, errors and tokens
// read whole, without a clipboard.
func (r *runScreen) showFullValue() tea.Cmd {
	v, ok := r.focusedValue()
	switch {
	case !ok:
		return r.common.notify("nothing to show here: select a leg, a parameter or the claims pane")
	case v.blocked != "":
		return r.common.notify(v.blocked)
	}
	r.full = &fullValue{what: v.what, text: v.text}
	if v.token != nil {
		r.full = tokenFullValue(r.common, *v.token)
	}
	return nil
}

// copyCurl copies the selected leg as a curl command with secrets as shell variables.
func (r *runScreen) copyCurl() tea.Cmd {
	if r.selected >= len(r.legs) || r.legs[r.selected].req == nil {
		return r.common.notify("this leg has no request yet")
	}
	return copyCmd(r.common.clipboard, "leg "+r.legs[r.selected].leg.Name+" as curl", export.Curl(r.legs[r.selected].req, false))
}

// addParam adds (or, for a name already there, sets) a parameter typed as name=value on the prepared
// request: claims, prompt, login_hint, domain_hint or anything the person wants to try.
func (r *runScreen) addParam(typed string) tea.Cmd {
	req := r.editableRequest()
	if req == nil {
		return nil
	}
	name, value, ok := strings.Cut(strings.TrimSpace(typed), "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return r.common.notify("type name=value, e.g. prompt=login")
	}
	req.Set(name, value)
	for i, p := range req.Params {
		if p.Name == name {
			r.paramCursor = i
		}
	}
	r.legs[r.current].note = "added " + name
	r.detail.invalidate(r.current)
	return nil
}

// handleFullValueKey scrolls, copies or closes the full-value view.
func (r *runScreen) handleFullValueKey(msg tea.KeyPressMsg) tea.Cmd {
	closed, cmd := r.full.handleKey(r.common, msg, r.height-3)
	if closed {
		r.full = nil
	}
	return cmd
}

// applyRedirect completes the browser leg with a redirect URL the person pasted.
func (r *runScreen) applyRedirect(url string) tea.Cmd {
	r.retire(r.current)
	r.busy = true
	lv := &r.legs[r.current]
	lv.state, lv.note = legSending, "applying the pasted redirect"
	return applyRedirectCmd(r.id, r.run, r.current, url)
}
