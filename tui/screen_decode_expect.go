package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/decode"
)

// apiExpectations is what the API expects, as the person typed it on the decode screen (A): the
// audience first, then scope=, role=, tenant=, version=, group=, app= (each repeatable). Without it the
// verdict is for the token's own audience.
type apiExpectations struct {
	common  *Common
	input   textinput.Model
	editing bool
	text    string      // the expectations in force
	api     *decode.API // parsed from text; nil for the token's own audience
	err     string      // why the last text was refused
}

func newAPIExpectations(c *Common) apiExpectations {
	in := textinput.New()
	in.Prompt = "api expects › "
	in.Placeholder = "api://contoso-api scope=access_as_user tenant=GUID version=2 (empty: the token's own aud)"
	in.CharLimit = 4096
	in.SetStyles(c.Styles.Input)
	return apiExpectations{common: c, input: in}
}

func (e *apiExpectations) start() tea.Cmd {
	e.editing, e.err = true, ""
	e.input.SetValue(e.text)
	e.input.CursorEnd()
	return e.input.Focus()
}

// view is the line under the token input: the editor, or the expectations in force.
func (e *apiExpectations) view(width int) string {
	st := e.common.Styles
	switch {
	case e.editing:
		e.input.SetWidth(max(10, width-16))
		return e.input.View()
	case e.err != "":
		return truncate(st.Error.Render(e.err), width)
	case e.text != "":
		return truncate(st.Muted.Render("api expects: "+safeText(e.text)+" · A edits"), width)
	}
	return ""
}

// updateExpect edits the expectations; enter applies them and decodes the token again.
func (d *decodeScreen) updateExpect(msg tea.KeyPressMsg) tea.Cmd {
	k := d.common.KeyMap
	e := &d.expect
	switch {
	case key.Matches(msg, k.Back):
		e.editing = false
		e.input.Blur()
		return nil
	case key.Matches(msg, k.Enter):
		api, err := parseExpectations(e.input.Value())
		e.editing = false
		e.input.Blur()
		if err != nil {
			e.err = "api expects: " + err.Error()
			return nil
		}
		e.text, e.api, e.err = strings.TrimSpace(e.input.Value()), api, ""
		if d.decoded != "" {
			return d.decode(d.decoded)
		}
		return nil
	}
	var cmd tea.Cmd
	e.input, cmd = e.input.Update(msg)
	return cmd
}

// parseExpectations reads "AUDIENCE… name=value…"; an unknown name or a bad version is an error naming it.
func parseExpectations(text string) (*decode.API, error) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return nil, nil
	}
	api := &decode.API{}
	for _, f := range fields {
		name, value, ok := strings.Cut(f, "=")
		if !ok {
			api.Audiences = append(api.Audiences, f)
			continue
		}
		switch name {
		case "scope":
			api.Scopes = append(api.Scopes, value)
		case "role":
			api.Roles = append(api.Roles, value)
		case "tenant":
			api.Tenants = append(api.Tenants, value)
		case "group":
			api.Groups = append(api.Groups, value)
		case "app":
			api.ClientApps = append(api.ClientApps, value)
		case "version":
			v, err := strconv.Atoi(value)
			if err != nil || (v != 1 && v != 2) {
				return nil, fmt.Errorf("version must be 1 or 2, not %q", value)
			}
			api.Version = v
		default:
			return nil, fmt.Errorf("%q is not an expectation: use scope=, role=, tenant=, version=, group= or app=", name)
		}
	}
	if len(api.Audiences) == 0 {
		return nil, fmt.Errorf("give the audience the API validates first, e.g. api://contoso-api")
	}
	return api, nil
}

// withExpectations replaces the own-audience verdict with one against what the person said the API expects.
func withExpectations(ctx context.Context, v tokenView, expect *decode.API, keys decode.KeySource, now time.Time) tokenView {
	if expect == nil || v.token == nil {
		return v
	}
	api := *expect
	api.Host = issuerHost(v.token)
	if v.Signature.Status == decode.StatusValid || v.Signature.Status == decode.StatusInvalid {
		api.Keys = keys
	}
	verdict := decode.WouldAccept(ctx, v.token, api, now)
	v.Verdict = &verdict
	return v
}
