package decode

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/aadx/aadx/internal/jsonw"
)

// Field is one member of a JSON object: its name and its value as raw JSON, exactly as the token carries it.
type Field struct {
	Name  string
	Value json.RawMessage
}

// Fields are the members of a JSON object in their original order, so that a token reads as it was written.
// Lookups are by name; when a name repeats, the last one wins, as most JWT libraries do (RFC 7515 §4).
type Fields []Field

// Get returns the raw value of the member called name.
func (fs Fields) Get(name string) (json.RawMessage, bool) {
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i].Name == name {
			return fs[i].Value, true
		}
	}
	return nil, false
}

// Has reports whether a member called name is present.
func (fs Fields) Has(name string) bool {
	_, ok := fs.Get(name)
	return ok
}

// String returns the member's value when it is a JSON string.
func (fs Fields) String(name string) (string, bool) {
	raw, ok := fs.Get(name)
	if !ok {
		return "", false
	}
	return jsonString(raw)
}

// Strings returns the member's value as a list: a JSON string gives one item, an array of strings all of
// them (aud, amr and roles are either, RFC 7519 §4.1.3).
func (fs Fields) Strings(name string) []string {
	raw, ok := fs.Get(name)
	if !ok {
		return nil
	}
	if s, ok := jsonString(raw); ok {
		return []string{s}
	}
	return stringArray(raw)
}

// stringArray decodes a JSON array of strings as json.Unmarshal into a []string does (a null element is "");
// anything else is nil. raw is one valid JSON value, as parseObject keeps it, so the scanner can trust the
// syntax: encoding/json's decoder, used once per process, would cost more than explaining the whole token.
func stringArray(raw []byte) []string {
	if len(raw) == 0 || raw[0] != '[' {
		return nil
	}
	list := []string{}
	for i := skipSpace(raw, 1); i < len(raw) && raw[i] != ']'; i = skipSpace(raw, i) {
		if raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
		end := scanValue(raw, i)
		if end <= i {
			return nil
		}
		switch elem := raw[i:end]; {
		case string(elem) == "null":
			list = append(list, "")
		default:
			s, ok := jsonString(elem)
			if !ok {
				return nil
			}
			list = append(list, s)
		}
		i = end
	}
	return list
}

// Number returns the member's value when it is a JSON number.
func (fs Fields) Number(name string) (float64, bool) {
	raw, ok := fs.Get(name)
	if !ok || len(raw) == 0 || raw[0] == '"' {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	return f, err == nil
}

// JSON renders the members back as one compact JSON object, in their original order, as json.Marshal and
// json.Compact would write them (internal/jsonw, without encoding/json's machinery).
func (fs Fields) JSON() json.RawMessage {
	size := 2
	for _, f := range fs {
		size += len(f.Name) + len(f.Value) + 4
	}
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, f := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.AppendString(b, f.Name)
		b = append(b, ':')
		b = jsonw.AppendCompact(b, f.Value)
	}
	return append(b, '}')
}

func jsonString(raw json.RawMessage) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}
