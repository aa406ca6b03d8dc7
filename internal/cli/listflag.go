package cli

import (
	"encoding/csv"
	"strings"

	"github.com/spf13/pflag"
)

// listVar defines a repeatable, comma-separated flag with no default, parsed exactly as pflag's StringSlice:
// each use is one CSV record ("a,b" is two values, "\"a,b\"" one), the first use replaces the value and later
// ones append. pflag renders a StringSlice's default through encoding/csv and a 4 KB buffer as the flag is
// defined, on every command line that builds the command; `aadx decode` defines six of them. Help shows the
// same: no default.
func listVar(f *pflag.FlagSet, p *[]string, name, usage string) {
	f.Var(&listValue{value: p}, name, usage)
}

type listValue struct {
	value   *[]string
	changed bool
}

func (v *listValue) Set(s string) error {
	var vals []string
	if s == "" {
		vals = []string{}
	} else {
		var err error
		if vals, err = csv.NewReader(strings.NewReader(s)).Read(); err != nil {
			return err
		}
	}
	if v.changed {
		*v.value = append(*v.value, vals...)
	} else {
		*v.value = vals
	}
	v.changed = true
	return nil
}

// Type is pflag's name for the StringSlice type, which a usage without a `NAME` would show.
func (v *listValue) Type() string { return "stringSlice" }

// String is empty while the list is: the default that help leaves out.
func (v *listValue) String() string {
	if len(*v.value) == 0 {
		return ""
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(*v.value)
	w.Flush()
	return "[" + strings.TrimSuffix(b.String(), "\n") + "]"
}
