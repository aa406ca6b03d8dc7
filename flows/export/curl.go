package export

import (
	"net/url"
	"strings"

	"github.com/aadx/aadx/flows"
)

// curlPlaceholders name the shell variables that stand in for secrets and tokens in a copied curl command, so
// the command can be pasted into a ticket and run by someone who sets them.
var curlPlaceholders = map[string]string{
	"client_secret":    "$AZURE_CLIENT_SECRET",
	"client_assertion": "$CLIENT_ASSERTION",
	"code_verifier":    "$CODE_VERIFIER",
	"password":         "$PASSWORD",
	"passwd":           "$PASSWORD",
	"code":             "$AUTH_CODE",
	"refresh_token":    "$REFRESH_TOKEN",
	"assertion":        "$USER_ASSERTION",
	"device_code":      "$DEVICE_CODE",
}

// Curl renders a prepared request as a curl command. Secrets and tokens become shell variables (e.g.
// "$AZURE_CLIENT_SECRET") unless reveal is set; every other value is single-quoted.
func Curl(req *flows.Request, reveal bool) string {
	var b strings.Builder
	b.WriteString("curl")
	if req.Method == "POST" {
		b.WriteString(" -X POST")
	}
	for _, h := range req.Headers {
		if strings.EqualFold(h.Name, "Content-Type") && req.Method == "POST" {
			continue // --data-urlencode sets it
		}
		v := h.Value
		if h.Secret && !reveal {
			v = "[redacted]"
		}
		b.WriteString(" \\\n  -H " + shellQuote(h.Name+": "+v))
	}
	if req.Method != "POST" {
		if u, placeholders := curlURL(req); placeholders && !reveal {
			b.WriteString(" \\\n  \"" + u + "\"") // double quotes so the shell expands the variables
		} else {
			b.WriteString(" \\\n  " + shellQuote(req.FullURL()))
		}
		return b.String()
	}
	for _, p := range req.Params {
		b.WriteString(" \\\n  --data-urlencode " + curlParam(p, reveal))
	}
	b.WriteString(" \\\n  " + shellQuote(req.URL))
	return b.String()
}

func curlParam(p flows.Param, reveal bool) string {
	if ph, ok := curlPlaceholders[strings.ToLower(p.Name)]; ok && !reveal {
		return `"` + p.Name + "=" + ph + `"`
	}
	return shellQuote(p.Name + "=" + p.Value)
}

// curlURL puts placeholders into a GET URL's query where secrets or tokens would be, and says whether it did.
// The query is URL-escaped, so it holds no character that double quotes would expand, except the placeholders.
func curlURL(req *flows.Request) (string, bool) {
	parts := make([]string, 0, len(req.Params))
	used := false
	for _, p := range req.Params {
		v := url.QueryEscape(p.Value)
		if ph, ok := curlPlaceholders[strings.ToLower(p.Name)]; ok {
			v, used = ph, true
		}
		parts = append(parts, url.QueryEscape(p.Name)+"="+v)
	}
	if !used || strings.ContainsAny(req.URL, "\"$`\\") {
		return "", false
	}
	return req.URL + "?" + strings.Join(parts, "&"), true
}

// shellQuote single-quotes s for POSIX shells.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
