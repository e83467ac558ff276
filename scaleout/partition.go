package scaleout

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Partition returns the partition of an event ID among n: FNV-1a (32 bits)
// of the ID modulo n. It depends on the ID only, so every version of an
// event lands in one partition whatever else a correction changes. Among
// fewer than 1 partitions there is none: it returns -1, a partition every
// Log refuses.
func Partition(id string, n int) int {
	if n < 1 {
		return -1
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(uint64(h.Sum32()) % uint64(n))
}

// Assignment is a worker's share of the partitions: worker I of N owns the
// partitions p with p mod N = I.
type Assignment struct{ I, N int }

// ParseAssignment parses "i/n" (0 ≤ i < n), both numbers in decimal
// digits as Itoa writes them: no sign, no leading zero.
func ParseAssignment(s string) (Assignment, error) {
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n || strconv.Itoa(i) != is || strconv.Itoa(n) != ns {
		return Assignment{}, fmt.Errorf("partitions %q: want i/n with 0 ≤ i < n", s)
	}
	return Assignment{I: i, N: n}, nil
}

// Owned lists the partitions of partitions the assignment owns. An
// assignment that ParseAssignment refuses (N below 1, I outside [0, N))
// owns none, and a Worker of none is refused; the zero Assignment owned
// every partition, as if it were 0/1.
func (a Assignment) Owned(partitions int) []int {
	if a.N < 1 || a.I < 0 || a.I >= a.N {
		return nil
	}
	var out []int
	for p := range partitions {
		if p%a.N == a.I {
			out = append(out, p)
		}
	}
	return out
}
