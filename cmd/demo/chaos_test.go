package main

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// demo chaos runs the swarm under injected faults and exits 0 only when
// every copy is byte-identical; its summary counts the faults and the
// supervisors' decisions. Two seeds here; "make chaos" runs many.
func TestChaosSwarm(t *testing.T) {
	for _, seed := range []int{1, 2} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			r := runDemo(t, 4*time.Minute, nil, "chaos", "-seed", fmt.Sprint(seed))
			if r.code != 0 {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
			}
			for _, want := range []string{`verified 2 copies byte for byte`, `bytes fetched twice: `} {
				if !regexp.MustCompile(want).MatchString(r.stdout) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
			faults := regexp.MustCompile(`faults injected: (\d+)`).FindStringSubmatch(r.stdout)
			failures := regexp.MustCompile(`supervisors: (\d+) failures`).FindStringSubmatch(r.stdout)
			if faults == nil || failures == nil {
				t.Fatalf("no counts in:\n%s", r.stdout)
			}
			if n, _ := strconv.Atoi(faults[1]); n == 0 {
				t.Errorf("no fault injected:\n%s", r.stdout)
			}
			if n, _ := strconv.Atoi(failures[1]); n == 0 {
				t.Errorf("no failure handled:\n%s", r.stdout)
			}
		})
	}
}

func TestChaosUsage(t *testing.T) {
	r := runDemo(t, time.Minute, nil, "chaos", "-rate", "2")
	oneLineFailure(t, r, exitUsage, "-rate")
	r = runDemo(t, time.Minute, nil, "chaos", "extra")
	oneLineFailure(t, r, exitUsage, "no arguments")
}
