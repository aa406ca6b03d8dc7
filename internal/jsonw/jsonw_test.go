package jsonw

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// AppendString writes what json.Marshal writes, byte for byte, for every byte value, the runes JSON and
// HTML treat specially, invalid UTF-8, and random mixes of them.
func TestAppendStringIsJSONMarshal(t *testing.T) {
	inputs := []string{"", "plain", `quote " and \ back`, "<script>&amp;</script>", "line\u2028para\u2029end",
		"tab\tnl\nret\rbs\bff\f", "\x00\x01\x1f\x7f", "é中😀", "\xff", "a\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "x\xe2\x80"}
	for b := 0; b < 256; b++ {
		inputs = append(inputs, string([]byte{byte(b)}), "a"+string([]byte{byte(b)})+"z")
	}
	pieces := []string{"a", "\"", "\\", "<", ">", "&", "\u2028", "\u2029", "\n", "\x01", "\x7f", "é", "😀", "\xff", "\xe2\x80", " "}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		var s strings.Builder
		for j := rng.IntN(12); j >= 0; j-- {
			s.WriteString(pieces[rng.IntN(len(pieces))])
		}
		inputs = append(inputs, s.String())
	}
	for _, s := range inputs {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendString([]byte("prefix"), s); string(got) != "prefix"+string(want) {
			t.Fatalf("AppendString(%q) = %s, json.Marshal gives %s", s, got[len("prefix"):], want)
		}
	}
}

// AppendCompact and AppendIndent lay out valid JSON as json.Compact and json.Indent do: hand-picked
// documents (escapes, empty and nested containers, white space everywhere) and random ones.
func TestCompactAndIndentAreEncodingJSONs(t *testing.T) {
	docs := []string{`{}`, `[]`, `""`, `0`, `null`, ` { } `, `[ [ ] , { } , [ { } ] ]`, `{"a":{},"b":[],"c":[{}]}`,
		"{ \"k\" :\t\"v\\\" } ] [ , : \\u0041 \\u2028 <&>\" ,\r\n \"n\" : -1.5e+3 , \"t\":true,\"f\":false,\"z\":null}",
		`{"aio":"AXQAi/8IAAAA+0KIijdrmp69RctzmQ==","groups":["a","b"],"nested":{"deep":[1,[2,[3,{}]]]}}`,
		"[\"é中😀\", \"\u2028\", \"\\ud83d\\ude00\", \"</script>\"]"}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 500; i++ {
		docs = append(docs, randomJSON(rng, 4))
	}
	for _, doc := range docs {
		if !json.Valid([]byte(doc)) {
			t.Fatalf("not valid JSON: %s", doc)
		}
		var want bytes.Buffer
		if err := json.Compact(&want, []byte(doc)); err != nil {
			t.Fatal(err)
		}
		if got := AppendCompact([]byte("prefix"), []byte(doc)); string(got) != "prefix"+want.String() {
			t.Fatalf("AppendCompact(%s) =\n%s\njson.Compact gives\n%s", doc, got[len("prefix"):], want.String())
		}
		want.Reset()
		if err := json.Indent(&want, []byte(doc), "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := AppendIndent([]byte("prefix"), []byte(doc), "  "); string(got) != "prefix"+want.String() {
			t.Fatalf("AppendIndent(%s) =\n%s\njson.Indent gives\n%s", doc, got[len("prefix"):], want.String())
		}
	}
}

// randomJSON is a valid JSON value up to depth levels deep, with random white space between tokens.
func randomJSON(rng *rand.Rand, depth int) string {
	ws := func() string { return []string{"", "", " ", "\n  ", "\t", "\r\n"}[rng.IntN(6)] }
	str := func() string {
		return `"` + []string{"", "a", `\"`, `\\`, `\n`, `\u0041`, `\u2028`, "<&>", "é", `\/`, "x y", `\ud83d\ude00`}[rng.IntN(12)] + `"`
	}
	k := rng.IntN(8)
	if depth == 0 {
		k = rng.IntN(5)
	}
	switch k {
	case 0:
		return str()
	case 1:
		return []string{"0", "-1", "1.5e3", "12345678901234567890", "0.000001"}[rng.IntN(5)]
	case 2:
		return []string{"true", "false"}[rng.IntN(2)]
	case 3:
		return "null"
	case 4, 5:
		var b strings.Builder
		b.WriteString("{" + ws())
		for i, n := 0, rng.IntN(4); i < n; i++ {
			if i > 0 {
				b.WriteString(ws() + "," + ws())
			}
			b.WriteString(str() + ws() + ":" + ws() + randomJSON(rng, depth-1))
		}
		return b.String() + ws() + "}"
	default:
		var b strings.Builder
		b.WriteString("[" + ws())
		for i, n := 0, rng.IntN(4); i < n; i++ {
			if i > 0 {
				b.WriteString(ws() + "," + ws())
			}
			b.WriteString(randomJSON(rng, depth-1))
		}
		return b.String() + ws() + "]"
	}
}
