// Package profiles keeps named settings per customer tenant (authority or issuer, tenant, client ID, redirect
// URI, platform, scopes, certificate path, assertion algorithm and a note) in one JSON file in the user's
// config directory, so support staff can switch between customers without retyping IDs.
//
// A profile holds no secrets (DESIGN.md §6). It says where the client secret comes from instead: an
// environment variable, a prompt, or the OS keyring (SecretSource, Resolve). Converting settings into a
// profile drops the client secret, the certificate's key material, assertions and refresh tokens, and Store
// refuses to write anything that looks like a secret.
//
// Settings precedence, implemented once by Apply: command-line flags, then AZURE_* environment variables,
// then the active (or --profile) profile, then the built-in demo tenant.
//
// The package never prints and never imports the TUI.
package profiles
