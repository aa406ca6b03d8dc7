package flows

import "net/url"

// refuseUserinfo refuses a URL that carries user:password@. Go's HTTP client would send it to the host as Basic
// auth, traces would print it and profiles would save it, all in the clear; no Entra or OpenID endpoint takes
// credentials in its URL. The value is left out of the message, since it holds the password.
func refuseUserinfo(field string, u *url.URL) error {
	if u == nil || u.User == nil {
		return nil
	}
	return &FieldError{Field: field, Problem: "carries a user name or password (user:password@host)", Fix: "remove the user:password@ part: aadx never sends credentials inside a URL", secret: true}
}
