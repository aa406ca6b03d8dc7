package emulator

import "time"

// Options configure a Server. The zero value serves plain HTTP on a random loopback port.
type Options struct {
	Addr           string           // listen address; default "127.0.0.1:0"
	TLS            bool             // serve HTTPS with a CA generated at start (CA PEM written to Dir, named in Description.CAFile)
	NoListener     bool             // no socket: URL() is still a valid http(s)://host authority, HTTPClient() serves in memory via Handler()
	AutoApprove    bool             // sign-in and device approval happen at once as the login_hint user or the first demo user
	DeviceInterval time.Duration    // device-code polling interval announced (default 5s); tests use small values
	Scenarios      []string         // fault scenarios by name (see Scenarios())
	Dir            string           // where cert files are written (0600); default a temp dir removed by Close
	Now            func() time.Time // injectable clock; default time.Now
	// KeyCache is a directory of RSA keys reused across starts (0600 PEM files, made when missing or
	// unreadable; see UserKeyCache); default none: every Server makes its own keys.
	KeyCache string

	readTimeout time.Duration // tests shorten the listener's read timeout
}

// Defaults of Options and the lifetimes Entra documents.
const (
	defaultAddr           = "127.0.0.1:0"
	defaultDeviceInterval = 5 * time.Second
	codeLifetime          = 10 * time.Minute    // authorization codes live about 10 minutes [ACF]
	deviceCodeLifetime    = 900 * time.Second   // device codes: expires_in 900 [DCF]
	refreshLifetime       = 90 * 24 * time.Hour // refresh tokens: 90 days [RT]
	spaRefreshLifetime    = 24 * time.Hour      // SPA refresh tokens: 24 h, not extendable [RT]
	sessionLifetime       = 8 * time.Hour       // browser sign-in session (cookie)
	signInStepLifetime    = 15 * time.Minute    // between password and consent pages
	accessTokenLifetime   = 3599 * time.Second  // the docs' example expires_in [CCF]
	idTokenLifetime       = time.Hour           // [IDT]
)

func (o Options) withDefaults() Options {
	if o.Addr == "" {
		o.Addr = defaultAddr
	}
	if o.DeviceInterval <= 0 {
		o.DeviceInterval = defaultDeviceInterval
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
