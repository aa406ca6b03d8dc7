package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aadx/aadx/decode"
)

// writeDecodeJSON writes, byte for byte, what it wrote when every value went through encoding/json (the
// reference below is that implementation): for ordinary tokens and for claims full of what JSON and HTML
// escape, with warnings, time errors, no times, every signature status and an API verdict. Each report is
// written twice, so nothing built on first use changes the second answer.
func TestDecodeJSONIsEncodingJSONs(t *testing.T) {
	fx := newDecodeFixture(t)
	seg := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	now := time.Now().Unix()
	tokens := []string{
		rfc7515A2,
		fx.accessToken(t),
		seg(`{"alg":"none","typ":"JWT","x<y>":"a&b"}`) + "." + seg(fmt.Sprintf(
			`{"iss":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/","aud":"00000003-0000-0000-c000-000000000000",`+
				`"exp":"soon","nbf":%d,"name":"<b>Zoë & \u2028 \"q\" \\ \u0001 \ud83d\ude00</b>","groups":["a","b"],`+
				`"amr":["pwd","mfa"],"roles":["Tasks.Read.All"],"ver":"1.0","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47",`+
				`"x\u003cz":1.5e3,"nested":{"k":[1,true,null]}}`, now+100)) + ".",
		seg(`{"alg":"RS256","kid":"k"}`) + "." + seg(`{"sub":"no times at all"}`) + ".c2ln",
		seg(`{"alg":"RS256"}`) + "." + seg(fmt.Sprintf(`{"iat":%d,"exp":%d,"auth_time":%d}`, now-7200, now-3600, now-9000)) + ".c2ln",
	}
	statuses := []decode.Signature{
		{Status: decode.StatusUnverified, Reason: "not checked: add --jwks FILE|URL, or --verify to fetch the issuer's keys"},
		{Status: decode.StatusValid, KeyID: "kid<1>"},
		{Status: decode.StatusInvalid, KeyID: "k", Reason: "signature & key do not match"},
		{Status: decode.StatusUnverifiable, Reason: "no key \"k\" in the set"},
	}
	for i, raw := range tokens {
		tok, err := decode.Unverified(raw)
		if err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
		at := time.Now().UTC()
		for j, sig := range statuses {
			r := decodeReport{
				token:     tok,
				explained: decode.Explain(tok, decode.WithNow(at)),
				times:     decode.Times(tok, at),
				warnings:  decode.Lint(tok, decode.Expect{Audience: "api://other", Nonce: "n"}, at),
				signature: sig,
			}
			if j == 3 {
				v := decode.WouldAccept(context.Background(), tok, decode.API{Audiences: []string{"api://demo-api"}}, at)
				r.verdict = &v
			}
			var want bytes.Buffer
			if err := writeDecodeJSONWithEncodingJSON(&want, r); err != nil {
				t.Fatal(err)
			}
			for k := 0; k < 2; k++ {
				var got bytes.Buffer
				if err := writeDecodeJSON(&got, r); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Fatalf("token %d, signature %s, write %d:\n%s\nencoding/json wrote:\n%s", i, sig.Status, k+1, got.String(), want.String())
				}
			}
			if !json.Valid(want.Bytes()) || !strings.Contains(want.String(), `"warnings"`) {
				t.Fatalf("token %d: the reference is not the decode object:\n%s", i, want.String())
			}
		}
	}
}

// writeDecodeJSONWithEncodingJSON is writeDecodeJSON as it was, every value marshalled by encoding/json.
func writeDecodeJSONWithEncodingJSON(w *bytes.Buffer, r decodeReport) error {
	type jsonInstant struct {
		Time     string `json:"time,omitempty"`
		Relative string `json:"relative,omitempty"`
		Unix     int64  `json:"unix,omitempty"`
		Error    string `json:"error,omitempty"`
	}
	pair := func(b *bytes.Buffer, name string, v any) {
		k, _ := json.Marshal(name)
		val, _ := json.Marshal(v)
		b.Write(k)
		b.WriteByte(':')
		b.Write(val)
	}
	var b bytes.Buffer
	b.WriteString(`{"header":`)
	b.Write(r.token.Header.JSON())
	b.WriteString(`,"claims":`)
	b.Write(r.token.Claims.JSON())
	b.WriteString(`,"explanations":{`)
	first := true
	for _, e := range r.explained {
		if e.Part != "claims" {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		pair(&b, e.Name, e.Text)
	}
	b.WriteString(`},"times":{`)
	for i, in := range r.times.Instants {
		if i > 0 {
			b.WriteByte(',')
		}
		v := jsonInstant{Time: in.Time.Format(time.RFC3339), Relative: in.Relative, Unix: in.Unix}
		if in.Err != "" {
			v = jsonInstant{Error: in.Err}
		}
		pair(&b, in.Claim, v)
	}
	if r.times.Lifetime != 0 {
		if len(r.times.Instants) > 0 {
			b.WriteByte(',')
		}
		pair(&b, "lifetime", decode.Human(r.times.Lifetime))
		b.WriteByte(',')
		pair(&b, "lifetime_seconds", int64(r.times.Lifetime/time.Second))
	}
	b.WriteString(`},"warnings":[`)
	for i, wr := range r.warnings {
		if i > 0 {
			b.WriteByte(',')
		}
		j, _ := json.Marshal(map[string]string{"code": wr.Code, "severity": string(wr.Severity), "message": wr.Message})
		b.Write(j)
	}
	sig, _ := json.Marshal(struct {
		Status string `json:"status"`
		Kid    string `json:"kid"`
		Reason string `json:"reason"`
	}{string(r.signature.Status), r.signature.KeyID, r.signature.Reason})
	b.WriteString(`],"signature":`)
	b.Write(sig)
	if r.verdict != nil {
		writeVerdictJSON(&b, r.verdict)
	}
	b.WriteByte('}')
	if err := json.Indent(w, b.Bytes(), "", "  "); err != nil {
		return err
	}
	w.WriteByte('\n')
	return nil
}
