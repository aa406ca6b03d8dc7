package cli

import (
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// listVar parses, fails and shows in help exactly as pflag's StringSliceVar with no default did; each
// command line is parsed twice, into fresh flag sets.
func TestListVarIsStringSlice(t *testing.T) {
	const usage = "check whether an API that accepts this `AUDIENCE` would accept the token"
	newSets := func() (mine, theirs *pflag.FlagSet, got, want *[]string) {
		got, want = new([]string), new([]string)
		mine = pflag.NewFlagSet("aadx", pflag.ContinueOnError)
		theirs = pflag.NewFlagSet("aadx", pflag.ContinueOnError)
		listVar(mine, got, "api", usage)
		theirs.StringSliceVar(want, "api", nil, usage)
		listVar(mine, new([]string), "role", "the `ROLES`")
		theirs.StringSliceVar(new([]string), "role", nil, "the `ROLES`")
		return mine, theirs, got, want
	}
	mine, theirs, _, _ := newSets()
	if mine.FlagUsages() != theirs.FlagUsages() {
		t.Fatalf("help:\n%s\npflag's StringSlice:\n%s", mine.FlagUsages(), theirs.FlagUsages())
	}
	for _, args := range [][]string{
		nil, {"--api", "a"}, {"--api", "a,b"}, {"--api", "a", "--api", "b,c"}, {"--api", ""}, {"--api", `"a,b",c`},
		{"--api=x", "--role", "r1,r2", "--api", "y"}, {"--api", `a"b`}, {"--api", `"unclosed`}, {"--api"}, {"--api", " a , b "},
	} {
		for i := 0; i < 2; i++ {
			mine, theirs, got, want := newSets()
			errMine, errTheirs := mine.Parse(args), theirs.Parse(args)
			if (errMine == nil) != (errTheirs == nil) || errMine != nil && errMine.Error() != errTheirs.Error() {
				t.Fatalf("%q: error %v, pflag's %v", args, errMine, errTheirs)
			}
			if !reflect.DeepEqual(*got, *want) {
				t.Fatalf("%q: %#v, pflag's %#v", args, *got, *want)
			}
			if mine.Changed("api") != theirs.Changed("api") {
				t.Fatalf("%q: Changed differs", args)
			}
			if len(*want) > 0 {
				if g, w := mine.Lookup("api").Value.String(), theirs.Lookup("api").Value.String(); g != w {
					t.Fatalf("%q: String() = %q, pflag's %q", args, g, w)
				}
			}
		}
	}
	if !strings.Contains(mine.FlagUsages(), "--api AUDIENCE") {
		t.Fatalf("help lacks --api AUDIENCE:\n%s", mine.FlagUsages())
	}
}
