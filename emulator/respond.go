package emulator

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// entraTime is Entra's timestamp format in error bodies: "2016-01-09 02:02:12Z" [§3.1].
const entraTime = "2006-01-02 15:04:05Z"

// requestIDs are the ids Entra puts in every response: trace_id (== x-ms-request-id) and the correlation id,
// which echoes the client's client-request-id header when it is a GUID.
type requestIDs struct{ trace, correlation string }

// guidPattern is compiled on first use, not at package init.
var guidPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
})

func idsFor(r *http.Request) requestIDs {
	ids := requestIDs{trace: newGUID(), correlation: r.Header.Get("client-request-id")}
	if !guidPattern().MatchString(ids.correlation) {
		ids.correlation = newGUID()
	}
	return ids
}

func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// commonHeaders are on every Entra response [§1.2, §7].
func commonHeaders(w http.ResponseWriter, ids requestIDs) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("P3P", `CP="DSP CUR OTPi IND OTRi ONL FIN"`)
	h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	h.Set("x-ms-request-id", ids.trace)
	h.Set("x-ms-ests-server", "2.1.aadx-emulator - local")
	h.Set("client-request-id", ids.correlation)
}

// noStore marks token endpoint responses, which must never be cached [§2.7, §7].
func noStore(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
	h.Set("Expires", "-1")
}

// writeJSON writes v with Entra's JSON content type.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// entraError is an error as Entra reports it: the OAuth error string, the AADSTS code and message, the HTTP
// status, and the optional suberror and claims challenge.
type entraError struct {
	Status   int
	Err      string
	Code     int
	Message  string
	Suberror string
	Claims   string
	Header   http.Header // extra response headers (Retry-After)
}

func (e *entraError) Error() string { return fmt.Sprintf("%s: AADSTS%d: %s", e.Err, e.Code, e.Message) }

// errorBody is the JSON shape of §3.1, fields in Entra's order.
type errorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri"`
	Suberror         string `json:"suberror,omitempty"`
	Claims           string `json:"claims,omitempty"`
}

func (e *entraError) body(ids requestIDs, now time.Time) errorBody {
	ts := now.UTC().Format(entraTime)
	return errorBody{
		Error: e.Err,
		ErrorDescription: fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
			e.Code, e.Message, ids.trace, ids.correlation, ts),
		ErrorCodes: []int{e.Code}, Timestamp: ts, TraceID: ids.trace, CorrelationID: ids.correlation,
		ErrorURI: "https://login.microsoftonline.com/error?code=" + strconv.Itoa(e.Code),
		Suberror: e.Suberror, Claims: e.Claims,
	}
}

// writeError writes e as a JSON error response with Entra's headers (x-ms-clitelem carries the code [§2.7]).
func (s *Server) writeError(w http.ResponseWriter, ids requestIDs, e *entraError) {
	for k, v := range e.Header {
		w.Header()[k] = v
	}
	w.Header().Set("x-ms-clitelem", "1,"+strconv.Itoa(e.Code)+",0,,")
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	writeJSON(w, status, e.body(ids, s.now()))
}
