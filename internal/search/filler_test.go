package search

import (
	"reflect"
	"testing"
)

// TestFillers checks which clauses are filler words left out as words: alone
// or in runs ("nhu the nao"), folded, never +must, -excluded or phrases,
// and none when nothing else is left to find.
func TestFillers(t *testing.T) {
	for q, want := range map[string][]bool{
		"tre em co duoc hoc khong":  {false, false, true, true, false, true},
		"Tra tấn là gì":             {false, false, true, true},
		"ly hon nhu the nao":        {false, false, true, true, true},
		"bao luc gia dinh":          {false, false, false, false},
		"co khong":                  {false, false},
		"+co tre":                   {false, false},
		`"co" tre`:                  {false, false},
		"co -tre":                   {false, false},
		"nguoi dan toc thieu so la": {false, false, false, false, false, true},
	} {
		if got := fillers(parseQuery(q)); !reflect.DeepEqual(got, want) {
			t.Errorf("fillers(%q) = %v, want %v", q, got, want)
		}
	}
}
