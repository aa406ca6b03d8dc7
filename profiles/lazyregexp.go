package profiles

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles a pattern on first use rather than at package init, which every aadx command pays
// for, including those that never touch a profile.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
