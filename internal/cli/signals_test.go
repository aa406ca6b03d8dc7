package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aadx/aadx/emulator"
)

func TestSecondsFlag(t *testing.T) {
	for in, want := range map[string]time.Duration{"1": time.Second, "1.5": 1500 * time.Millisecond, "2s": 2 * time.Second, "100ms": 100 * time.Millisecond} {
		var d time.Duration
		if err := (secondsFlag{&d}).Set(in); err != nil || d != want {
			t.Errorf("Set(%q) = %v, %v; want %v", in, d, err, want)
		}
	}
	var d time.Duration
	if err := (secondsFlag{&d}).Set("soon"); err == nil {
		t.Error(`Set("soon") succeeded`)
	}
	var out, errOut bytes.Buffer
	if code := execute([]string{"emulator", "--device-interval", "soon"}, strings.NewReader(""), &out, &errOut); code != exitUsage ||
		!strings.Contains(errOut.String(), "device-interval") {
		t.Errorf("--device-interval soon: exit %d, stderr %q", code, errOut.String())
	}
}

// startEmulatorCmd runs `aadx emulator ARGS --json` in process and returns its description and stderr.
func startEmulatorCmd(t *testing.T, args ...string) (emulator.Description, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &syncBuffer{}
	cmd := newEmulatorCmd()
	cmd.SetArgs(append(args, "--json", "--dir", t.TempDir()))
	cmd.SetOut(pw)
	cmd.SetErr(stderr)
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx); pw.Close() }()
	t.Cleanup(func() { cancel(); <-done })
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the JSON line: %v (stderr %s)", err, stderr.String())
	}
	var d emulator.Description
	if err := json.Unmarshal([]byte(line), &d); err != nil {
		t.Fatalf("not JSON: %q", line)
	}
	return d, stderr
}

// TestEmulatorCmdDeviceIntervalSeconds: --device-interval 1 announces interval 1.
func TestEmulatorCmdDeviceIntervalSeconds(t *testing.T) {
	d, _ := startEmulatorCmd(t, "--device-interval", "1")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).PostForm(d.Authority+"/"+d.TenantID+"/oauth2/v2.0/devicecode",
		map[string][]string{"client_id": {d.Apps.Public.ClientID}, "scope": {"openid"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var dc struct {
		Interval int `json:"interval"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&dc); err != nil || dc.Interval != 1 {
		t.Errorf("interval = %d (%v), want 1", dc.Interval, err)
	}
}

// TestEmulatorCmdWildcardWarns: --addr 0.0.0.0:0 says where it really listens and that the demo secrets
// are public; a loopback address says nothing.
func TestEmulatorCmdWildcardWarns(t *testing.T) {
	d, stderr := startEmulatorCmd(t, "--addr", "0.0.0.0:0")
	msg := stderr.String()
	if !strings.Contains(msg, "listens on 0.0.0.0:") || !strings.Contains(msg, "public") || !strings.Contains(msg, d.Authority) {
		t.Errorf("stderr = %q", msg)
	}
	_, stderr = startEmulatorCmd(t, "--addr", "127.0.0.1:0")
	if stderr.String() != "" {
		t.Errorf("loopback: stderr = %q", stderr.String())
	}
}

var (
	aadxBinOnce sync.Once
	aadxBin     string
	aadxBinErr  error
)

// buildAadx builds the binary once for the tests that need a real process (signals).
func buildAadx(t *testing.T) string {
	t.Helper()
	aadxBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "aadx-bin-")
		if err != nil {
			aadxBinErr = err
			return
		}
		aadxBin = filepath.Join(dir, "aadx")
		if out, err := exec.Command("go", "build", "-o", aadxBin, "github.com/aadx/aadx").CombinedOutput(); err != nil {
			aadxBinErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if aadxBinErr != nil {
		t.Fatal(aadxBinErr)
	}
	return aadxBin
}

// emulatorDirs lists the emulator's temporary directories under tmp.
func emulatorDirs(t *testing.T, tmp string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(tmp, "aadx-emulator-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSignalsRemoveTemporaryKeys: SIGTERM and SIGHUP end `aadx emulator` and `aadx run --demo` the orderly
// way, so the temporary directory with the daemon's private key is removed.
func TestSignalsRemoveTemporaryKeys(t *testing.T) {
	bin := buildAadx(t)
	cases := []struct {
		name  string
		args  []string
		ready func(line string) bool // the first stdout/stderr line that shows the keys are written
	}{
		{"emulator", []string{"emulator", "--tls", "--json"}, func(l string) bool { return strings.Contains(l, "cert_file") }},
		{"run --demo", []string{"run", "client-credentials", "--demo", "--scenario", "slow"}, func(l string) bool { return strings.Contains(l, "POST") }},
	}
	for _, tc := range cases {
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
			t.Run(tc.name+"/"+sig.String(), func(t *testing.T) {
				tmp := t.TempDir()
				cmd := exec.Command(bin, tc.args...)
				cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "XDG_CACHE_HOME="+t.TempDir())
				pr, pw := io.Pipe()
				cmd.Stdout, cmd.Stderr = pw, pw
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				exited := make(chan error, 1)
				go func() { exited <- cmd.Wait(); pw.Close() }()
				sc := bufio.NewScanner(pr)
				ready := false
				for !ready && sc.Scan() {
					ready = tc.ready(sc.Text())
				}
				go func() { _, _ = io.Copy(io.Discard, pr) }()
				if !ready {
					t.Fatalf("%s never got ready", tc.name)
				}
				if len(emulatorDirs(t, tmp)) == 0 {
					t.Fatal("no temporary emulator directory while running")
				}
				_ = cmd.Process.Signal(sig)
				select {
				case <-exited:
				case <-time.After(20 * time.Second):
					_ = cmd.Process.Kill()
					t.Fatalf("%s did not end on %s", tc.name, sig)
				}
				if left := emulatorDirs(t, tmp); len(left) != 0 {
					t.Errorf("after %s: %v left behind", sig, left)
				}
			})
		}
	}
}
