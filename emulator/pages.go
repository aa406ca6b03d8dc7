package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
)

// The HTML pages: plain, usable in a real browser, and scriptable. Every interactive page holds exactly one
// <form method="post"> with hidden inputs plus the visible fields (login/passwd, otc, or accept yes/no), which
// is the sign-in contract clients (the TUI's "sign in here", tests) rely on.

// pageTemplates is parsed on the first page served, not at package init: most commands never serve one.
var pageTemplates = sync.OnceValue(func() *template.Template { return template.Must(template.New("layout").Parse(pageSource)) })

const pageSource = `{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} - aadx Entra ID emulator</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem}.error{color:#a4262c}.note{color:#605e5c;font-size:.9rem}code{font-size:1rem}</style>
</head><body><p class="note">{{.Tenant}} &middot; aadx Entra ID emulator (offline)</p><h1>{{.Title}}</h1>{{end}}
{{define "hidden"}}{{range .Hidden}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}{{end}}
{{define "signin"}}{{template "head" .}}{{if .Message}}<p>{{.Message}}</p>{{end}}{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
{{template "hidden" .}}<label for="login">Email, phone, or Skype</label><input type="text" id="login" name="login" value="{{.Login}}" autocomplete="username" autofocus>
<label for="passwd">Password</label><input type="password" id="passwd" name="passwd" autocomplete="current-password">
<button type="submit">Sign in</button></form>
<p class="note">Demo users and passwords: <code>aadx emulator --json</code>.</p></body></html>{{end}}
{{define "consent"}}{{template "head" .}}<p>{{.Message}}</p>{{if .Permissions}}<ul>{{range .Permissions}}<li><code>{{.}}</code></li>{{end}}</ul>{{end}}
<form method="post" action="{{.Action}}">
{{template "hidden" .}}<button type="submit" name="accept" value="yes">Accept</button><button type="submit" name="accept" value="no">Cancel</button></form></body></html>{{end}}
{{define "otc"}}{{template "head" .}}{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}<p>{{.Message}}</p>
<form method="post" action="{{.Action}}">
{{template "hidden" .}}<label for="otc">Code</label><input type="text" id="otc" name="otc" autocomplete="off" autofocus>
<button type="submit">Next</button></form></body></html>{{end}}
{{define "message"}}{{template "head" .}}<p>{{.Message}}</p>{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}</body></html>{{end}}
{{define "formpost"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body><form method="post" action="{{.Action}}">
{{template "hidden" .}}<noscript><p>Script is disabled. Click Submit to continue.</p><button type="submit">Submit</button></noscript></form>
<script>` + formPostScript + `</script></body></html>{{end}}`

// formPostScript submits the form_post page; the Content-Security-Policy allows exactly this script by hash.
const formPostScript = "document.forms[0].submit()"

var formPostScriptHash = func() string {
	sum := sha256.Sum256([]byte(formPostScript))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

type hiddenField struct{ Name, Value string }

// page is the data of every template.
type page struct {
	Title, Tenant, Message, Error, Action, Login string
	Hidden                                       []hiddenField
	Permissions                                  []string
	FormTargets                                  []string // origins the form may lead to besides the emulator (the client's redirect URI)
}

// contentSecurityPolicy allows the pages nothing but their inline style, the form_post script, and forms
// posted to the emulator or to where the sign-in ends (the client's redirect URI, reached by a redirect).
func contentSecurityPolicy(p page) string {
	targets := []string{"'self'"}
	for _, t := range append([]string{originOf(p.Action)}, p.FormTargets...) {
		if t != "" && !slices.Contains(targets, t) && !strings.ContainsAny(t, ";,' ") {
			targets = append(targets, t)
		}
	}
	return "default-src 'none'; style-src 'unsafe-inline'; script-src " + formPostScriptHash +
		"; form-action " + strings.Join(targets, " ") + "; frame-ancestors 'none'; base-uri 'none'"
}

// hiddenFrom turns non-empty values into hidden inputs, in a stable order.
func hiddenFrom(v url.Values) []hiddenField {
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []hiddenField
	for _, name := range names {
		if val := v.Get(name); val != "" {
			out = append(out, hiddenField{name, val})
		}
	}
	return out
}

// renderPage writes an HTML page; pages are never cached and never framed.
func renderPage(w http.ResponseWriter, status int, name string, p page) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", contentSecurityPolicy(p))
	if p.Tenant == "" {
		p.Tenant = demoTenantName
	}
	w.WriteHeader(status)
	_ = pageTemplates().ExecuteTemplate(w, name, p)
}

// renderErrorPage shows an error that must not be redirected (unknown client, unregistered redirect URI).
func (s *Server) renderErrorPage(w http.ResponseWriter, ids requestIDs, e *entraError) {
	b := e.body(ids, s.now())
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	renderPage(w, status, "message", page{Title: "Sorry, but we're having trouble signing you in.",
		Message: firstLine(b.ErrorDescription),
		Error:   "Request Id: " + ids.trace + " · Correlation Id: " + ids.correlation + " · Timestamp: " + b.Timestamp})
}

func firstLine(s string) string {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '\r' && s[i+1] == '\n' {
			return s[:i]
		}
	}
	return s
}
