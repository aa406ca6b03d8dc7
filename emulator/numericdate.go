package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// numericDate is an RFC 7519 NumericDate: any JSON number of seconds since the epoch, with or without a
// fraction (MSAL Python sends 1795941995.6246638; Entra accepts it).
type numericDate struct{ time.Time }

func (d *numericDate) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("not a JSON number")
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f < 0 || f > 1e11 {
		return fmt.Errorf("not a NumericDate")
	}
	sec, frac := math.Modf(f)
	d.Time = time.Unix(int64(sec), int64(frac*1e9))
	return nil
}

// decodeClaims decodes a JWT payload into dst claim by claim, so that a malformed claim is named in the error
// rather than the whole payload being "not a JSON object".
func decodeClaims(payload []byte, dst map[string]any) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(payload, &raw); err != nil {
		return fmt.Errorf("the claims are not a JSON object")
	}
	for name, target := range dst {
		v, ok := raw[name]
		if !ok || string(v) == "null" {
			continue
		}
		if err := json.Unmarshal(v, target); err != nil {
			return fmt.Errorf("the '%s' claim is malformed (%s)", name, describeUnmarshalError(target, err))
		}
	}
	return nil
}

func describeUnmarshalError(target any, err error) string {
	switch target.(type) {
	case **numericDate, *numericDate:
		return "a NumericDate is a JSON number of seconds since 1970-01-01T00:00:00Z"
	case *string:
		return "a string is expected"
	}
	return err.Error()
}
