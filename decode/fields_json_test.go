package decode

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// Fields.JSON and Fields.Strings answer as encoding/json did (json.Marshal for names, json.Compact for
// values, json.Unmarshal into a []string), on objects with white space, escapes and every kind of value;
// each is asked twice.
func TestFieldsAnswerAsEncodingJSON(t *testing.T) {
	objects := []string{
		`{}`,
		`{"aud":"api://x","amr":["pwd","mfa"],"roles":[],"groups":null}`,
		"{ \"a\" : [ \"x\" , null , \"y\\\"z\" ] ,\n\t\"b\":[1,\"x\"], \"c\":[\"\\u00e9\\ud83d\\ude00\", \"<&>\"], \"d\":{\"k\" : [ ] } }",
		`{"n\u003came":"v","e":"","num":1.5e3,"t":true,"f":false,"o":{"x":[{"y":null}]},"arr":[[]],"s":[" a ","b\\c"]}`,
		`{"x\u2028y":["\u2028"],"q":"\"","mixed":["a",1],"objs":[{}],"ws":[ ]}`,
	}
	for _, doc := range objects {
		fs, err := parseObject([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		var want bytes.Buffer
		want.WriteByte('{')
		for i, f := range fs {
			if i > 0 {
				want.WriteByte(',')
			}
			name, _ := json.Marshal(f.Name)
			want.Write(name)
			want.WriteByte(':')
			if json.Compact(&want, f.Value) != nil {
				want.Write(f.Value)
			}
		}
		want.WriteByte('}')
		for k := 0; k < 2; k++ {
			if got := fs.JSON(); string(got) != want.String() {
				t.Fatalf("JSON() of %s =\n%s\nencoding/json gives\n%s", doc, got, want.String())
			}
		}
		for _, f := range fs {
			var want []string
			if s, ok := jsonString(f.Value); ok {
				want = []string{s}
			} else if json.Unmarshal(f.Value, &want) != nil {
				want = nil
			}
			for k := 0; k < 2; k++ {
				if got := fs.Strings(f.Name); !reflect.DeepEqual(got, want) {
					t.Fatalf("Strings(%q) of %s = %#v, json.Unmarshal gives %#v", f.Name, doc, got, want)
				}
			}
		}
	}
}
