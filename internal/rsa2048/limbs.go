package rsa2048

// Numbers below 2^1040 in radix 2^52, least significant limb first: 20 limbs, padded to 24 so that the
// assembly reads and writes three whole 8-lane registers. Every function here runs in time independent of the
// values (the keys' halves are secret): loops have fixed bounds and choices are made with masks.

const (
	nLimbs   = 20
	limbBits = 52
	limbMask = 1<<limbBits - 1
	// montBits is log2 of the Montgomery radix R = 2^1040.
	montBits = nLimbs * limbBits
)

type limbs [24]uint64

// limbsFromBytes reads a big-endian number of at most 130 bytes (1040 bits) into limbs. Longer input
// is a programming error.
func limbsFromBytes(b []byte) limbs {
	if len(b) > 130 {
		panic("rsa2048: number too long")
	}
	var words [17]uint64 // 1088 bits
	wordsFromBytes(words[:], b)
	var l limbs
	for i := range nLimbs {
		off := i * limbBits
		w, s := off/64, uint(off%64)
		v := words[w] >> s
		if s > 64-limbBits {
			v |= words[w+1] << (64 - s)
		}
		l[i] = v & limbMask
	}
	return l
}

// words is l in little-endian 64-bit words.
func (l *limbs) words() [17]uint64 {
	var words [17]uint64
	for i := range nLimbs {
		off := i * limbBits
		w, s := off/64, uint(off%64)
		words[w] |= l[i] << s
		if s > 64-limbBits {
			words[w+1] |= l[i] >> (64 - s)
		}
	}
	return words
}

// fillBytes writes l, which must be below 2^(8·len(out)), big-endian into out.
func (l *limbs) fillBytes(out []byte) {
	words := l.words()
	bytesFromWords(out, words[:])
}

// wordsFromBytes ORs the big-endian number b into w, little-endian 64-bit words long enough to hold it.
func wordsFromBytes(w []uint64, b []byte) {
	for i, v := range b {
		bit := (len(b) - 1 - i) * 8
		w[bit/64] |= uint64(v) << (bit % 64)
	}
}

// bytesFromWords writes the low 8·len(out) bits of w, little-endian 64-bit words, big-endian into out.
func bytesFromWords(out []byte, w []uint64) {
	for i := range out {
		bit := (len(out) - 1 - i) * 8
		out[i] = byte(w[bit/64] >> (bit % 64))
	}
}

// sub sets z = x - y and returns the borrow (1 when x < y, and z is then x - y + 2^1040).
func (z *limbs) sub(x, y *limbs) uint64 {
	var borrow uint64
	for i := range nLimbs {
		d := x[i] - y[i] - borrow
		borrow = d >> 63
		z[i] = d & limbMask
	}
	return borrow
}

// add sets z = x + y, which must stay below 2^1040.
func (z *limbs) add(x, y *limbs) {
	var carry uint64
	for i := range nLimbs {
		s := x[i] + y[i] + carry
		carry = s >> limbBits
		z[i] = s & limbMask
	}
}

// choose sets z = x when pick is 1 and leaves it when pick is 0.
func (z *limbs) choose(pick uint64, x *limbs) {
	mask := -pick
	for i := range nLimbs {
		z[i] ^= (z[i] ^ x[i]) & mask
	}
}

// reduceOnce brings z from [0, 2m) to [0, m).
func (z *limbs) reduceOnce(m *limbs) {
	var d limbs
	borrow := d.sub(z, m)
	z.choose(1^borrow, &d)
}
