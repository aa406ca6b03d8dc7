// Package rsa2048 signs RS256 (RSA PKCS #1 v1.5 with SHA-256) with RSA-2048 keys for the emulator, about
// three times faster than crypto/rsa on CPUs with AVX-512 IFMA, and exactly as crypto/rsa does elsewhere.
//
// Signing is nearly all of the emulator's CPU per token, and crypto/rsa computes its modular exponentiations
// 64 bits at a time. With IFMA, eight 52-bit multiply-adds run per instruction (as OpenSSL does on these
// CPUs). The exponentiation is constant-time like crypto/rsa's; every signature is checked with
// crypto/rsa.VerifyPKCS1v15 before it is returned, and a signature that fails the check is replaced by
// crypto/rsa's own and turns the fast path off for good. PKCS #1 v1.5 signatures are deterministic, so both
// paths return the same bytes for the same key and digest.
package rsa2048

import (
	"crypto"
	"crypto/rsa"
	"math/bits"
	"sync/atomic"
)

// Signer signs SHA-256 digests with one RSA key.
type Signer struct {
	key  *rsa.PrivateKey
	crt  *crtKey     // nil when the fast path does not apply to this key or CPU
	fast atomic.Bool // cleared for good if a fast signature ever fails its check
}

// crtKey is an RSA-2048 key's CRT half-keys, prepared for the IFMA exponentiation.
type crtKey struct {
	pq    *pair        // p, then q
	d     [2][128]byte // d mod p-1 and d mod q-1, big-endian, fixed length
	qinvR limbs        // q^-1 mod p, in p's Montgomery domain
	q64   [16]uint64   // q in 64-bit words, for the recombination
}

// NewSigner prepares key. Keys that are not two-prime RSA-2048 with 1024-bit primes sign with crypto/rsa.
func NewSigner(key *rsa.PrivateKey) *Signer {
	s := &Signer{key: key}
	if haveIFMA() && len(key.Primes) == 2 && key.N.BitLen() == 2048 &&
		key.Primes[0].BitLen() == 1024 && key.Primes[1].BitLen() == 1024 {
		key.Precompute()
		if pc := key.Precomputed; pc.Dp != nil && pc.Dq != nil && pc.Qinv != nil { // nil when the key is invalid
			s.crt = newCRTKey(key)
			s.fast.Store(true)
		}
	}
	return s
}

// Accelerated says whether signatures take the IFMA path.
func (s *Signer) Accelerated() bool { return s.fast.Load() }

// Public is the key's public half.
func (s *Signer) Public() *rsa.PublicKey { return &s.key.PublicKey }

func newCRTKey(key *rsa.PrivateKey) *crtKey {
	p, q := key.Primes[0], key.Primes[1]
	k := &crtKey{pq: newPair(p, q)}
	key.Precomputed.Dp.FillBytes(k.d[0][:])
	key.Precomputed.Dq.FillBytes(k.d[1][:])
	qinv := limbsFromBytes(key.Precomputed.Qinv.FillBytes(make([]byte, 128)))
	k.qinvR = k.mulP(&qinv, &k.pq.rr[0]) // qinv·R mod p
	wordsFromBytes(k.q64[:], q.Bytes())
	return k
}

// sha256Prefix is the DER DigestInfo header for SHA-256 (RFC 8017, section 9.2, note 1).
var sha256Prefix = []byte{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}

// Sign returns the RS256 signature of a SHA-256 digest.
func (s *Signer) Sign(digest [32]byte) ([]byte, error) {
	if !s.fast.Load() {
		return rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, digest[:])
	}
	// EM = 0x00 0x01 0xff... 0x00 DigestInfo(digest), 256 bytes (RFC 8017, section 9.2).
	var em [256]byte
	em[1] = 1
	tail := len(em) - len(sha256Prefix) - len(digest)
	for i := 2; i < tail-1; i++ {
		em[i] = 0xff
	}
	copy(em[tail:], sha256Prefix)
	copy(em[tail+len(sha256Prefix):], digest[:])

	sig := s.crt.sign(em[:])
	if err := rsa.VerifyPKCS1v15(&s.key.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
		s.fast.Store(false)
		return rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, digest[:])
	}
	return sig, nil
}

// sign computes em^d mod n by the Chinese remainder theorem (RFC 8017, section 5.1.2, 2.b).
func (k *crtKey) sign(em []byte) []byte {
	x := k.pq.fromBytes256(em)
	y := k.pq.exp(&x, &k.d)
	m := k.pq.toCanonical(&y)
	m1, m2 := m[0], m[1] // em^dp mod p, em^dq mod q
	p := &k.pq.m[0]

	// h = (m1 - m2)·qinv mod p. m2 < q < 2p, so one subtraction reduces it mod p.
	m2p := m2
	m2p.reduceOnce(p)
	var diff, withP limbs
	borrow := diff.sub(&m1, &m2p)
	withP.add(&diff, p) // wraps past 2^1040 back into [0, p)
	diff.choose(borrow, &withP)
	h := k.mulP(&diff, &k.qinvR)

	// s = m2 + h·q, below n.
	hw, m2w := h.words(), m2.words() // below 2^1024: the 17th word is 0
	var prod [32]uint64
	for i := range 16 {
		var carry uint64
		for j := range 16 {
			hi, lo := bits.Mul64(hw[i], k.q64[j])
			var c uint64
			lo, c = bits.Add64(lo, prod[i+j], 0)
			hi += c
			lo, c = bits.Add64(lo, carry, 0)
			hi += c
			prod[i+j] = lo
			carry = hi
		}
		prod[i+16] = carry
	}
	var carry uint64
	for i := range 32 {
		var add uint64
		if i < 16 {
			add = m2w[i]
		}
		prod[i], carry = bits.Add64(prod[i], add, carry)
	}
	out := make([]byte, 256)
	bytesFromWords(out, prod[:])
	return out
}

// mulP returns x·y·R^-1 mod p in [0, p) (the q half of the pair multiplies zeros).
func (k *crtKey) mulP(x, y *limbs) limbs {
	var z, a, b [2]limbs
	a[0], b[0] = *x, *y
	k.pq.mul(&z, &a, &b)
	z[0].reduceOnce(&k.pq.m[0])
	return z[0]
}
