package emulator

import (
	"fmt"
	"path/filepath"
	"time"
)

// daemonCredential is the certificate registered for the daemon app, with the PEM (certificate + private key)
// handed to clients through Description.Apps.Daemon.
type daemonCredential struct {
	*rsaCert
	pem  []byte
	file string
}

func newDaemonCredential(dir, cacheDir string, now time.Time) (*daemonCredential, error) {
	c, err := cachedRSACert(cacheDir, "daemon", "aadx-demo-daemon", now)
	if err != nil {
		return nil, err
	}
	data, err := c.pem()
	if err != nil {
		return nil, fmt.Errorf("encode daemon key: %w", err)
	}
	file := filepath.Join(dir, "daemon.pem")
	if err := writePrivateFile(file, data); err != nil {
		return nil, fmt.Errorf("write daemon certificate: %w", err)
	}
	return &daemonCredential{rsaCert: c, pem: data, file: file}, nil
}
