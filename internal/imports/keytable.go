package imports

// keyTable maps the 64-bit hash of a figure's key to a value (a line of the
// file, or the hash of a figure's values), for a million keys and more while
// a file is read. A Go map of a million uint64 keys holds about 36 bytes a
// key; this table holds 12 or 16 in a slot (the key and the value in two
// arrays, open addressing with linear probing, at most 7/8 of the slots
// used, growing by half), about 17 or 23 bytes a key, and is split in 256
// parts that each grow on their own, so that a part growing never needs room
// for the whole table twice.
//
// Keys are mixed (mixKey, one to one) before they are stored, and 0 marks an
// empty slot: the key that mixes to 0 is stored as the one that mixes to 1,
// so those two alone would be taken for one.
type keyTable[V uint32 | uint64] struct {
	parts [keyParts]keyPart[V]
	n     int
}

const (
	keyPartBits = 8
	keyParts    = 1 << keyPartBits
	// keyPartMin is the slots of a part when it first holds a key.
	keyPartMin = 64
)

type keyPart[V uint32 | uint64] struct {
	keys []uint64
	vals []V
	n    int
}

// mixKey spreads the bits of an FNV hash (whose low bits vary little
// between similar keys) over the whole word, and keeps 0 for empty slots.
func mixKey(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	if h == 0 {
		h = 1
	}
	return h
}

// Len is how many keys the table holds.
func (t *keyTable[V]) Len() int { return t.n }

// Get returns the value of key and whether the table has it.
func (t *keyTable[V]) Get(key uint64) (V, bool) {
	k := mixKey(key)
	p := &t.parts[k>>(64-keyPartBits)]
	if p.n == 0 {
		return 0, false
	}
	for i := p.slot(k); ; i = p.next(i) {
		switch p.keys[i] {
		case k:
			return p.vals[i], true
		case 0:
			return 0, false
		}
	}
}

// slot is where key k's search starts in the part: its low 32 bits (the
// high ones chose the part) scaled to the part's size.
func (p *keyPart[V]) slot(k uint64) int { return int((k & 0xffffffff) * uint64(len(p.keys)) >> 32) }

// next is the slot after i, the first after the last.
func (p *keyPart[V]) next(i int) int {
	if i++; i == len(p.keys) {
		return 0
	}
	return i
}

// Set gives key the value v, adding the key if the table lacks it.
func (t *keyTable[V]) Set(key uint64, v V) {
	k := mixKey(key)
	p := &t.parts[k>>(64-keyPartBits)]
	if (p.n+1)*8 > len(p.keys)*7 {
		p.grow()
	}
	for i := p.slot(k); ; i = p.next(i) {
		switch p.keys[i] {
		case k:
			p.vals[i] = v
			return
		case 0:
			p.keys[i], p.vals[i] = k, v
			p.n++
			t.n++
			return
		}
	}
}

// grow gives the part half as many slots again (or its first) and places its keys again.
func (p *keyPart[V]) grow() {
	size := keyPartMin
	if len(p.keys) > 0 {
		size = len(p.keys) + len(p.keys)/2
	}
	keys, vals := p.keys, p.vals
	p.keys, p.vals = make([]uint64, size), make([]V, size)
	for j, k := range keys {
		if k == 0 {
			continue
		}
		i := p.slot(k)
		for p.keys[i] != 0 {
			i = p.next(i)
		}
		p.keys[i], p.vals[i] = k, vals[j]
	}
}
