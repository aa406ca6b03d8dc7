package decode

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func names(fs Fields) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return strings.Join(out, ",")
}

func TestUnverifiedKeepsOrderOfRFC7515Vectors(t *testing.T) {
	tests := []struct {
		name, raw, header string
	}{
		{"A.1 HS256", vectorA1, "typ,alg"},
		{"A.2 RS256", vectorA2, "alg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := mustDecode(t, tt.raw)
			if got := names(tok.Header); got != tt.header {
				t.Errorf("header order = %s, want %s", got, tt.header)
			}
			if got := names(tok.Claims); got != "iss,exp,http://example.com/is_root" {
				t.Errorf("claims order = %s", got)
			}
			if iss, _ := tok.Claims.String("iss"); iss != "joe" {
				t.Errorf("iss = %q", iss)
			}
			if exp, _ := tok.Claims.Number("exp"); exp != 1300819380 {
				t.Errorf("exp = %v", exp)
			}
			if v, _ := tok.Claims.Get("http://example.com/is_root"); string(v) != "true" {
				t.Errorf("is_root = %s", v)
			}
			if got := string(tok.Claims.JSON()); got != `{"iss":"joe","exp":1300819380,"http://example.com/is_root":true}` {
				t.Errorf("JSON() = %s", got)
			}
		})
	}
}

func TestUnverifiedTolerance(t *testing.T) {
	parts := strings.Split(vectorA2, ".")
	pad := func(s string) string { return s + strings.Repeat("=", (4-len(s)%4)%4) }
	std := base64.StdEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"a+/b"}`))
	tests := []struct {
		name, raw string
		padded    bool
	}{
		{"plain", vectorA2, false},
		{"padded payload, as in Microsoft's samples", parts[0] + "." + pad(parts[1]) + "." + parts[2], true},
		{"bearer prefix and whitespace", "  Bearer " + vectorA2 + "\n", false},
		{"lower-case bearer", "bearer " + vectorA2, false},
		// As customers paste them into tickets and the TUI: wrapped, quoted, or a whole header line.
		{"wrapped across lines", vectorA2[:40] + "\n" + vectorA2[40:80] + "\r\n  " + vectorA2[80:], false},
		{"in double quotes", `"` + vectorA2 + `"`, false},
		{"in single quotes with a trailing comma", "'" + vectorA2 + "',", false},
		{"Authorization header line", "Authorization: Bearer " + vectorA2, false},
		{"curl header argument", `-H "authorization: bearer ` + vectorA2[:50] + "\n" + vectorA2[50:] + `"`, false},
		{"standard base64 alphabet", std + "." + parts[1] + "." + parts[2], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := mustDecode(t, tt.raw)
			if tok.Alg() != "RS256" {
				t.Errorf("alg = %q", tok.Alg())
			}
			if tok.Padded != tt.padded {
				t.Errorf("Padded = %v, want %v", tok.Padded, tt.padded)
			}
			if iss, _ := tok.Claims.String("iss"); iss != "joe" {
				t.Errorf("iss = %q", iss)
			}
		})
	}
}

func TestUnverifiedRecognisesJWE(t *testing.T) {
	// RFC 7516 Appendix A.1 protected header, with placeholder remaining parts.
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RSA-OAEP","enc":"A256GCM"}`))
	tok := mustDecode(t, header+".a2V5.aXY.Y2lwaGVy.dGFn")
	if !tok.Encrypted || len(tok.Claims) != 0 {
		t.Fatalf("Encrypted = %v, claims = %v", tok.Encrypted, tok.Claims)
	}
	if enc, _ := tok.Header.String("enc"); enc != "A256GCM" {
		t.Errorf("enc = %q", enc)
	}
	if sig := Verify(t.Context(), tok, staticKeys{}); sig.Status != StatusUnverifiable {
		t.Errorf("Verify on JWE = %+v", sig)
	}
}

func TestUnverifiedMalformed(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	good := enc(`{"alg":"RS256"}`)
	claims := enc(`{"sub":"x"}`)
	tests := []struct {
		name    string
		raw     string
		segment Segment
		want    string
	}{
		{"empty", "   ", SegmentToken, "empty"},
		{"opaque refresh token", "0.AXoAxyz", SegmentToken, "2 parts"},
		{"no dots", "AwABAAAAvPM1KaPlrEqdFSBzjqfTGBCmLdgfSTLEMPGY", SegmentToken, "not a JWT"},
		{"four parts", "a.b.c.d", SegmentToken, "4 parts"},
		{"six parts", "a.b.c.d.e.f", SegmentToken, "6 parts"},
		{"header not base64", "ey!J." + claims + ".c2ln", SegmentHeader, "not base64url"},
		{"header empty", "." + claims + ".c2ln", SegmentHeader, "empty"},
		{"header not JSON", enc("alg=RS256") + "." + claims + ".c2ln", SegmentHeader, "not valid JSON"},
		{"header truncated JSON", enc(`{"alg":"RS2`) + "." + claims + ".c2ln", SegmentHeader, "not valid JSON"},
		{"header an array", enc(`["alg"]`) + "." + claims + ".c2ln", SegmentHeader, "not an object"},
		{"header without alg", enc(`{"typ":"JWT"}`) + "." + claims + ".c2ln", SegmentHeader, "no alg"},
		{"payload not base64", good + ".e$$.c2ln", SegmentPayload, "not base64url"},
		{"payload empty", good + "..c2ln", SegmentPayload, "empty"},
		{"payload plain text", good + "." + enc("hello") + ".c2ln", SegmentPayload, "not valid JSON"},
		{"payload a string", good + "." + enc(`"hello"`) + ".c2ln", SegmentPayload, "not an object"},
		{"payload trailing garbage", good + "." + enc(`{"a":1}}`) + ".c2ln", SegmentPayload, "not valid JSON"},
		{"signature not base64", good + "." + claims + ".!!!", SegmentSignature, "not base64url"},
		{"signature impossible length", good + "." + claims + ".a", SegmentSignature, "not base64url"},
		{"JWE without enc", good + ".a.b.c.d", SegmentHeader, "no enc"},
		{"JWE header not base64", "*.a.b.c.d", SegmentHeader, "not base64url"},
		{"oversized", strings.Repeat("a", maxTokenLen+1), SegmentToken, "limit"},
		{"too many claims", good + "." + enc("{"+strings.Repeat(`"roles":1,`, maxMembers)+`"x":1}`) + ".c2ln", SegmentPayload, "more than 4096 members"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := Unverified(tt.raw)
			var me *MalformedError
			if !errors.As(err, &me) {
				t.Fatalf("Unverified = %v, %v; want *MalformedError", tok, err)
			}
			if me.Segment != tt.segment || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q (segment %s), want segment %s mentioning %q", err, me.Segment, tt.segment, tt.want)
			}
			if strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

// The most claims a token may carry are decoded, explained and linted at once, however they repeat.
func TestManyClaimsStayFast(t *testing.T) {
	claims := "{" + strings.Repeat(`"roles":["a"],"scp":"x",`, maxMembers/2-1) + `"exp":1}`
	tok := mustDecode(t, unsigned(`{"alg":"RS256"}`, claims))
	if len(tok.Claims) != maxMembers-1 {
		t.Fatalf("%d claims", len(tok.Claims))
	}
	Explain(tok)
	if ws := Lint(tok, Expect{}, time.Unix(0, 0)); len(ws) != 2 { // duplicate roles and scp, once each
		t.Errorf("warnings: %d", len(ws))
	}
}

func TestGuessKind(t *testing.T) {
	tests := []struct {
		header, claims string
		want           Kind
	}{
		{`{"alg":"RS256"}`, `{"aud":"api","scp":"User.Read","azp":"c"}`, KindAccess},
		{`{"alg":"RS256"}`, `{"aud":"api","appid":"c","ver":"1.0"}`, KindAccess},
		{`{"alg":"RS256"}`, `{"aud":"api","roles":["Read.All"],"oid":"o","tid":"t"}`, KindAccess},
		{`{"alg":"RS256","typ":"at+jwt"}`, `{"sub":"s"}`, KindAccess},
		{`{"alg":"RS256"}`, `{"aud":"client","nonce":"n","sub":"s"}`, KindID},
		{`{"alg":"PS256","x5t#S256":"abc"}`, `{"aud":"https://login.microsoftonline.com/t/oauth2/v2.0/token","iss":"c","sub":"c","jti":"j","exp":1}`, KindAssertion},
		{`{"alg":"RS256"}`, `{"foo":"bar"}`, KindUnknown},
	}
	for _, tt := range tests {
		if got := mustDecode(t, unsigned(tt.header, tt.claims)).Kind; got != tt.want {
			t.Errorf("%s: kind = %s, want %s", tt.claims, got, tt.want)
		}
	}
}

func TestRedactedHidesSignature(t *testing.T) {
	tok := mustDecode(t, vectorA2)
	parts := strings.Split(vectorA2, ".")
	red := tok.Redacted()
	if strings.Contains(red, parts[2]) || !strings.HasPrefix(red, parts[0]+"."+parts[1]+".") {
		t.Errorf("Redacted() = %q", red)
	}
}

func TestDecodeClientInfo(t *testing.T) {
	const real = "eyJ1aWQiOiIwMDAwMDAwMC0wMDAwLTAwMDAtY2Q5Mi04YTMwZTc2MmE4MmEiLCJ1dGlkIjoiOTE4ODA0MGQtNmM2Ny00YzViLWIxMTItMzZhMzA0YjY2ZGFkIn0"
	for _, in := range []string{real, real + "=", " " + real + "\n"} {
		ci, err := DecodeClientInfo(in)
		if err != nil {
			t.Fatalf("DecodeClientInfo(%q): %v", in, err)
		}
		if ci.HomeAccountID() != "00000000-0000-0000-cd92-8a30e762a82a.9188040d-6c67-4c5b-b112-36a304b66dad" || !ci.PersonalAccount() {
			t.Errorf("got %+v", ci)
		}
	}
	for _, bad := range []string{"", "!!", base64.RawURLEncoding.EncodeToString([]byte(`{"uid":"x"}`)), base64.RawURLEncoding.EncodeToString([]byte(`[1]`))} {
		var me *MalformedError
		if _, err := DecodeClientInfo(bad); !errors.As(err, &me) || me.Segment != SegmentClientInfo {
			t.Errorf("DecodeClientInfo(%q) error = %v", bad, err)
		}
	}
}
