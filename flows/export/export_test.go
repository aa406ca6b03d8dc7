package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aadx/aadx/flows"
)

const (
	testTenant = "8eaef023-2b34-4da1-9baa-8bc8c9d6a490"
	testClient = "535fb089-9ff3-47b6-9bfb-4f1264799865"
)

func param(name, value string) flows.Param { return flows.Param{Name: name, Value: value} }

// failedRun is a run whose one leg failed with exchanges, as a report sees it.
type failedRun struct {
	*flows.Run
	exchanges []flows.Exchange
	err       error
}

func (r failedRun) Exchanges() []flows.Exchange { return r.exchanges }
func (r failedRun) Status(int) flows.LegStatus  { return flows.StatusFailed }
func (r failedRun) Done() bool                  { return false }
func (r failedRun) State() flows.State {
	st := r.Run.State()
	st.Err = r.err
	return st
}

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update to accept):\n%s", name, got)
	}
}

// sampleExchanges is a fixed client-credentials failure and success, with a secret and a token in them.
func sampleExchanges() []flows.Exchange {
	start := time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC)
	req := []flows.Header{{Name: "Host", Value: "login.microsoftonline.com"}, {Name: "Accept", Value: "application/json"},
		{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}}
	resp := []flows.Header{{Name: "Cache-Control", Value: "no-store, no-cache"}, {Name: "Content-Type", Value: "application/json; charset=utf-8"}}
	url := "https://login.microsoftonline.com/" + testTenant + "/oauth2/v2.0/token"
	return []flows.Exchange{
		{ID: 1, Leg: 0, LegName: flows.LegToken, Started: start, Method: "POST", URL: url, RequestHeaders: req,
			RequestBody: "client_id=" + testClient + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&grant_type=client_credentials&client_secret=Sup3r~Secret.Value",
			Status:      401, StatusText: "401 Unauthorized", Proto: "HTTP/1.1", ResponseHeaders: resp,
			ResponseBody: `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret is provided.","error_codes":[7000215]}`,
			Timing:       flows.Timing{DNS: time.Millisecond, Connect: 2 * time.Millisecond, TLS: 3 * time.Millisecond, FirstByte: 40 * time.Millisecond, Total: 50 * time.Millisecond}},
		{ID: 2, Leg: 0, LegName: flows.LegToken, Started: start.Add(time.Second), Method: "POST", URL: url, RequestHeaders: req,
			RequestBody: "client_id=" + testClient + "&grant_type=client_credentials&client_secret=Sup3r~Secret.Value",
			Status:      200, StatusText: "200 OK", Proto: "HTTP/1.1", ResponseHeaders: resp,
			ResponseBody: `{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl"}`,
			Timing:       flows.Timing{FirstByte: 20 * time.Millisecond, Total: 25 * time.Millisecond}},
	}
}

func TestHARExportGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := HAR(&buf, sampleExchanges(), Options{Redactor: flows.NewRedactor("Sup3r~Secret.Value"), Version: "test"}); err != nil {
		t.Fatal(err)
	}
	golden(t, "clientcredentials.har", buf.Bytes())
	if strings.Contains(buf.String(), "Sup3r~Secret.Value") || strings.Contains(buf.String(), "c2lnbmF0dXJl") {
		t.Fatal("secret or full token in the HAR")
	}
	// Structure that devtools rely on (HAR 1.2).
	var h struct {
		Log struct {
			Version string
			Entries []map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &h); err != nil || h.Log.Version != "1.2" || len(h.Log.Entries) != 2 {
		t.Fatalf("HAR = %v, %+v", err, h.Log.Version)
	}
	for _, key := range []string{"startedDateTime", "time", "request", "response", "cache", "timings"} {
		if _, ok := h.Log.Entries[0][key]; !ok {
			t.Errorf("entry lacks %s", key)
		}
	}
}

func TestHARIncludesTokensOnlyOnRequest(t *testing.T) {
	var buf bytes.Buffer
	if err := HAR(&buf, sampleExchanges(), Options{IncludeTokens: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "c2lnbmF0dXJl") {
		t.Fatal("--include-tokens did not keep the access token")
	}
	if strings.Contains(buf.String(), "Sup3r~Secret.Value") {
		t.Fatal("the secret leaked with tokens included")
	}
}

func TestCurl(t *testing.T) {
	req := &flows.Request{Method: "POST", URL: "https://login.microsoftonline.com/t/oauth2/v2.0/token",
		Headers: []flows.Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}, {Name: "Origin", Value: "http://localhost:3000"}},
		Params:  []flows.Param{param("client_id", testClient), param("scope", "it's"), param("client_secret", "Sup3r~Secret.Value"), param("code", "0.AAA")}}
	got := Curl(req, false)
	want := `curl -X POST \
  -H 'Origin: http://localhost:3000' \
  --data-urlencode 'client_id=` + testClient + `' \
  --data-urlencode 'scope=it'\''s' \
  --data-urlencode "client_secret=$AZURE_CLIENT_SECRET" \
  --data-urlencode "code=$AUTH_CODE" \
  'https://login.microsoftonline.com/t/oauth2/v2.0/token'`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(Curl(req, true), "client_secret=Sup3r~Secret.Value") {
		t.Error("reveal did not show the secret")
	}
	get := &flows.Request{Method: "GET", URL: "https://idp.example/authorize", Params: []flows.Param{param("client_id", "a b")}}
	if got := Curl(get, false); got != "curl \\\n  'https://idp.example/authorize?client_id=a+b'" {
		t.Errorf("GET curl = %s", got)
	}
}

func TestMarkdownReportExplainsTheError(t *testing.T) {
	run, err := flows.NewRun(flows.FlowClientCredentials, flows.Settings{Tenant: testTenant, ClientID: testClient, ClientSecret: "Sup3r~Secret.Value"},
		flows.Options{Now: func() time.Time { return time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	oe, _ := flows.ParseError(401, []byte(sampleExchanges()[0].ResponseBody))
	failed := failedRun{Run: run, exchanges: sampleExchanges()[:1], err: oe}
	var buf bytes.Buffer
	if err := Markdown(&buf, failed, Options{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	golden(t, "clientcredentials.md", buf.Bytes())
	if strings.Contains(buf.String(), "Sup3r~Secret.Value") {
		t.Fatal("secret in the report")
	}
	if !errors.As(failed.State().Err, &oe) {
		t.Fatal("state lost the error")
	}
}
