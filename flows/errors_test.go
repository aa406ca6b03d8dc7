package flows

import (
	"net/url"
	"reflect"
	"testing"
)

func TestParseError(t *testing.T) {
	tests := []struct {
		name string
		body string
		want OAuthError
	}{
		{
			name: "entra body with fields",
			body: `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret is provided.\r\nTrace ID: 35878c00-6057-4fc6-857e-660e2b811800\r\nCorrelation ID: 4224c6fc-ff5f-489f-b1ea-95f83e911935\r\nTimestamp: 2020-08-19 04:22:28Z","error_codes":[7000215],"timestamp":"2020-08-19 04:22:28Z","trace_id":"35878c00-6057-4fc6-857e-660e2b811800","correlation_id":"4224c6fc-ff5f-489f-b1ea-95f83e911935","error_uri":"https://login.microsoftonline.com/error?code=7000215"}`,
			want: OAuthError{Status: 401, Code: "invalid_client", Message: "Invalid client secret is provided.", Codes: []int{7000215},
				TraceID: "35878c00-6057-4fc6-857e-660e2b811800", CorrelationID: "4224c6fc-ff5f-489f-b1ea-95f83e911935",
				Timestamp: "2020-08-19 04:22:28Z", ErrorURI: "https://login.microsoftonline.com/error?code=7000215"},
		},
		{
			name: "ids only in the description",
			body: `{"error":"authorization_pending","error_description":"AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.\r\nTrace ID: 3d3aff8e\r\nCorrelation ID: d46cd437\r\nTimestamp: 2021-10-29 13:45:24Z"}`,
			want: OAuthError{Status: 401, Code: "authorization_pending", Message: "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
				Codes: []int{70016}, TraceID: "3d3aff8e", CorrelationID: "d46cd437", Timestamp: "2021-10-29 13:45:24Z"},
		},
		{
			name: "suberror and claims challenge",
			body: `{"error":"interaction_required","error_description":"AADSTS50076: MFA needed.","error_codes":[50076],"suberror":"basic_action","claims":"{\"access_token\":{\"capolids\":{\"essential\":true}}}"}`,
			want: OAuthError{Status: 401, Code: "interaction_required", Message: "MFA needed.", Codes: []int{50076}, Suberror: "basic_action",
				Claims: `{"access_token":{"capolids":{"essential":true}}}`},
		},
		{
			name: "plain RFC 6749 error from another provider",
			body: `{"error":"invalid_grant","error_description":"grant request is invalid"}`,
			want: OAuthError{Status: 401, Code: "invalid_grant", Message: "grant request is invalid"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseError(401, []byte(tt.body))
			if !ok {
				t.Fatal("not recognised as an OAuth error")
			}
			got.Description, got.Body = "", ""
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
	for _, notErr := range []string{``, `[]`, `{"access_token":"x"}`, `<html>`, `{"error":""}`} {
		if _, ok := ParseError(400, []byte(notErr)); ok {
			t.Errorf("ParseError(%q) recognised an error", notErr)
		}
	}
}

func TestOAuthErrorMessageAndExplanation(t *testing.T) {
	oe, _ := ParseError(401, []byte(`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret is provided.\r\nTrace ID: x"}`))
	if got, want := oe.Error(), "invalid_client: AADSTS7000215: Invalid client secret is provided."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	e, ok := oe.Help()
	if !ok || e.Name != "InvalidClientSecretProvided" || e.Fix == "" {
		t.Errorf("Help() = %+v, %v", e, ok)
	}
}

func TestErrorFromRedirectParams(t *testing.T) {
	v, _ := url.ParseQuery("error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent.&state=x")
	oe := ErrorFromParams(v)
	if oe == nil || oe.Code != "access_denied" || oe.AADSTS() != 65004 || oe.Message != "User declined to consent." {
		t.Fatalf("got %+v", oe)
	}
	if ErrorFromParams(url.Values{"code": {"c"}}) != nil {
		t.Fatal("a success redirect was read as an error")
	}
}

func TestAADSTSCatalogue(t *testing.T) {
	all := AADSTSCatalog()
	if len(all) < 50 {
		t.Fatalf("catalogue has %d codes, want at least 50", len(all))
	}
	seen := map[int]bool{}
	for i, e := range all {
		if seen[e.Code] {
			t.Errorf("code %d listed twice", e.Code)
		}
		seen[e.Code] = true
		if e.Name == "" || e.Error == "" || e.Cause == "" || e.Fix == "" {
			t.Errorf("code %d has an empty field: %+v", e.Code, e)
		}
		if i > 0 && all[i-1].Code >= e.Code {
			t.Errorf("catalogue not in ascending order at %d", e.Code)
		}
	}
	for _, in := range []string{"7000215", "AADSTS7000215", "aadsts7000215", " 7000215 "} {
		if n, err := ParseAADSTS(in); err != nil || n != 7000215 {
			t.Errorf("ParseAADSTS(%q) = %d, %v", in, n, err)
		}
	}
	for _, in := range []string{"", "AADSTS", "abc", "-5", "12345678901"} {
		if _, err := ParseAADSTS(in); err == nil {
			t.Errorf("ParseAADSTS(%q) accepted", in)
		}
	}
}

func FuzzParseError(f *testing.F) {
	f.Add(400, []byte(`{"error":"invalid_scope","error_description":"AADSTS70011: bad.\r\nTrace ID: a\r\nCorrelation ID: b\r\nTimestamp: c","error_codes":[70011]}`))
	f.Add(401, []byte(`{"error":"x","claims":{"a":1},"error_codes":["1"]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		oe, ok := ParseError(status, body)
		if ok && (oe.Code == "" || oe.Error() == "") {
			t.Fatalf("recognised an error without a code: %+v", oe)
		}
	})
}

func TestExplainPrefersPreciseMeaning(t *testing.T) {
	tests := []struct {
		body     string
		wantName string
	}{
		{`{"error":"invalid_client","error_codes":[7000215]}`, "InvalidClientSecretProvided"},
		{`{"error":"authorization_declined","error_description":"AADSTS70000: declined"}`, "authorization_declined"},
		{`{"error":"invalid_grant","error_description":"grant request is invalid"}`, "invalid_grant"},
	}
	for _, tt := range tests {
		oe, _ := ParseError(400, []byte(tt.body))
		if e, ok := oe.Help(); !ok || e.Name != tt.wantName || e.Fix == "" {
			t.Errorf("%s: Help() = %+v, %v; want %s", tt.body, e, ok, tt.wantName)
		}
	}
	oe, _ := ParseError(400, []byte(`{"error":"made_up"}`))
	if _, ok := oe.Help(); ok {
		t.Error("an unknown error without a code was explained")
	}
}
