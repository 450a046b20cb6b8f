package interop

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// NetnsEnv marks a test binary re-run in a network namespace of its own:
// its value is the test that runs there.
const NetnsEnv = "ACTORRENT_TEST_NETNS"

// InOwnNetns runs the calling test in a network namespace of its own
// (unshare -n, its loopback up) for what is host-wide: BEP 14's
// 239.192.152.143:6771, where tests in parallel binaries with the same
// torrents would otherwise find each other. It returns true in the
// namespace (the test goes on there); in the parent it re-runs the test
// binary there, reports its output and returns false. Namespaces need
// root, as CI has; elsewhere the test is skipped, saying why.
func InOwnNetns(t *testing.T) bool {
	t.Helper()
	if os.Getenv(NetnsEnv) == t.Name() {
		return true
	}
	if os.Geteuid() != 0 {
		t.Skip("needs a network namespace of its own (BEP 14's multicast group is host-wide), and so root for unshare -n")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	// Root in a container may still be refused namespaces.
	if out, err := exec.CommandContext(ctx, "unshare", "-n", "true").CombinedOutput(); err != nil {
		t.Skipf("needs a network namespace of its own (BEP 14's multicast group is host-wide); unshare -n: %v %s", err, out)
	}
	cmd := exec.CommandContext(ctx, "unshare", "-n", "sh", "-c", `ip link set lo up && exec "$0" "$@"`,
		os.Args[0], "-test.run", "^"+t.Name()+"$", "-test.v", "-test.count=1", "-test.timeout=170s")
	cmd.Env = append(os.Environ(), NetnsEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	text := string(out)
	switch {
	case err == nil && strings.Contains(text, "--- SKIP: "+t.Name()):
		t.Skipf("skipped in its network namespace:\n%s", text)
	case err == nil && strings.Contains(text, "--- PASS: "+t.Name()):
		t.Logf("in its network namespace:\n%s", text)
	default:
		t.Fatalf("in its network namespace (%v):\n%s", err, text)
	}
	return false
}
