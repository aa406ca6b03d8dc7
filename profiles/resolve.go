package profiles

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aadx/aadx/flows"
	"github.com/zalando/go-keyring"
)

// KeyringService is the service name aadx's secrets are kept under in the OS keyring; the account is the
// profile's name.
const KeyringService = "aadx"

// ErrNoSecret means the secret source gave nothing: an empty variable, an empty answer, no keyring entry.
var ErrNoSecret = errors.New("no client secret")

// ErrKeyringUnavailable means the OS keyring could not be reached (e.g. no D-Bus Secret Service on Linux).
var ErrKeyringUnavailable = errors.New("the OS keyring is unavailable")

// PromptFunc asks the user for a secret, label saying which; nil means no one can be asked.
type PromptFunc func(label string) (string, error)

// keyringTimeout bounds a keyring call: go-keyring talks to D-Bus on Linux, which can block indefinitely.
var keyringTimeout = 5 * time.Second

// The keyring calls, replaceable in tests that need one to block.
var (
	keyringGet = keyring.Get
	keyringSet = keyring.Set
	keyringDel = keyring.Delete
)

// Resolve returns the client secret of the profile named profile from its source: the environment variable,
// the prompt, or the OS keyring (service "aadx", account = profile). SecretNone gives "" and no error. A source
// that gives nothing returns an error wrapping ErrNoSecret that names the variable or profile; an unreachable
// keyring returns one wrapping ErrKeyringUnavailable that suggests the env kind. It never blocks past ctx or
// the keyring timeout.
func Resolve(ctx context.Context, profile string, src SecretSource, prompt PromptFunc) (string, error) {
	switch src = src.normalized(); src.Kind {
	case SecretNone:
		return "", nil
	case SecretEnv:
		if !secretEnvAllowed(src.Env) {
			return "", fmt.Errorf("%w: profile %q reads its client secret from %s, which is not an AZURE_* or AADX_* variable; confirm it with %s=%s, or use AZURE_CLIENT_SECRET", ErrNoSecret, profile, src.Env, AllowSecretEnvVar, src.Env)
		}
		if v := os.Getenv(src.Env); v != "" {
			return v, nil
		}
		return "", fmt.Errorf("%w: environment variable %s is empty; set it to the client secret of profile %q", ErrNoSecret, src.Env, profile)
	case SecretPrompt:
		if prompt == nil {
			return "", fmt.Errorf("%w: profile %q asks for the client secret at a prompt, but there is no terminal; use --secret-env VAR instead", ErrNoSecret, profile)
		}
		v, err := prompt(fmt.Sprintf("Client secret for profile %s", profile))
		if err != nil {
			return "", fmt.Errorf("the client secret for profile %q could not be read: %w", profile, err)
		}
		if v = strings.TrimSpace(v); v == "" {
			return "", fmt.Errorf("%w: nothing was entered for profile %q", ErrNoSecret, profile)
		}
		return v, nil
	case SecretKeyring:
		get := keyringGet // read before the goroutine starts
		v, err := withKeyring(ctx, func() (string, error) { return get(KeyringService, profile) })
		if errors.Is(err, keyring.ErrNotFound) {
			return "", fmt.Errorf("%w: the OS keyring has no secret for profile %q; store one with: aadx profiles secret %s", ErrNoSecret, profile, profile)
		}
		if err != nil {
			return "", keyringError(err)
		}
		return v, nil
	default:
		return "", src.validate()
	}
}

// StoreSecretInKeyring keeps secret in the OS keyring for the profile named profile.
func StoreSecretInKeyring(ctx context.Context, profile, secret string) error {
	if err := ValidateName(profile); err != nil {
		return err
	}
	if secret == "" {
		return fmt.Errorf("%w: an empty secret cannot be stored", ErrNoSecret)
	}
	set := keyringSet
	_, err := withKeyring(ctx, func() (struct{}, error) { return struct{}{}, set(KeyringService, profile, secret) })
	if err != nil {
		return keyringError(err)
	}
	return nil
}

// DeleteSecretFromKeyring removes the profile's secret from the OS keyring; a missing entry is not an error.
func DeleteSecretFromKeyring(ctx context.Context, profile string) error {
	del := keyringDel
	_, err := withKeyring(ctx, func() (struct{}, error) { return struct{}{}, del(KeyringService, profile) })
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return keyringError(err)
	}
	return nil
}

// Credential gives s the profile's client credential when flags and environment gave none (precedence as in
// Apply): the certificate at CertFile, opened with certPassword (the caller reads
// AZURE_CLIENT_CERTIFICATE_PASSWORD), else the secret from the profile's SecretSource.
func Credential(ctx context.Context, p Profile, s *flows.Settings, certPassword string, prompt PromptFunc) error {
	if s.ClientSecret != "" || s.Certificate != nil {
		return nil
	}
	if p.CertFile != "" {
		c, err := flows.LoadCertificate(p.CertFile, certPassword)
		if err != nil {
			return fmt.Errorf("profile %q: %w", p.Name, err)
		}
		s.Certificate = c
		return nil
	}
	v, err := Resolve(ctx, p.Name, p.Secret, prompt)
	if err != nil {
		return err
	}
	s.ClientSecret = v
	return nil
}

// withKeyring runs a keyring call, giving up when ctx ends or after keyringTimeout. A call that blocks is left
// behind (go-keyring cannot be cancelled); its result is dropped.
func withKeyring[T any](ctx context.Context, call func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	ctx, cancel := context.WithTimeout(ctx, keyringTimeout)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := call()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		return zero, fmt.Errorf("no answer: %w", ctx.Err())
	}
}

func keyringError(err error) error {
	return fmt.Errorf("%w (%w); keep the secret in an environment variable instead: --secret-env AZURE_CLIENT_SECRET", ErrKeyringUnavailable, err)
}
