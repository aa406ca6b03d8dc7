package profiles

import (
	"github.com/aadx/aadx/flows"
)

// MaxNameLength bounds a profile name so it fits a list column and a keyring account.
const MaxNameLength = 64

var namePattern = lazyRegexp(`^[A-Za-z0-9._-]+$`)

// ValidateName checks a profile name: letters, digits, '-', '_' and '.', at most 64 characters. The error is
// a *flows.FieldError for the field "name".
func ValidateName(name string) error {
	switch {
	case name == "":
		return &flows.FieldError{Field: "name", Problem: "is required", Fix: "name the profile, e.g. contoso-prod"}
	case len(name) > MaxNameLength:
		return &flows.FieldError{Field: "name", Problem: "is longer than 64 characters", Fix: "use a shorter name"}
	case !namePattern().MatchString(name):
		return &flows.FieldError{Field: "name", Value: name, Problem: "has characters other than letters, digits, -, _ and .", Fix: "use e.g. contoso-prod"}
	}
	return nil
}
