package config

import (
	"fmt"
	"net"
	"strings"
)

// Metrics says who may read /metrics: clients whose address is in Allow
// (HRX_METRICS_ALLOW) and, when Token is set (HRX_METRICS_TOKEN), who send it
// as a bearer token. With neither, only loopback clients may.
type Metrics struct {
	Allow string // CIDR ranges or addresses, separated by commas or spaces
	Token string
}

// ParseNets reads a list of addresses and CIDR ranges, separated by commas or
// spaces; a single address is a range of one. setting names the list in errors.
func ParseNets(setting, list string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !strings.Contains(f, "/") {
			ip := net.ParseIP(f)
			if ip == nil {
				return nil, fmt.Errorf("%s: %q is not an IP address or a CIDR range such as 10.0.0.0/8", setting, f)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not an IP address or a CIDR range such as 10.0.0.0/8", setting, f)
		}
		out = append(out, n)
	}
	return out, nil
}

// parseMetrics reads HRX_METRICS_ALLOW and HRX_METRICS_TOKEN.
func parseMetrics(getenv func(string) string) (Metrics, error) {
	m := Metrics{Allow: strings.TrimSpace(getenv("HRX_METRICS_ALLOW")), Token: strings.TrimSpace(getenv("HRX_METRICS_TOKEN"))}
	if _, err := ParseNets("HRX_METRICS_ALLOW", m.Allow); err != nil {
		return m, err
	}
	if m.Token != "" && len(m.Token) < 16 {
		return m, fmt.Errorf("HRX_METRICS_TOKEN must be at least 16 characters (for example: openssl rand -hex 32); got %d", len(m.Token))
	}
	return m, nil
}
