package tui

import (
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/aadx/aadx/flows"
)

// Golden screens of the second try: a leg re-sent after a 503 (its history labelled), the claims
// challenge hint on a failed leg, and the full-value view of an error.

func tokenExchange(id, status int, body string) flows.Exchange {
	text := map[int]string{200: "200 OK", 400: "400 Bad Request", 503: "503 Service Unavailable"}[status]
	return flows.Exchange{ID: id, Leg: 0, LegName: flows.LegToken, Started: pinnedNow, Method: "POST",
		URL:            "http://127.0.0.1:9/7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13/oauth2/v2.0/token",
		RequestHeaders: []flows.Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}},
		RequestBody:    "client_id=e2b7f4a9-6c3d-4f18-9b52-0a8d3c1e6f74&grant_type=client_credentials&client_secret=synthetic-secret-value",
		Status:         status, StatusText: text, Proto: "HTTP/1.1",
		ResponseHeaders: []flows.Header{{Name: "Content-Type", Value: "application/json; charset=utf-8"}},
		ResponseBody:    body, Timing: flows.Timing{FirstByte: 3 * time.Millisecond, Total: 4 * time.Millisecond}}
}

var unavailable = &flows.OAuthError{Status: 503, Code: "temporarily_unavailable", Codes: []int{90033},
	Message: "A transient error has occurred. Please try again.", Description: "AADSTS90033: A transient error has occurred. Please try again.",
	TraceID: "0b2f7c1e-0000-4000-8000-000000000003", CorrelationID: "0b2f7c1e-0000-4000-8000-000000000004", Timestamp: "2026-11-23 23:00:00Z"}

// sendSynthetic plays one send of leg 0 with the given result, as the run screen sees it.
func sendSynthetic(t *testing.T, m *Model, err error, exchanges ...flows.Exchange) {
	t.Helper()
	req, perr := m.run.run.Prepare(0)
	if perr != nil {
		t.Fatal(perr)
	}
	update(m, legPreparedMsg{RunID: m.run.id, Leg: 0, Req: req})
	update(m, keyMsg("enter")) // the send starts; its result is played below
	update(m, legSentMsg{RunID: m.run.id, Leg: 0, Err: err, Took: 4 * time.Millisecond, Exchanges: exchanges})
}

func TestGoldenRetriedLeg(t *testing.T) {
	failed := tokenExchange(1, 503, `{"error":"temporarily_unavailable","error_description":"AADSTS90033: A transient error has occurred."}`)
	ok := tokenExchange(2, 200, `{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl"}`)
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			m := syntheticRun(t, flows.FlowClientCredentials, sz.w, sz.h)
			sendSynthetic(t, m, unavailable, failed)
			sendSynthetic(t, m, nil, failed, ok)
			golden.RequireEqual(t, plainView(m))
		})
	}
}

func TestGoldenClaimsChallengeHint(t *testing.T) {
	challenge := &flows.OAuthError{Status: 400, Code: "interaction_required", Codes: []int{50076}, Suberror: "basic_action",
		Message:     "Due to a configuration change made by your administrator, you must use multi-factor authentication.",
		Description: "AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.",
		Claims:      `{"access_token":{"capolids":{"essential":true,"values":["c1"]}}}`,
		TraceID:     "0b2f7c1e-0000-4000-8000-000000000005", CorrelationID: "0b2f7c1e-0000-4000-8000-000000000006", Timestamp: "2026-11-23 23:00:00Z"}
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			m := syntheticRun(t, flows.FlowClientCredentials, sz.w, sz.h)
			sendSynthetic(t, m, challenge, tokenExchange(1, 400, `{"error":"interaction_required"}`))
			golden.RequireEqual(t, plainView(m))
		})
	}
}

func TestGoldenFullValueOfAnError(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			m := syntheticRun(t, flows.FlowClientCredentials, sz.w, sz.h)
			sendSynthetic(t, m, unavailable, tokenExchange(1, 503, `{"error":"temporarily_unavailable"}`))
			update(m, keyMsg("v"))
			golden.RequireEqual(t, plainView(m))
		})
	}
}
