package emulator

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// Hard caps on stored state; entries also expire (Options lifetimes).
const (
	maxCodes       = 10_000
	maxDeviceCodes = 10_000
	maxRefresh     = 50_000
	maxSessions    = 10_000
	maxSignInSteps = 10_000
	maxConsents    = 10_000
	maxAssertionID = 50_000
)

// Connection deadlines: a whole request (headers and a 1 MiB body) within 30 s; a response within 60 s (the
// slow scenario holds responses 3 s).
const (
	defaultReadTimeout = 30 * time.Second
	writeTimeout       = time.Minute
)

// Server is a running emulator. Create it with New and release it with Close.
type Server struct {
	opts        Options
	now         func() time.Time
	tenant      *tenant
	url         string
	dir         string
	ownDir      bool
	handler     http.Handler
	tls         *tlsMaterial
	caFile      string
	signing     *future[*signingKey]       // the token-signing key
	daemon      *future[*daemonCredential] // the daemon app's certificate credential
	rotated     *future[*signingKey]       // the key the key-rotated scenario rotates in
	scenarios   scenarioSet
	listener    net.Listener
	http        *http.Server
	served      chan struct{}
	tokenHits   atomic.Uint64    // token requests seen, for transient-5xx
	secretless  *secretlessState // managed identity and external issuer state
	revocations revocations      // continuous access evaluation events per user (resource_cae.go)

	codes    *store[authCode]
	devices  *store[*deviceGrant]
	userCode *store[string] // user code -> device code
	refresh  *store[refreshGrant]
	sessions *store[session]
	steps    *store[signInStep]
	consents *store[[]string] // user oid + client id -> consented scopes
	jtis     *store[struct{}] // client assertion ids already used

	flowKey    [32]byte         // signs the sign-in forms' anti-forgery tokens
	spentFlows *store[struct{}] // sign-in tokens already used
}

// New creates the emulator and, unless opts.NoListener, starts serving. RSA keys are generated in the
// background so the listener is up at once; the first token or JWKS request waits for them.
func New(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	active, err := parseScenarios(opts.Scenarios)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, now: opts.Now, tenant: newDemoTenant(), dir: opts.Dir, served: make(chan struct{})}
	s.scenarios.set(active)
	s.secretless = newSecretlessState(opts.KeyCache, s.now())
	if s.dir == "" {
		if s.dir, err = os.MkdirTemp("", "aadx-emulator-"); err != nil {
			return nil, fmt.Errorf("emulator directory: %w", err)
		}
		s.ownDir = true
	} else if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("emulator directory %s: %w", s.dir, err)
	}
	start := s.now()
	// Only the signing key is made at once, in the background, so that the listener answers at once; the
	// daemon's certificate waits for the first Description or certificate assertion, the rotated key for its
	// scenario. With a key cache each is read from disk instead of generated.
	dir, cache := s.dir, opts.KeyCache
	s.signing = newFuture(func() (*signingKey, error) { return newSigningKey(cache, "signing", start) })
	s.daemon = newFuture(func() (*daemonCredential, error) { return newDaemonCredential(dir, cache, start) })
	s.rotated = newFuture(func() (*signingKey, error) { return newSigningKey(cache, "rotated", start) })
	s.signing.start()
	if active[scenarioKeyRotated] {
		s.rotated.start()
	}
	s.initStores()
	if opts.TLS {
		if s.tls, err = newTLSMaterial(start); err != nil {
			return nil, s.failStart(err)
		}
		s.caFile = filepath.Join(s.dir, "ca.pem")
		if err := writePrivateFile(s.caFile, s.tls.caPEM); err != nil {
			return nil, s.failStart(fmt.Errorf("write CA file: %w", err))
		}
	}
	s.handler = s.routes()
	if err := s.listen(); err != nil {
		return nil, s.failStart(err)
	}
	return s, nil
}

func (s *Server) initStores() {
	// Pending items (codes, device codes, sign-in steps) are kept when full: a flood is refused instead.
	s.codes = newStore[authCode](maxCodes, s.now).keepWhenFull()
	s.devices = newStore[*deviceGrant](maxDeviceCodes, s.now).keepWhenFull()
	s.userCode = newStore[string](maxDeviceCodes, s.now).keepWhenFull()
	s.refresh = newStore[refreshGrant](maxRefresh, s.now)
	s.sessions = newStore[session](maxSessions, s.now)
	s.steps = newStore[signInStep](maxSignInSteps, s.now).keepWhenFull()
	s.consents = newStore[[]string](maxConsents, s.now)
	s.jtis = newStore[struct{}](maxAssertionID, s.now)
	s.spentFlows = newStore[struct{}](maxSignInSteps, s.now)
	_, _ = rand.Read(s.flowKey[:])
}

func (s *Server) listen() error {
	scheme := "http"
	if s.opts.TLS {
		scheme = "https"
	}
	if s.opts.NoListener {
		s.url = scheme + "://127.0.0.1"
		return nil
	}
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.opts.Addr, err)
	}
	s.url = scheme + "://" + authorityHost(ln.Addr().(*net.TCPAddr))
	readTimeout := s.opts.readTimeout
	if readTimeout == 0 {
		readTimeout = defaultReadTimeout
	}
	// Every phase of a connection has a deadline: a client that stalls in its headers or its body, never
	// reads the answer, or idles is closed rather than holding a goroutine and a socket.
	s.http = &http.Server{Handler: s.handler, ReadHeaderTimeout: min(10*time.Second, readTimeout),
		ReadTimeout: readTimeout, WriteTimeout: writeTimeout, IdleTimeout: time.Minute}
	if s.tls != nil {
		s.http.TLSConfig = s.tls.serverConfig()
		ln = tlsListener(ln, s.http.TLSConfig)
	}
	s.listener = ln
	go func() {
		defer close(s.served)
		_ = s.http.Serve(ln) // returns http.ErrServerClosed on Close
	}()
	return nil
}

// authorityHost names the listener as clients should dial it: a wildcard bind is reached on loopback.
func authorityHost(addr *net.TCPAddr) string {
	ip := addr.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(addr.Port))
}

func (s *Server) failStart(err error) error {
	_ = s.Close()
	return err
}

// ListenAddr is the address the listener is bound to (e.g. "0.0.0.0:8400"), or "" without one.
func (s *Server) ListenAddr() string {
	if s.listener == nil {
		return ""
	}
	return s.listener.Addr().String()
}

// URL is the authority, e.g. "http://127.0.0.1:41234": no trailing slash, no tenant.
func (s *Server) URL() string { return s.url }

// Handler serves every endpoint; it can be mounted in any http.Server or called in memory.
func (s *Server) Handler() http.Handler { return s.handler }

// HTTPClient returns a client that reaches the emulator: it trusts the generated CA with TLS, and serves
// requests in memory through Handler with NoListener.
func (s *Server) HTTPClient() *http.Client {
	if s.opts.NoListener {
		return &http.Client{Transport: handlerTransport{s.handler}, Timeout: 30 * time.Second}
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	if s.tls != nil {
		t.TLSClientConfig = clientTLSConfig(s.tls.pool)
	}
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// Description is the one-line JSON of `aadx emulator --json`. It waits for the daemon's certificate file
// (made on the first call, alongside the signing key).
func (s *Server) Description() Description {
	var certFile string
	var certPEM []byte
	if cred, err := s.daemon.wait(); err == nil {
		certFile, certPEM = cred.file, cred.pem
	}
	d := s.tenant.describe(s.url, s.caFile, certFile, certPEM)
	s.describeSecretless(&d)
	return d
}

// DescriptionWithoutCertificate is Description without the daemon's certificate (CertFile and CertPEM
// empty), for callers that use secrets only: it neither makes, reads nor writes that key.
func (s *Server) DescriptionWithoutCertificate() Description {
	d := s.tenant.describe(s.url, s.caFile, "", nil)
	s.describeSecretless(&d)
	return d
}

// SetScenarios replaces the active fault scenarios; an unknown name is an error naming it.
func (s *Server) SetScenarios(names []string) error {
	active, err := parseScenarios(names)
	if err != nil {
		return err
	}
	s.scenarios.set(active)
	if active[scenarioKeyRotated] {
		s.rotated.start()
	}
	// A scenario switched on starts from its first request, so transient-5xx fails the very next token
	// request however often it was switched before: a reproduction that reproduces every time.
	s.tokenHits.Store(0)
	s.revocations.reset() // a CAE reproduction starts with no event recorded
	return nil
}

// Close stops serving and removes the temporary directory it created.
func (s *Server) Close() error {
	var errs []error
	if s.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if err := s.http.Shutdown(ctx); err != nil {
			errs = append(errs, s.http.Close())
		}
		cancel()
		<-s.served
	}
	if s.signing != nil { // key making ends (the daemon's file is written) before the directory goes
		s.signing.settle()
		s.daemon.settle()
		s.rotated.settle()
	}
	if s.ownDir {
		errs = append(errs, os.RemoveAll(s.dir))
	}
	return errors.Join(errs...)
}

// tenantKind classifies a tenant path segment [§1.6].
type tenantKind int

const (
	tenantUnknown tenantKind = iota
	tenantOwn
	tenantCommon
	tenantOrganizations
	tenantConsumers
)

func (s *Server) classifyTenant(segment string) tenantKind {
	switch {
	case s.tenant.isOwn(segment):
		return tenantOwn
	case strings.EqualFold(segment, "common"):
		return tenantCommon
	case strings.EqualFold(segment, "organizations"):
		return tenantOrganizations
	case strings.EqualFold(segment, "consumers"), strings.EqualFold(segment, consumersTenant):
		return tenantConsumers
	}
	return tenantUnknown
}
