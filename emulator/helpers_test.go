package emulator

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// newTestServer starts an emulator over TLS that tests reach through its HTTPClient.
func newTestServer(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.DeviceInterval == 0 {
		opts.DeviceInterval = 10 * time.Millisecond
	}
	opts.Dir = t.TempDir()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var (
	formRe   = regexp.MustCompile(`(?s)<form method="post" action="([^"]*)">(.*?)</form>`)
	hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
)

// parseForm extracts the single form of an emulator page: its action and hidden fields.
func parseForm(t testing.TB, html string) (string, url.Values) {
	t.Helper()
	m := formRe.FindAllStringSubmatch(html, -1)
	if len(m) != 1 {
		t.Fatalf("page has %d forms, want 1:\n%s", len(m), html)
	}
	v := url.Values{}
	for _, h := range hiddenRe.FindAllStringSubmatch(m[0][2], -1) {
		v.Add(unescapeHTML(h[1]), unescapeHTML(h[2]))
	}
	return unescapeHTML(m[0][1]), v
}

func unescapeHTML(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&quot;", `"`).Replace(s)
}

// browser walks the sign-in pages like a person would: it fills login/passwd, accepts consent and stops at
// the first response addressed to the client (a redirect off the emulator, or a form_post page).
type browser struct {
	t                 testing.TB
	client            *http.Client
	login, passwd     string
	accept            string
	emulatorAuthority string
}

func newBrowser(t testing.TB, s *Server, login, passwd string) *browser {
	c := s.HTTPClient()
	jar := newJar()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: t, client: c, login: login, passwd: passwd, accept: "yes", emulatorAuthority: s.URL()}
}

// result is where the browser leg ended: the redirect URL, or the form_post target and fields.
type result struct {
	redirect string
	action   string
	fields   url.Values
}

func (b *browser) open(authorizeURL string) result {
	b.t.Helper()
	resp := b.do(http.MethodGet, authorizeURL, nil)
	for range 6 {
		body := readAll(b.t, resp)
		if resp.StatusCode == http.StatusFound {
			loc := resp.Header.Get("Location")
			if !strings.HasPrefix(loc, b.emulatorAuthority) {
				return result{redirect: loc}
			}
			resp = b.do(http.MethodGet, loc, nil)
			continue
		}
		if resp.StatusCode != http.StatusOK {
			b.t.Fatalf("browser: status %d: %s", resp.StatusCode, body)
		}
		action, fields := parseForm(b.t, body)
		if !strings.HasPrefix(action, b.emulatorAuthority) {
			return result{action: action, fields: fields}
		}
		switch {
		case strings.Contains(body, `name="passwd"`):
			fields.Set("login", b.login)
			fields.Set("passwd", b.passwd)
		case strings.Contains(body, `name="accept"`):
			fields.Set("accept", b.accept)
		}
		resp = b.do(http.MethodPost, action, fields)
	}
	b.t.Fatal("browser: too many steps")
	return result{}
}

func (b *browser) do(method, target string, form url.Values) *http.Response {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, target, err)
	}
	return resp
}

func readAll(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
