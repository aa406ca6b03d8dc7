package flows

import (
	"strings"
	"testing"
)

// With a certificate, every request aadx sends in the diagram names the client_assertion it sends instead of
// a secret; hops outside aadx and answers keep their words, and the secret's diagram is untouched.
func TestSequenceForNamesTheCredential(t *testing.T) {
	for _, id := range []FlowID{FlowAuthCode, FlowClientCredentials, FlowOBO} {
		f, ok := Lookup(string(id))
		if !ok {
			t.Fatalf("no flow %s", id)
		}
		secret := SequenceFor(f, Settings{})
		cert := SequenceFor(f, Settings{Certificate: &Certificate{}})
		sent := false
		for i, h := range cert.Hops {
			if h.Leg != "" && !h.Response && strings.Contains(secret.Hops[i].Label, "secret") {
				sent = true
				if strings.Contains(h.Label, "secret") || strings.Contains(h.ShortLabel(), "secret") ||
					!strings.Contains(h.Label, "client_assertion") || !strings.Contains(h.ShortLabel(), "assertion") {
					t.Errorf("%s with a certificate: %q / %q", id, h.Label, h.ShortLabel())
				}
			} else if h != secret.Hops[i] {
				t.Errorf("%s: hop %d changed with the credential: %q", id, i, h.Label)
			}
		}
		if !sent {
			t.Errorf("%s: no request of aadx's names the secret", id)
		}
		if again := SequenceFor(f, Settings{}); again.Hops[0] != secret.Hops[0] || strings.Contains(
			again.Hops[len(again.Hops)-1].Label, "client_assertion") {
			t.Errorf("%s: the certificate's diagram leaked into the secret's", id)
		}
	}
}
