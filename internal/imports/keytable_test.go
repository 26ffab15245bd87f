package imports

import (
	"math/rand/v2"
	"testing"
)

// TestKeyTable holds what a Go map holds, through growth, updates and
// keys that differ in a few bits.
func TestKeyTable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var tab keyTable[uint32]
	want := map[uint64]uint32{}
	keys := []uint64{0, 1, 2, 1 << 63, ^uint64(0)}
	for i := 0; i < 200_000; i++ {
		keys = append(keys, r.Uint64())
		keys = append(keys, uint64(i)) // near neighbours
	}
	for i, k := range keys {
		if _, ok := tab.Get(k); ok != (want[k] != 0) {
			t.Fatalf("key %x before Set: found %v, want %v", k, ok, want[k] != 0)
		}
		tab.Set(k, uint32(i+1))
		want[k] = uint32(i + 1)
		if i%3 == 0 { // change a value already there
			k2 := keys[i/2]
			tab.Set(k2, uint32(i+7))
			want[k2] = uint32(i + 7)
		}
	}
	if tab.Len() != len(want) {
		t.Fatalf("Len() = %d, want %d", tab.Len(), len(want))
	}
	for k, v := range want {
		if got, ok := tab.Get(k); !ok || got != v {
			t.Fatalf("Get(%x) = %d, %v; want %d", k, got, ok, v)
		}
	}
	for i := 0; i < 10_000; i++ {
		k := r.Uint64()
		if _, in := want[k]; in {
			continue
		}
		if v, ok := tab.Get(k); ok {
			t.Fatalf("Get(%x) of a key never set = %d", k, v)
		}
	}
}

// BenchmarkKeyTable and BenchmarkKeyMap compare the table with the map it
// replaces, for a million new keys (a first import of a large file).
func BenchmarkKeyTable(b *testing.B) {
	for b.Loop() {
		var tab keyTable[uint32]
		for i := range 1_000_000 {
			k := fnvString(fnvOffset, string(rune(i))) ^ uint64(i)*fnvPrime
			if _, ok := tab.Get(k); !ok {
				tab.Set(k, uint32(i))
			}
		}
	}
}

func BenchmarkKeyMap(b *testing.B) {
	for b.Loop() {
		m := map[uint64]int32{}
		for i := range 1_000_000 {
			k := fnvString(fnvOffset, string(rune(i))) ^ uint64(i)*fnvPrime
			if _, ok := m[k]; !ok {
				m[k] = int32(i)
			}
		}
	}
}
