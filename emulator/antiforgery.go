package emulator

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"net/url"
	"time"
)

// Login CSRF: any web page the user opens while the emulator runs can POST the (public) demo credentials to
// the sign-in form, which would sign the browser in as someone of the attacker's choosing. Two checks stop it:
// a browser's cross-origin POST carries an Origin that is not the emulator's, and the sign-in form carries a
// flow token that only a page served by the emulator holds, bound to the one request it was shown for and
// good once.

const stageSignIn = "signin"

// signInToken is the time it was issued, a random nonce and an HMAC over them, the stage and the request
// binding: it needs no storage, so rendering sign-in pages cannot fill a store.
func (s *Server) signInToken(binding string) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(s.now().Unix()))
	_, _ = rand.Read(b[8:])
	return base64.RawURLEncoding.EncodeToString(append(b[:], s.flowMAC(b[:], binding)...))
}

func (s *Server) flowMAC(issued []byte, binding string) []byte {
	m := hmac.New(sha256.New, s.flowKey[:])
	m.Write([]byte(stageSignIn + "|" + binding + "|"))
	m.Write(issued)
	return m.Sum(nil)[:16]
}

// spendSignInToken checks a token for binding and marks it used.
func (s *Server) spendSignInToken(token, binding string) bool {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != 16+16 {
		return false
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(raw[:8])), 0)
	if age := s.now().Sub(issued); age < -time.Minute || age > signInStepLifetime {
		return false
	}
	if !hmac.Equal(raw[16:], s.flowMAC(raw[:16], binding)) {
		return false
	}
	if _, spent := s.spentFlows.get(token); spent {
		return false
	}
	s.spentFlows.put(token, struct{}{}, signInStepLifetime+time.Minute)
	return true
}

// sameOrigin refuses a browser's cross-origin form POST: no Origin (not a browser, or an old one) passes,
// an opaque "null" one does not.
func (s *Server) sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	scheme := "http"
	if s.opts.TLS {
		scheme = "https"
	}
	return origin == scheme+"://"+r.Host || origin == s.url
}

func (s *Server) refuseCrossOrigin(w http.ResponseWriter) {
	renderPage(w, http.StatusForbidden, "message", page{Title: "Request refused",
		Message: "This form was posted from another site. Open the sign-in page again and sign in there."})
}

// originOf is the scheme://host[:port] of a URL, for a Content-Security-Policy source; "" when unparsable.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
