package rsa2048

import "math/big"

// pair is two odd 1024-bit moduli (an RSA key's primes p and q) prepared for Montgomery arithmetic with
// R = 2^1040, side by side: the assembly works on both halves of a CRT signature at once.
type pair struct {
	m   [2]limbs
	k0  [2]uint64 // -m^-1 mod 2^52
	one [2]limbs  // R mod m: 1 in the Montgomery domain
	rr  [2]limbs  // R^2 mod m: multiplying by it enters the domain
	rrr [2]limbs  // R^3 mod m: the same for the upper half of a 2080-bit number
}

// newPair prepares p and q, odd numbers of exactly 1024 bits. The constants are computed once per key with
// math/big (not constant-time); every per-signature operation is.
func newPair(p, q *big.Int) *pair {
	pr := &pair{}
	r := new(big.Int).Lsh(big.NewInt(1), montBits)
	for j, m := range []*big.Int{p, q} {
		pr.m[j] = limbsFromBytes(m.FillBytes(make([]byte, 128)))
		// Newton's iteration for m^-1 mod 2^64: each step doubles the correct low bits (3 to start with).
		m0 := pr.m[j][0]
		inv := m0
		for range 5 {
			inv *= 2 - m0*inv
		}
		pr.k0[j] = -inv & limbMask
		for power, dst := range []*limbs{&pr.one[j], &pr.rr[j], &pr.rrr[j]} {
			v := new(big.Int).Exp(r, big.NewInt(int64(power+1)), m)
			*dst = limbsFromBytes(v.FillBytes(make([]byte, 128)))
		}
	}
	return pr
}

// mul sets z[j] = x[j]·y[j]·R^-1 mod m[j], below 2m[j] when x[j] and y[j] are below 4m[j].
func (pr *pair) mul(z, x, y *[2]limbs) { amm52x20x2(z, x, y, &pr.m, &pr.k0) }

// fromBytes256 takes a number below 2^2048 (256 bytes, big-endian) into both Montgomery domains, below 4m.
func (pr *pair) fromBytes256(b []byte) [2]limbs {
	// b = hi·2^1040 + lo, so b·R = hi·R^3/R + lo·R^2/R.
	halves := limbsFromBytesWide(b)
	lo := [2]limbs{halves[0], halves[0]}
	hi := [2]limbs{halves[1], halves[1]}
	pr.mul(&lo, &lo, &pr.rr)
	pr.mul(&hi, &hi, &pr.rrr)
	lo[0].add(&lo[0], &hi[0])
	lo[1].add(&lo[1], &hi[1])
	return lo
}

// toCanonical takes x (below 4m) out of the Montgomery domains into [0, m).
func (pr *pair) toCanonical(x *[2]limbs) [2]limbs {
	var one, z [2]limbs
	one[0][0], one[1][0] = 1, 1
	pr.mul(&z, x, &one) // x·R^-1, at most m
	z[0].reduceOnce(&pr.m[0])
	z[1].reduceOnce(&pr.m[1])
	return z
}

// exp returns x[j]^e[j] in the Montgomery domains, for x (below 4m) in them and e big-endian, both 128
// bytes long. Every 4-bit window of the exponents is handled the same way: four squarings, a
// constant-time table look-up and one multiplication.
func (pr *pair) exp(x *[2]limbs, e *[2][128]byte) [2]limbs {
	var table [2][16]limbs // table[j][i] = x[j]^i
	table[0][0], table[1][0] = pr.one[0], pr.one[1]
	table[0][1], table[1][1] = x[0], x[1]
	for i := 2; i < 16; i++ {
		z := [2]limbs{}
		pr.mul(&z, &[2]limbs{table[0][i-1], table[1][i-1]}, x)
		table[0][i], table[1][i] = z[0], z[1]
	}
	acc := pr.one
	var t [2]limbs
	for i := range 128 {
		for _, shift := range [2]uint{4, 0} {
			pr.mul(&acc, &acc, &acc)
			pr.mul(&acc, &acc, &acc)
			pr.mul(&acc, &acc, &acc)
			pr.mul(&acc, &acc, &acc)
			select16(&t[0], &table[0], uint64(e[0][i]>>shift)&15)
			select16(&t[1], &table[1], uint64(e[1][i]>>shift)&15)
			pr.mul(&acc, &acc, &t)
		}
	}
	return acc
}

// limbsFromBytesWide reads a big-endian number below 2^2080 as two limb arrays, low then high.
func limbsFromBytesWide(b []byte) [2]limbs {
	var padded [260]byte
	copy(padded[len(padded)-len(b):], b)
	// The low 1040 bits are the last 130 bytes; the rest is the high part.
	return [2]limbs{limbsFromBytes(padded[130:]), limbsFromBytes(padded[:130])}
}
