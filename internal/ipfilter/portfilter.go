package ipfilter

import (
	"fmt"
)

// PortRange is an inclusive range of ports with its flags.
type PortRange struct {
	First, Last uint16
	Flags       uint32
}

// PortFilter maps every port 0-65535 to flags (libtorrent's port_filter),
// with IPFilter's overwrite semantics and sharing rules. The zero value and
// a nil *PortFilter allow every port.
type PortFilter struct {
	t table[portKey]
}

// AddRule gives every port in [first, last] the flags, overwriting earlier
// rules there. It fails with ErrBadRange, changing nothing, when first is
// above last.
func (f *PortFilter) AddRule(first, last uint16, flags uint32) error {
	if first > last {
		return fmt.Errorf("%w: port %d is above %d", ErrBadRange, first, last)
	}
	f.t.add(portKey(first), portKey(last), flags)
	return nil
}

// Access returns the flags of port: 0 for a nil filter.
func (f *PortFilter) Access(port uint16) uint32 {
	if f == nil {
		return 0
	}
	return f.t.access(portKey(port))
}

// Export returns the fewest ranges that describe the filter, in ascending
// order, covering 0-65535 exactly once.
func (f *PortFilter) Export() []PortRange {
	if f == nil {
		f = &PortFilter{}
	}
	out := make([]PortRange, 0, len(f.t.bounds)+1)
	f.t.export(func(first, last portKey, flags uint32) {
		out = append(out, PortRange{uint16(first), uint16(last), flags})
	})
	return out
}

// Empty reports whether every port has flags 0.
func (f *PortFilter) Empty() bool { return f == nil || len(f.t.bounds) == 0 }

// Clone returns a copy that shares nothing with f.
func (f *PortFilter) Clone() *PortFilter {
	if f == nil {
		return &PortFilter{}
	}
	return &PortFilter{t: f.t.clone()}
}
