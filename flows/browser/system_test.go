package browser

import (
	"errors"
	"strings"
	"testing"
)

func TestOpenSystemOpensOnlyHTTP(t *testing.T) {
	for _, uri := range []string{"javascript:alert(1)", "file:///etc/passwd", "vbscript:x", "-a /bin/sh", "http://"} {
		err := OpenSystem(uri)
		if !errors.Is(err, ErrNoBrowser) || !strings.Contains(err.Error(), "http(s)") {
			t.Errorf("OpenSystem(%q) = %v, want a refusal", uri, err)
		}
	}
}
