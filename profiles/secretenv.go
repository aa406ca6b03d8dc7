package profiles

import (
	"os"
	"strings"
)

// AllowSecretEnvVar lists, comma- or space-separated, the environment variables outside AZURE_* and AADX_* that
// a profile may read its client secret from.
const AllowSecretEnvVar = "AADX_SECRET_ENVS"

// secretEnvAllowed reports whether a profile may read its secret from the variable name. A profiles file can be
// shared or hand-edited; if it could name any variable, a profile pointing at another provider would send that
// provider whatever the variable holds (a GitHub token, a cloud access key) as its client secret. So only the
// variables kept for this purpose qualify: azidentity's AZURE_*, aadx's own AADX_*, and those the user confirms
// in AADX_SECRET_ENVS, outside the file.
func secretEnvAllowed(name string) bool {
	if strings.HasPrefix(name, "AZURE_") || strings.HasPrefix(name, "AADX_") {
		return true
	}
	for _, allowed := range strings.FieldsFunc(os.Getenv(AllowSecretEnvVar), func(r rune) bool { return r == ',' || r == ' ' }) {
		if allowed == name {
			return true
		}
	}
	return false
}
