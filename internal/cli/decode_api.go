package cli

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/spf13/pflag"

	"github.com/aadx/aadx/decode"
)

// apiOptions are decode's "would this API accept it?" flags.
type apiOptions struct {
	audiences  []string
	scopes     []string
	roles      []string
	tenants    []string
	clientApps []string
	groups     []string
	version    int
	skew       time.Duration
	plain      bool
	host       string
}

func (o *apiOptions) register(f *pflag.FlagSet) {
	listVar(f, &o.audiences, "api", "check whether an API that accepts this `AUDIENCE` (client ID or App ID URI; repeat for several) would accept the token: exit 0 yes, 1 no")
	listVar(f, &o.scopes, "scope", "with --api: the API requires one of these delegated `SCOPES` (scp)")
	listVar(f, &o.roles, "role", "with --api: the API requires one of these app `ROLES` (roles)")
	listVar(f, &o.tenants, "issuer-tenant", "with --api: the `TENANTS` whose tokens the API accepts (GUIDs, or common/organizations for any); default any")
	listVar(f, &o.groups, "group", "with --api: the API authorizes by the groups claim: the caller must be in one of these group `IDS`")
	listVar(f, &o.clientApps, "client-app", "with --api: the client application `IDS` allowed to call (azp/appid); default any")
	f.IntVar(&o.version, "accept-version", 0, "with --api: the token `VERSION` the API accepts, 1 (sts.windows.net issuers) or 2 (…/v2.0); default either")
	f.DurationVar(&o.skew, "skew", 5*time.Minute, "with --api: the clock skew the API tolerates on nbf and exp")
	f.StringVar(&o.host, "authority-host", "login.microsoftonline.com", "with --api: the `HOST` (or URL) of the API's v2.0 issuers, e.g. the emulator's http://127.0.0.1:PORT")
	f.BoolVar(&o.plain, "plain-jwt-bearer", false, "with --api: model plain ASP.NET JwtBearer (literal issuer match, IDX10205) instead of Microsoft.Identity.Web")
}

// check validates the flags: one line naming the flag and the fix.
func (o *apiOptions) check(f *pflag.FlagSet) error {
	if len(o.audiences) == 0 {
		for _, name := range []string{"scope", "role", "issuer-tenant", "client-app", "group", "accept-version", "skew", "plain-jwt-bearer", "authority-host"} {
			if f != nil && f.Changed(name) {
				return usageErrorf("--%s describes the API: add --api AUDIENCE (the API's client ID or App ID URI)", name)
			}
		}
		return nil
	}
	for _, a := range o.audiences {
		if strings.TrimSpace(a) == "" {
			return usageErrorf("--api is empty: give the API's client ID or App ID URI, e.g. --api api://contoso-api")
		}
	}
	if o.version != 0 && o.version != 1 && o.version != 2 {
		return usageErrorf("--accept-version must be 1 or 2, not %d", o.version)
	}
	if strings.TrimSpace(o.host) == "" || strings.ContainsAny(o.host, " /\t") && !strings.Contains(o.host, "://") {
		return usageErrorf("--authority-host %q is not a host: give e.g. login.microsoftonline.com or http://127.0.0.1:8400", o.host)
	}
	if o.skew < 0 {
		return usageErrorf("--skew must not be negative, e.g. --skew 5m")
	}
	return nil
}

// api turns the flags into what the validator checks.
func (o *apiOptions) api(keys decode.KeySource) decode.API {
	skew := o.skew
	if skew == 0 {
		skew = time.Nanosecond // --skew 0 means none; the validator's zero means its default
	}
	return decode.API{Audiences: o.audiences, Scopes: o.scopes, Roles: o.roles, Tenants: o.tenants,
		ClientApps: o.clientApps, Groups: o.groups, Version: o.version, Skew: skew, Keys: keys, Plain: o.plain, Host: o.host}
}

// writeVerdictJSON adds "verdict" and "validation" to the decode object being built in b.
func writeVerdictJSON(b *bytes.Buffer, v *decode.Verdict) {
	verdict := struct {
		API             string `json:"api"`
		Accepted        bool   `json:"accepted"`
		Status          int    `json:"status"`
		Rule            string `json:"rule,omitempty"`
		Code            string `json:"code,omitempty"`
		WWWAuthenticate string `json:"www_authenticate,omitempty"`
	}{API: v.API, Accepted: v.Accepted, Status: v.Status, WWWAuthenticate: v.WWWAuthenticate}
	if f, ok := v.Failure(); ok {
		verdict.Rule, verdict.Code = f.Rule, f.Code
	}
	vj, cj := jsonOf(verdict), jsonOf(v.Checks)
	b.WriteString(`,"verdict":`)
	b.Write(vj)
	b.WriteString(`,"validation":`)
	b.Write(cj)
}

// writeVerdictView renders "Would <API> accept this token?" with one line per rule and the failing rule's fix.
func writeVerdictView(b *strings.Builder, st decodeStyles, v *decode.Verdict) {
	title := "Would " + printable(v.API) + " accept this token?  "
	answer := "Yes (200)"
	style := st.good
	if f, ok := v.Failure(); ok {
		answer = fmt.Sprintf("No: %d, %s", v.Status, f.Rule)
		if f.Code != "" && f.Code != "403" {
			answer = fmt.Sprintf("No: %d, %s (%s)", v.Status, f.Code, f.Rule)
		}
		style = st.bad
	}
	b.WriteString("\n" + st.paint(st.section, title) + st.paint(style, answer) + "\n")
	for i, c := range v.Checks {
		mark, ms := "✓", st.good
		switch {
		case c.Skipped:
			mark, ms = "-", st.faint
		case !c.OK:
			mark, ms = "✗", st.warn
			if i == v.Decisive {
				ms = st.bad
			}
		}
		name := fmt.Sprintf("%-13s", c.Rule)
		prefix := "  " + st.paint(ms, mark) + " " + name + " "
		writeWrapped(b, st, prefix, 4+len(name)+1, 4+len(name)+1, printable(c.Message), lipgloss.Style{})
		if c.Fix != "" {
			indent := 4 + len(name) + 1
			writeWrapped(b, st, strings.Repeat(" ", indent)+st.paint(st.title, "fix: "), indent+5, indent, printable(c.Fix), lipgloss.Style{})
		}
	}
	if v.WWWAuthenticate != "" {
		writeWrapped(b, st, "  "+st.paint(st.faint, "WWW-Authenticate: "), 20, 4, printable(v.WWWAuthenticate), lipgloss.Style{})
	}
}

// printable drops control characters (escape sequences, newlines) from token-derived text before it
// reaches the terminal.
func printable(s string) string {
	ok := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}
