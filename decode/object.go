package decode

import (
	"encoding/json"
	"errors"
	"fmt"
)

// maxMembers bounds the members of one object: real tokens carry fewer than 100 claims, and lookups by
// name are linear, so a pasted megabyte of claims must not turn explaining into a hang.
const maxMembers = 4096

// parseObject splits a JSON object into its members in source order. encoding/json would lose the order and
// a json.Decoder token stream allocates per token, so the object is validated once with json.Valid and then
// walked by a small scanner that can trust the syntax. Values stay slices of data: no copies.
func parseObject(data []byte) (Fields, error) {
	if !json.Valid(data) {
		var v any
		err := json.Unmarshal(data, &v)
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("is not valid JSON at byte %d: %w", syn.Offset, err)
		}
		return nil, fmt.Errorf("is not valid JSON: %w", err)
	}
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, errors.New("is JSON but not an object")
	}
	fields := make(Fields, 0, 24)
	for i++; i < len(data); {
		i = skipSpace(data, i)
		if i >= len(data) || data[i] == '}' {
			break
		}
		if data[i] == ',' {
			i++
			continue
		}
		if len(fields) == maxMembers {
			return nil, fmt.Errorf("has more than %d members; real tokens carry fewer than 100", maxMembers)
		}
		keyEnd := scanString(data, i)
		name := memberName(data[i:keyEnd])
		i = skipSpace(data, keyEnd) + 1 // the colon
		i = skipSpace(data, i)
		end := scanValue(data, i)
		fields = append(fields, Field{Name: name, Value: json.RawMessage(data[i:end])})
		i = end
	}
	return fields, nil
}

// memberName unquotes a member name; names from the catalogue are returned without allocating.
func memberName(quoted []byte) string {
	if len(quoted) < 2 {
		return ""
	}
	inner := quoted[1 : len(quoted)-1]
	if name, ok := knownNames[string(inner)]; ok {
		return name
	}
	if s, ok := jsonString(quoted); ok {
		return s
	}
	return string(inner)
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}

// scanString returns the index just past the string that starts at data[i].
func scanString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(data)
}

// scanValue returns the index just past the JSON value that starts at data[i].
func scanValue(data []byte, i int) int {
	if i >= len(data) {
		return len(data)
	}
	switch data[i] {
	case '"':
		return scanString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				i = scanString(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(data)
	}
	for i < len(data) {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
		i++
	}
	return len(data)
}
