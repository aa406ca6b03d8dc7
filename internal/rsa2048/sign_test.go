package rsa2048

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"testing"
)

func testKey(t testing.TB, seed uint64) *rsa.PrivateKey {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// The fast path must give crypto/rsa's bytes: PKCS #1 v1.5 is deterministic.
func TestSignMatchesCryptoRSA(t *testing.T) {
	for k := range 3 {
		key := testKey(t, uint64(k))
		s := NewSigner(key)
		if s.Accelerated() != haveIFMA() {
			t.Fatalf("Accelerated() = %v on a CPU where IFMA is %v", s.Accelerated(), haveIFMA())
		}
		for i := range 50 {
			digest := sha256.Sum256(fmt.Appendf(nil, "token %d/%d", k, i))
			got, err := s.Sign(digest)
			if err != nil {
				t.Fatal(err)
			}
			want, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Fatalf("key %d digest %d: signature differs from crypto/rsa's", k, i)
			}
		}
		if s.Accelerated() != haveIFMA() {
			t.Fatal("the fast path turned itself off: one of its signatures failed the check")
		}
	}
	t.Logf("AVX-512 IFMA on this CPU: %v", haveIFMA())
}

// A wrong fast signature is never returned: it is replaced by crypto/rsa's, and the fast path stays off.
func TestFaultFallsBackForGood(t *testing.T) {
	if !haveIFMA() {
		t.Log("no AVX-512 IFMA here: every signature is crypto/rsa's (covered by TestSignMatchesCryptoRSA)")
		return
	}
	key := testKey(t, 7)
	s := NewSigner(key)
	s.crt.d[0][127] ^= 2 // a fault in the secret exponent
	for i := range 2 {   // the first signature meets the fault, the second must not try again
		digest := sha256.Sum256([]byte{byte(i)})
		got, err := s.Sign(digest)
		if err != nil {
			t.Fatal(err)
		}
		if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, digest[:], got); err != nil {
			t.Fatalf("signature %d does not verify: %v", i, err)
		}
		if s.Accelerated() {
			t.Fatalf("after signature %d the faulty fast path is still on", i)
		}
	}
}

// The Montgomery multiplication against math/big, at the edges of its input range.
func TestMontgomeryMulMatchesBig(t *testing.T) {
	if !haveIFMA() {
		t.Log("no AVX-512 IFMA here: amm52x20 cannot run")
		return
	}
	key := testKey(t, 1)
	pr := newPair(key.Primes[0], key.Primes[1])
	for half, p := range key.Primes {
		rinv := new(big.Int).ModInverse(new(big.Int).Lsh(big.NewInt(1), montBits), p)
		fourM := new(big.Int).Lsh(p, 2)
		rng := mrand.New(mrand.NewPCG(1, 2))
		edge := []*big.Int{big.NewInt(0), big.NewInt(1), new(big.Int).Sub(p, big.NewInt(1)), new(big.Int).Sub(fourM, big.NewInt(1))}
		for i := range 400 {
			x, y := randBelow(rng, fourM), randBelow(rng, fourM)
			if i < len(edge)*len(edge) {
				x, y = edge[i%len(edge)], edge[i/len(edge)]
			}
			var xl, yl, zl [2]limbs
			xl[half], yl[half] = toLimbs(x), toLimbs(y)
			pr.mul(&zl, &xl, &yl)
			z := zl[half]
			got := fromLimbs(&z)
			if got.Cmp(new(big.Int).Lsh(p, 1)) >= 0 {
				t.Fatalf("x·y·R^-1 = %x is not below 2m", got)
			}
			want := new(big.Int).Mul(x, y)
			want.Mul(want, rinv).Mod(want, p)
			if new(big.Int).Mod(got, p).Cmp(want) != 0 {
				t.Fatalf("x=%x y=%x: got %x, want %x mod p", x, y, got, want)
			}
			for j := nLimbs; j < len(z); j++ {
				if z[j] != 0 {
					t.Fatal("padding lanes were written")
				}
			}
			for j := range nLimbs {
				if z[j] > limbMask {
					t.Fatal("a limb was left above 2^52")
				}
			}
		}
	}
}

func TestLimbsRoundTrip(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(3, 4))
	top := new(big.Int).Lsh(big.NewInt(1), 1024)
	for range 200 {
		x := randBelow(rng, top)
		l := limbsFromBytes(x.FillBytes(make([]byte, 128)))
		var out [128]byte
		l.fillBytes(out[:])
		if new(big.Int).SetBytes(out[:]).Cmp(x) != 0 {
			t.Fatalf("%x came back as %x", x, out)
		}
	}
}

func randBelow(rng *mrand.Rand, n *big.Int) *big.Int {
	b := make([]byte, (n.BitLen()+7)/8)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return new(big.Int).Mod(new(big.Int).SetBytes(b), n)
}

func toLimbs(x *big.Int) limbs { return limbsFromBytes(x.FillBytes(make([]byte, 130))) }

func fromLimbs(l *limbs) *big.Int {
	v := new(big.Int)
	for i := nLimbs - 1; i >= 0; i-- {
		v.Lsh(v, limbBits).Or(v, new(big.Int).SetUint64(l[i]))
	}
	return v
}

func BenchmarkSign(b *testing.B) {
	key := testKey(b, 1)
	s := NewSigner(key)
	digest := sha256.Sum256([]byte("bench"))
	b.ReportMetric(map[bool]float64{true: 1}[s.Accelerated()], "ifma")
	for b.Loop() {
		if _, err := s.Sign(digest); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCryptoRSA(b *testing.B) {
	key := testKey(b, 1)
	digest := sha256.Sum256([]byte("bench"))
	for b.Loop() {
		if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
}
