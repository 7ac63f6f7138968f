package serve

import (
	"net"
	"net/netip"
	"os"
	"strings"
)

// hostPolicy decides which Host header values the preview answers.
//
// The listener's address alone does not keep other web pages out: a page at
// evil.example can make its own name resolve to 127.0.0.1 (DNS rebinding)
// and then read the preview, drafts included, as if it were its own origin.
// What such a request cannot fake is the Host header, which the browser sets
// to the page's name. So the preview answers only names that cannot be
// rebound: loopback names and addresses, the address it is bound to and, when
// bound to every interface, this machine's own addresses and host name.
//
// The port in the Host header is not compared: it does not change which
// origin a browser is in, and a port forward (ssh -L 8080:localhost:1313)
// legitimately sends another one.
type hostPolicy struct {
	bound    netip.Addr // the listener's address
	bindName string     // the host of Config.Addr when it is a name ("myhost.lan"), lower case
	wildcard bool       // bound to 0.0.0.0 or ::

	// local returns this machine's interface addresses and host name; it is
	// asked only for a wildcard bind, at request time, because addresses
	// change (a laptop joins another network) while the preview runs.
	local func() ([]netip.Addr, string)
}

// newHostPolicy returns the policy of a listener at addr, bound as the user
// asked for with cfgAddr ("host:port").
func newHostPolicy(addr net.Addr, cfgAddr string) hostPolicy {
	var p hostPolicy
	if a, ok := addr.(*net.TCPAddr); ok {
		if ip, ok := netip.AddrFromSlice(a.IP); ok {
			p.bound = ip.Unmap()
		}
	}
	p.wildcard = p.bound.IsUnspecified()
	if h, _, err := net.SplitHostPort(cfgAddr); err == nil {
		if _, err := netip.ParseAddr(h); err != nil && h != "" {
			p.bindName = strings.ToLower(strings.TrimSuffix(h, "."))
		}
	}
	p.local = localAddrs
	return p
}

// allowed reports whether the preview answers a request whose Host header
// is hostport.
func (p hostPolicy) allowed(hostport string) bool {
	host, ok := splitHost(hostport)
	if !ok {
		return false
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		ip = ip.Unmap().WithZone("")
		switch {
		case ip.IsLoopback(), ip == p.bound:
			return true
		case p.wildcard:
			addrs, _ := p.local()
			for _, a := range addrs {
				if a == ip {
					return true
				}
			}
		}
		return false
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || host == p.bindName {
		// Browsers resolve *.localhost to loopback themselves (RFC 6761), so
		// no other page can have such a name.
		return true
	}
	if p.wildcard {
		if _, name := p.local(); name != "" && (host == name || host == name+".local") {
			return true
		}
	}
	return false
}

// splitHost returns the host of a Host header value, lower case, without the
// port, the brackets of an IPv6 address or a trailing dot; false when the
// value is malformed or empty.
func splitHost(hostport string) (string, bool) {
	host, port := hostport, ""
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return "", false
		}
		host, port = hostport[1:end], hostport[end+1:]
		if port != "" && !strings.HasPrefix(port, ":") {
			return "", false
		}
		port = strings.TrimPrefix(port, ":")
	} else if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
		host, port = hostport[:i], hostport[i+1:]
		if strings.Contains(host, ":") {
			return "", false // an IPv6 address without brackets
		}
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return host, host != ""
}

// localAddrs returns this machine's interface addresses and its host name
// (lower case), as far as they can be found.
func localAddrs() ([]netip.Addr, string) {
	var out []netip.Addr
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				if ip, ok := netip.AddrFromSlice(n.IP); ok {
					out = append(out, ip.Unmap())
				}
			}
		}
	}
	name, _ := os.Hostname()
	return out, strings.ToLower(strings.TrimSuffix(name, "."))
}
