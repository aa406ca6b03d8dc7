// Command bench-start measures start-up figures of whole processes side by side, interleaved (a round runs
// every case once, in reverse order every other round) so that machine noise hits every case alike, and
// prints medians and the ratios docs/benchmarks.md and issue 14 state:
//
//	run        `aadx run client-credentials --demo --json`, launch to exit (one token)   vs version
//	version    `aadx version`, launch to exit: the start-up floor of the same binary
//	emulator   `aadx emulator --json`, launch to the first token issued over HTTP       vs oidc-provider
//	oidc       node oidc-provider (scripts/bench-emulator/server.mjs), launch to the first token
//	decode     `aadx decode --json -` on a ~2 KB token                                   vs step
//	           (the goal row uses decode-static, the release build, when -aadx-static is given)
//	step       `step crypto jwt inspect --insecure` on the same token
//	hello      a Go hello world: the floor of any Go process, for scale
//	frame      `aadx --demo` in a 100x30 tmux pane, launch to the first frame on screen    vs frame-floor
//	           (the pane respawned and captured through one tmux control-mode client, tmux.go)
//	frame-floor  `cat` of that same first frame in the same pane
//	version-static, decode-static  the same with a CGO_ENABLED=0 build (-aadx-static): the effect of cgo on start-up
//
// With -rsa it also compares one RSA-2048 PKCS#1 v1.5 SHA-256 signature (what an RS256 token costs) in Go's
// crypto/rsa and in the emulator's own signer with node's crypto.sign (OpenSSL), as oidc-provider signs: 5
// interleaved rounds of a one-second loop each.
//
// Usage: bench-start -aadx BIN [-aadx-static BIN] [-rounds 30] [-node-server FILE] [-step BIN] [-hello BIN] [-token FILE] [-tmux] [-rsa]
// Cases whose tool is missing are left out and said so.
package main

import (
	"bufio"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aadx/aadx/internal/rsa2048"
)

func main() {
	aadx := flag.String("aadx", "", "the aadx binary")
	static := flag.String("aadx-static", "", "the same built with CGO_ENABLED=0 (empty: no cgo comparison)")
	rounds := flag.Int("rounds", 30, "interleaved rounds")
	nodeServer := flag.String("node-server", "", "scripts/bench-emulator/server.mjs (empty: no oidc-provider case)")
	step := flag.String("step", "", "smallstep step binary (empty: no step case)")
	hello := flag.String("hello", "", "a Go hello world binary (empty: no hello case)")
	tokenFile := flag.String("token", "", "the token the decode cases read (needed for decode and step)")
	useTmux := flag.Bool("tmux", false, "measure the first frame in tmux")
	rsaToo := flag.Bool("rsa", false, "compare an RSA-2048 signature in Go and in node")
	flag.Parse()
	if *aadx == "" {
		fail("-aadx is required")
	}
	var cases []benchCase
	add := func(name string, run func() (time.Duration, error)) {
		cases = append(cases, benchCase{name: name, run: run})
	}
	add("version", func() (time.Duration, error) { return runQuiet(nil, *aadx, "version") })
	if *static != "" {
		add("version-static", func() (time.Duration, error) { return runQuiet(nil, *static, "version") })
	}
	add("run", func() (time.Duration, error) {
		return runExpect(*aadx, `"ok": true`, "run", "client-credentials", "--demo", "--json")
	})
	add("emulator", func() (time.Duration, error) {
		return firstToken(exec.Command(*aadx, "emulator", "--json"), emulatorForm)
	})
	if *nodeServer != "" {
		add("oidc", func() (time.Duration, error) {
			cmd := exec.Command("node", *nodeServer)
			cmd.Env = append(os.Environ(), "WORKERS=1")
			return firstToken(cmd, nodeForm)
		})
	}
	if *tokenFile != "" {
		token, err := os.ReadFile(*tokenFile)
		if err != nil {
			fail(err.Error())
		}
		add("decode", func() (time.Duration, error) { return runQuiet(token, *aadx, "decode", "--json", "-") })
		if *static != "" {
			add("decode-static", func() (time.Duration, error) { return runQuiet(token, *static, "decode", "--json", "-") })
		}
		if *step != "" {
			add("step", func() (time.Duration, error) { return runQuiet(token, *step, "crypto", "jwt", "inspect", "--insecure") })
		}
	}
	if *hello != "" {
		add("hello", func() (time.Duration, error) { return runQuiet(nil, *hello) })
	}
	if *useTmux {
		pane, err := newTmuxPane()
		if err != nil {
			fail(err.Error())
		}
		defer pane.close()
		atFail = pane.close
		floor, err := pane.captureFirstFrame(*aadx + " --demo")
		if err != nil {
			fail(err.Error())
		}
		add("frame", func() (time.Duration, error) { return pane.timeTo(*aadx+" --demo", frameMarker, "frame") })
		add("frame-floor", func() (time.Duration, error) {
			return pane.timeTo("cat "+floor+"; sleep 600", frameMarker, "frame-floor")
		})
	}

	for _, c := range cases { // every case must work before it is timed
		if _, err := c.run(); err != nil {
			fail(c.name + ": " + err.Error())
		}
	}
	times := map[string][]time.Duration{}
	for r := 0; r < *rounds; r++ {
		order := slices.Clone(cases)
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, c := range order {
			took, err := c.run()
			if err != nil {
				fail(c.name + ": " + err.Error())
			}
			times[c.name] = append(times[c.name], took)
		}
	}

	fmt.Printf("%d interleaved rounds; median and interquartile range, ms\n", *rounds)
	med := map[string]float64{}
	for _, c := range cases {
		t := times[c.name]
		slices.Sort(t)
		med[c.name] = ms(t[len(t)/2])
		fmt.Printf("  %-12s %8.1f   (%.1f–%.1f)\n", c.name, med[c.name], ms(t[len(t)/4]), ms(t[len(t)*3/4]))
	}
	fmt.Println("ratios (goal in brackets):")
	ratio := func(label, a, b, goal string) {
		if med[a] > 0 && med[b] > 0 {
			fmt.Printf("  %-58s %6.2fx  [%s]\n", label, med[a]/med[b], goal)
		}
	}
	ratio("aadx run client-credentials --demo --json / aadx version", "run", "version", "<= 4x")
	ratio("aadx emulator --json to first token / oidc-provider", "emulator", "oidc", "<= 0.10x")
	if med["decode-static"] > 0 {
		// The goal is about the binary users run: a release is built with CGO_ENABLED=0 (README). The default
		// `go build` (cgo, dynamically linked) stays beside it.
		ratio("aadx decode --json, release build (CGO_ENABLED=0) / step", "decode-static", "step", "<= 0.18x")
		ratio("aadx decode --json, default go build (cgo) / step", "decode", "step", "for scale")
	} else {
		ratio("aadx decode --json / step crypto jwt inspect", "decode", "step", "<= 0.18x")
	}
	ratio("Go hello world / step crypto jwt inspect (for scale)", "hello", "step", "floor")
	ratio("aadx version, CGO_ENABLED=0 build / default (cgo) build", "version-static", "version", "< 1x: static is faster")
	ratio("aadx decode --json, CGO_ENABLED=0 build / default (cgo) build", "decode-static", "decode", "< 1x: static is faster")
	if med["frame"] > 0 {
		fmt.Printf("  %-58s %6.1f ms [<= 25 ms]; printing the same frame: %.1f ms\n", "aadx --demo first frame in tmux", med["frame"], med["frame-floor"])
		cpu := func(name string) float64 {
			t := cpuToFrame[name]
			slices.Sort(t)
			return ms(t[len(t)/2])
		}
		fmt.Printf("  %-58s %6.1f ms (printing the same frame: %.1f ms)\n", "CPU time used up to that first frame (median)", cpu("frame"), cpu("frame-floor"))
	}
	if *rsaToo {
		compareRSA()
	}
}

// nodeSign is node's loop: µs per crypto.sign('sha256', 700 bytes, RSA-2048 key) over one second.
const nodeSign = `const c = require('crypto');
const { privateKey } = c.generateKeyPairSync('rsa', { modulusLength: 2048 });
const data = Buffer.alloc(700, 65);
for (let i = 0; i < 50; i++) c.sign('sha256', data, privateKey);
let n = 0; const t0 = process.hrtime.bigint(); let t = t0;
while (t - t0 < 1000000000n) { c.sign('sha256', data, privateKey); n++; t = process.hrtime.bigint(); }
console.log(Number(t - t0) / n / 1000);`

// compareRSA prints the median time of one RSA-2048 signature in Go's crypto/rsa, in the emulator's own
// signer (internal/rsa2048) and in node, and the ratios.
func compareRSA() {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		fail(err.Error())
	}
	emulatorSigner := rsa2048.NewSigner(key)
	digest := sha256.Sum256(make([]byte, 700))
	loop := func(sign func() error) float64 {
		n, start := 0, time.Now()
		for time.Since(start) < time.Second {
			if err := sign(); err != nil {
				fail(err.Error())
			}
			n++
		}
		return float64(time.Since(start).Microseconds()) / float64(n)
	}
	var goTimes, ownTimes, nodeTimes []float64
	for r := 0; r < 5; r++ {
		goTimes = append(goTimes, loop(func() error { _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:]); return err }))
		ownTimes = append(ownTimes, loop(func() error { _, err := emulatorSigner.Sign(digest); return err }))
		out, err := exec.Command("node", "-e", nodeSign).Output()
		if err != nil {
			fail("node: " + err.Error())
		}
		var us float64
		if _, err := fmt.Sscan(string(out), &us); err != nil {
			fail("node printed " + string(out))
		}
		nodeTimes = append(nodeTimes, us)
	}
	slices.Sort(goTimes)
	slices.Sort(ownTimes)
	slices.Sort(nodeTimes)
	fmt.Printf("RSA-2048 PKCS#1 v1.5 SHA-256 signature, median of 5 interleaved 1 s loops: Go crypto/rsa %.0f µs, node (OpenSSL) %.0f µs: Go takes %.2fx\n",
		goTimes[2], nodeTimes[2], goTimes[2]/nodeTimes[2])
	fmt.Printf("the emulator's signer (internal/rsa2048, AVX-512 IFMA: %v) %.0f µs: %.2fx node, %.2fx crypto/rsa\n",
		emulatorSigner.Accelerated(), ownTimes[2], ownTimes[2]/nodeTimes[2], ownTimes[2]/goTimes[2])
}

type benchCase struct {
	name string
	run  func() (time.Duration, error) // how long the measured part took
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "bench-start: "+msg)
	if atFail != nil {
		atFail()
	}
	os.Exit(1)
}

// atFail undoes what must not outlive a failed run: the tmux server, whose pane may hold an aadx that would
// keep it alive.
var atFail func()

// runQuiet runs a command to its end with stdin (may be nil) and its output discarded: launch to exit.
func runQuiet(stdin []byte, name string, args ...string) (time.Duration, error) {
	cmd := exec.Command(name, args...)
	if stdin != nil {
		cmd.Stdin = strings.NewReader(string(stdin))
	}
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("%v: %s", err, out)
	}
	return took, nil
}

// runExpect runs a command to its end and checks its standard output holds want: launch to exit.
func runExpect(name, want string, args ...string) (time.Duration, error) {
	start := time.Now()
	out, err := exec.Command(name, args...).Output()
	took := time.Since(start)
	if err != nil {
		return 0, err
	}
	if !strings.Contains(string(out), want) {
		return 0, fmt.Errorf("output lacks %q", want)
	}
	return took, nil
}

// firstToken starts a server that prints one JSON line when it listens, asks it for a client-credentials
// token on a new connection, and stops it: launch to the first token issued (stopping is not timed).
func firstToken(cmd *exec.Cmd, form func(line []byte) (string, url.Values, error)) (time.Duration, error) {
	stdin, err := cmd.StdinPipe() // node's server stops when its stdin closes
	if err != nil {
		return 0, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		_ = stdin.Close()
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		return 0, fmt.Errorf("no JSON line: %w", err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	endpoint, values, err := form(line)
	if err != nil {
		return 0, err
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.PostForm(endpoint, values)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK || strings.Count(body.AccessToken, ".") != 2 {
		return 0, fmt.Errorf("HTTP %d without a JWT access token", resp.StatusCode)
	}
	return time.Since(start), nil
}

// emulatorForm reads `aadx emulator --json`'s line: the daemon app's client-credentials request.
func emulatorForm(line []byte) (string, url.Values, error) {
	var d struct {
		Authority string `json:"authority"`
		TenantID  string `json:"tenant_id"`
		Apps      struct {
			Daemon struct {
				ClientID     string `json:"client_id"`
				ClientSecret string `json:"client_secret"`
				Scope        string `json:"scope"`
			} `json:"daemon"`
		} `json:"apps"`
	}
	if err := json.Unmarshal(line, &d); err != nil {
		return "", nil, err
	}
	a := d.Apps.Daemon
	return d.Authority + "/" + d.TenantID + "/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {a.ClientID}, "client_secret": {a.ClientSecret}, "scope": {a.Scope}}, nil
}

// nodeForm reads server.mjs's line.
func nodeForm(line []byte) (string, url.Values, error) {
	var d struct {
		TokenEndpoint string `json:"token_endpoint"`
		ClientID      string `json:"client_id"`
		ClientSecret  string `json:"client_secret"`
		Scope         string `json:"scope"`
	}
	if err := json.Unmarshal(line, &d); err != nil {
		return "", nil, err
	}
	return d.TokenEndpoint, url.Values{"grant_type": {"client_credentials"}, "client_id": {d.ClientID},
		"client_secret": {d.ClientSecret}, "scope": {d.Scope}}, nil
}

// treeCPU is the CPU time used so far by a process, its threads and its descendants, from the scheduler's
// nanosecond accounting (/proc/PID/task/TID/schedstat, first field).
func treeCPU(pid string) time.Duration {
	var total time.Duration
	tasks, _ := filepath.Glob("/proc/" + pid + "/task/*")
	for _, task := range tasks {
		if stat, err := os.ReadFile(task + "/schedstat"); err == nil {
			var ns int64
			if _, err := fmt.Sscan(string(stat), &ns); err == nil {
				total += time.Duration(ns)
			}
		}
		if children, err := os.ReadFile(task + "/children"); err == nil {
			for _, child := range strings.Fields(string(children)) {
				total += treeCPU(child)
			}
		}
	}
	return total
}
