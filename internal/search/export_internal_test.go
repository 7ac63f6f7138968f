package search

import "testing"

func TestAppendNums(t *testing.T) {
	// The same strings are decoded by search-engine.js nums in jstest/search.test.js.
	for _, tc := range []struct {
		nums []int
		want string
	}{
		{[]int{0, 31, 32, 1023, 1024}, "AfhA_fhgA"},
		{[]int{1108378656}, "hhhhhhA"}, // 1<<30 + 1<<25 + 1<<20 + 1<<15 + 1<<10 + 1<<5
		{nil, ""},
	} {
		if got := string(appendNums(nil, tc.nums...)); got != tc.want {
			t.Errorf("appendNums(%v) = %q, want %q", tc.nums, got, tc.want)
		}
	}
}
