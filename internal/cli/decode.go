package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/aadx/aadx/internal/termsafe"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/internal/jsonw"
)

// maxDecodeInput bounds what decode reads from stdin, a file or the network (JWKS, discovery).
const maxDecodeInput = 1 << 20

type decodeOptions struct {
	json     bool
	jwks     string
	verify   bool
	audience string
	nonce    string
	issuer   string
	timeout  time.Duration
	now      func() time.Time // the clock; tests pin it
	client   *http.Client     // for --jwks URL and --verify; tests inject one
	api      apiOptions       // --api and what the API expects
	flags    *pflag.FlagSet   // to tell a flag given from its default
}

func newDecodeCmd() *cobra.Command {
	opts := decodeOptions{now: time.Now}
	cmd := &cobra.Command{
		Use:   "decode [TOKEN|-|@FILE]",
		Short: "Decode a JWT: header, claims explained, times, warnings and signature",
		Long: `Decode a JSON Web Token (an Entra access token, ID token or client assertion) without trusting it:
header and claims in their original order, each explained; iat/nbf/exp/auth_time as UTC and relative
times; warnings (expired, clock skew, Graph tokens, v1 tokens, overage, alg none, ...); and, with --jwks
or --verify, the signature checked against the issuer's keys. A client_info value is decoded too.

The token comes from the argument, from stdin ("-" or no argument) or from a file (@FILE).

With --api AUDIENCE, decode also says whether an API that accepts AUDIENCE would accept the token, checking
it the way ASP.NET Core with Microsoft.Identity.Web does: signature (with --jwks or --verify), lifetime with
clock skew, audience, issuer (tenants, v1 or v2), scp or roles, required scopes or roles, allowed client
apps. Each rule is listed; the failing one is named by its IdentityModel code (IDX10214 audience, IDX40001
issuer, IDX10223 expired, IDX10503 signing key, ...) with the fix in Entra terms and the WWW-Authenticate
header the API would send.

Exit codes: 0 decoded (even when the signature could not be checked: see signature.status), and with --api
the API would accept the token; 1 the token is malformed, its signature is invalid, or the API would reject
it; 2 bad flags or input.`,
		Example: `  aadx decode eyJ0eXAiOiJKV1Qi...
  pbpaste | aadx decode --json
  aadx decode @token.txt --jwks https://login.microsoftonline.com/common/discovery/v2.0/keys
  aadx decode @id_token.txt --verify --audience 6e74172b-be56-4843-9ff4-e66a39bb12e3 --nonce 678910
  aadx decode @token.txt --verify --api api://contoso-api --scope access_as_user --issuer-tenant 72f988bf-86f1-41af-91ab-2d7cd011db47`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := "-"
			if len(args) == 1 {
				arg = args[0]
			}
			return runDecode(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout(), arg, opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.json, "json", false, "print one JSON object: header, claims, explanations, times, warnings, signature")
	f.StringVar(&opts.jwks, "jwks", "", "check the signature against a JWKS `FILE|URL`")
	f.BoolVar(&opts.verify, "verify", false, "check the signature against the keys the token's issuer publishes (OpenID discovery)")
	f.StringVar(&opts.audience, "audience", "", "warn unless aud contains this `value`")
	f.StringVar(&opts.nonce, "nonce", "", "warn unless the nonce claim is this `value` (ID tokens)")
	f.StringVar(&opts.issuer, "issuer", "", "warn unless iss is this `URL`")
	f.DurationVar(&opts.timeout, "timeout", 10*time.Second, "time limit for fetching keys")
	opts.api.register(f)
	opts.flags = f
	return cmd
}

func runDecode(ctx context.Context, stdin io.Reader, stdout io.Writer, arg string, opts decodeOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.jwks != "" && opts.verify {
		return usageErrorf("--jwks and --verify both choose the keys: use one of them")
	}
	if opts.timeout <= 0 {
		return usageErrorf("--timeout must be positive, e.g. --timeout 10s")
	}
	if err := opts.api.check(opts.flags); err != nil {
		return err
	}
	raw, err := readTokenArg(stdin, arg)
	if err != nil {
		return err
	}
	keys, err := decodeKeySource(opts)
	if err != nil {
		return err
	}
	tok, err := decode.Unverified(raw)
	if err != nil {
		if ci, ciErr := decode.DecodeClientInfo(raw); ciErr == nil && !strings.Contains(raw, ".") {
			return writeClientInfo(stdout, ci, opts.json)
		}
		return deniedError(err)
	}
	now := opts.now().UTC()
	if keys != nil { // --timeout bounds the key fetch; without keys nothing waits, and no timer is started
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.timeout)
		defer cancel()
	}
	report := decodeReport{
		token:     tok,
		explained: decode.Explain(tok, decode.WithNow(now)),
		times:     decode.Times(tok, now),
		warnings:  decode.Lint(tok, decode.Expect{Audience: opts.audience, Nonce: opts.nonce, Issuer: opts.issuer}, now),
		signature: decode.Verify(ctx, tok, keys),
	}
	if report.signature.Status == decode.StatusUnverified {
		report.signature.Reason = "not checked: add --jwks FILE|URL, or --verify to fetch the issuer's keys"
	}
	if len(opts.api.audiences) > 0 {
		v := decode.WouldAccept(ctx, tok, opts.api.api(keys), now)
		report.verdict = &v
	}
	if opts.json {
		err = writeDecodeJSON(stdout, report)
	} else {
		err = writeStyledDecodeView(stdout, report)
	}
	if err != nil {
		return err
	}
	if report.signature.Status == decode.StatusInvalid {
		return silent(exitDenied, errors.New("invalid signature"))
	}
	if report.verdict != nil && !report.verdict.Accepted {
		return silent(exitDenied, errors.New("the API would reject the token"))
	}
	return nil
}

// readTokenArg reads the token from the argument, stdin ("-") or a file ("@FILE"), size-limited.
func readTokenArg(stdin io.Reader, arg string) (string, error) {
	var raw string
	switch {
	case arg == "-":
		if f, ok := stdin.(*os.File); ok && isTerminal(f) {
			return "", usageErrorf("no token given: pass TOKEN, pipe it to stdin, or use @FILE")
		}
		b, err := io.ReadAll(io.LimitReader(stdin, maxDecodeInput+1))
		if err != nil {
			return "", usageErrorf("reading the token from stdin: %v", err)
		}
		raw = string(b)
	case strings.HasPrefix(arg, "@"):
		b, err := readLimitedFile(arg[1:])
		if err != nil {
			return "", usageErrorf("reading the token from %s: %v", arg, err)
		}
		raw = string(b)
	default:
		raw = arg
	}
	if len(raw) > maxDecodeInput {
		return "", usageErrorf("the token is over %d bytes: is this the right input?", maxDecodeInput)
	}
	if strings.TrimSpace(raw) == "" {
		return "", usageErrorf("no token given: the input is empty")
	}
	return raw, nil
}

// decodeKeySource turns --jwks and --verify into a key source; a bad file or URL is a usage error.
func decodeKeySource(opts decodeOptions) (decode.KeySource, error) {
	client := opts.client
	if client == nil {
		client = &http.Client{Timeout: opts.timeout}
	}
	fetch := decode.HTTPFetcher(client)
	switch {
	case opts.verify:
		return decode.DiscoveredJWKS(fetch), nil
	case strings.Contains(opts.jwks, "://"):
		if err := decode.CheckFetchURL(opts.jwks); err != nil {
			return nil, usageErrorf("--jwks %s %v", decode.URLForMessage(opts.jwks), err)
		}
		return decode.RemoteJWKS(opts.jwks, fetch), nil
	case opts.jwks != "":
		b, err := readLimitedFile(opts.jwks)
		if err != nil {
			return nil, usageErrorf("--jwks: %v", err)
		}
		src, err := decode.StaticJWKS(b, opts.jwks)
		if err != nil {
			return nil, usageErrorf("--jwks %s: %v", opts.jwks, err)
		}
		return src, nil
	}
	return nil, nil
}

type decodeReport struct {
	token     *decode.Token
	explained []decode.Explained
	times     decode.Timeline
	warnings  []decode.Warning
	signature decode.Signature
	verdict   *decode.Verdict // with --api: would the API accept the token?
}

// writeStyledDecodeView writes the terminal view with styles for w. It is not inlined so that decodeStyles
// (seven lipgloss styles, kilobytes) stay out of runDecode's frame: with them there, the goroutine's stack
// grew twice (each a copy) before `aadx decode --json` printed anything.
//
//go:noinline
func writeStyledDecodeView(w io.Writer, r decodeReport) error {
	return writeDecodeView(w, r, newDecodeStyles(w))
}

// writeDecodeJSON prints the object of DESIGN.md §3, header and claims in the token's order. It is written
// with internal/jsonw, byte for byte what encoding/json wrote (json.Marshal's strings, json.Indent's layout)
// without encoding/json's machinery, whose first use costs more than decoding the token.
func writeDecodeJSON(w io.Writer, r decodeReport) error {
	b := make([]byte, 0, 2*len(r.token.Raw)+1024) // on the heap: a fixed-size buffer would sit in the frame
	b = append(b, `{"header":`...)
	b = append(b, r.token.Header.JSON()...)
	b = append(b, `,"claims":`...)
	b = append(b, r.token.Claims.JSON()...)
	b = append(b, `,"explanations":{`...)
	first := true
	for _, e := range r.explained {
		if e.Part != "claims" {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = jsonw.AppendString(b, e.Name)
		b = append(b, ':')
		b = jsonw.AppendString(b, e.Text)
	}
	b = append(b, `},"times":{`...)
	for i, in := range r.times.Instants {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.AppendString(b, in.Claim)
		b = append(b, ':')
		b = appendInstantJSON(b, in)
	}
	if r.times.Lifetime != 0 {
		if len(r.times.Instants) > 0 {
			b = append(b, ',')
		}
		b = append(b, `"lifetime":`...)
		b = jsonw.AppendString(b, decode.Human(r.times.Lifetime))
		b = append(b, `,"lifetime_seconds":`...)
		b = strconv.AppendInt(b, int64(r.times.Lifetime/time.Second), 10)
	}
	b = append(b, `},"warnings":[`...)
	for i, wr := range r.warnings {
		if i > 0 {
			b = append(b, ',')
		}
		// The members in encoding/json's map order (sorted), as this object was once a map.
		b = append(b, `{"code":`...)
		b = jsonw.AppendString(b, wr.Code)
		b = append(b, `,"message":`...)
		b = jsonw.AppendString(b, wr.Message)
		b = append(b, `,"severity":`...)
		b = jsonw.AppendString(b, string(wr.Severity))
		b = append(b, '}')
	}
	b = append(b, `],"signature":{"status":`...)
	b = jsonw.AppendString(b, string(r.signature.Status))
	b = append(b, `,"kid":`...)
	b = jsonw.AppendString(b, r.signature.KeyID)
	b = append(b, `,"reason":`...)
	b = jsonw.AppendString(b, r.signature.Reason)
	b = append(b, '}')
	if r.verdict != nil {
		var v bytes.Buffer
		writeVerdictJSON(&v, r.verdict)
		b = append(b, v.Bytes()...)
	}
	b = append(b, '}')
	out := jsonw.AppendIndent(make([]byte, 0, 2*len(b)), b, "  ")
	_, err := w.Write(append(out, '\n'))
	return err
}

// appendInstantJSON appends one time claim of --json's "times": time, relative and unix, each left out when
// empty (zero), or the error alone.
func appendInstantJSON(b []byte, in decode.Instant) []byte {
	if in.Err != "" {
		b = append(b, `{"error":`...)
		b = jsonw.AppendString(b, in.Err)
		return append(b, '}')
	}
	b = append(b, '{')
	sep := false
	member := func(name string) {
		if sep {
			b = append(b, ',')
		}
		sep = true
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, '"', ':')
	}
	if t := in.Time.Format(time.RFC3339); t != "" {
		member("time")
		b = jsonw.AppendString(b, t)
	}
	if in.Relative != "" {
		member("relative")
		b = jsonw.AppendString(b, in.Relative)
	}
	if in.Unix != 0 {
		member("unix")
		b = strconv.AppendInt(b, in.Unix, 10)
	}
	return append(b, '}')
}

// jsonOf is json.Marshal(v) for values that always marshal. It hands encoding/json a pointer: given a
// value, json makes an addressable copy with reflect.New, and when the program has no *T type that
// looks the pointer type up by walking every type descriptor in the binary once.
func jsonOf[T any](v T) []byte {
	b, _ := json.Marshal(&v)
	return b
}

func writeClientInfo(w io.Writer, ci decode.ClientInfo, asJSON bool) error {
	if asJSON {
		b, _ := json.MarshalIndent(map[string]any{"client_info": map[string]any{
			"uid": ci.UID, "utid": ci.UTID, "home_account_id": ci.HomeAccountID(), "personal_account": ci.PersonalAccount()}}, "", "  ")
		_, err := fmt.Fprintf(w, "%s\n", b)
		return err
	}
	account := "a work or school tenant"
	if ci.PersonalAccount() {
		account = "the consumer tenant of personal Microsoft accounts"
	}
	_, err := fmt.Fprintf(w, "client_info\n  uid              %s  (object ID of the user)\n  utid             %s  (home tenant: %s)\n  home account id  %s  (how MSAL keys its cache)\n",
		ci.UID, ci.UTID, account, ci.HomeAccountID())
	return err
}

// decodeStyles colour the terminal view; all plain when stdout is not a terminal or NO_COLOR is set.
type decodeStyles struct {
	title, section, name, faint, good, warn, bad lipgloss.Style
	width                                        int
	color                                        bool
}

// paint styles s; without colour lipgloss is not called at all, which keeps plain output fast.
func (st decodeStyles) paint(style lipgloss.Style, s string) string {
	if !st.color {
		return s
	}
	return style.Render(s)
}

func newDecodeStyles(w io.Writer) decodeStyles {
	width := 100
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n >= 40 {
		width = n
	}
	f, ok := termsafe.Underlying(w).(*os.File)
	return decodeStylesWith(ok && isTerminal(f) && os.Getenv("NO_COLOR") == "", width)
}

func decodeStylesWith(color bool, width int) decodeStyles {
	s := decodeStyles{width: width, color: color}
	if !color {
		return s
	}
	// The 16 ANSI colours follow the terminal's own theme, so they read on light and dark backgrounds.
	s.title = lipgloss.NewStyle().Bold(true)
	s.section = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Cyan)
	s.name = lipgloss.NewStyle().Foreground(lipgloss.Blue)
	s.faint = lipgloss.NewStyle().Faint(true)
	s.good = lipgloss.NewStyle().Foreground(lipgloss.Green)
	s.warn = lipgloss.NewStyle().Foreground(lipgloss.Yellow)
	s.bad = lipgloss.NewStyle().Foreground(lipgloss.Red).Bold(true)
	return s
}

// writeDecodeView renders the readable terminal view: summary, header, claims, times, warnings, signature.
func writeDecodeView(w io.Writer, r decodeReport, st decodeStyles) error {
	var b strings.Builder
	t := r.token
	b.WriteString(st.paint(st.title, termsafe.Escape(tokenSummary(t))) + "\n")

	col := 0
	for _, e := range r.explained {
		col = max(col, len(e.Name))
	}
	col = min(col, 22) + 2
	for _, part := range []string{"header", "claims"} {
		b.WriteString("\n" + st.paint(st.section, strings.ToUpper(part[:1])+part[1:]) + "\n")
		for _, e := range r.explained {
			if e.Part != part {
				continue
			}
			name := termsafe.Escape(e.Name) // a claim name is the token's text too
			pad := max(col-len(name), 1)
			writeWrapped(&b, st, "  "+st.paint(st.name, name)+strings.Repeat(" ", pad), 2+len(name)+pad, 2+col, e.Value, lipgloss.Style{})
			writeWrapped(&b, st, strings.Repeat(" ", 2+col), 2+col, 2+col, e.Text, st.faint)
		}
	}
	if t.Encrypted {
		b.WriteString("  " + st.paint(st.faint, "(encrypted: the claims need the recipient's private key)") + "\n")
	}

	if len(r.times.Instants) > 0 {
		b.WriteString("\n" + st.paint(st.section, "Times") + "\n")
		for _, in := range r.times.Instants {
			line := in.Time.Format(time.RFC3339) + "  " + in.Relative
			if in.Err != "" {
				line = in.Err
			}
			fmt.Fprintf(&b, "  %-11s%s\n", termsafe.Escape(in.Claim), termsafe.Escape(line))
		}
		if r.times.Lifetime != 0 {
			fmt.Fprintf(&b, "  %-11s%s\n", "lifetime", decode.Human(r.times.Lifetime))
		}
	}

	if len(r.warnings) > 0 {
		b.WriteString("\n" + st.paint(st.section, "Warnings") + "\n")
		for _, wr := range r.warnings {
			mark, style := "i", st.faint
			switch wr.Severity {
			case decode.SeverityError:
				mark, style = "✗", st.bad
			case decode.SeverityWarning:
				mark, style = "!", st.warn
			}
			prefix := "  " + st.paint(style, mark+" "+wr.Code+":") + " "
			writeWrapped(&b, st, prefix, 5+utf8.RuneCountInString(wr.Code), 4, wr.Message, lipgloss.Style{})
		}
	}

	b.WriteString("\n" + st.paint(st.section, "Signature") + "\n")
	style := st.warn
	switch r.signature.Status {
	case decode.StatusValid:
		style = st.good
	case decode.StatusInvalid:
		style = st.bad
	}
	status := string(r.signature.Status)
	writeWrapped(&b, st, "  "+st.paint(style, status)+"  ", 4+len(status), 4+len(status), r.signature.Reason, lipgloss.Style{})
	if r.verdict != nil {
		writeVerdictView(&b, st, r.verdict)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tokenSummary is the first line: what the token is, its version, algorithm and key.
func tokenSummary(t *decode.Token) string {
	if t.Encrypted {
		enc, _ := t.Header.String("enc")
		return "Encrypted token (JWE, " + t.Alg() + " + " + enc + ")"
	}
	kind := map[decode.Kind]string{decode.KindAccess: "Access token", decode.KindID: "ID token",
		decode.KindAssertion: "Client assertion", decode.KindUnknown: "Token"}[t.Kind]
	parts := []string{kind}
	if ver, ok := t.Claims.String("ver"); ok {
		parts[0] += " (v" + ver + ")"
	}
	parts = append(parts, t.Alg())
	if kid := t.KeyID(); kid != "" {
		parts = append(parts, "kid "+kid)
	}
	return strings.Join(parts, " · ")
}

// writeWrapped writes prefix (prefixWidth columns wide) then text word-wrapped to the width, continuation
// lines indented by indent; each line of text is painted with style.
func writeWrapped(b *strings.Builder, st decodeStyles, prefix string, prefixWidth, indent int, text string, style lipgloss.Style) {
	text = termsafe.Escape(text)           // claim values, reasons and warnings quote the token's own text
	limit := max(st.width-prefixWidth, 20) // the first line's room; later lines have avail
	avail := max(st.width-indent, 20)
	var line strings.Builder
	n := 0 // runes on the current line
	newline := func() {
		b.WriteString(st.paint(style, line.String()))
		b.WriteString("\n" + strings.Repeat(" ", indent))
		line.Reset()
		n, limit = 0, avail
	}
	b.WriteString(prefix)
	for _, word := range strings.Fields(text) {
		for runes := []rune(word); len(runes) > avail; runes = []rune(word) { // long values are cut, never dropped
			if n > 0 || limit < avail {
				newline()
			}
			line.WriteString(string(runes[:avail]))
			word, n = string(runes[avail:]), avail
		}
		w := utf8.RuneCountInString(word)
		switch {
		case n == 0:
		case n+1+w > limit:
			newline()
		default:
			line.WriteByte(' ')
			n++
		}
		line.WriteString(word)
		n += w
	}
	b.WriteString(st.paint(style, line.String()) + "\n")
}
