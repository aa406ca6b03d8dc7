package browser

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"

	"github.com/aadx/aadx/flows"
)

// maxSignInSteps bounds the pages a scripted sign-in walks through (sign-in, consent, redirects).
const maxSignInSteps = 12

// Scripted returns a Browser that completes run's authorize leg over HTTP as the given user, the way the
// emulator's sign-in pages expect (DESIGN §5 "sign in here"): it fills the sign-in form, accepts consent,
// follows redirects and stops at the redirect URI without fetching it. Each page is traced as an exchange of
// the authorize leg. It is meant for the emulator; real Entra ID sign-in pages are scripts, not plain forms.
func Scripted(run *flows.Run, username, password string) flows.Browser {
	run.Redactor().AddSecret(password)
	return flows.BrowserFunc(func(ctx context.Context, authorizeURL, redirectURI string) (*flows.Redirect, error) {
		w := newWalker(run, flows.LegAuthorize, "sign-in page", username, password)
		return w.walk(ctx, http.MethodGet, authorizeURL, nil, redirectURI, map[string]string{"accept": "yes"})
	})
}

// ApproveDevice plays the user of run's device code flow against the emulator: it opens the verification
// URI, enters the user code, signs in and accepts (or, with accept false, declines). It may run while the poll
// leg is polling; its pages are traced as exchanges of the poll leg.
func ApproveDevice(ctx context.Context, run *flows.Run, username, password string, accept bool) error {
	d := run.State().Device
	if d == nil {
		return fmt.Errorf("%w: the user code comes from the devicecode leg", flows.ErrNotReady)
	}
	run.Redactor().AddSecret(password)
	answer := "yes"
	if !accept {
		answer = "no"
	}
	w := newWalker(run, flows.LegPoll, "verification page", username, password)
	// otc is the emulator's (and Entra's) field for the user code; user_code is the name other providers use.
	_, err := w.walk(ctx, http.MethodGet, d.VerificationURI, nil, "", map[string]string{"otc": d.UserCode, "user_code": d.UserCode, "accept": answer})
	return err
}

// stepName names the exchange that submits this form by what it sends: the user's credentials, a
// consent answer, a device's user code; any other form by its place in the walk.
func (f htmlForm) stepName(asksPassword bool, step int) string {
	switch {
	case asksPassword:
		return "credentials"
	case f.has("accept"):
		return "consent"
	case f.has("otc"), f.has("user_code"):
		return "user code"
	}
	return "form " + strconv.Itoa(step+1)
}

// pageWalker is a minimal scripted browser: cookies, redirects, one form per page.
type pageWalker struct {
	run      *flows.Run
	client   *http.Client
	leg      string
	label    string // names the first page's exchange, e.g. "sign-in page"; the others are named by what they send
	username string
	password string
}

func newWalker(run *flows.Run, leg, label, username, password string) *pageWalker {
	jar, _ := cookiejar.New(nil)
	c := run.BrowserClient()
	c.Jar = jar
	return &pageWalker{run: run, client: c, leg: leg, label: label, username: username, password: password}
}

func (w *pageWalker) walk(ctx context.Context, method, target string, form url.Values, redirectURI string, fill map[string]string) (*flows.Redirect, error) {
	submitted := map[string]bool{}
	name := w.label // what the next exchange is, as a person would name the step
	for step := 1; step <= maxSignInSteps; step++ {
		if red := matchRedirect(target, redirectURI); red != nil && method == http.MethodGet {
			return red, nil
		}
		var body *strings.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		} else {
			body = strings.NewReader("")
		}
		hr, err := http.NewRequest(method, target, body)
		if err != nil {
			return nil, fmt.Errorf("sign-in: %w", err)
		}
		if form != nil {
			hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		hr.Header.Set("Accept", "text/html")
		hr = hr.WithContext(ctx)
		ex, err := w.run.TraceExchange(ctx, w.client, hr, w.leg, name)
		if err != nil {
			return nil, err
		}
		if loc := ex.ResponseHeader("Location"); ex.Status >= 300 && ex.Status < 400 && loc != "" {
			next, err := hr.URL.Parse(loc)
			if err != nil {
				return nil, &flows.ProtocolError{Leg: flows.LegAuthorize, Problem: "the sign-in redirected to a malformed URL", Err: err}
			}
			method, target, form, name = http.MethodGet, next.String(), nil, "redirect"
			continue
		}
		page := ex.ResponseBody
		f, hasForm := parseForm(page)
		if ex.Status >= 400 || !hasForm {
			if ex.Status < 400 && redirectURI == "" {
				return nil, nil // device sign-in finished: "you may close this window"
			}
			return nil, flows.PageError(ex)
		}
		action, err := hr.URL.Parse(f.Action)
		if err != nil {
			return nil, &flows.ProtocolError{Leg: flows.LegAuthorize, Problem: "the sign-in form has a malformed action", Err: err}
		}
		// A form_post response: an auto-submitting form aimed at the redirect URI carries the result.
		if redirectURI != "" && matchRedirect(action.String(), redirectURI) != nil {
			return &flows.Redirect{URL: redirectURI, Params: f.values(nil), FormPost: true}, nil
		}
		asksPassword := f.has("passwd") || f.has("password")
		key := f.Action + fmt.Sprint(asksPassword, f.has("otc"), f.has("accept"))
		if submitted[key] && asksPassword {
			return nil, flows.PageError(ex) // the sign-in page came back: wrong password (AADSTS50126)
		}
		submitted[key] = true
		values := f.values(fill)
		if f.has("login") {
			values.Set("login", w.username)
		}
		// passwd is the emulator's (and Entra's) password field; password is the common name elsewhere.
		for _, name := range []string{"passwd", "password"} {
			if f.has(name) {
				values.Set(name, w.password)
			}
		}
		method, target, name = f.Method, action.String(), f.stepName(asksPassword, step)
		if method == http.MethodGet {
			target, form = withQuery(action, values), nil
		} else {
			form = values
		}
	}
	return nil, &flows.ProtocolError{Leg: flows.LegAuthorize, Problem: fmt.Sprintf("the sign-in did not reach the redirect URI within %d pages", maxSignInSteps)}
}

func withQuery(u *url.URL, v url.Values) string {
	c := *u
	c.RawQuery = v.Encode()
	return c.String()
}

// matchRedirect returns the authorization response when target is the redirect URI (scheme, host and path;
// the port is ignored for localhost as Entra does), without fetching it.
func matchRedirect(target, redirectURI string) *flows.Redirect {
	if redirectURI == "" {
		return nil
	}
	t, err1 := url.Parse(target)
	want, err2 := url.Parse(redirectURI)
	if err1 != nil || err2 != nil || t.Scheme != want.Scheme || t.Hostname() != want.Hostname() ||
		strings.TrimSuffix(t.Path, "/") != strings.TrimSuffix(want.Path, "/") {
		return nil
	}
	if t.Port() != want.Port() && !flows.IsLoopbackHost(t.Hostname()) {
		return nil
	}
	params := t.Query()
	if t.Fragment != "" && params.Get("code") == "" && params.Get("error") == "" {
		if f, err := url.ParseQuery(t.Fragment); err == nil {
			params = f
		}
	}
	return &flows.Redirect{URL: target, Params: params}
}
