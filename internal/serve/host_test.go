package serve

import (
	"net"
	"net/netip"
	"testing"
)

func TestHostPolicy(t *testing.T) {
	local := func() ([]netip.Addr, string) {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("192.168.1.5"), netip.MustParseAddr("fe80::1")}, "may-tinh"
	}
	policy := func(listen, cfgAddr string) hostPolicy {
		t.Helper()
		a, err := net.ResolveTCPAddr("tcp", listen)
		if err != nil {
			t.Fatal(err)
		}
		p := newHostPolicy(a, cfgAddr)
		p.local = local
		return p
	}
	loopback := policy("127.0.0.1:1313", "127.0.0.1:0")
	lan := policy("192.168.1.5:1313", "192.168.1.5:1313")
	named := policy("192.168.1.5:1313", "May-Tinh.lan:1313")
	all := policy("0.0.0.0:1313", "0.0.0.0:1313")
	all6 := policy("[::]:1313", ":1313")
	tests := []struct {
		p    hostPolicy
		host string
		want bool
	}{
		{loopback, "localhost", true},
		{loopback, "localhost:1313", true},
		{loopback, "LOCALHOST.:1313", true},
		{loopback, "preview.localhost:1313", true},
		{loopback, "127.0.0.1:1313", true},
		{loopback, "127.0.0.1", true},
		{loopback, "127.1.2.3:1313", true},
		{loopback, "[::1]:1313", true},
		{loopback, "[::1]", true},
		{loopback, "[::ffff:127.0.0.1]:1313", true},
		{loopback, "localhost:8080", true}, // a port forward
		{loopback, "evil.example", false},
		{loopback, "evil.example:1313", false},
		{loopback, "localhost.evil.example", false},
		{loopback, "evillocalhost", false},
		{loopback, "192.168.1.5:1313", false},
		{loopback, "may-tinh:1313", false},
		{loopback, "", false},
		{loopback, ":1313", false},
		{loopback, "localhost:x", false},
		{loopback, "::1", false},
		{loopback, "[::1", false},
		{loopback, "[::1]x", false},
		{lan, "192.168.1.5:1313", true},
		{lan, "localhost:1313", true},
		{lan, "192.168.1.6:1313", false},
		{lan, "may-tinh:1313", false},
		{named, "may-tinh.lan:1313", true},
		{named, "may-tinh:1313", false},
		{all, "192.168.1.5:1313", true},
		{all, "[fe80::1]:1313", true},
		{all, "0.0.0.0:1313", true},
		{all, "may-tinh:1313", true},
		{all, "MAY-TINH.local:1313", true},
		{all, "localhost:1313", true},
		{all, "10.0.0.1:1313", false},
		{all, "evil.example:1313", false},
		{all, "may-tinh.evil.example:1313", false},
		{all6, "192.168.1.5:1313", true},
		{all6, "[::1]:1313", true},
		{all6, "evil.example", false},
	}
	for _, tt := range tests {
		if got := tt.p.allowed(tt.host); got != tt.want {
			t.Errorf("bound to %v (wildcard %v, name %q): allowed(%q) = %v, want %v", tt.p.bound, tt.p.wildcard, tt.p.bindName, tt.host, got, tt.want)
		}
	}
}
