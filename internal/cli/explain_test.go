package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestExplainCommand(t *testing.T) {
	body := `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret is provided.\r\nTrace ID: 35878c00-6057-4fc6-857e-660e2b811800\r\nCorrelation ID: 4224c6fc-ff5f-489f-b1ea-95f83e911935\r\nTimestamp: 2020-08-19 04:22:28Z","error_codes":[7000215]}`
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  []string // substrings of stdout (or stderr for errors)
	}{
		{name: "bare code", args: []string{"explain", "7000215"}, want: []string{"AADSTS7000215 InvalidClientSecretProvided", "Likely fix:", "error?code=7000215"}},
		{name: "prefixed code", args: []string{"explain", "AADSTS50011"}, want: []string{"InvalidReplyTo", "redirect_uri"}},
		{name: "error body on stdin", stdin: body, args: []string{"explain", "-"},
			want: []string{"InvalidClientSecretProvided", "Trace ID:       35878c00-6057-4fc6-857e-660e2b811800", "Correlation ID: 4224c6fc", "Timestamp:      2020-08-19 04:22:28Z"}},
		{name: "plain RFC 6749 body", stdin: `{"error":"invalid_grant","error_description":"grant request is invalid"}`, args: []string{"explain", "-"},
			want: []string{"invalid_grant (no AADSTS code", "grant request is invalid"}},
		{name: "unknown code", args: []string{"explain", "12345"}, code: 1, want: []string{"AADSTS12345 is not in aadx's catalogue", "error?code=12345"}},
		{name: "not a code", args: []string{"explain", "oops"}, code: 2, want: []string{"not an AADSTS code"}},
		{name: "not an error body", stdin: "hello", args: []string{"explain", "-"}, code: 2, want: []string{"not an OAuth error body"}},
		{name: "no argument", args: []string{"explain"}, code: 2, want: []string{"needs one CODE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out+errOut, w) {
					t.Errorf("output lacks %q:\n%s%s", w, out, errOut)
				}
			}
		})
	}
}

func TestExplainJSON(t *testing.T) {
	code, out, _ := cli(t, "", "explain", "--json", "AADSTS9002327")
	var x explainJSON
	if code != 0 || json.Unmarshal([]byte(out), &x) != nil || !x.Known || x.Code != 9002327 || x.Error != "invalid_request" || x.Fix == "" {
		t.Fatalf("exit %d, %s", code, out)
	}
}
