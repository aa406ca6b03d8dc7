package export

import (
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/aadx/aadx/flows"
)

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the format browser devtools import.
type harLog struct {
	Log struct {
		Version string     `json:"version"`
		Creator harCreator `json:"creator"`
		Entries []harEntry `json:"entries"`
	} `json:"log"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harEntry struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	Comment         string      `json:"comment,omitempty"`
	Error           string      `json:"_error,omitempty"`
}

type harRequest struct {
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	HTTPVersion string       `json:"httpVersion"`
	Cookies     []harNV      `json:"cookies"`
	Headers     []harNV      `json:"headers"`
	QueryString []harNV      `json:"queryString"`
	PostData    *harPostData `json:"postData,omitempty"`
	HeadersSize int          `json:"headersSize"`
	BodySize    int          `json:"bodySize"`
}

type harPostData struct {
	MimeType string  `json:"mimeType"`
	Params   []harNV `json:"params"`
	Text     string  `json:"text"`
}

type harResponse struct {
	Status      int        `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []harNV    `json:"cookies"`
	Headers     []harNV    `json:"headers"`
	Content     harContent `json:"content"`
	RedirectURL string     `json:"redirectURL"`
	HeadersSize int        `json:"headersSize"`
	BodySize    int        `json:"bodySize"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

type harTimings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	SSL     float64 `json:"ssl"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// HAR writes the exchanges as a redacted HAR 1.2 log.
func HAR(w io.Writer, exchanges []flows.Exchange, opts Options) error {
	red := opts.redactor()
	var h harLog
	h.Log.Version = "1.2"
	h.Log.Creator = harCreator{Name: orDefault(opts.Creator, "aadx"), Version: orDefault(opts.Version, "dev")}
	h.Log.Entries = make([]harEntry, 0, len(exchanges))
	for _, raw := range exchanges {
		h.Log.Entries = append(h.Log.Entries, harEntryOf(red.Exchange(raw)))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(h)
}

func harEntryOf(ex flows.Exchange) harEntry {
	e := harEntry{StartedDateTime: ex.Started.UTC().Format("2006-01-02T15:04:05.000Z07:00"), Time: ms(ex.Timing.Total),
		Comment: strings.TrimSpace(ex.LegName + " " + ex.Step)}
	proto := orDefault(ex.Proto, "HTTP/1.1")
	e.Request = harRequest{Method: ex.Method, URL: ex.URL, HTTPVersion: proto, Cookies: []harNV{},
		Headers: harHeaders(ex.RequestHeaders), QueryString: []harNV{}, HeadersSize: -1, BodySize: len(ex.RequestBody)}
	if u, err := url.Parse(ex.URL); err == nil {
		e.Request.QueryString = harValues(u.RawQuery)
	}
	if ex.RequestBody != "" {
		ct := ex.RequestHeader("Content-Type")
		pd := &harPostData{MimeType: ct, Text: ex.RequestBody, Params: []harNV{}}
		if strings.Contains(ct, "x-www-form-urlencoded") {
			pd.Params = harValues(ex.RequestBody)
		}
		e.Request.PostData = pd
	}
	e.Response = harResponse{Status: ex.Status, StatusText: statusText(ex.StatusText), HTTPVersion: proto, Cookies: []harNV{},
		Headers: harHeaders(ex.ResponseHeaders), RedirectURL: ex.ResponseHeader("Location"), HeadersSize: -1,
		BodySize: len(ex.ResponseBody),
		Content:  harContent{Size: len(ex.ResponseBody), MimeType: orDefault(ex.ResponseHeader("Content-Type"), "x-unknown"), Text: ex.ResponseBody}}
	if ex.Err != nil {
		e.Error = ex.Err.Error()
	}
	t := ex.Timing
	e.Timings = harTimings{Blocked: -1, DNS: optMS(t.DNS), Connect: optMS(t.Connect + t.TLS), SSL: optMS(t.TLS), Wait: ms(t.FirstByte)}
	// receive: what remains of the total once the measured phases are taken out.
	rest := t.Total - t.DNS - t.Connect - t.TLS - t.FirstByte
	if rest < 0 {
		rest = 0
	}
	e.Timings.Receive = ms(rest)
	return e
}

func harHeaders(hs []flows.Header) []harNV {
	out := make([]harNV, 0, len(hs))
	for _, h := range hs {
		out = append(out, harNV{Name: h.Name, Value: h.Value})
	}
	return out
}

// harValues splits a form-encoded string in order, keeping redaction markers as they are.
func harValues(encoded string) []harNV {
	out := []harNV{}
	if encoded == "" {
		return out
	}
	for _, part := range strings.Split(encoded, "&") {
		k, v, _ := strings.Cut(part, "=")
		name, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			name, value = k, v
		}
		out = append(out, harNV{Name: name, Value: value})
	}
	return out
}

func statusText(s string) string {
	if _, text, ok := strings.Cut(s, " "); ok {
		return text
	}
	return s
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func optMS(d time.Duration) float64 {
	if d == 0 {
		return -1
	}
	return ms(d)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
