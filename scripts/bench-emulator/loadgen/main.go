// Command loadgen is the load generator scripts/bench points at both the aadx emulator and node oidc-provider:
// C concurrent loopback clients POST the same client-credentials form to a token endpoint for a fixed time,
// and every answer must be HTTP 200 with an RS256-signed JWT access token. It prints one line:
//
//	NAME tokens/s=N tokens=N errors=N p50=D p99=D alg=RS256 [cpu/token=D]
//
// Usage: loadgen -name emulator -url URL -form 'grant_type=client_credentials&...' [-c 20] [-d 10s] [-warmup 2s] [-pids PID,...]
//
// With -pids, cpu/token is the CPU time (user + system, from /proc/PID/stat) the server processes spent
// during the measured run, divided by the tokens issued.
//
// loadgen -sign-floor prints instead the CPU time of one RS256 signature of a client-credentials token's
// claims (RSA-2048), on one locked thread for about a second, from the thread's own scheduler accounting: the
// floors cpu/token is set against, measured in CPU time too (a shared machine stretches wall time, not CPU
// time). Two floors: go-jose with Go's crypto/rsa, and the emulator's own signer (internal/rsa2048).
package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/aadx/aadx/internal/rsa2048"
)

func main() {
	name := flag.String("name", "target", "label for the output line")
	target := flag.String("url", "", "token endpoint URL")
	form := flag.String("form", "", "form-encoded request body")
	clients := flag.Int("c", 20, "concurrent clients")
	duration := flag.Duration("d", 10*time.Second, "measured duration")
	warmup := flag.Duration("warmup", 2*time.Second, "unmeasured warm-up before the measurement")
	pids := flag.String("pids", "", "comma-separated server process ids whose CPU time per token to report")
	signFloor := flag.Bool("sign-floor", false, "print the CPU time of one RS256 signature and exit")
	flag.Parse()
	if *signFloor {
		fmt.Printf("signature cpu=%s emulator-signature cpu=%s\n", signatureCPU().Round(time.Microsecond),
			emulatorSignatureCPU().Round(time.Microsecond))
		return
	}
	if *target == "" || *form == "" {
		fmt.Fprintln(os.Stderr, "loadgen: -url and -form are required")
		os.Exit(2)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConns: *clients, MaxIdleConnsPerHost: *clients}}
	alg, err := tokenAlg(client, *target, *form)
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: %s: %v\n", *name, err)
		os.Exit(1)
	}
	run(client, *target, *form, *clients, *warmup)
	self := strconv.Itoa(os.Getpid())
	cpuBefore, selfBefore := cpuTime(*pids), cpuTime(self)
	r := run(client, *target, *form, *clients, *duration)
	cpu := ""
	if *pids != "" && r.tokens > 0 {
		cpu = fmt.Sprintf(" cpu/token=%s", ((cpuTime(*pids) - cpuBefore) / time.Duration(r.tokens)).Round(time.Microsecond))
	}
	// The load generator shares the machine's cores with the server: say how much of them it took (100% is one
	// core), so a reader can tell how much CPU was left for the server.
	cpu += fmt.Sprintf(" loadgen-cpu=%.0f%%", 100*float64(cpuTime(self)-selfBefore)/float64(*duration))
	fmt.Printf("%s tokens/s=%.0f tokens=%d errors=%d p50=%s p99=%s alg=%s%s\n", *name, float64(r.tokens)/duration.Seconds(),
		r.tokens, r.errors, r.percentile(50), r.percentile(99), alg, cpu)
	if r.errors > 0 {
		fmt.Fprintf(os.Stderr, "loadgen: %s: first error: %s\n", *name, r.firstErr)
		os.Exit(1)
	}
}

type result struct {
	tokens, errors int64
	firstErr       string
	latencies      []time.Duration
}

func (r *result) percentile(p int) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	slices.Sort(r.latencies)
	return r.latencies[(len(r.latencies)-1)*p/100].Round(10 * time.Microsecond)
}

// floorClaims is a client-credentials access token's payload, as the emulator issues it.
var floorClaims, _ = json.Marshal(map[string]any{"aud": "api://6b9d3e1f-0000-4000-8000-000000000000", "iss": "https://login.microsoftonline.com/7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13/v2.0",
	"iat": 1700000000, "nbf": 1700000000, "exp": 1700003599, "aio": strings.Repeat("A", 60), "azp": "e2b7f4a9-0000-4000-8000-000000000000",
	"azpacr": "1", "idtyp": "app", "oid": "5f1c8e2a-0000-4000-8000-000000000001", "rh": "0.AXoA" + strings.Repeat("B", 40),
	"roles": []string{"Data.Read"}, "sub": "5f1c8e2a-0000-4000-8000-000000000001", "tid": "7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13",
	"uti": "fqiBqXLPj0eQa82S-IYFAA", "ver": "2.0"})

// emulatorSignatureCPU is the CPU time of one RS256 signature of the same payload by the emulator's own
// signer (internal/rsa2048: AVX-512 IFMA where the CPU has it, crypto/rsa otherwise), on this locked thread.
func emulatorSignatureCPU() time.Duration {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	signer := rsa2048.NewSigner(key)
	return cpuPerCall(func() {
		if _, err := signer.Sign(sha256.Sum256(floorClaims)); err != nil {
			panic(err)
		}
	})
}

// signatureCPU is the CPU time of one go-jose RS256 signature with Go's crypto/rsa, on this locked thread.
func signatureCPU() time.Duration {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "floor"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic(err)
	}
	return cpuPerCall(func() {
		jws, err := signer.Sign(floorClaims)
		if err != nil {
			panic(err)
		}
		_, _ = jws.CompactSerialize()
	})
}

// cpuPerCall is the CPU time of one call of sign, over about a second on this locked thread.
func cpuPerCall(sign func()) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for range 20 { // warm up
		sign()
	}
	n, before, start := 0, threadCPU(), time.Now()
	for time.Since(start) < time.Second {
		sign()
		n++
	}
	return (threadCPU() - before) / time.Duration(n)
}

// threadCPU is the CPU time of the calling thread (/proc/thread-self/schedstat, first field, in ns).
func threadCPU() time.Duration {
	stat, err := os.ReadFile("/proc/thread-self/schedstat")
	if err != nil {
		panic(err)
	}
	var ns int64
	if _, err := fmt.Sscan(string(stat), &ns); err != nil {
		panic(err)
	}
	return time.Duration(ns)
}

// cpuTime is the user + system CPU time of the processes (comma-separated ids) so far, from /proc/PID/stat
// (fields 14 and 15, in clock ticks of 10 ms on Linux).
func cpuTime(pids string) time.Duration {
	var total time.Duration
	for _, pid := range strings.Split(pids, ",") {
		if pid = strings.TrimSpace(pid); pid == "" {
			continue
		}
		stat, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			fmt.Fprintf(os.Stderr, "loadgen: -pids: %v\n", err)
			os.Exit(2)
		}
		_, rest, _ := strings.Cut(string(stat), ") ") // the command name may hold spaces
		fields := strings.Fields(rest)                // fields[0] is stat's field 3
		for _, f := range fields[11:13] {             // utime, stime
			ticks, _ := strconv.ParseInt(f, 10, 64)
			total += time.Duration(ticks) * 10 * time.Millisecond
		}
	}
	return total
}

// run keeps clients busy for d; requests still in flight when d ends are not counted.
func run(client *http.Client, target, form string, clients int, d time.Duration) *result {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var tokens, errs atomic.Int64
	var mu sync.Mutex
	res := &result{}
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			var local []time.Duration
			for ctx.Err() == nil {
				start := time.Now()
				_, err := token(ctx, client, target, form)
				if ctx.Err() != nil {
					break
				}
				if err != nil {
					if errs.Add(1) == 1 {
						mu.Lock()
						res.firstErr = err.Error()
						mu.Unlock()
					}
					continue
				}
				tokens.Add(1)
				local = append(local, time.Since(start))
			}
			mu.Lock()
			res.latencies = append(res.latencies, local...)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.tokens, res.errors = tokens.Load(), errs.Load()
	return res
}

// token posts the form and returns the access token of a 200 answer.
func token(ctx context.Context, client *http.Client, target, form string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil || resp.StatusCode != http.StatusOK || body.AccessToken == "" {
		return "", fmt.Errorf("HTTP %d without an access token (%v)", resp.StatusCode, err)
	}
	return body.AccessToken, nil
}

// tokenAlg fetches one token and returns its JWS alg, so the output shows both servers sign.
func tokenAlg(client *http.Client, target, form string) (string, error) {
	tok, err := token(context.Background(), client, target, form)
	if err != nil {
		return "", err
	}
	header, _, _ := strings.Cut(tok, ".")
	raw, err := base64.RawURLEncoding.DecodeString(header)
	if err != nil {
		return "", fmt.Errorf("the access token is not a JWT: %w", err)
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(raw, &h); err != nil || h.Alg == "" {
		return "", fmt.Errorf("the access token's header has no alg")
	}
	return h.Alg, nil
}
