package flows

import (
	"fmt"
	"net/url"
	"strings"
)

// CheckOpenable refuses a URL that is not an absolute http(s) URL with a host. Addresses that came from a
// server (a device code's verification_uri, an authorize endpoint from discovery) are handed to the system
// opener, which would as happily run javascript:, file: or a custom scheme's handler.
func CheckOpenable(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (!strings.EqualFold(u.Scheme, "https") && !strings.EqualFold(u.Scheme, "http")) || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL; aadx opens only http(s) addresses", shortForMessage(raw))
	}
	return nil
}

// shortForMessage keeps an untrusted value short enough for a one-line message.
func shortForMessage(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}
