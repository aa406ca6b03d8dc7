package flows

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles pattern on first use, so that commands which never parse a page or an error (aadx
// decode, aadx version) do not pay for compiling every pattern of the package at start-up.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
