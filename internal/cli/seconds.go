package cli

import (
	"fmt"
	"strconv"
	"time"
)

// secondsFlag is a duration flag that also takes a bare number of seconds (--device-interval 1), as the
// device code response's interval field is in seconds.
type secondsFlag struct{ d *time.Duration }

func (f secondsFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

func (f secondsFlag) Set(s string) error {
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		*f.d = time.Duration(n * float64(time.Second))
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is neither seconds (5) nor a duration (5s, 1m)", s)
	}
	*f.d = d
	return nil
}

func (secondsFlag) Type() string { return "seconds" }
