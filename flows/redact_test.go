package flows

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/aadx/aadx/emulator"
)

func TestRedactorValues(t *testing.T) {
	r := NewRedactor("s3cret-value-123")
	bare := NewRedactor() // knows no secret values: masking by parameter name alone
	tests := []struct {
		name, in, want string
		do             func(string) string
	}{
		{name: "client_secret form", in: "client_id=a&client_secret=other-secret-999&scope=x", do: bare.Form,
			want: "client_id=a&client_secret=[redacted]&scope=x"},
		{name: "verifier form", in: "code_verifier=abcdefghijklmnopqrstuvwxyz", do: r.Form, want: "code_verifier=[redacted]"},
		{name: "assertion keeps header and payload", in: "client_assertion=aaa.bbb.ccc", do: r.Form, want: "client_assertion=aaa.bbb.[redacted]"},
		{name: "refresh token shortened", in: `{"refresh_token":"0.ARoAv4j5cvGGr0GRqy180BHbR1234567890"}`,
			do: func(s string) string { return r.Body("application/json", s) }, want: `{"refresh_token":"0.ARoAv4j5…[37 chars]"}`},
		{name: "code in redirect URL", in: "http://localhost/cb?code=0.AAAAxyzxyzxyzxyzxyz12&state=abc", do: r.URL,
			want: "http://localhost/cb?code=0.AAAAxyzx…[23 chars]&state=abc"},
		// The marker stays readable where a header carries a URL; a prefix that needs encoding is encoded.
		{name: "code in Location header", in: "https://app.example/cb?code=0.A%2BB/C%3DDxyzxyzxyz12&state=a%20b",
			do: func(s string) string { return r.Header("Location", s) }, want: "https://app.example/cb?code=0.A%2BB%2FC%3DDx…[20 chars]&state=a%20b"},
		{name: "unchanged parameters keep their encoding", in: "scope=openid%20profile&redirect_uri=http%3A%2F%2Flocalhost%2Fcb", do: r.Form,
			want: "scope=openid%20profile&redirect_uri=http%3A%2F%2Flocalhost%2Fcb"},
		{name: "authorization header", in: "Bearer eyJhbGciOi.payload.sig", do: func(s string) string { return r.Header("Authorization", s) },
			want: "Bearer [redacted]"},
		{name: "known secret in free text", in: "the secret s3cret-value-123 leaked", do: r.Text, want: "the secret [redacted] leaked"},
		{name: "password in sign-in page input", in: `<input type="password" name="passwd" value="hunter2hunter2">`,
			do: func(s string) string { return bare.Body("text/html", s) }, want: `<input type="password" name="passwd" value="[redacted]">`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.do(tt.in); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	revealed := r.With(true, false)
	if got := revealed.Form("client_secret=s3cret-value-123"); got != "client_secret=s3cret-value-123" {
		t.Errorf("reveal: got %s", got)
	}
}

// TestNoOutputLeaksSecrets runs flows with a known secret, certificate and password and checks every output
// path: redacted exchanges and events, curl, HAR, Markdown and error messages.
func TestNoOutputLeaksSecrets(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	cert, err := ParseCertificate(d.Apps.Daemon.CertPEM, "")
	if err != nil {
		t.Fatal(err)
	}
	keyDER := cert.Key.D.Bytes()
	secrets := map[string]string{
		"daemon secret":         d.Apps.Daemon.ClientSecret,
		"web secret":            d.Apps.Web.ClientSecret,
		"password":              d.Users[0].Password,
		"private key (base64)":  base64.StdEncoding.EncodeToString(keyDER)[:40],
		"private key PEM block": string(d.Apps.Daemon.CertPEM[bytes.Index(d.Apps.Daemon.CertPEM, []byte("PRIVATE KEY-----"))+17:][:60]),
	}
	var runs []*Run
	var eventURLs []string
	sink := func(e Event) {
		if e.Exchange != nil {
			eventURLs = append(eventURLs, e.Exchange.URL)
		}
	}
	ctx := context.Background()

	cc := demoSettings(d)
	cc.ClientID, cc.ClientSecret, cc.Scopes = d.Apps.Daemon.ClientID, d.Apps.Daemon.ClientSecret, []string{d.Apps.Daemon.Scope}
	withCert := cc
	withCert.ClientSecret, withCert.Certificate = "", cert
	wrong := cc
	wrong.ClientSecret = d.Apps.Web.ClientSecret // a real secret of another app: rejected, must still be masked
	for _, s := range []Settings{cc, withCert, wrong} {
		run, err := NewRun(FlowClientCredentials, s, Options{HTTPClient: srv.HTTPClient(), Events: sink})
		if err != nil {
			t.Fatal(err)
		}
		_ = run.RunAll(ctx)
		runs = append(runs, run)
	}
	web := demoSettings(d)
	web.ClientID, web.ClientSecret, web.RedirectURI = d.Apps.Web.ClientID, d.Apps.Web.ClientSecret, d.Apps.Web.RedirectURI
	var run *Run
	run, err = NewRun(FlowAuthCode, web, Options{HTTPClient: srv.HTTPClient(), Events: sink,
		Browser: BrowserFunc(func(ctx context.Context, u, r string) (*Redirect, error) {
			return ScriptedForTest(run, d.Users[0].Username, d.Users[0].Password).Visit(ctx, u, r)
		})})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.RunAll(ctx); err != nil {
		t.Fatalf("auth code: %v", err)
	}
	runs = append(runs, run)

	var out strings.Builder
	var assertionSigs []string
	for _, r := range runs {
		red := r.Redactor()
		for _, ex := range r.Exchanges() {
			e := red.Exchange(ex)
			out.WriteString(e.URL + e.RequestBody + e.ResponseBody)
			for _, h := range append(e.RequestHeaders, e.ResponseHeaders...) {
				out.WriteString(h.Value)
			}
		}
		for i := range r.Legs() {
			if req, err := r.Prepare(i); err == nil {
				out.WriteString(CurlForTest(req, false))
				shown := red.Request(req)
				for _, p := range shown.Params {
					out.WriteString(p.Value)
				}
			}
		}
		if a := r.State().ClientAssertion; a != "" {
			assertionSigs = append(assertionSigs, a[strings.LastIndexByte(a, '.')+1:])
		}
		if err := WriteExportsForTest(&out, r, red); err != nil {
			t.Fatal(err)
		}
		if err := r.State().Err; err != nil {
			out.WriteString(red.Text(err.Error()))
		}
	}
	if len(eventURLs) == 0 {
		t.Fatal("no exchange events were emitted")
	}
	if len(assertionSigs) == 0 {
		t.Fatal("no client assertion was built")
	}
	all := out.String()
	for name, s := range secrets {
		if strings.Contains(all, s) {
			t.Errorf("%s leaked into output", name)
		}
	}
	for _, sig := range assertionSigs {
		if strings.Contains(all, sig) {
			t.Error("a client assertion signature leaked into output")
		}
	}
	if !strings.Contains(all, Masked) {
		t.Error("nothing was masked: the test did not exercise redaction")
	}
}
